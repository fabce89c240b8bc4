import { Match } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { INGEST_METRICS } from '../../functions/core/ingest/ingest-metrics.ts';
import { HANDLER_METRICS, METRIC_NAMESPACE, SERVICE_NAME } from '../../functions/shared/telemetry.ts';
import { logicalIdOf, synthStack } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

const { template } = synthStack({
  instances: [{ name: 'acme' }, { name: 'beta' }],
  alarms: { email: 'ops@example.com', lagHours: 4, noSuccessfulRunHours: 8 },
});
const topicRef = { Ref: logicalIdOf(template, 'AWS::SNS::Topic', '/Monitoring/Alarms/') };
const queueId = logicalIdOf(template, 'AWS::SQS::Queue', '/FailedInvocations/');
const functionId = (instance: string) =>
  logicalIdOf(template, 'AWS::Lambda::Function', `/Ingest-${instance}/Ingest/Function/`);
const dimensions = (instance: string) => [
  { Name: 'instance', Value: instance },
  { Name: 'service', Value: SERVICE_NAME },
];

describe('monitoring', () => {
  it('sends every alarm and its recovery to the topic, which mails the configured address', () => {
    template.allResourcesProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: [topicRef],
      OKActions: [topicRef],
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: topicRef,
    });
  });

  it.each(['acme', 'beta'])('alarms on %s ingest errors, lag and missing successful runs', (instance) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId(instance) } }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: METRIC_NAMESPACE,
      MetricName: HANDLER_METRICS.lagSeconds,
      Dimensions: dimensions(instance),
      Threshold: 4 * 3600,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: METRIC_NAMESPACE,
      MetricName: HANDLER_METRICS.runSucceeded,
      Dimensions: dimensions(instance),
      Statistic: 'Sum',
      Period: 8 * 3600,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
  });

  it.each(['acme', 'beta'])(
    'alarms while %s stores events without geo columns (its geo database did not load)',
    (instance) => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: METRIC_NAMESPACE,
        MetricName: INGEST_METRICS.eventsUnplaced,
        Dimensions: dimensions(instance),
        Statistic: 'Sum',
        Period: 3600,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        // Published only while the database is missing: no data is the healthy state.
        TreatMissingData: 'notBreaching',
        AlarmDescription: Match.stringLikeRegexp(
          `^Ingest of "${instance}" stored events without geo columns .*docs/operations\\.md "EventsUnplaced"`,
        ),
      });
    },
  );

  it('names every alarm as the runbooks call it, after the stack', () => {
    const names = Object.values(template.findResources('AWS::CloudWatch::Alarm'))
      .map((alarm) => String(alarm.Properties.AlarmName))
      .sort();
    expect(names).toEqual(
      [
        ...['acme', 'beta'].flatMap((instance) =>
          ['IngestErrors', 'Lag', 'NoSuccessfulRun', 'EventsUnplaced'].map(
            (name) => `Test-${instance}-${name}`,
          ),
        ),
        'Test-FailedInvocations',
      ].sort(),
    );
  });

  it('alarms as soon as the failure queue holds a message', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2 * 4 + 1);
  });

  it('keeps the failure queue and the topic TLS-only and the queue encrypted', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 86400,
    });
    for (const type of ['AWS::SQS::QueuePolicy', 'AWS::SNS::TopicPolicy']) {
      template.hasResourceProperties(type, {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('builds a dashboard showing each instance', () => {
    const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]?.Properties.DashboardBody);
    for (const text of [
      'acme: events and windows',
      'beta: lag (hours)',
      'EventsWritten',
      'ApiRetries',
      INGEST_METRICS.eventsUnplaced,
    ]) {
      expect(body).toContain(text);
    }
  });

  it("encrypts the topic with a rotating key that only this account's alarms may use to publish", () => {
    const keyId = logicalIdOf(template, 'AWS::KMS::Key', '/Monitoring/AlarmsKey/');
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Condition: {
              StringEquals: { 'aws:SourceAccount': '123456789012' },
              ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:*' },
            },
          }),
        ]),
      },
    });
  });

  it('creates no subscription when the config opts out of an alarm email', () => {
    synthStack({ alarms: { allowNoSubscriber: true } }).template.resourceCountIs('AWS::SNS::Subscription', 0);
  });
});

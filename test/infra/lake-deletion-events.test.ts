import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DELETE_MARKER_CREATED,
  LakeDeletionEvents,
  LIFECYCLE_EXPIRATION_REASON,
  PERMANENTLY_DELETED,
} from '../../infra/constructs/lake-deletion-events.ts';
import { LakeStorage } from '../../infra/constructs/lake-storage.ts';
import { matchesPattern as matches, type Pattern } from './event-pattern.ts';
import { configWith, logicalIdOf, newTestApp, sharedSynth, TEST_ENV } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

/** An S3 `Object Deleted` event as AWS documents it (S3 User Guide, EventBridge event message structure). */
const deletedEvent = (bucket: string, deletionType: string, reason: string): Pattern => ({
  source: 'aws.s3',
  'detail-type': 'Object Deleted',
  detail: {
    bucket: { name: bucket },
    object: { key: 'activity_log/instance=main/dt=2026-12-01/2026-12-01T10.ndjson.gz', 'version-id': 'v1' },
    'deletion-type': deletionType,
    reason,
    requester: reason === LIFECYCLE_EXPIRATION_REASON ? 's3.amazonaws.com' : '123456789012',
  },
});

/** The lake bucket, an encrypted topic and the deletion events between them, alone in a stack. */
/** The statements of a log group's resource policy, a JSON text CloudFormation joins: references read TOKEN. */
function logPolicyStatements(document: unknown): Array<Record<string, unknown>> {
  const join = (document as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  const text = join
    ? join[1].map((part) => (typeof part === 'string' ? part : 'TOKEN')).join(join[0])
    : String(document);
  return JSON.parse(text).Statement;
}

function deletionEventsStack() {
  const stack = new Stack(newTestApp(), 'DeletionEvents', { env: TEST_ENV });
  const storage = new LakeStorage(stack, 'Storage', {
    retention: configWith().retention,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const topic = new sns.Topic(stack, 'Topic');
  new LakeDeletionEvents(stack, 'LakeDeletions', {
    lakeBucket: storage.lakeBucket,
    alarmTopic: topic,
    logRetention: logs.RetentionDays.ONE_YEAR,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const template = Template.fromStack(stack);
  return {
    template,
    lake: logicalIdOf(template, 'AWS::S3::Bucket', '/Storage/Lake/'),
    topic: logicalIdOf(template, 'AWS::SNS::Topic', '/Topic/'),
    rule: logicalIdOf(template, 'AWS::Events::Rule', '/LakeDeletions/Rule/'),
    logGroup: logicalIdOf(template, 'AWS::Logs::LogGroup', '/LakeDeletions/'),
  };
}

describe('deletions in the lake are logged, and alarm once (review-stack F1, review-stack2 F1 and F6)', () => {
  const { template, lake, topic, rule, logGroup } = deletionEventsStack();

  it('sends the lake bucket’s events to EventBridge with no custom resource or function', () => {
    expect(template.toJSON().Resources[lake].Properties.NotificationConfiguration).toEqual({
      EventBridgeConfiguration: { EventBridgeEnabled: true },
    });
    template.resourceCountIs('Custom::S3BucketNotifications', 0);
    template.resourceCountIs('AWS::Lambda::Function', 0);
  });

  it('matches every delete marker of the lake, and every version a request deleted', () => {
    const properties = template.toJSON().Resources[rule].Properties;
    expect(properties.EventPattern).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Deleted'],
      detail: {
        bucket: { name: [{ Ref: lake }] },
        $or: [
          { 'deletion-type': [DELETE_MARKER_CREATED] },
          {
            'deletion-type': [PERMANENTLY_DELETED],
            reason: [{ 'anything-but': [LIFECYCLE_EXPIRATION_REASON] }],
          },
        ],
      },
    });
  });

  // A lifecycle rule added by any principal with s3:PutLifecycleConfiguration (current-version
  // Expiration) hides the lake behind markers with no request the bucket policy could refuse.
  it.each([
    ['a delete marker a request created', DELETE_MARKER_CREATED, 'DeleteObject', true],
    ['a delete marker a lifecycle rule created', DELETE_MARKER_CREATED, LIFECYCLE_EXPIRATION_REASON, true],
    ['a version a request deleted', PERMANENTLY_DELETED, 'DeleteObject', true],
    [
      'a version the noncurrent-version expiry deleted',
      PERMANENTLY_DELETED,
      LIFECYCLE_EXPIRATION_REASON,
      false,
    ],
  ])('%s (%s, %s): matched %s', (_, deletionType, reason, expected) => {
    const pattern = JSON.parse(
      JSON.stringify(template.toJSON().Resources[rule].Properties.EventPattern).replaceAll(
        JSON.stringify({ Ref: lake }),
        '"the-lake"',
      ),
    ) as Pattern;
    expect(matches(pattern, deletedEvent('the-lake', deletionType, reason))).toBe(expected);
    expect(matches(pattern, deletedEvent('another-bucket', deletionType, reason))).toBe(false);
  });

  // Why a lifecycle marker always alarms: none of the stack's own rules expires a current version.
  it('holds no lifecycle rule of the lake that creates delete markers', () => {
    const rules = template.toJSON().Resources[lake].Properties.LifecycleConfiguration.Rules as object[];
    expect(rules.length).toBeGreaterThan(0);
    for (const lifecycle of rules) {
      expect(lifecycle).not.toHaveProperty('ExpirationInDays');
      expect(lifecycle).not.toHaveProperty('ExpirationDate');
    }
  });

  // One SNS message per object flooded the alarm topic on a recursive delete: the record goes to
  // a log group, the topic gets one alarm.
  it('writes each matched event, whole, to its own log group, kept as the other log groups', () => {
    const properties = template.toJSON().Resources[rule].Properties;
    expect(properties.Targets).toHaveLength(1);
    const target = properties.Targets[0];
    expect(JSON.stringify(target.Arn)).toContain(`"Ref":"${logGroup}"`);
    expect(target.Arn).not.toEqual({ Ref: topic });
    expect(target).not.toHaveProperty('Input');
    expect(target).not.toHaveProperty('InputTransformer');
    expect(target).not.toHaveProperty('RoleArn');
    // EventBridge's default retries a failed write for 24 hours: the NotRecorded alarm came that late.
    expect(target.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 185 });
    const group = template.toJSON().Resources[logGroup];
    expect(group.Properties.RetentionInDays).toBe(365);
    expect(group.DeletionPolicy).toBe('Retain');
  });

  it('lets EventBridge write to that log group only, with no custom resource or function', () => {
    const policies = Object.values(template.findResources('AWS::Logs::ResourcePolicy'));
    expect(policies).toHaveLength(1);
    expect(JSON.stringify(policies[0]?.Properties.PolicyDocument)).toContain(logGroup);
    expect(JSON.stringify(policies[0]?.Properties.PolicyDocument)).toContain('events.amazonaws.com');
    expect(JSON.stringify(policies[0]?.Properties.PolicyDocument)).toContain('logs:PutLogEvents');
    template.resourceCountIs('Custom::CloudwatchLogResourcePolicy', 0);
    template.resourceCountIs('AWS::Lambda::Function', 0);
    // Review R-SECURITY L2: only this account's rules write the events (the stream needs no condition).
    const statements = logPolicyStatements(policies[0]?.Properties.PolicyDocument);
    expect(statements).toEqual([
      expect.objectContaining({ Action: 'logs:CreateLogStream' }),
      expect.objectContaining({
        Action: 'logs:PutLogEvents',
        Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:events:eu-west-1:123456789012:rule/*' } },
      }),
    ]);
    expect(statements[0]).not.toHaveProperty('Condition');
    // Written before the rule, so no deletion right after the deploy is refused.
    expect(template.toJSON().Resources[rule].DependsOn).toEqual(
      expect.arrayContaining([expect.stringMatching(/^LakeDeletionsLogPolicy/)]),
    );
    // No grant to publish to the topic any more: only the alarms do.
    template.resourceCountIs('AWS::SNS::TopicPolicy', 0);
  });

  it('alarms once on the topic when the rule matches, and when it cannot log a match', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    const byMetric = (name: string) => alarms.find((a) => a.MetricName === name);
    for (const metricName of ['TriggeredRules', 'FailedInvocations']) {
      expect(byMetric(metricName), metricName).toMatchObject({
        Namespace: 'AWS/Events',
        Dimensions: [{ Name: 'RuleName', Value: { Ref: rule } }],
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: topic }],
        OKActions: [{ Ref: topic }],
      });
    }
    expect(alarms).toHaveLength(2);
  });

  it('logs the app’s deletions and alarms to the stack’s alarm topic', () => {
    const { template: app } = sharedSynth();
    const alarmTopic = logicalIdOf(app, 'AWS::SNS::Topic', '/Monitoring/Alarms/');
    const appRule = logicalIdOf(app, 'AWS::Events::Rule', '/LakeDeletions/Rule/');
    const appLog = logicalIdOf(app, 'AWS::Logs::LogGroup', '/LakeDeletions/');
    expect(JSON.stringify(app.toJSON().Resources[appRule].Properties.Targets[0].Arn)).toContain(appLog);
    const alarms = Object.values(app.findResources('AWS::CloudWatch::Alarm')).filter(
      (a) => a.Properties.Namespace === 'AWS/Events',
    );
    expect(alarms.map((a) => a.Properties.AlarmActions)).toEqual([
      [{ Ref: alarmTopic }],
      [{ Ref: alarmTopic }],
    ]);
    expect(app.toJSON().Outputs.LakeDeletionsLogGroup.Value).toEqual({ Ref: appLog });
    // Both on the dashboard, in a widget of their own.
    const body = JSON.stringify(
      Object.values(app.findResources('AWS::CloudWatch::Dashboard'))[0]?.Properties,
    );
    expect(body).toContain('Lake deletions');
    for (const alarm of ['DeletionsAlarm', 'NotRecordedAlarm'])
      expect(body).toContain(logicalIdOf(app, 'AWS::CloudWatch::Alarm', `/LakeDeletions/${alarm}/`));
  });
});

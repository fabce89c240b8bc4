import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { ALERT_METRICS } from '../../functions/core/alerts/alert-metrics.ts';
import { INGEST_METRICS } from '../../functions/core/ingest/ingest-metrics.ts';
import { REPORT_METRICS } from '../../functions/core/report/report-metrics.ts';
import { HANDLER_METRICS, METRIC_NAMESPACE, SERVICE_NAME } from '../../functions/shared/telemetry.ts';
import { longestRunEndGapMinutes } from '../../infra/config/run-gaps.ts';
import { Monitoring } from '../../infra/constructs/monitoring.ts';
import {
  configWith,
  dashboardGraphs,
  INSTANCE_ALARMS,
  logicalIdOf,
  newTestApp,
  SHIPPED_CONFIG,
  synthStack,
  TEST_ENV,
} from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

const { template } = synthStack({
  instances: [{ name: 'acme' }, { name: 'beta' }],
  alarms: { email: 'ops@acme-co.com', lagHours: 4, noSuccessfulRunHours: 8 },
});
const topicRef = { Ref: logicalIdOf(template, 'AWS::SNS::Topic', '/Monitoring/Alarms/') };
const queueId = logicalIdOf(template, 'AWS::SQS::Queue', '/FailedInvocations/');
const functionId = (instance: string) =>
  logicalIdOf(template, 'AWS::Lambda::Function', `/Ingest-${instance}/Ingest/Function/`);
const dimensions = (instance: string) => [
  { Name: 'instance', Value: instance },
  { Name: 'service', Value: SERVICE_NAME },
  { Name: 'stack', Value: 'Test' },
];

/** One of an alarm's `Metrics` as the template holds it. */
interface MetricDataQuery {
  MetricStat?: { Metric: { Namespace: string; MetricName: string } };
  Expression?: string;
}

/** The project's metrics a query reads: its metric's, or those a Metrics Insights SELECT names. */
const metricsOf = (query: MetricDataQuery): string[] => {
  const metric = query.MetricStat?.Metric;
  if (metric) return metric.Namespace === METRIC_NAMESPACE ? [metric.MetricName] : [];
  const select = /SELECT\s+\w+\((\w+)\)\s+FROM\s+SCHEMA\(\W?DomoActivityLake/i.exec(query.Expression ?? '');
  return select?.[1] ? [select[1]] : [];
};

describe('monitoring', () => {
  it('sends every alarm and its recovery to the topic, which mails the configured address', () => {
    template.allResourcesProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: [topicRef],
      OKActions: [topicRef],
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@acme-co.com',
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
      Statistic: 'Minimum',
      Threshold: 4 * 3600,
      ComparisonOperator: 'GreaterThanThreshold',
      // The shipped schedule (every 15 minutes, runs of up to 10) reports at least every 25 minutes.
      Period: 1800,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      // Runs that fail before planning, or do not run, publish no lag: silence is a lake standing still.
      TreatMissingData: 'breaching',
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
          `^The ingest stored events without geo columns .*docs/operations\\.md "<instance>-EventsUnplaced: events stored without geo columns"`,
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
        ...['acme', 'beta'].flatMap((instance) => INSTANCE_ALARMS.map((name) => `Test-${instance}-${name}`)),
        'Test-FailedInvocations',
        'Test-ScheduledInvocationsLost',
        'Test-LateEventsNearLookback',
        'Test-NoProgress',
        'Test-TwinHours',
        'Test-ShapeChangedHours',
        'Test-Reshaped',
        'Test-LakeDeletions',
        'Test-LakeDeletionsNotRecorded',
        'Test-AthenaDailyScan',
      ].sort(),
    );
  });

  it('lets CloudWatch alarms of this account, and only those, publish to the alarm topic', () => {
    // The topic policy replaces SNS's default one: without this statement every alarm action fails.
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [topicRef],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'CloudWatchAlarmsPublish',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: topicRef,
            Condition: {
              StringEquals: { 'aws:SourceAccount': TEST_ENV.account },
              ArnLike: {
                'aws:SourceArn': `arn:aws:cloudwatch:${TEST_ENV.region}:${TEST_ENV.account}:alarm:*`,
              },
            },
          },
        ]),
      },
    });
  });

  it('alarms on each new message in the failure queue, not only the first', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'NumberOfMessagesSent',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    // Six per instance (INSTANCE_ALARMS), FailedInvocations, ScheduledInvocationsLost, LateEventsNearLookback,
    // NoProgress, TwinHours, ShapeChangedHours and Reshaped (one each for all instances), the lake
    // deletions' two and AthenaDailyScan.
    template.resourceCountIs(
      'AWS::CloudWatch::Alarm',
      2 * INSTANCE_ALARMS.length + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 2 + 1,
    );
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
      'Throttles',
      INGEST_METRICS.eventsUnplaced,
      INGEST_METRICS.laterPullsDone,
      INGEST_METRICS.laterPullsGivenUp,
    ]) {
      expect(body).toContain(text);
    }
  });

  it('shows and alarms on only metrics the functions count, by the names they count them under', () => {
    // A counter renamed in the code but not in a widget or an alarm would leave it empty for good.
    const counted = new Set<string>([
      ...Object.values(INGEST_METRICS),
      ...Object.values(HANDLER_METRICS),
      ...Object.values(REPORT_METRICS),
      ...Object.values(ALERT_METRICS),
    ]);
    const shown = dashboardGraphs(template)
      .flatMap((graph) => graph.metrics)
      .filter((line) => line[0] === METRIC_NAMESPACE)
      .map((line) => String(line[1]));
    expect(shown).toContain(INGEST_METRICS.windowsCompleted);
    expect(shown).toContain(INGEST_METRICS.apiRetries);
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    const alarmed = alarms
      .filter((alarm) => alarm.Properties.Namespace === METRIC_NAMESPACE)
      .map((alarm) => String(alarm.Properties.MetricName));
    expect(alarmed.length).toBeGreaterThan(3);
    // Alarms on metric math or a Metrics Insights query name theirs in `Metrics` (review R-FIXES L2).
    const queried = alarms.flatMap((alarm) =>
      ((alarm.Properties.Metrics ?? []) as MetricDataQuery[]).flatMap((query) => metricsOf(query)),
    );
    expect(queried).toContain(INGEST_METRICS.eventsWritten);
    expect(queried).toContain(HANDLER_METRICS.lateEventDelaySeconds);
    alarmed.push(...queried);
    for (const name of [...shown, ...alarmed]) expect(counted, name).toContain(name);
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

/**
 * The lag alarm of a stack holding only the monitoring, for a valid config with this ingest
 * schedule and timeout, and the longest time between two runs' reports the config allows.
 */
function lagAlarmFor(schedule: string, timeoutMinutes: number) {
  const config = configWith({
    ingest: { ...(SHIPPED_CONFIG.ingest as object), schedule, timeoutMinutes },
    alarms: { email: 'ops@acme-co.com', noSuccessfulRunHours: 24 },
  });
  const gapMinutes = longestRunEndGapMinutes(config.ingest);
  const stack = new Stack(newTestApp(), 'Lag', { env: TEST_ENV });
  new Monitoring(stack, 'Monitoring', {
    alarms: config.alarms,
    lagReportGapMinutes: gapMinutes,
    ingest: { settleMinutes: 15, lookbackHours: 2 },
    instances: [{ instanceName: 'acme', fn: lambda.Function.fromFunctionName(stack, 'Fn', 'ingest-acme') }],
    failureQueue: sqs.Queue.fromQueueArn(stack, 'Queue', 'arn:aws:sqs:eu-west-1:123456789012:failed'),
    dashboardName: 'Lag',
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const alarms = Object.values(
    Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm', {
      Properties: { MetricName: HANDLER_METRICS.lagSeconds },
    }),
  );
  expect(alarms).toHaveLength(1);
  const p = alarms[0]?.Properties;
  return {
    gapMinutes,
    windowSeconds: p.Period * p.EvaluationPeriods,
    periods: p.EvaluationPeriods,
    toAlarm: p.DatapointsToAlarm,
    missing: p.TreatMissingData,
  };
}

describe('the lag alarm', () => {
  it.each([
    ['rate(15 minutes)', 10, 25],
    ['rate(1 hour)', 10, 70],
    ['rate(50 minutes)', 10, 60],
    ['rate(6 hours)', 15, 375],
    ['cron(0/20 6-22 * * ? *)', 5, 7 * 60 + 20 + 5],
  ])(
    "with %s and %i-minute runs, alarms on silence, and only after a window that holds a healthy run's report",
    (schedule, timeoutMinutes, gapMinutes) => {
      const alarm = lagAlarmFor(schedule, timeoutMinutes);
      expect(alarm.gapMinutes).toBe(gapMinutes);
      expect(alarm.missing).toBe('breaching');
      // Every period of the window must breach (or be silent): one report under the threshold keeps it OK.
      expect(alarm.toAlarm).toBe(alarm.periods);
      // The report's gap plus 5 minutes for Scheduler's delivery and the function's start.
      expect(alarm.windowSeconds).toBeGreaterThanOrEqual(Math.max(3600, (gapMinutes + 5) * 60));
    },
  );

  it('stays within the day CloudWatch allows an alarm of 30-minute periods, for the slowest schedule the config allows', () => {
    const alarm = lagAlarmFor('rate(1430 minutes)', 10);
    expect(alarm.gapMinutes).toBe(24 * 60);
    expect(alarm.windowSeconds).toBe(86_400);
  });
});

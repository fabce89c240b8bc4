import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { ALERT_METRICS } from '../../functions/core/alerts/alert-metrics.ts';
import { REPORT_METRICS } from '../../functions/core/report/report-metrics.ts';
import { instanceDimensions, METRIC_NAMESPACE } from '../../functions/shared/telemetry.ts';
import { Monitoring, noAlertsEvaluatedHours } from '../../infra/constructs/monitoring.ts';
import { configWith, logicalIdOf, newTestApp, sharedSynth, synthStack, TEST_ENV } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

/** CloudWatch's cap on an alarm's window (period × evaluation periods) for periods of an hour or more. */
const MAX_ALARM_WINDOW_SECONDS = 7 * 86_400;

/** A stack holding only the monitoring of one instance, with the given report and alerts. */
function monitoringOnly(
  extra: {
    report?: {
      instances: string[];
      timeZone: string;
      schedule: string;
      fromYear: number;
      timeoutMinutes: number;
    };
    alertsInstances?: string[];
  },
  noSuccessfulRunHours = 6,
) {
  const config = configWith({ alarms: { email: 'ops@acme-co.com', noSuccessfulRunHours } });
  const stack = new Stack(newTestApp(), 'Heartbeat', { env: TEST_ENV });
  const fn = (id: string) => lambda.Function.fromFunctionName(stack, id, id);
  new Monitoring(stack, 'Monitoring', {
    alarms: config.alarms,
    lagReportGapMinutes: 25,
    ingest: { settleMinutes: 15, lookbackHours: 2 },
    instances: [{ instanceName: 'acme', fn: fn('ingest-acme') }],
    failureQueue: sqs.Queue.fromQueueArn(stack, 'Queue', 'arn:aws:sqs:eu-west-1:123456789012:failed'),
    dashboardName: 'Heartbeat',
    removalPolicy: RemovalPolicy.DESTROY,
    ...(extra.report ? { report: { ...extra.report, fn: fn('report') } } : {}),
    ...(extra.alertsInstances ? { alertsInstances: extra.alertsInstances } : {}),
  });
  return Template.fromStack(stack);
}

const REPORT = {
  instances: ['acme'],
  timeZone: 'Europe/Zurich',
  schedule: 'cron(0 7 ? * MON *)',
  fromYear: 2026,
  timeoutMinutes: 5,
};

/** The properties of an AWS::CloudWatch::Alarm these tests read. */
interface Properties {
  AlarmName: string;
  AlarmDescription: string;
  Namespace: string;
  Statistic: string;
  Period: number;
  EvaluationPeriods: number;
  Dimensions: { Name: string; Value: string }[];
  AlarmActions: unknown[];
  OKActions: unknown[];
  EvaluationWindow?: unknown;
}

/** The one alarm on `metricName`, or a failure naming how many there are. */
function alarmOn(template: Template, metricName: string): Properties {
  const alarms = Object.values(
    template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: metricName } }),
  );
  expect(alarms, metricName).toHaveLength(1);
  return alarms[0]?.Properties as Properties;
}

/** The dimensions an alarm watches, as the handler's name → value map. */
const dimensionsOf = (alarm: Properties): Record<string, string> =>
  Object.fromEntries(alarm.Dimensions.map((d) => [d.Name, d.Value]));

describe('the no-report-sent alarm', () => {
  const template = monitoringOnly({ report: REPORT });
  const alarm = alarmOn(template, REPORT_METRICS.sent);

  it('watches the metric the report handler publishes per instance: namespace, name, exact dimensions', () => {
    expect(alarm.Namespace).toBe(METRIC_NAMESPACE);
    // CloudWatch matches only the exact dimension set: Powertools' service plus the instance.
    expect(dimensionsOf(alarm)).toEqual(instanceDimensions('Heartbeat', 'acme'));
    expect(alarm.Statistic).toBe('Sum');
    expect(alarm.AlarmName).toBe('Heartbeat-acme-NoReportSent');
  });

  it('alarms only when none of the last 7 whole days in the report zone had a report mailed', () => {
    expect(alarm).toMatchObject({
      Period: 86_400,
      EvaluationPeriods: 7,
      DatapointsToAlarm: 7,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      // A report that is not mailed publishes nothing: silence is what the alarm is for.
      TreatMissingData: 'breaching',
      // Whole days at midnight where the schedule runs: a report late within its day keeps it OK.
      EvaluationWindow: { WallClockWindow: { Timezone: 'Europe/Zurich' } },
    });
    expect(alarm.Period * alarm.EvaluationPeriods).toBeLessThanOrEqual(MAX_ALARM_WINDOW_SECONDS);
    expect(alarm.AlarmDescription).toMatch(/Expected until the first report after deployment is mailed/);
    expect(alarm.AlarmDescription).toContain(
      'docs/operations.md "<instance>-NoReportSent: no weekly report mailed in 7 whole days"',
    );
  });

  it('notifies the alarm topic, and recovers there too', () => {
    const topic = { Ref: logicalIdOf(template, 'AWS::SNS::Topic', '/Monitoring/Alarms/') };
    expect(alarm.AlarmActions).toEqual([topic]);
    expect(alarm.OKActions).toEqual([topic]);
  });

  it('is not created without the report', () => {
    const none = monitoringOnly({});
    expect(
      none.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: REPORT_METRICS.sent } }),
    ).toEqual({});
  });
});

describe('the no-alerts-evaluated alarm', () => {
  const template = monitoringOnly({ alertsInstances: ['acme'] }, 8);
  const alarm = alarmOn(template, ALERT_METRICS.hoursEvaluated);

  it('watches the metric the alerts handler publishes: namespace, name, exact dimensions', () => {
    expect(alarm.Namespace).toBe(METRIC_NAMESPACE);
    expect(dimensionsOf(alarm)).toEqual(instanceDimensions('Heartbeat', 'acme'));
    expect(alarm.Statistic).toBe('Sum');
    expect(alarm.AlarmName).toBe('Heartbeat-acme-NoAlertsEvaluated');
  });

  it('alarms when no hour was evaluated for two hours more than the ingest is allowed to go without success', () => {
    expect(noAlertsEvaluatedHours(8)).toBe(10);
    expect(alarm).toMatchObject({
      // Hours of one hour each, every one without an evaluation: one window of 10 hours.
      Period: 3600,
      EvaluationPeriods: 10,
      DatapointsToAlarm: 10,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      // A function no longer started publishes nothing.
      TreatMissingData: 'breaching',
    });
    // Longer than the ingest's own window: an ingest that stops alarms as NoSuccessfulRun first.
    const ingest = alarmOn(template, 'RunSucceeded');
    expect(alarm.Period * alarm.EvaluationPeriods).toBeGreaterThan(ingest.Period + 3600);
    expect(alarm.AlarmDescription).toMatch(
      /the instance's NoSuccessfulRun or Lag alarm is in ALARM too, fix that first/,
    );
    expect(alarm.AlarmDescription).toContain(
      'docs/operations.md "<instance>-NoAlertsEvaluated: the alerts evaluated no hour"',
    );
  });

  it('keeps each period within the day CloudWatch allows at the largest noSuccessfulRunHours, the window 26 hours', () => {
    const widest = alarmOn(monitoringOnly({ alertsInstances: ['acme'] }, 24), ALERT_METRICS.hoursEvaluated);
    expect(widest).toMatchObject({ Period: 3600, EvaluationPeriods: 26, DatapointsToAlarm: 26 });
    expect(widest.Period).toBeLessThanOrEqual(86_400);
    expect(widest.Period * widest.EvaluationPeriods).toBe(26 * 3600);
    expect(widest.Period * widest.EvaluationPeriods).toBeLessThanOrEqual(MAX_ALARM_WINDOW_SECONDS);
  });

  it('notifies the alarm topic, and recovers there too', () => {
    const topic = { Ref: logicalIdOf(template, 'AWS::SNS::Topic', '/Monitoring/Alarms/') };
    expect(alarm.AlarmActions).toEqual([topic]);
    expect(alarm.OKActions).toEqual([topic]);
  });
});

describe('the heartbeat alarms in the stack', () => {
  const REPORT_ON = {
    enabled: true,
    timeZone: 'Europe/Zurich',
    sender: 'reports@acme-co.com',
    recipients: ['sec@acme-co.com'],
  };
  const INSTANCES = [{ name: 'acme' }, { name: 'beta' }];

  it('exist per instance, only for what is enabled, and show on the dashboard alarm widget', () => {
    const { template } = synthStack({
      instances: INSTANCES,
      report: REPORT_ON,
      alerts: { enabled: true, allowNoSubscriber: true },
    });
    const names = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) =>
      String(a.Properties.AlarmName),
    );
    const dashboard = JSON.stringify(
      Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]?.Properties.DashboardBody,
    );
    for (const { name } of INSTANCES) {
      for (const alarm of [`${name}-NoReportSent`, `${name}-NoAlertsEvaluated`]) {
        expect(names).toContain(`Test-${alarm}`);
        const id = logicalIdOf(template, 'AWS::CloudWatch::Alarm', `/Monitoring/${alarm}Alarm/`);
        expect(dashboard).toContain(id);
      }
    }
    const report = Object.values(
      template.findResources('AWS::CloudWatch::Alarm', {
        Properties: { AlarmName: 'Test-beta-NoReportSent' },
      }),
    )[0]?.Properties as Properties;
    expect(report.EvaluationWindow).toEqual({ WallClockWindow: { Timezone: 'Europe/Zurich' } });
  });

  it('are absent while the report and the alerts are off', () => {
    const { template } = sharedSynth({ instances: INSTANCES });
    const names = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) =>
      String(a.Properties.AlarmName),
    );
    expect(names.filter((n) => /NoReportSent|NoAlertsEvaluated/.test(n))).toEqual([]);
  });
});

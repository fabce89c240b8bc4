import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { REPORT_METRICS } from '../../functions/core/report/report-metrics.ts';
import { METRIC_NAMESPACE } from '../../functions/shared/telemetry.ts';
import { Monitoring, RUNBOOK } from '../../infra/constructs/monitoring.ts';
import { cfnText, configWith, logicalIdOf, newTestApp, TEST_ENV } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

/** The template of a stack holding only the monitoring, with the weekly report of `instances` or none. */
function monitoringOnly(instances: string[] | undefined): Template {
  const config = configWith({ alarms: { email: 'ops@acme-co.com' } });
  const stack = new Stack(newTestApp(), 'Stuck', { env: TEST_ENV });
  const fn = (name: string) => lambda.Function.fromFunctionName(stack, `Fn-${name}`, name);
  new Monitoring(stack, 'Monitoring', {
    alarms: config.alarms,
    lagReportGapMinutes: 30,
    ingest: { settleMinutes: 15, lookbackHours: 2 },
    instances: [{ instanceName: 'acme', fn: fn('ingest-acme') }],
    failureQueue: sqs.Queue.fromQueueArn(stack, 'Queue', 'arn:aws:sqs:eu-west-1:123456789012:failed'),
    dashboardName: 'Stuck',
    removalPolicy: RemovalPolicy.DESTROY,
    ...(instances
      ? {
          report: {
            fn: fn('report'),
            instances,
            timeZone: 'UTC',
            schedule: 'cron(0 7 ? * MON *)',
            fromYear: 2026,
            timeoutMinutes: 5,
          },
        }
      : {}),
  });
  return Template.fromStack(stack);
}

const stuckAlarms = (template: Template) =>
  Object.values(
    template.findResources('AWS::CloudWatch::Alarm', {
      Properties: { AlarmName: 'Stuck-ReportCorrectionStuck' },
    }),
  ).map((alarm) => alarm.Properties as Record<string, unknown>);

describe('the ReportCorrectionStuck alarm (a correction marker left blocking)', () => {
  const template = monitoringOnly(['acme', 'beta']);

  it("fires on one week's correction blocked by its marker, any instance of the stack's", () => {
    const alarms = stuckAlarms(template);
    // One for the stack, not one an instance: the largest config has no resource to spare.
    expect(alarms).toHaveLength(1);
    const alarm = alarms[0] as Record<string, unknown>;
    expect(alarm).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      // Sent only by a run that found a marker blocking: no data is the healthy state.
      TreatMissingData: 'notBreaching',
    });
    expect(alarm.Metrics).toEqual([
      expect.objectContaining({
        Expression: `SELECT SUM(${REPORT_METRICS.correctionStuck}) FROM SCHEMA(${METRIC_NAMESPACE}, instance, service, stack) WHERE stack = 'Stuck'`,
        Period: 3600,
      }),
    ]);
    const topic = { Ref: logicalIdOf(template, 'AWS::SNS::Topic', '/Monitoring/Alarms/') };
    expect(alarm.AlarmActions).toEqual([topic]);
    expect(alarm.OKActions).toEqual([topic]);
  });

  it('names its runbook section and what to do with the marker', () => {
    const description = String(stuckAlarms(template)[0]?.AlarmDescription);
    expect(description).toContain(`docs/operations.md "${RUNBOOK.reportCorrectionStuck}"`);
    expect(description).toContain('check the inbox, and if it did not arrive remove the marker');
  });

  it("is in the dashboard's alarm status row, and its metric graphed per instance", () => {
    const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    const body = cfnText(dashboard?.Properties.DashboardBody);
    const id = Object.keys(
      template.findResources('AWS::CloudWatch::Alarm', {
        Properties: { AlarmName: 'Stuck-ReportCorrectionStuck' },
      }),
    )[0];
    const widgets = (JSON.parse(body) as { widgets: { type: string; properties: Record<string, unknown> }[] })
      .widgets;
    const listed = widgets
      .filter((w) => w.type === 'alarm')
      .flatMap((w) => (w.properties.alarms as string[] | undefined) ?? []);
    expect(listed).toContain(`{${id}.Arn}`);
    const graphed = widgets
      .filter((w) => w.type === 'metric')
      .flatMap((w) => (w.properties.metrics as unknown[][] | undefined) ?? []);
    const stuckLines = graphed.filter((line) => line.includes(REPORT_METRICS.correctionStuck));
    // Written once with its dimensions, then each instance's line repeats only what differs.
    expect(JSON.stringify(graphed)).toContain('acme corrections blocked');
    expect(JSON.stringify(graphed)).toContain('beta corrections blocked');
    expect(stuckLines.length).toBeGreaterThan(0);
  });

  it('is not made without the weekly report', () => {
    expect(stuckAlarms(monitoringOnly(undefined))).toEqual([]);
  });
});

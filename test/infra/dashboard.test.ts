import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { ALERT_METRICS } from '../../functions/core/alerts/alert-metrics.ts';
import { HANDLER_METRICS } from '../../functions/shared/telemetry.ts';
import { Monitoring } from '../../infra/constructs/monitoring.ts';
import {
  cfnText,
  configWith,
  dashboardGraphs,
  EVERY_FEATURE,
  logicalIdOf,
  newTestApp,
  sharedSynth,
  TEST_ENV,
} from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

interface BodyWidget {
  type: string;
  x: number;
  y: number;
  properties: {
    title?: string;
    alarms?: string[];
    metrics?: unknown[][];
    stat?: string;
    period?: number;
    annotations?: { horizontal?: { value: number; label?: string }[] };
  };
}

/** The widgets of the only dashboard of `template`, references as `{LogicalId.Attr}`. */
function widgetsOf(template: Template): BodyWidget[] {
  const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  return (JSON.parse(cfnText(dashboard?.Properties.DashboardBody)) as { widgets: BodyWidget[] }).widgets;
}

/**
 * The smallest stack with a dashboard: the monitoring alone, one instance, with alarms another
 * construct shows after it was built (as the stack shows the lake deletions' and the alerts').
 */
function monitoringOnly(): BodyWidget[] {
  const config = configWith({ alarms: { email: 'ops@acme-co.com', lagHours: 4 } });
  const stack = new Stack(newTestApp(), 'Dash', { env: TEST_ENV });
  const monitoring = new Monitoring(stack, 'Monitoring', {
    alarms: config.alarms,
    lagReportGapMinutes: 25,
    ingest: { settleMinutes: 15, lookbackHours: 2 },
    instances: [{ instanceName: 'acme', fn: lambda.Function.fromFunctionName(stack, 'Fn', 'ingest-acme') }],
    failureQueue: sqs.Queue.fromQueueArn(stack, 'Queue', 'arn:aws:sqs:eu-west-1:123456789012:failed'),
    dashboardName: 'Dash',
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const later = new cloudwatch.Alarm(stack, 'Later', {
    metric: new cloudwatch.Metric({ namespace: 'Other', metricName: 'Thing' }),
    threshold: 1,
    evaluationPeriods: 1,
  });
  monitoring.showAlarms('Shown later', [later]);
  return widgetsOf(Template.fromStack(stack));
}

describe('the dashboard', () => {
  it('lists every alarm of the stack in an alarm status widget, the security alerts too', () => {
    const { template } = sharedSynth(EVERY_FEATURE);
    const listed = new Set(
      widgetsOf(template)
        .filter((widget) => widget.type === 'alarm')
        .flatMap((widget) => widget.properties.alarms ?? []),
    );
    const alarms = Object.keys(template.findResources('AWS::CloudWatch::Alarm'));
    // The alerts' three are among them (review R-SRE M1).
    expect(alarms.filter((id) => id.startsWith('Alerts'))).toHaveLength(3);
    for (const id of alarms) expect([...listed], id).toContain(`{${id}.Arn}`);
  });

  it("graphs the security alerts' hours evaluated and their function's invocations and errors", () => {
    const { template } = sharedSynth(EVERY_FEATURE);
    const fn = logicalIdOf(template, 'AWS::Lambda::Function', '/Alerts/Alerts-acme/Function/');
    const graph = dashboardGraphs(template).find((g) => g.title.startsWith('Security alerts'));
    const drawn = (graph?.metrics ?? []).map((line) => line.slice(0, 4).join(' '));
    expect(drawn).toEqual(
      expect.arrayContaining([
        expect.stringContaining(ALERT_METRICS.hoursEvaluated),
        `AWS/Lambda Invocations FunctionName {${fn}}`,
        `AWS/Lambda Errors FunctionName {${fn}}`,
      ]),
    );
  });

  it('shows the alarm status widgets above every graph, those shown later too', () => {
    const widgets = monitoringOnly();
    const statuses = widgets.filter((widget) => widget.type === 'alarm');
    expect(statuses.map((widget) => widget.properties.title)).toEqual(['Alarms', 'Shown later']);
    // Side by side, two to a row of the grid's 24 columns.
    expect(statuses.map(({ x, y }) => [x, y])).toEqual([
      [0, 0],
      [12, 0],
    ]);
    const lowestStatus = Math.max(...statuses.map((widget) => widget.y));
    const others = widgets.filter((widget) => widget.type !== 'alarm');
    expect(others.length).toBeGreaterThan(0);
    for (const widget of others) expect(widget.y, widget.properties.title).toBeGreaterThan(lowestStatus);
  });

  it("draws the lag as the Lag alarm reads it, the least of each 30 minutes, with the alarm's threshold", () => {
    const lag = monitoringOnly().find((widget) => widget.properties.title === 'acme: lag (hours)');
    const metric = lag?.properties.metrics?.find((line) => line.includes(HANDLER_METRICS.lagSeconds));
    expect(metric?.at(-1)).toMatchObject({ stat: 'Minimum', period: 1800 });
    expect(lag?.properties.annotations?.horizontal).toEqual([
      expect.objectContaining({ value: 4, label: expect.stringContaining('4 h') }),
    ]);
  });
});

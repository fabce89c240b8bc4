import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { METRIC_NAMESPACE, STACK_DIMENSION, STACK_ENV } from '../../functions/shared/telemetry.ts';
import { expandMetricLines, type MetricLine } from '../../infra/constructs/compact-graph-widget.ts';
import { Monitoring } from '../../infra/constructs/monitoring.ts';
import { cfnText, configWith, logicalIdOf, newTestApp, synthStack, TEST_ENV } from './synth-helpers.ts';

// Two stacks in one account and region, each with the shipped default instance `main`: without
// the stack among the dimensions both alarm on the same metrics, and one stack's successful runs
// keep the other's NoSuccessfulRun, NoReportSent and NoAlertsEvaluated quiet.

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

interface MetricJson {
  Namespace: string;
  MetricName: string;
  Dimensions: { Name: string; Value: string }[];
}

/** The properties of a template resource these tests read (alarms, dashboards, functions). */
interface ResourceJson {
  Type: string;
  Properties: Partial<MetricJson> & {
    AlarmName?: string;
    Metrics?: { MetricStat?: { Metric: MetricJson } }[];
    DashboardBody?: unknown;
  };
}

/** The monitoring of instance `main` alone, with the report and the alerts, in a stack named `stackName`. */
function monitoringOf(stackName: string) {
  const config = configWith();
  const stack = new Stack(newTestApp(), stackName, { env: TEST_ENV });
  const fn = (id: string) => lambda.Function.fromFunctionName(stack, id, id);
  new Monitoring(stack, 'Monitoring', {
    alarms: config.alarms,
    lagReportGapMinutes: 25,
    ingest: { settleMinutes: 15, lookbackHours: 2 },
    instances: [{ instanceName: 'main', fn: fn('ingest-main') }],
    failureQueue: sqs.Queue.fromQueueArn(stack, 'Queue', 'arn:aws:sqs:eu-west-1:123456789012:failed'),
    dashboardName: stackName,
    removalPolicy: RemovalPolicy.DESTROY,
    report: {
      instances: ['main'],
      timeZone: 'UTC',
      schedule: 'cron(0 7 ? * MON *)',
      fromYear: 2026,
      timeoutMinutes: 5,
      fn: fn('report'),
    },
    alertsInstances: ['main'],
  });
  return Template.fromStack(stack).toJSON().Resources as Record<string, ResourceJson>;
}

/** Each custom metric an alarm of `resources` reads (metric math included), as `name` and its dimensions. */
function alarmMetrics(resources: ReturnType<typeof monitoringOf>) {
  const metrics: { alarm: string; name: string; dimensions: Record<string, string> }[] = [];
  for (const { Type, Properties } of Object.values(resources)) {
    if (Type !== 'AWS::CloudWatch::Alarm') continue;
    const stats: Partial<MetricJson>[] = Properties.Metrics
      ? Properties.Metrics.flatMap((query) => (query.MetricStat ? [query.MetricStat.Metric] : []))
      : [Properties];
    for (const stat of stats) {
      if (stat.Namespace !== METRIC_NAMESPACE) continue;
      const dimensions = Object.fromEntries((stat.Dimensions ?? []).map((d) => [d.Name, d.Value]));
      metrics.push({ alarm: Properties.AlarmName ?? '', name: stat.MetricName ?? '', dimensions });
    }
  }
  return metrics;
}

/** The dimensions (name → value) of each custom metric the dashboard of `resources` graphs. */
function dashboardMetrics(resources: ReturnType<typeof monitoringOf>) {
  const dashboard = Object.values(resources).find(({ Type }) => Type === 'AWS::CloudWatch::Dashboard');
  const body = JSON.parse(cfnText(dashboard?.Properties.DashboardBody)) as {
    widgets: { properties: { metrics?: MetricLine[] } }[];
  };
  // Each line as CloudWatch reads it: a "." stands for the value of the line above.
  return body.widgets
    .flatMap((widget) => expandMetricLines(widget.properties.metrics ?? []))
    .filter((metric) => metric[0] === METRIC_NAMESPACE)
    .map((metric) => {
      const pairs = metric.slice(2).filter((part) => typeof part === 'string') as string[];
      return Object.fromEntries(pairs.flatMap((part, i) => (i % 2 === 0 ? [[part, pairs[i + 1]]] : [])));
    });
}

const lakeA = monitoringOf('LakeA');
const lakeB = monitoringOf('LakeB');

describe('two stacks in one account and region', () => {
  it("alarm on different metrics: each stack's own, by its name", () => {
    const [a, b] = [alarmMetrics(lakeA), alarmMetrics(lakeB)];
    // The three silence alarms are among them.
    for (const alarm of ['NoSuccessfulRun', 'NoReportSent', 'NoAlertsEvaluated']) {
      expect(a.map((metric) => metric.alarm)).toContain(`LakeA-main-${alarm}`);
    }
    expect(a.every((metric) => metric.dimensions[STACK_DIMENSION] === 'LakeA')).toBe(true);
    expect(b.every((metric) => metric.dimensions[STACK_DIMENSION] === 'LakeB')).toBe(true);
    const key = (metric: (typeof a)[number]) => JSON.stringify([metric.name, metric.dimensions]);
    const watchedByA = new Set(a.map(key));
    expect(b.filter((metric) => watchedByA.has(key(metric)))).toEqual([]);
  });

  it("graph each stack's own metrics on their dashboards", () => {
    const [a, b] = [dashboardMetrics(lakeA), dashboardMetrics(lakeB)];
    expect(a.length).toBeGreaterThan(0);
    expect(a.every((dimensions) => dimensions[STACK_DIMENSION] === 'LakeA')).toBe(true);
    expect(b.every((dimensions) => dimensions[STACK_DIMENSION] === 'LakeB')).toBe(true);
  });
});

describe('the stack name in the functions’ environment', () => {
  it('is given to every function that publishes metrics: ingest, report and alerts', () => {
    const { stack, template } = synthStack({
      report: { enabled: true, sender: 'reports@acme-co.com', recipients: ['sec@acme-co.com'] },
      alerts: { enabled: true, allowNoSubscriber: true },
    });
    const resources = template.toJSON().Resources;
    for (const path of [
      '/Ingest-main/Ingest/Function/',
      '/WeeklyReport/Report/Function/',
      '/Alerts/Alerts-main/Function/',
    ]) {
      const id = logicalIdOf(template, 'AWS::Lambda::Function', path);
      expect(resources[id].Properties.Environment.Variables[STACK_ENV], path).toBe(stack.stackName);
    }
  });
});

import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { INGEST_METRICS } from '../../functions/core/ingest/ingest-metrics.ts';
import { HANDLER_METRICS, METRIC_NAMESPACE, SERVICE_NAME } from '../../functions/shared/telemetry.ts';
import {
  CompactGraphWidget,
  compactMetricLines,
  expandMetricLines,
  type MetricLine,
  SAME_AS_ABOVE,
} from '../../infra/constructs/compact-graph-widget.ts';
import { cfnText, dashboardGraphs, logicalIdOf, sharedSynth } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

const NS = METRIC_NAMESPACE;
const instanceMetric = (instance: string, name: string, statistic = 'Sum') =>
  new cloudwatch.Metric({
    namespace: NS,
    metricName: name,
    dimensionsMap: { service: SERVICE_NAME, stack: 'Test', instance },
    statistic,
    period: Duration.minutes(15),
  });
const dims = (instance: string) => ['instance', instance, 'service', SERVICE_NAME, 'stack', 'Test'];

describe('metric lines written compactly', () => {
  const lambdaErrors = new cloudwatch.Metric({
    namespace: 'AWS/Lambda',
    metricName: 'Errors',
    dimensionsMap: { FunctionName: 'fn' },
    statistic: 'Sum',
  });
  const graphed = [
    { metric: instanceMetric('acme', 'EventsWritten'), axis: 'left' as const },
    { metric: instanceMetric('acme', 'WindowsCompleted'), axis: 'right' as const },
    { metric: instanceMetric('beta', 'LateEventDelaySeconds', 'Maximum'), axis: 'left' as const },
    { metric: lambdaErrors.with({ label: 'errors' }), axis: 'right' as const },
  ];
  const defaults = { periodSeconds: 900, statistic: 'Sum' };
  const lines = compactMetricLines(graphed, defaults);

  it("write each value the line above has at the same place as '.', and only what differs from the graph's period and statistic", () => {
    expect(lines).toEqual([
      [NS, 'EventsWritten', ...dims('acme')],
      ['.', 'WindowsCompleted', '.', '.', '.', '.', '.', '.', { yAxis: 'right' }],
      ['.', 'LateEventDelaySeconds', '.', 'beta', '.', '.', '.', '.', { stat: 'Maximum' }],
      ['AWS/Lambda', 'Errors', 'FunctionName', 'fn', { label: 'errors', period: 300, yAxis: 'right' }],
    ]);
  });

  it('read back, are the lines in full', () => {
    expect(expandMetricLines(lines)).toEqual([
      [NS, 'EventsWritten', ...dims('acme')],
      [NS, 'WindowsCompleted', ...dims('acme'), { yAxis: 'right' }],
      [NS, 'LateEventDelaySeconds', ...dims('beta'), { stat: 'Maximum' }],
      ['AWS/Lambda', 'Errors', 'FunctionName', 'fn', { label: 'errors', period: 300, yAxis: 'right' }],
    ]);
  });
});

describe('a metric the compact line cannot write', () => {
  const base = instanceMetric('acme', 'EventsWritten');
  const graph = (metric: cloudwatch.Metric) =>
    new CompactGraphWidget({
      title: 'Events',
      left: [base],
      right: [metric],
      period: Duration.minutes(15),
      statistic: 'Sum',
    });

  it.each([
    ['unit', { unit: cloudwatch.Unit.COUNT }],
    ['color', { color: '#ff0000' }],
    ['account', { account: '210987654321' }],
    ['region', { region: 'us-east-1' }],
  ])('is refused at synth when it sets its %s, which the line would drop', (option, props) => {
    expect(() => graph(base.with(props))).toThrow(
      new RegExp(
        `CompactGraphWidget "Events": ${NS}/EventsWritten sets ${option}, which its compact metric line does not write`,
      ),
    );
  });

  it('is drawn with its label, period and statistic, which the line writes', () => {
    expect(() =>
      graph(base.with({ label: 'events', period: Duration.hours(1), statistic: 'Maximum' })),
    ).not.toThrow();
  });
});

describe("the stack's dashboard", () => {
  const { template } = sharedSynth({ instances: [{ name: 'acme' }, { name: 'beta' }] });
  const graphs = dashboardGraphs(template);
  const graph = (title: string) => {
    const found = graphs.find((g) => g.title === title);
    if (!found) throw new Error(`no graph "${title}"`);
    return found;
  };

  it('graphs the same metrics of each instance, with the same period and statistic', () => {
    const fn = logicalIdOf(template, 'AWS::Lambda::Function', '/Ingest-beta/Ingest/Function/');
    expect(graph('beta: events and windows')).toEqual({
      title: 'beta: events and windows',
      period: 900,
      stat: 'Sum',
      metrics: [
        [NS, INGEST_METRICS.eventsWritten, ...dims('beta')],
        ...[
          INGEST_METRICS.windowsCompleted,
          INGEST_METRICS.windowsFailed,
          INGEST_METRICS.laterPullsDone,
          INGEST_METRICS.laterPullsGivenUp,
        ].map((name) => [NS, name, ...dims('beta'), { yAxis: 'right' }]),
      ],
    });
    expect(graph('beta: data quality').metrics).toEqual([
      ...[
        INGEST_METRICS.lateEvents,
        INGEST_METRICS.quarantined,
        INGEST_METRICS.outOfWindow,
        INGEST_METRICS.eventsUnplaced,
      ].map((name) => [NS, name, ...dims('beta')]),
      [NS, HANDLER_METRICS.lateEventDelaySeconds, ...dims('beta'), { stat: 'Maximum', yAxis: 'right' }],
    ]);
    // Lambda's own metrics keep their 5-minute period.
    expect(graph('beta: Domo API and function').metrics).toEqual([
      [NS, INGEST_METRICS.apiRequests, ...dims('beta')],
      [NS, INGEST_METRICS.apiRetries, ...dims('beta')],
      ...['Errors', 'Throttles'].map((name) => [
        'AWS/Lambda',
        name,
        'FunctionName',
        `{${fn}}`,
        { period: 300, yAxis: 'right' },
      ]),
    ]);
  });

  it("writes no value of a metric line again that the line above has at the same place (the template's bytes)", () => {
    const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    const body = JSON.parse(cfnText(dashboard?.Properties.DashboardBody)) as {
      widgets: { properties: { metrics?: MetricLine[] } }[];
    };
    let compared = 0;
    for (const { properties } of body.widgets) {
      const lines = properties.metrics ?? [];
      lines.forEach((line, i) => {
        const above = lines[i - 1];
        // A line after an expression has nothing above to repeat.
        if (!above || typeof above[0] !== 'string') return;
        line.forEach((value, at) => {
          if (typeof value !== 'string' || value === SAME_AS_ABOVE) return;
          expect(value, JSON.stringify(line)).not.toBe(expandMetricLines(lines.slice(0, i))[i - 1]?.[at]);
          compared++;
        });
      });
    }
    expect(compared).toBeGreaterThan(0);
  });
});

import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { INGEST_METRICS } from '../../functions/core/ingest/ingest-metrics.ts';
import { instanceDimensions, METRIC_NAMESPACE } from '../../functions/shared/telemetry.ts';
import { longestRunEndGapMinutes } from '../../infra/config/run-gaps.ts';
import { Monitoring } from '../../infra/constructs/monitoring.ts';
import { configWith, logicalIdOf, newTestApp, SHIPPED_CONFIG, TEST_ENV } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

/** One entry of an alarm's `Metrics` (metric math): a metric it reads, or the expression it watches. */
interface MetricQuery {
  Id: string;
  Expression?: string;
  ReturnData?: boolean;
  MetricStat?: {
    Metric: { Namespace: string; MetricName: string; Dimensions: { Name: string; Value: string }[] };
    Period: number;
    Stat: string;
  };
}

interface QuarantineAlarm {
  AlarmName: string;
  AlarmDescription: string;
  Metrics: MetricQuery[];
  Threshold: number;
  ComparisonOperator: string;
  EvaluationPeriods: number;
  DatapointsToAlarm?: number;
  TreatMissingData: string;
  AlarmActions: unknown[];
  OKActions: unknown[];
}

/**
 * The Quarantine alarm of a stack holding only the monitoring of instance `acme`, for a valid
 * config with this ingest schedule and timeout (as the stack passes them: the longest gap between
 * two runs' reports).
 */
function quarantineAlarmFor(schedule = 'rate(15 minutes)', timeoutMinutes = 10) {
  const config = configWith({
    ingest: { ...(SHIPPED_CONFIG.ingest as object), schedule, timeoutMinutes },
    alarms: { email: 'ops@acme-co.com', noSuccessfulRunHours: 24 },
  });
  const gapMinutes = longestRunEndGapMinutes(config.ingest);
  const stack = new Stack(newTestApp(), 'Quarantine', { env: TEST_ENV });
  new Monitoring(stack, 'Monitoring', {
    alarms: config.alarms,
    lagReportGapMinutes: gapMinutes,
    ingest: { settleMinutes: 15, lookbackHours: 2 },
    instances: [{ instanceName: 'acme', fn: lambda.Function.fromFunctionName(stack, 'Fn', 'ingest-acme') }],
    failureQueue: sqs.Queue.fromQueueArn(stack, 'Queue', 'arn:aws:sqs:eu-west-1:123456789012:failed'),
    dashboardName: 'Quarantine',
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const template = Template.fromStack(stack);
  const alarms = Object.values(
    template.findResources('AWS::CloudWatch::Alarm', {
      Properties: { AlarmName: 'Quarantine-acme-Quarantine' },
    }),
  );
  expect(alarms).toHaveLength(1);
  return { gapMinutes, template, alarm: alarms[0]?.Properties as QuarantineAlarm };
}

/** The metric a query reads, by metric name. */
const readOf = (alarm: QuarantineAlarm, metricName: string): MetricQuery => {
  const found = alarm.Metrics.filter((m) => m.MetricStat?.Metric.MetricName === metricName);
  expect(found, metricName).toHaveLength(1);
  return found[0] as MetricQuery;
};

/**
 * Whether the alarm fires for one window's sums: its expression evaluated as CloudWatch does
 * (IF takes one branch per data point; a sum of no data point reads 0 in arithmetic), compared
 * with its threshold. The expression is the template's own text, its ids bound to the sums.
 */
function fires(alarm: QuarantineAlarm, sums: { quarantined: number; written: number }): boolean {
  const watched = alarm.Metrics.find((m) => m.ReturnData !== false);
  const ids = alarm.Metrics.filter((m) => m.MetricStat).map((m) => m.Id);
  const sumOf = (id: string): number => {
    const name = alarm.Metrics.find((m) => m.Id === id)?.MetricStat?.Metric.MetricName;
    if (name === INGEST_METRICS.quarantined) return sums.quarantined;
    if (name === INGEST_METRICS.eventsWritten) return sums.written;
    throw new Error(`the alarm reads an unexpected metric ${name}`);
  };
  // A test-only evaluator of the synthesized expression: its text is the template's, not input.
  const evaluate = new Function('IF', 'FILL', ...ids, `return ${watched?.Expression};`) as (
    ...args: unknown[]
  ) => number;
  const value = evaluate(
    (condition: boolean | number, whenTrue: number, whenFalse: number) => (condition ? whenTrue : whenFalse),
    (sum: number, fill: number) => sum ?? fill,
    ...ids.map(sumOf),
  );
  expect(Number.isFinite(value)).toBe(true);
  expect(alarm.ComparisonOperator).toBe('GreaterThanThreshold');
  return value > alarm.Threshold;
}

describe('the Quarantine alarm', () => {
  const { alarm, template } = quarantineAlarmFor();

  it('reads the counts the ingest publishes per instance: namespace, names, exact dimensions, sums', () => {
    expect(alarm.AlarmName).toBe('Quarantine-acme-Quarantine');
    for (const name of [INGEST_METRICS.quarantined, INGEST_METRICS.eventsWritten]) {
      const { MetricStat } = readOf(alarm, name);
      expect(MetricStat?.Metric.Namespace).toBe(METRIC_NAMESPACE);
      // CloudWatch matches only the exact dimension set: Powertools' service plus the instance.
      expect(Object.fromEntries(MetricStat?.Metric.Dimensions.map((d) => [d.Name, d.Value]) ?? [])).toEqual(
        instanceDimensions('Quarantine', 'acme'),
      );
      expect(MetricStat?.Stat).toBe('Sum');
      // The shipped schedule (every 15 minutes, runs of up to 10) fits many runs in 3 hours.
      expect(MetricStat?.Period).toBe(3 * 3600);
    }
    expect(INGEST_METRICS).toMatchObject({ quarantined: 'Quarantined', eventsWritten: 'EventsWritten' });
  });

  it('fires on a window of at least 20 new entries quarantined and more than 5 % of all read', () => {
    expect(alarm).toMatchObject({ Threshold: 0.05, EvaluationPeriods: 1 });
    // An ingest read in the wrong zone (review stop 47): 276 quarantined, none written.
    expect(fires(alarm, { quarantined: 276, written: 0 })).toBe(true);
    expect(fires(alarm, { quarantined: 20, written: 0 })).toBe(true);
    expect(fires(alarm, { quarantined: 600, written: 550 })).toBe(true);
    expect(fires(alarm, { quarantined: 500, written: 500 })).toBe(true);
    // Domo changed only the logins' entries (review stop 90): 10 % of what a run reads.
    expect(fires(alarm, { quarantined: 500, written: 4500 })).toBe(true);
    expect(fires(alarm, { quarantined: 60, written: 940 })).toBe(true);
  });

  it('stays OK for a quiet instance, a few hostile entries among many good ones, and an odd entry a day', () => {
    expect(fires(alarm, { quarantined: 0, written: 0 })).toBe(false);
    expect(fires(alarm, { quarantined: 0, written: 5000 })).toBe(false);
    expect(fires(alarm, { quarantined: 25, written: 5000 })).toBe(false);
    expect(fires(alarm, { quarantined: 50, written: 1000 })).toBe(false);
    expect(fires(alarm, { quarantined: 1, written: 10 })).toBe(false);
    // Few entries, most of them broken: quarantined and shown by status, not worth an alarm.
    expect(fires(alarm, { quarantined: 19, written: 0 })).toBe(false);
    expect(fires(alarm, { quarantined: 5, written: 1 })).toBe(false);
  });

  it('reads a window without any run as OK, and names its runbook section', () => {
    // No run, no data point: neither a quiet instance nor a stopped ingest (NoSuccessfulRun's) alarms here.
    expect(alarm.TreatMissingData).toBe('notBreaching');
    expect(alarm.AlarmDescription).toMatch(
      /docs\/operations\.md "<instance>-Quarantine: a share of new entries is quarantined"\.$/,
    );
    expect(alarm.AlarmDescription).toMatch(/docTimeZone/);
  });

  it('notifies the alarm topic, and recovers there too', () => {
    const topic = { Ref: logicalIdOf(template, 'AWS::SNS::Topic', '/Monitoring/Alarms/') };
    expect(alarm.AlarmActions).toEqual([topic]);
    expect(alarm.OKActions).toEqual([topic]);
  });

  it.each([
    ['rate(1 hour)', 10, 3],
    ['rate(6 hours)', 15, 7],
    ['rate(1430 minutes)', 10, 24],
  ])(
    'with %s and %i-minute runs, holds a run in every window (%i h), within the day CloudWatch allows',
    (schedule, timeoutMinutes, hours) => {
      const { alarm: slow, gapMinutes } = quarantineAlarmFor(schedule, timeoutMinutes);
      const period = readOf(slow, INGEST_METRICS.quarantined).MetricStat?.Period ?? 0;
      expect(period).toBe(hours * 3600);
      expect(readOf(slow, INGEST_METRICS.eventsWritten).MetricStat?.Period).toBe(period);
      // A window shorter than the runs' gap would read OK between two runs that quarantine all.
      expect(period === 86_400 || period >= (gapMinutes + 5) * 60).toBe(true);
      expect(period).toBeLessThanOrEqual(86_400);
    },
  );
});

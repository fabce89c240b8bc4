import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { INGEST_METRICS, USUALLY_ZERO_INGEST_METRICS } from '../../functions/core/ingest/ingest-metrics.ts';
import { METRIC_NAMESPACE } from '../../functions/shared/telemetry.ts';
import { RUNBOOK } from '../../infra/constructs/monitoring.ts';
import { logicalIdOf, sharedSynth } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

interface StackWideAlarm {
  AlarmDescription: string;
  Metrics: { Expression?: string; Period?: number }[];
  Threshold: number;
  ComparisonOperator: string;
  EvaluationPeriods: number;
  TreatMissingData: string;
  AlarmActions: unknown[];
  OKActions: unknown[];
}

// The ingest publishes both drift signals since e4563160 (review R-DRIFT M1); nobody was paged.
describe('the entry-shape alarms (Domo changed the shape of its entries)', () => {
  const { template } = sharedSynth({ instances: [{ name: 'acme' }, { name: 'beta' }] });
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
  const named = (name: string) =>
    alarms
      .filter((r) => r.Properties.AlarmName === `Test-${name}`)
      .map((r) => r.Properties as StackWideAlarm);
  const topic = { Ref: logicalIdOf(template, 'AWS::SNS::Topic', '/Monitoring/Alarms/') };

  it.each([
    [INGEST_METRICS.shapeChangedHours, RUNBOOK.shapeChangedHours],
    [INGEST_METRICS.reshaped, RUNBOOK.reshaped],
  ])('%s: one alarm for the stack, summing every instance by a Metrics Insights query', (metric, runbook) => {
    const found = named(metric);
    expect(found).toHaveLength(1);
    const [alarm] = found as [StackWideAlarm];
    expect(alarm.Metrics).toHaveLength(1);
    expect(alarm.Metrics[0]).toMatchObject({
      Expression: `SELECT SUM(${metric}) FROM SCHEMA(${METRIC_NAMESPACE}, instance, service, stack) WHERE stack = 'Test'`,
      Period: 3600,
    });
    // Fires on one hour (or entry) of it; the ingest sends it only when not 0, so no data is OK.
    expect(USUALLY_ZERO_INGEST_METRICS.has(metric)).toBe(true);
    expect(alarm).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
    expect(alarm.AlarmActions).toEqual([topic]);
    expect(alarm.OKActions).toEqual([topic]);
    expect(alarm.AlarmDescription.endsWith(`See docs/operations.md "${runbook}".`)).toBe(true);
    // No per-instance copy: the largest stack's 500 resources have no room for one an instance.
    expect(alarms.filter((r) => String(r.Properties.AlarmName).includes(metric))).toHaveLength(1);
  });

  it('reads the metrics by the names the ingest publishes', () => {
    expect([INGEST_METRICS.shapeChangedHours, INGEST_METRICS.reshaped]).toEqual([
      'ShapeChangedHours',
      'Reshaped',
    ]);
  });
});

import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { INGEST_METRICS, USUALLY_ZERO_INGEST_METRICS } from '../../functions/core/ingest/ingest-metrics.ts';
import { METRIC_NAMESPACE } from '../../functions/shared/telemetry.ts';
import { logicalIdOf, sharedSynth } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

interface TwinHoursAlarm {
  AlarmDescription: string;
  Metrics: { Expression?: string; ReturnData?: boolean; Period?: number }[];
  Threshold: number;
  ComparisonOperator: string;
  EvaluationPeriods: number;
  TreatMissingData: string;
  AlarmActions: unknown[];
  OKActions: unknown[];
}

describe('the TwinHours alarm (rows Domo served twice)', () => {
  const { template } = sharedSynth({ instances: [{ name: 'acme' }, { name: 'beta' }] });
  const found = Object.values(
    template.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: 'Test-TwinHours' } }),
  );

  it('is one alarm for the stack, summing every instance of it by a Metrics Insights query', () => {
    expect(found).toHaveLength(1);
    const alarm = found[0]?.Properties as TwinHoursAlarm;
    expect(alarm.Metrics).toHaveLength(1);
    expect(alarm.Metrics[0]).toMatchObject({
      Expression: `SELECT SUM(${INGEST_METRICS.twinHours}) FROM SCHEMA(${METRIC_NAMESPACE}, instance, service, stack) WHERE stack = 'Test'`,
      Period: 3600,
    });
    expect(INGEST_METRICS.twinHours).toBe('TwinHours');
    // No per-instance copy: the largest stack's 500 resources have no room for one an instance.
    const names = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((r) =>
      String(r.Properties.AlarmName),
    );
    expect(names.filter((name) => name.includes('TwinHours'))).toEqual(['Test-TwinHours']);
  });

  it('fires on one hour of twins, reads no data (sent only when not 0) as OK, and pages the topic', () => {
    const alarm = found[0]?.Properties as TwinHoursAlarm;
    expect(alarm).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
    expect(USUALLY_ZERO_INGEST_METRICS.has(INGEST_METRICS.twinHours)).toBe(true);
    const topic = { Ref: logicalIdOf(template, 'AWS::SNS::Topic', '/Monitoring/Alarms/') };
    expect(alarm.AlarmActions).toEqual([topic]);
    expect(alarm.OKActions).toEqual([topic]);
    expect(
      alarm.AlarmDescription.endsWith('See docs/operations.md "TwinHours: Domo served rows twice".'),
    ).toBe(true);
  });
});

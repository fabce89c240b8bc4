import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { HANDLER_METRICS, METRIC_NAMESPACE } from '../../functions/shared/telemetry.ts';
import { RUNBOOK } from '../../infra/constructs/monitoring.ts';
import { synthStack } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

/*
 * R-ALERTSTIME 4: an event Domo serves later than the lookback reaches is never stored, and no
 * alarm said late events were nearing it. LateEventsNearLookback fires once a run found one served,
 * at least, half-way through the reach (settleMinutes + lookbackHours after its hour's end).
 */

interface AlarmProperties {
  AlarmName: string;
  AlarmDescription: string;
  Threshold: number;
  ComparisonOperator: string;
  EvaluationPeriods: number;
  TreatMissingData: string;
  Metrics: { Expression: string; Period: number; ReturnData?: boolean }[];
}

function lateAlarms(overrides: Record<string, unknown>): AlarmProperties[] {
  const { template } = synthStack(overrides);
  return Object.values(template.findResources('AWS::CloudWatch::Alarm'))
    .map((resource) => resource.Properties as AlarmProperties)
    .filter((alarm) => alarm.AlarmName === 'Test-LateEventsNearLookback');
}

describe('the LateEventsNearLookback alarm', () => {
  it('is one for all the instances: the largest delay of any instance of this stack', () => {
    const alarms = lateAlarms({ instances: [{ name: 'acme' }, { name: 'beta' }] });
    expect(alarms).toHaveLength(1);
    const [alarm] = alarms as [AlarmProperties];
    expect(alarm.Metrics).toEqual([
      expect.objectContaining({
        Expression: `SELECT MAX(${HANDLER_METRICS.lateEventDelaySeconds}) FROM SCHEMA(${METRIC_NAMESPACE}, instance, service, stack) WHERE stack = 'Test'`,
        Period: 3600,
      }),
    ]);
    expect(alarm).toMatchObject({
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      // Only runs that found late events publish: no data is the healthy state.
      TreatMissingData: 'notBreaching',
    });
    expect(alarm.AlarmDescription).toContain(`docs/operations.md "${RUNBOOK.lateEventsNearLookback}"`);
    expect(alarm.AlarmDescription).toContain('Raise ingest.lookbackHours');
  });

  it.each([
    // settle, lookback → threshold in seconds: settle + half the lookback.
    [15, 2, (15 + 60) * 60],
    [15, 6, (15 + 180) * 60],
    [60, 3, (60 + 90) * 60],
    [15, 0, 15 * 60],
  ])('fires from settle %i min + half a %i h lookback after the hour ends', (settle, lookback, seconds) => {
    const [alarm] = lateAlarms({
      instances: [{ name: 'acme' }],
      ingest: { settleMinutes: settle, lookbackHours: lookback },
    });
    expect(alarm?.Threshold).toBe(seconds);
    expect(alarm?.AlarmDescription).toContain(`at least ${seconds / 60} min after its hour ended`);
    expect(alarm?.AlarmDescription).toContain(`${settle} min + ${lookback} h`);
  });
});

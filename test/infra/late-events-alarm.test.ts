import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { HANDLER_METRICS, METRIC_NAMESPACE } from '../../functions/shared/telemetry.ts';
import { LATE_EVENTS_ALARM_OMITTED, RUNBOOK } from '../../infra/constructs/monitoring.ts';
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
  return lateAlarmsAndWarnings(overrides).alarms;
}

/** The stack's LateEventsNearLookback alarms, and its synth warnings that the alarm is left out. */
function lateAlarmsAndWarnings(overrides: Record<string, unknown>) {
  const { stack, template } = synthStack(overrides);
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'))
    .map((resource) => resource.Properties as AlarmProperties)
    .filter((alarm) => alarm.AlarmName === 'Test-LateEventsNearLookback');
  const warnings = Annotations.fromStack(stack)
    .findWarning('*', Match.stringLikeRegexp(LATE_EVENTS_ALARM_OMITTED))
    .map((warning) => String(warning.entry.data));
  return { alarms, warnings };
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
    // settle, lookback → threshold in seconds: settle + half the lookback, where only the hour's
    // last pull (settle + (lookback − 1) h) finds an event at 2 h; at 6 h, the 4th re-pull on.
    [15, 2, (15 + 60) * 60],
    [15, 6, (15 + 180) * 60],
    [60, 3, (60 + 90) * 60],
    // Review M2: the only re-pull of a 1-hour lookback, its last, reads settle: half the lookback
    // (settle + 30 min) was never reached, and events served after it were lost unwarned.
    [15, 1, 15 * 60],
  ])('fires from settle %i min + half a %i h lookback after the hour ends', (settle, lookback, seconds) => {
    const { alarms, warnings } = lateAlarmsAndWarnings({
      instances: [{ name: 'acme' }],
      ingest: { settleMinutes: settle, lookbackHours: lookback },
    });
    const [alarm] = alarms;
    expect(warnings).toEqual([]);
    expect(alarm?.Threshold).toBe(seconds);
    expect(alarm?.AlarmDescription).toContain(`at least ${seconds / 60} min after its hour ended`);
    expect(alarm?.AlarmDescription).toContain(`${settle} min + ${lookback} h`);
  });

  // Review M2: with no lookback no hour is pulled again, so the schedule finds no late event; the
  // alarm's texts read "at least 15 min ... 15 min + 0 h" and it could never fire.
  it('is left out with a lookback of 0, with a synth warning saying why and what to set', () => {
    const { alarms, warnings } = lateAlarmsAndWarnings({
      instances: [{ name: 'acme' }],
      ingest: { settleMinutes: 15, lookbackHours: 0 },
    });
    expect(alarms).toEqual([]);
    expect(warnings).toEqual([expect.stringContaining('ingest.lookbackHours is 0: no hour is pulled again')]);
    expect(warnings[0]).toContain('the LateEventsNearLookback alarm is left out');
  });
});

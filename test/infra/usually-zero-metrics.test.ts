import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { USUALLY_ZERO_INGEST_METRICS } from '../../functions/core/ingest/ingest-metrics.ts';
import { sharedSynth } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

interface AlarmProperties {
  AlarmName: string;
  MetricName?: string;
  TreatMissingData?: string;
  Metrics?: { Id: string; Expression?: string; MetricStat?: { Metric: { MetricName: string } } }[];
}

/**
 * Review R-COST LOW-2: the ingest publishes no 0 for its usually-zero counters, so an alarm that
 * reads one sees no data on almost every run: it must take that as not breaching, and an
 * expression must fill it with 0 (a missing point left out of `quarantined / (quarantined +
 * written)` leaves the whole expression without a value).
 */
describe('alarms on the counters the ingest leaves out when 0', () => {
  const { template } = sharedSynth();
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
    (alarm) => alarm.Properties as AlarmProperties,
  );
  const reading = alarms.filter(
    (alarm) =>
      USUALLY_ZERO_INGEST_METRICS.has(alarm.MetricName ?? '') ||
      (alarm.Metrics ?? []).some((m) =>
        USUALLY_ZERO_INGEST_METRICS.has(m.MetricStat?.Metric.MetricName ?? ''),
      ),
  );

  it('treat missing data as not breaching, and fill the counter with 0 in their expressions', () => {
    // The Quarantine alarm of each instance at least.
    expect(reading.map((alarm) => alarm.AlarmName)).toContainEqual(expect.stringMatching(/-Quarantine$/));
    for (const alarm of reading) {
      expect(alarm.TreatMissingData, alarm.AlarmName).toBe('notBreaching');
      const metrics = alarm.Metrics ?? [];
      const ids = metrics
        .filter((m) => USUALLY_ZERO_INGEST_METRICS.has(m.MetricStat?.Metric.MetricName ?? ''))
        .map((m) => m.Id);
      for (const { Expression } of metrics.filter((m) => m.Expression !== undefined)) {
        for (const id of ids) {
          // Every use of the counter is inside FILL(id, 0).
          const bare = (Expression ?? '').replaceAll(`FILL(${id}, 0)`, '');
          expect(new RegExp(`\\b${id}\\b`).test(bare), `${alarm.AlarmName}: ${Expression}`).toBe(false);
        }
      }
    }
  });
});

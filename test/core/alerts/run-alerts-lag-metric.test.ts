/**
 * A long catch-up (a first run over a long lake, alerts that were off) or runs that cannot finish
 * left no trace of how far the alerts were behind the lake: only the hours each run evaluated. Each
 * run now publishes AlertsLagHours, the whole hours from the alerts checkpoint's next hour to the
 * ingest watermark.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ALERT_METRICS } from '../../../functions/core/alerts/alert-metrics.ts';
import { runAlerts } from '../../../functions/core/alerts/run-alerts.ts';
import { readCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { type MetricSink, silentLog } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { type MemoryLake, memoryLake, settings } from './support/alert-fixtures.ts';

const FROM = Date.parse('2026-11-01T00:00:00Z');
const NOW = Date.parse('2026-11-03T10:15:00Z');

let lake: MemoryLake;
beforeAll(async () => {
  lake = memoryLake({ seed: 5, fromMs: FROM, toMs: Date.parse('2026-11-04T00:00:00Z') });
  await lake.ingest(NOW);
}, 120_000);

describe('AlertsLagHours', () => {
  it('says how many hours the alerts stand behind the watermark after each run', async () => {
    const lags: number[] = [];
    const metrics: MetricSink = {
      count: (name, value) => {
        if (name === ALERT_METRICS.lagHours) lags.push(value);
      },
    };
    const run = (maxHoursPerRun: number) =>
      runAlerts(
        { store: lake.store, clock: { now: () => NOW }, log: silentLog, metrics, channels: [] },
        { instance: 'default', settings: settings({ maxHoursPerRun }), runId: `run-${lags.length}` },
      );
    const watermark = (await readCheckpoint(lake.store, 'default'))?.checkpoint.watermark_ms ?? 0;
    const first = await run(10);
    expect(lags).toEqual([(watermark - (first.nextHourMs ?? 0)) / HOUR_MS]);
    expect(lags[0]).toBeGreaterThan(24);
    await run(24);
    expect(lags[1]).toBe((lags[0] ?? 0) - 24);
    await run(24 * 100);
    expect(lags[2]).toBe(0);
  }, 120_000);
});

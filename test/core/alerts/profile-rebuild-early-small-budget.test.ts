/**
 * The early pass of a login profile rebuild (lockouts, bursts and sprays first) starts again
 * `recheckHours` before where it stopped, and read `maxHoursPerRun` hours from there: with
 * `maxHoursPerRun` at most `recheckHours` it never got past where it had stopped, and every
 * lockout after that waited for the rebuild to end (review R-ALERTS2, item 3). It now reads up to
 * `maxHoursPerRun` hours past where it stopped.
 */
import { describe, expect, it } from 'vitest';
import { runAlerts } from '../../../functions/core/alerts/run-alerts.ts';
import { alertsStateKey } from '../../../functions/core/lake/layout.ts';
import { silentLog } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { memoryLake, RecordingChannel, settings } from './support/alert-fixtures.ts';

const MIN = 60_000;
const FROM = Date.parse('2026-11-01T00:00:00Z');
const STEP = Date.parse('2026-11-03T10:15:00Z');
const LOCKOUT = Date.parse('2026-11-03T12:20:00Z');

describe('a login profile rebuilt with maxHoursPerRun <= recheckHours', () => {
  it('still moves its early pass on: a lockout goes out in the next run', async () => {
    const lake = memoryLake({ seed: 7, fromMs: FROM, toMs: Date.parse('2026-11-04T00:00:00Z') });
    await lake.ingest(STEP);
    const channel = new RecordingChannel();
    const tight = settings({ recheckHours: 2, maxHoursPerRun: 2 });
    // `looks` time-budget checks with time to spare, then too little: the rebuild takes many runs.
    const run = async (now: number, looks: number, alertSettings = tight) => {
      let calls = 0;
      return runAlerts(
        {
          store: lake.store,
          clock: { now: () => now },
          log: silentLog,
          channels: [channel],
          remainingTimeMs: () => (++calls <= looks ? 300_000 : 50_000),
        },
        { instance: 'default', settings: alertSettings, runId: `r${now}` },
      );
    };
    // Up to date with the default settings first: every hour before 10:00 evaluated.
    await run(STEP + 5 * MIN, Number.POSITIVE_INFINITY, settings());
    lake.store.objects.delete(alertsStateKey('default', 'login-profile.json.gz'));
    lake.source.add({
      timeMs: LOCKOUT,
      entry: {
        actionType: 'LOCKED_OUT',
        eventText: 'User locked out',
        userId: '78',
        userName: 'Stalled Stan',
        time: LOCKOUT,
        ipAddress: '192.0.2.2',
      },
    });
    const early: (number | undefined)[] = [];
    for (let h = 1; h <= 3; h++) {
      await lake.ingest(STEP + h * HOUR_MS);
      const summary = await run(STEP + h * HOUR_MS + 2 * MIN, 6);
      early.push(summary.earlyNextHourMs);
      // Still rebuilding: nothing evaluated in full past 10:00.
      expect(summary.nextHourMs).toBe(Date.parse('2026-11-03T10:00:00Z'));
    }
    expect(early).toEqual([11, 12, 13].map((h) => Date.parse(`2026-11-03T${h}:00:00Z`)));
    expect(channel.delivered.filter((a) => a.user_name === 'Stalled Stan').map((a) => a.kind)).toEqual([
      'lockout',
    ]);
  }, 120_000);
});

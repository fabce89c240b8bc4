/**
 * A login profile rebuilt over several runs (deleted here; also a changed report zone, a format
 * upgrade, too many digests) held back every alert, lockouts and bursts too though they never read
 * it: with the profile deleted and ~20 hour reads of budget per run, a lockout at 10:20 went out
 * at 11:32, not at 11:17. The detectors that need no profile (lockouts, bursts, password sprays)
 * now run on the new hours at once; the others judge those hours once the profile is whole, and
 * nothing goes out twice.
 */
import { describe, expect, it } from 'vitest';
import { readAlertCheckpoint } from '../../../functions/core/alerts/alert-checkpoint.ts';
import { runAlerts } from '../../../functions/core/alerts/run-alerts.ts';
import { alertsStateKey, HOUR_MS } from '../../../functions/core/lake/layout.ts';
import { silentLog } from '../../../functions/core/ports.ts';
import { memoryLake, RecordingChannel, settings } from './support/alert-fixtures.ts';

const MIN = 60_000;
const FROM = Date.parse('2026-11-01T00:00:00Z');
const STEP = Date.parse('2026-11-03T10:15:00Z');
const LOCKOUT = Date.parse('2026-11-03T10:20:00Z');

describe('a login profile being rebuilt', () => {
  it('holds back only the alerts that read it: a lockout goes out in the next run', async () => {
    const lake = memoryLake({ seed: 7, fromMs: FROM, toMs: Date.parse('2026-11-04T00:00:00Z') });
    await lake.ingest(STEP);
    const channel = new RecordingChannel();
    const raised: string[] = [];
    // `looks` time-budget checks with time to spare, then too little: ~20 hour reads per run.
    const run = async (now: number, looks: number) => {
      let calls = 0;
      const summary = await runAlerts(
        {
          store: lake.store,
          clock: { now: () => now },
          log: silentLog,
          channels: [channel],
          remainingTimeMs: () => (++calls <= looks ? 300_000 : 50_000),
        },
        { instance: 'default', settings: settings(), runId: `r${now}` },
      );
      raised.push(...summary.raised.map((a) => a.id));
      return summary;
    };
    await run(STEP + 5 * MIN, Number.POSITIVE_INFINITY);
    lake.source.add({
      timeMs: LOCKOUT,
      entry: {
        actionType: 'LOCKED_OUT',
        eventText: 'User locked out',
        userId: '77',
        userName: 'Locked Lou',
        time: LOCKOUT,
        ipAddress: '192.0.2.1',
      },
    });
    // A password spray too: 10 users failing from one IP, one a minute from 10:30.
    for (let u = 0; u < 10; u++) {
      const at = LOCKOUT + (10 + u) * MIN;
      lake.source.add({
        timeMs: at,
        entry: {
          actionType: 'LOGIN_FAILED',
          eventText: 'Login failed',
          userId: `s${u}`,
          userName: `Sprayed ${u}`,
          time: at,
          ipAddress: '203.0.113.50',
        },
      });
    }
    lake.store.objects.delete(alertsStateKey('default', 'login-profile.json.gz'));
    const lockouts = () => channel.delivered.filter((a) => a.user_name === 'Locked Lou');
    const sprays = () => channel.delivered.filter((a) => a.kind === 'password_spray');

    await lake.ingest(STEP + HOUR_MS);
    const first = await run(STEP + HOUR_MS + 2 * MIN, 20);
    // Nothing evaluated in full (the profile is still being rebuilt), the lockout sent all the same.
    expect(lockouts().map((a) => a.kind)).toEqual(['lockout']);
    expect(sprays()).toHaveLength(1);
    expect(first.hoursEvaluated).toBe(0);
    expect(first.nextHourMs).toBe(Date.parse('2026-11-03T10:00:00Z'));
    expect(first.earlyNextHourMs).toBe(Date.parse('2026-11-03T11:00:00Z'));

    for (let k = 1; k <= 4; k++) {
      const now = STEP + HOUR_MS + k * 15 * MIN;
      await lake.ingest(now);
      await run(now + 2 * MIN, 20);
    }
    const last = await run(STEP + 2 * HOUR_MS + 5 * MIN, Number.POSITIVE_INFINITY);
    // Every hour evaluated in full by now: the lockout found again, not sent again, nor any other.
    expect(last.nextHourMs).toBe(Date.parse('2026-11-03T12:00:00Z'));
    expect(last.earlyNextHourMs).toBeUndefined();
    expect((await readAlertCheckpoint(lake.store, 'default'))?.checkpoint.early_next_hour_ms).toBeUndefined();
    expect(lockouts()).toHaveLength(1);
    expect(sprays()).toHaveLength(1);
    expect(new Set(raised).size).toBe(raised.length);
    const delivered = channel.delivered.map((a) => a.id);
    expect(new Set(delivered).size).toBe(delivered.length);
  }, 120_000);
});

import { expect } from 'vitest';
import { readAlertCheckpoint } from '../../../../functions/core/alerts/alert-checkpoint.ts';
import { runAlerts } from '../../../../functions/core/alerts/run-alerts.ts';
import { type Log, silentLog } from '../../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../../functions/core/time-units.ts';
import { type MemoryLake, memoryLake, RecordingChannel, settings } from './alert-fixtures.ts';

export const MIN = 60_000;
export const FROM = Date.parse('2026-11-01T00:00:00Z');
/** The second ingest run's time: the lockout comes in the hour after it. */
export const STEP = Date.parse('2026-11-03T10:15:00Z');
export const LOCKOUT = Date.parse('2026-11-03T10:20:00Z');

/** What makes the login profile stale or missing, before the next ingest run or after it. */
export type Trigger = {
  before?: (lake: MemoryLake) => Promise<void>;
  after?: (lake: MemoryLake) => Promise<void>;
};

/**
 * A lake with a first run caught up, then a lockout at 10:20 ingested with every hour of the
 * profile made stale by `trigger`; `run(now, looks)` runs alerts with `looks` time-budget checks
 * with time to spare, then too little.
 */
export async function staleProfileLake(trigger: Trigger) {
  const lake = memoryLake({ seed: 7, fromMs: FROM, toMs: Date.parse('2026-11-04T00:00:00Z') });
  await lake.ingest(STEP);
  const channel = new RecordingChannel();
  const raised: string[] = [];
  const warnings: string[] = [];
  /** The fields of each warning that the new hours wait for the profile folded again. */
  const refoldWarnings: Record<string, unknown>[] = [];
  const log: Log = {
    ...silentLog,
    warn: (message, fields) => {
      warnings.push(message);
      if (message.includes('new hours wait')) refoldWarnings.push(fields ?? {});
    },
  };
  // `looks` time-budget checks with time to spare, then too little: ~20 hour reads per run.
  const run = async (now: number, looks: number) => {
    let calls = 0;
    const summary = await runAlerts(
      {
        store: lake.store,
        clock: { now: () => now },
        log,
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
  await trigger.before?.(lake);
  await lake.ingest(STEP + HOUR_MS);
  await trigger.after?.(lake);
  const lockouts = () => channel.delivered.filter((a) => a.user_name === 'Locked Lou');
  /**
   * Four more ingest and budgeted alerts runs, then one with time to spare: every hour is then
   * evaluated in full, and the lockout found again is not sent again, nor any alert twice.
   */
  const catchUpOnce = async () => {
    for (let k = 1; k <= 4; k++) {
      const now = STEP + HOUR_MS + k * 15 * MIN;
      await lake.ingest(now);
      await run(now + 2 * MIN, 20);
    }
    const last = await run(STEP + 2 * HOUR_MS + 5 * MIN, Number.POSITIVE_INFINITY);
    expect(last.nextHourMs).toBe(Date.parse('2026-11-03T12:00:00Z'));
    expect(last.earlyNextHourMs).toBeUndefined();
    expect((await readAlertCheckpoint(lake.store, 'default'))?.checkpoint.early_next_hour_ms).toBeUndefined();
    expect(lockouts()).toHaveLength(1);
    expect(new Set(raised).size).toBe(raised.length);
    const delivered = channel.delivered.map((a) => a.id);
    expect(new Set(delivered).size).toBe(delivered.length);
  };
  return { lake, channel, warnings, refoldWarnings, run, lockouts, catchUpOnce };
}

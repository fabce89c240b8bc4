/**
 * Helper BACKFILL (2026-12-08): alerts deployed with a first backfill follow it run by run, and
 * each run that found alerts in the hours just stored mailed a summary of history (a busy
 * instance's year: up to 181 ingest runs, as many mails). While the ingest is more than
 * `mailOlderThanHours` behind, a channel holding only alerts from before alerting began now keeps
 * them, and mails one summary once the ingest is within that.
 */
import { describe, expect, it } from 'vitest';
import {
  readAlertCheckpoint,
  updateAlertCheckpoint,
} from '../../../functions/core/alerts/alert-checkpoint.ts';
import { runAlerts } from '../../../functions/core/alerts/run-alerts.ts';
import { advanceCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { silentLog } from '../../../functions/core/ports.ts';
import { DAY_MS, HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { RecordingChannel, settings } from './support/alert-fixtures.ts';
import { writeLockoutLake } from './support/lockout-lake.ts';

const H0 = Date.parse('2026-11-02T00:00:00Z');
/** Where the backfill stands: its watermark 5 hours after H0, the clock 30 days on. */
const BACKFILLING = H0 + 30 * DAY_MS;

const run = (
  store: MemoryObjectStore,
  channel: RecordingChannel,
  nowMs: number,
  marksLate?: false,
  mailOlderThanHours?: number,
) =>
  runAlerts(
    {
      store,
      clock: { now: () => nowMs },
      log: silentLog,
      channels: [channel],
      ...(marksLate === undefined ? {} : { marksLate }),
    },
    {
      instance: 'acme',
      settings: settings(mailOlderThanHours === undefined ? {} : { mailOlderThanHours }),
      runId: `run-${nowMs}`,
    },
  );

async function backfillingLake(): Promise<MemoryObjectStore> {
  const store = new MemoryObjectStore();
  await writeLockoutLake(store, H0);
  return store;
}

describe('alerts beside a first backfill', () => {
  it('hold the summary of history while the ingest is far behind, and mail it once when it is not', async () => {
    const store = await backfillingLake();
    const channel = new RecordingChannel();
    const during = await run(store, channel, BACKFILLING);
    expect(during.raised).toHaveLength(3);
    expect(during.deliveries).toEqual([{ channel: 'test', status: 'held' }]);
    expect(channel.messages).toHaveLength(0);
    const waiting = (await readAlertCheckpoint(store, 'acme'))?.checkpoint.channels.test?.outbox;
    expect(waiting).toHaveLength(3);

    // The backfill reaches today: the watermark an hour before the clock.
    const caughtUp = BACKFILLING + 2 * DAY_MS;
    await advanceCheckpoint(store, 'acme', {
      watermarkMs: caughtUp - HOUR_MS,
      runId: 'fixture-2',
      codeVersion: 'test',
      now: caughtUp,
    });
    const after = await run(store, channel, caughtUp);
    expect(after.deliveries).toMatchObject([{ channel: 'test', status: 'delivered', alerts: 3 }]);
    expect(channel.messages).toHaveLength(1);
    expect(channel.messages[0]?.subject).toBe('Security alerts (acme): 3 earlier lockouts archived');
  });

  it('sends at once within mailOlderThanHours of the ingest: no backfill', async () => {
    const store = await backfillingLake();
    const channel = new RecordingChannel();
    const soon = H0 + 5 * HOUR_MS + settings().mailOlderThanHours * HOUR_MS;
    const result = await run(store, channel, soon);
    expect(result.deliveries).toMatchObject([{ status: 'delivered', alerts: 3 }]);
  });

  it('sends at once behind a caught-up ingest with a long settle and mailOlderThanHours 1', async () => {
    // settleMinutes 90: a caught-up ingest's watermark is 90-150 minutes behind the clock at every
    // run, over mailOlderThanHours 1. Held while that is so, the summary waited for a recent alert.
    const store = await backfillingLake();
    const channel = new RecordingChannel();
    const result = await run(store, channel, H0 + 5 * HOUR_MS + 150 * 60_000, undefined, 1);
    expect(result.deliveries).toMatchObject([{ status: 'delivered', alerts: 3 }]);
  });

  it('sends at once alerts an earlier release left waiting, unmarked: its first runs are past', async () => {
    const store = await backfillingLake();
    const channel = new RecordingChannel();
    expect((await run(store, channel, BACKFILLING)).deliveries).toEqual([
      { channel: 'test', status: 'held' },
    ]);
    // As a release before alerting_since_ms left it: its outbox's alerts unmarked, every one since alerting.
    await updateAlertCheckpoint(
      store,
      'acme',
      () => {
        throw new Error('the checkpoint is there');
      },
      ({ alerting_since_ms: _, ...earlier }) => earlier,
    );
    const result = await run(store, channel, BACKFILLING + HOUR_MS);
    expect(result.deliveries).toMatchObject([{ status: 'delivered', alerts: 3 }]);
  });

  it('sends at once from the command line, which judges a lake after the fact', async () => {
    const store = await backfillingLake();
    const channel = new RecordingChannel();
    const result = await run(store, channel, BACKFILLING, false);
    expect(result.deliveries).toMatchObject([{ status: 'delivered', alerts: 3 }]);
  });
});

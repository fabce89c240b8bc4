/**
 * Late events the ingest's lookback stores in hours the alerts already evaluated, when the alerts
 * run that should have followed that ingest run never happened: an ingest run with a failed window
 * (no alerts invocation) or an alerts run that failed all its attempts. The next alerts run starts
 * from its checkpoint, with the watermark more than an hour further on: it must still look at the
 * hours just before where it stopped, not only at the last hours before the new watermark.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../../functions/core/alerts/alert.ts';
import { readCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import type { MemoryEntry } from '../../support/memory-audit-source.ts';
import type { MemoryObjectStore } from '../../support/memory-store.ts';
import {
  cloneStore,
  LATE_LAKE_STEP,
  lateEventsLake,
  type MemoryLake,
  memoryLakeAlertsRun,
  RecordingChannel,
} from './support/alert-fixtures.ts';

const MIN = 60_000;
const STEP = LATE_LAKE_STEP;
let lake: MemoryLake;
let ingested: MemoryObjectStore;

beforeAll(async () => {
  ({ lake, ingested } = await lateEventsLake());
}, 120_000);

const alertsRun = memoryLakeAlertsRun;

const watermark = async (store: MemoryObjectStore): Promise<number> => {
  const stored = await readCheckpoint(store, 'default');
  if (!stored) throw new Error('no ingest checkpoint');
  return stored.checkpoint.watermark_ms;
};

const lockout = (timeMs: number): MemoryEntry => ({
  timeMs,
  entry: {
    actionType: 'LOCKED_OUT',
    eventText: 'User locked out',
    userId: '77',
    userName: 'Late Larry',
    time: timeMs,
    ipAddress: '192.0.2.1',
  },
});

/** Runs `body` with `entries` in the audit source (Domo), then takes them out again. */
async function withEntries(entries: MemoryEntry[], body: () => Promise<void>): Promise<void> {
  const before = lake.source.entries.length;
  lake.source.add(...entries);
  try {
    await body();
  } finally {
    lake.source.entries.splice(before);
  }
}

const lateLockouts = (alerts: readonly Alert[]) =>
  alerts.filter((a) => a.kind === 'lockout' && a.user_name === 'Late Larry');

describe('late events of evaluated hours, after an alerts run was missed', () => {
  for (const gapHours of [1, 2, 3]) {
    it(`are alerted when the next ingest run to succeed comes ${gapHours} h later`, async () => {
      const store = cloneStore(ingested);
      const channel = new RecordingChannel();
      await alertsRun(store, STEP + 5 * MIN, channel);
      // 08:30: within the 2 h the next ingest run pulls again, and evaluated already.
      const lateAt = (await watermark(store)) - 2 * HOUR_MS + 30 * MIN;
      // The runs in between failed (Domo down): no alerts run until this one's.
      await withEntries([lockout(lateAt)], () => lake.ingest(STEP + gapHours * HOUR_MS, store));
      expect(await watermark(store)).toBe(Date.parse('2026-11-03T10:00:00Z') + gapHours * HOUR_MS);

      const summary = await alertsRun(store, STEP + gapHours * HOUR_MS + 5 * MIN, channel);

      expect(lateLockouts(summary.raised).map((a) => a.event_time_ms)).toEqual([lateAt]);
    });
  }

  it('are alerted when the alerts run after the ingest run that found them failed', async () => {
    const store = cloneStore(ingested);
    const channel = new RecordingChannel();
    await alertsRun(store, STEP + 5 * MIN, channel);
    const lateAt = (await watermark(store)) - 2 * HOUR_MS + 30 * MIN;
    await withEntries([lockout(lateAt)], async () => {
      await lake.ingest(STEP + HOUR_MS, store); // finds it; its alerts run fails three times
      await lake.ingest(STEP + 2 * HOUR_MS, store);
    });

    const summary = await alertsRun(store, STEP + 2 * HOUR_MS + 5 * MIN, channel);

    expect(lateLockouts(summary.raised).map((a) => a.event_time_ms)).toEqual([lateAt]);
    // Raised once: the hours looked at again send nothing they had sent before.
    const ids = channel.delivered.map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

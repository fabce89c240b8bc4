import { describe, expect, it } from 'vitest';
import type { IngestSummary } from '../../../functions/core/ingest/ingest-types.ts';
import { recordLastRun } from '../../../functions/core/ingest/record-last-run.ts';
import { advanceCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { lastRunKey, readLastRun } from '../../../functions/core/lake/last-run.ts';
import { readInstanceStatus } from '../../../functions/core/status/instance-status.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

const NOW = Date.UTC(2026, 10, 30, 10, 20);
const options = { nowMs: NOW, lagHours: 3, reportTimeZone: 'UTC' };
const watermarkMs = Date.UTC(2026, 10, 28, 10);

/** A catch-up run that stopped on its time budget after moving the watermark 12 hours. */
const caughtUpPart = {
  instance: 'main',
  runId: 'run-1',
  mode: 'checkpoint',
  windowsDone: 12,
  windowsFailed: 0,
  eventsWritten: 40,
  quarantined: 0,
  failures: [],
  stoppedEarly: 'time-budget',
  settleMinutes: 15,
  watermarkBeforeMs: watermarkMs - 12 * HOUR_MS,
  watermarkAfterMs: watermarkMs,
} as unknown as IngestSummary;

async function lake() {
  const store = new MemoryObjectStore();
  await advanceCheckpoint(store, 'main', { watermarkMs, runId: 'run-1', codeVersion: 'x', now: NOW });
  return store;
}

describe("status's catch-up estimate", () => {
  it('says how many more runs the lake needs at the pace of the last run, which stopped early', async () => {
    const store = await lake();
    await recordLastRun(store, caughtUpPart, NOW - 5 * 60_000);
    expect((await readLastRun(store, 'main'))?.watermark_moved_ms).toBe(12 * HOUR_MS);
    const status = await readInstanceStatus(store, 'main', options);
    // 48h 20m behind: 47 closed hours left (the newest never is), 12 a run.
    expect(status.catchUp).toEqual({ lastRunMovedMs: 12 * HOUR_MS, runsLeft: 4 });
  });

  it('counts a first backfill from where it began (review R-SRE L2)', async () => {
    const store = await lake();
    const first = { ...caughtUpPart, watermarkBeforeMs: null, backfillFromMs: watermarkMs - 12 * HOUR_MS };
    await recordLastRun(store, first as IngestSummary, NOW - 5 * 60_000);
    expect((await readLastRun(store, 'main'))?.watermark_moved_ms).toBe(12 * HOUR_MS);
    expect((await readInstanceStatus(store, 'main', options)).catchUp).toEqual({
      lastRunMovedMs: 12 * HOUR_MS,
      runsLeft: 4,
    });
  });

  it('gives none for a run that moved nothing, or finished, or an older record without the figure', async () => {
    const store = await lake();
    await recordLastRun(store, { ...caughtUpPart, watermarkBeforeMs: watermarkMs }, NOW - 5 * 60_000);
    expect((await readLastRun(store, 'main'))?.watermark_moved_ms).toBe(0);
    expect((await readInstanceStatus(store, 'main', options)).catchUp).toBeNull();
    await recordLastRun(store, { ...caughtUpPart, stoppedEarly: null }, NOW - 4 * 60_000);
    expect((await readInstanceStatus(store, 'main', options)).catchUp).toBeNull();
    // Written before the figure was kept: still read, with no estimate.
    const older = { ...(await readLastRun(store, 'main')), outcome: 'stopped-early' } as Record<
      string,
      unknown
    >;
    delete older.watermark_moved_ms;
    await store.put(lastRunKey('main'), new TextEncoder().encode(JSON.stringify(older)));
    const status = await readInstanceStatus(store, 'main', options);
    expect(status.lastRun?.outcome).toBe('stopped-early');
    expect(status.catchUp).toBeNull();
  });
});

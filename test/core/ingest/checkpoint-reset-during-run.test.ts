import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { advanceStoredCheckpoint, readCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { checkpointKey } from '../../../functions/core/lake/layout.ts';
import type { Log } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

// Runs only move the checkpoint forward; a person deletes it (to backfill `backfillDays` again) or
// moves it back (to re-pull from an earlier hour). A run in flight then lost its next conditional
// write, read the checkpoint again, found none or an older one, and wrote its own over it: the
// reset was silently undone. It now leaves the reset as it is, and says so.

const day0 = Date.parse('2026-10-01T00:00:00Z');
const hour = (h: number) => day0 + h * HOUR_MS;
const at = (h: number) => hour(h) + 30 * 60_000;
const config = { ...defaultIngestConfig('acme'), backfillDays: 1 };
const hourly = { spanSizing: { targetEvents: 1, maxHours: 1 } };
const key = checkpointKey('acme');

/** A lake at 06:00 and three entries an hour all day; warnings are kept. */
async function lakeAtSix() {
  const domo = new MemoryAuditSource(
    Array.from({ length: 72 }, (_, i) => viewEntry(day0 + i * 20 * 60_000, i)),
  );
  const store = new MemoryObjectStore();
  await runIngest(quietIngestDeps(domo, store, at(6)), config, hourly);
  const warnings: string[] = [];
  const log: Log = { ...quietIngestDeps(domo, store, 0).log, warn: (message) => warnings.push(message) };
  const watermark = async () => (await readCheckpoint(store, 'acme'))?.checkpoint.watermark_ms ?? null;
  expect(await watermark()).toBe(hour(6));
  return { domo, store, warnings, log, watermark };
}

/** Runs `reset` just before the run's `n`th checkpoint write (which it then loses). */
function beforeCheckpointWrite(store: MemoryObjectStore, n: number, reset: () => Promise<void> | void) {
  let writes = 0;
  store.beforePut = async (putKey) => {
    if (putKey === key && ++writes === n) await reset();
  };
}

describe('a checkpoint reset by a person while a run is in flight', () => {
  it('stays deleted: the run stores its hours but writes no checkpoint, and says so', async () => {
    const { domo, store, warnings, log, watermark } = await lakeAtSix();
    beforeCheckpointWrite(store, 3, () => {
      store.objects.delete(key);
    });
    const summary = await runIngest({ ...quietIngestDeps(domo, store, at(12)), log }, config, hourly);
    store.beforePut = undefined;

    expect(await watermark()).toBeNull();
    expect(summary).toMatchObject({
      windowsDone: summary.windowsPlanned,
      watermarkAfterMs: null,
      behindByMs: null,
      outcome: 'complete',
      failures: [],
    });
    expect(warnings).toEqual([expect.stringContaining('the checkpoint was reset during the run')]);
    // The next run starts from backfillDays ago, as the delete meant.
    const next = await runIngest(quietIngestDeps(domo, store, at(12)), config, hourly);
    expect(next.watermarkBeforeMs).toBeNull();
    expect(next.windowsPlanned).toBe(24);
  });

  it('stays moved back: the run leaves the earlier watermark, and reports it', async () => {
    const { domo, store, warnings, log, watermark } = await lakeAtSix();
    beforeCheckpointWrite(store, 2, async () => {
      store.objects.delete(key);
      await advanceStoredCheckpoint(store, 'acme', {
        watermarkMs: hour(2),
        runId: 'operator',
        codeVersion: 'by-hand',
        now: at(12),
      });
    });
    const summary = await runIngest({ ...quietIngestDeps(domo, store, at(12)), log }, config, hourly);
    store.beforePut = undefined;

    expect(await watermark()).toBe(hour(2));
    expect(summary).toMatchObject({
      watermarkAfterMs: hour(2),
      behindByMs: at(12) - hour(2),
      outcome: 'complete',
      failures: [],
    });
    expect(warnings).toHaveLength(1);
  });

  it('is still overtaken by a run that moved it further: the larger watermark stays', async () => {
    const { domo, store, warnings, log, watermark } = await lakeAtSix();
    beforeCheckpointWrite(store, 2, async () => {
      const read = await readCheckpoint(store, 'acme');
      await advanceStoredCheckpoint(
        store,
        'acme',
        { watermarkMs: hour(20), runId: 'other-run', codeVersion: 'test', now: at(12) },
        read,
      );
    });
    const summary = await runIngest({ ...quietIngestDeps(domo, store, at(12)), log }, config, hourly);
    store.beforePut = undefined;

    expect(await watermark()).toBe(hour(20));
    expect(summary).toMatchObject({ watermarkAfterMs: hour(20), failures: [] });
    expect(warnings).toEqual([]);
  });
});

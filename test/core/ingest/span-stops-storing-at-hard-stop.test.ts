import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { readCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { activityKey, coverageKey } from '../../../functions/core/lake/layout.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';
import { runningOutAfter } from '../../support/running-out-after.ts';

// Quiet hours are read together in one span and then stored hour after hour. The hard stop used
// to abort only the span's Domo requests: a span read in time went on storing all its hours,
// several writes each, past the invocation's deadline (Lambda kills it there, mid-write). Past
// the hard stop no further hour is stored; those hours are not finished, so the watermark stops
// before them and the next run pulls them again.

const day0 = Date.parse('2026-10-01T00:00:00Z');
const hour = (h: number) => day0 + h * HOUR_MS;
/** Half past hour `h`: every hour before it is closed. */
const at = (h: number) => hour(h) + 30 * 60_000;
/** A 400 ms margin: the hard stop comes with 200 ms left. */
const config = { ...defaultIngestConfig('acme'), backfillDays: 1, concurrency: 1, budgetMarginMs: 400 };
/** One span of up to eight hours. */
const wide = { spanSizing: { targetEvents: 1_000, maxHours: 8 } };

function setup() {
  // Three entries an hour, all day.
  const domo = new MemoryAuditSource(
    Array.from({ length: 72 }, (_, i) => viewEntry(day0 + i * 20 * 60_000, i)),
  );
  const store = new MemoryObjectStore();
  const stored = (h: number) => store.objects.has(coverageKey('acme', hour(h)));
  const watermark = async () => (await readCheckpoint(store, 'acme'))?.checkpoint.watermark_ms;
  return { domo, store, stored, watermark };
}

describe('a span read in time, stored when the hard stop comes', () => {
  it('stores no further hour once the time is nearly spent, and the next run pulls them', async () => {
    const { domo, store, stored, watermark } = setup();
    const first = await runIngest(
      { ...quietIngestDeps(domo, store, at(24)), remainingTimeMs: runningOutAfter(store, 2) },
      { ...config, lookbackHours: 0 },
      wide,
    );
    store.beforePut = undefined;
    expect(first).toMatchObject({ stoppedEarly: 'time-budget', windowsDone: 2, failures: [] });
    expect([0, 1, 2, 3].map(stored)).toEqual([true, true, false, false]);
    // Not even the events of the next hour were written.
    expect(store.objects.has(activityKey('acme', hour(2)))).toBe(false);
    expect(await watermark()).toBe(hour(2));

    const next = await runIngest(quietIngestDeps(domo, store, at(24)), config, wide);
    expect(next).toMatchObject({ outcome: 'complete', failures: [] });
    expect(await watermark()).toBe(hour(24));
    expect(await verifyLake(store, 'acme')).toMatchObject({ ok: true, events: 72 });
  });

  it('stops storing with half the margin left, which the last writes keep to ride out a stuck attempt', async () => {
    // The default 60 s margin and 29 s left: above the old hard stop of a quarter (15 s), where the
    // span stored its six other hours and the run's last writes began with 15 s, less than one
    // attempt of an S3 request that never answers (15 s of silence) takes to fail.
    const { store, stored, domo } = setup();
    const first = await runIngest(
      { ...quietIngestDeps(domo, store, at(24)), remainingTimeMs: runningOutAfter(store, 2, 29_000) },
      { ...config, budgetMarginMs: 60_000, lookbackHours: 0 },
      wide,
    );
    store.beforePut = undefined;
    expect(first).toMatchObject({ stoppedEarly: 'time-budget', windowsDone: 2, failures: [] });
    expect([0, 1, 2].map(stored)).toEqual([true, true, false]);
  });

  it('leaves a lookback hour it did not store in the next run lookback, its late event caught', async () => {
    const { domo, store, stored, watermark } = setup();
    await runIngest(quietIngestDeps(domo, store, at(6)), config, {
      spanSizing: { targetEvents: 1, maxHours: 1 },
    });
    expect(await watermark()).toBe(hour(6));
    // Domo starts serving an entry of 05:00, a lookback hour of the next run (04:00 and 05:00).
    domo.add(viewEntry(hour(5) + 7 * 60_000 + 3, 99));

    // The next run reads 04:00 to 12:00 in its first span; the time runs out once 04:00 is stored.
    const cut = await runIngest(
      { ...quietIngestDeps(domo, store, at(24)), remainingTimeMs: runningOutAfter(store, 1) },
      config,
      wide,
    );
    store.beforePut = undefined;
    // The run is behind and its watermark did not move: that is a run without progress.
    expect(cut).toMatchObject({ stoppedEarly: 'time-budget', lateEvents: 0 });
    expect(cut.failures.map((f) => f.message)).toEqual([expect.stringMatching(/^no progress/)]);
    expect(stored(6)).toBe(false);
    expect(await watermark()).toBe(hour(6));

    const next = await runIngest(quietIngestDeps(domo, store, at(24)), config, wide);
    expect(next).toMatchObject({ outcome: 'complete', lateEvents: 1, failures: [] });
    expect(await verifyLake(store, 'acme')).toMatchObject({ ok: true, events: 73 });
  });
});

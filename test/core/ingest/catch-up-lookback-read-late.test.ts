import { describe, expect, it } from 'vitest';
import type { AuditQuery } from '../../../functions/core/domo/audit-source.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { advanceStoredCheckpoint, readCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { checkpointKey, coverageKey } from '../../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';
import { runningOutAfter } from '../../support/running-out-after.ts';

/*
 * A run catching up reads hours a day or more after they ended, and the next run's lookback read
 * its last two again (each catch-up run of the CATCHUP shapes spent ~4 of its 12 to 16 requests
 * on them): read that late, an hour needs no later pull, and pulled again it could add only what
 * Domo serves later than the later pull promises. Hours read young keep their lookback pulls.
 */

const day0 = Date.parse('2026-10-01T00:00:00Z');
const hour = (h: number) => day0 + h * HOUR_MS;
/** Four days on: the lake is that far behind. */
const catchUpNow = hour(4 * 24) + 30 * 60_000;
/** Every hour read alone, one at a time: each hour's requests are its own. */
const hourly = { spanSizing: { targetEvents: 1, maxHours: 1 } };
const config = { ...defaultIngestConfig('acme'), backfillDays: 10, concurrency: 1, budgetMarginMs: 400 };

/** Three entries an hour from a day before `day0` to the catch-up; the queries Domo was sent. */
function setup() {
  const domo = new MemoryAuditSource(
    Array.from({ length: 5 * 24 * 3 }, (_, i) => viewEntry(hour(-24) + i * 20 * 60_000, i)),
  );
  const store = new MemoryObjectStore();
  const watermark = async () => (await readCheckpoint(store, 'acme'))?.checkpoint.watermark_ms as number;
  return { domo, store, watermark };
}

/** Whether a query asked for the hour starting at `startMs` (asked one ms early). */
const asksFor = (startMs: number) => (query: AuditQuery) => query.start === startMs - 1;

/** A lake a day into its backfill, then a catch-up run four days on that stores 5 hours. */
async function behindThenOneCatchUpRun(settings = config) {
  const { domo, store, watermark } = setup();
  await runIngest(
    quietIngestDeps(domo, store, hour(0) + 30 * 60_000),
    { ...settings, backfillDays: 1 },
    hourly,
  );
  expect(await watermark()).toBe(hour(0));
  const before = domo.queries.length;
  await runIngest(
    { ...quietIngestDeps(domo, store, catchUpNow), remainingTimeMs: runningOutAfter(store, 5) },
    settings,
    hourly,
  );
  // Its lookback hours were read young, by the first run: pulled again.
  const caughtUp = domo.queries.slice(before);
  expect(caughtUp.some(asksFor(hour(-2)))).toBe(true);
  expect(caughtUp.some(asksFor(hour(-1)))).toBe(true);
  return { domo, store, watermark };
}

describe('a run catching up', () => {
  it('pulls no lookback hour the run before read a day or more after it ended', async () => {
    const { domo, store, watermark } = await behindThenOneCatchUpRun();
    const from = await watermark();
    expect(from).toBeGreaterThan(hour(0));
    const before = domo.queries.length;
    await runIngest(
      { ...quietIngestDeps(domo, store, catchUpNow), remainingTimeMs: runningOutAfter(store, 3) },
      config,
      hourly,
    );
    const next = domo.queries.slice(before);
    expect(next.some(asksFor(from))).toBe(true);
    expect(next.some(asksFor(from - HOUR_MS))).toBe(false);
    expect(next.some(asksFor(from - 2 * HOUR_MS))).toBe(false);
    expect(await watermark()).toBeGreaterThan(from);
  });

  it('reads the manifest of the hour before its first once: the planner has it from the plan', async () => {
    const { domo, store, watermark } = await behindThenOneCatchUpRun();
    const from = await watermark();
    const gets = new Map<string, number>();
    const get = store.get.bind(store);
    store.get = async (key) => {
      gets.set(key, (gets.get(key) ?? 0) + 1);
      return get(key);
    };
    await runIngest(
      { ...quietIngestDeps(domo, store, catchUpNow), remainingTimeMs: runningOutAfter(store, 3) },
      config,
      hourly,
    );
    // Before: read by the plan, which went past it, then again to size the first span.
    expect(gets.get(coverageKey('acme', from - HOUR_MS))).toBe(1);
  });

  // REVIEW89: the walk's end at the hour the last run left unfinished passed its tests removed.
  it('pulls a lookback hour the last run left unfinished, though read a day late', async () => {
    const { domo, store, watermark } = await behindThenOneCatchUpRun();
    const from = await watermark();
    // As a run leaves it when that hour failed (an hour that lost events fails on every run).
    const key = checkpointKey('acme');
    const stored = JSON.parse(Buffer.from(store.objects.get(key)?.body ?? []).toString());
    store.putNow(key, Buffer.from(JSON.stringify({ ...stored, retry_from_ms: from - HOUR_MS })));
    const before = domo.queries.length;
    await runIngest(
      { ...quietIngestDeps(domo, store, catchUpNow), remainingTimeMs: runningOutAfter(store, 3) },
      config,
      hourly,
    );
    const next = domo.queries.slice(before);
    expect(next.some(asksFor(from - 2 * HOUR_MS))).toBe(false);
    expect(next.some(asksFor(from - HOUR_MS))).toBe(true);
  });

  it('still pulls them with the later pull off: the lookback is then their last pull', async () => {
    const settings = { ...config, repullAfterHours: 0 };
    const { domo, store, watermark } = await behindThenOneCatchUpRun(settings);
    const from = await watermark();
    const before = domo.queries.length;
    await runIngest(
      { ...quietIngestDeps(domo, store, catchUpNow), remainingTimeMs: runningOutAfter(store, 3) },
      settings,
      hourly,
    );
    const next = domo.queries.slice(before);
    expect(next.some(asksFor(from - HOUR_MS))).toBe(true);
    expect(next.some(asksFor(from - 2 * HOUR_MS))).toBe(true);
  });

  it('pulls the lookback of a watermark moved on by hand: its hours due no later pull were never read', async () => {
    const { domo, store } = setup();
    // As docs/operations.md says to skip hours: the watermark and repull_from_ms moved on together.
    await advanceStoredCheckpoint(store, 'acme', {
      watermarkMs: hour(24),
      repull: { repull_from_ms: hour(24) },
      runId: 'by-hand',
      codeVersion: 'test',
      now: catchUpNow,
    });
    await runIngest(
      { ...quietIngestDeps(domo, store, catchUpNow), remainingTimeMs: runningOutAfter(store, 3) },
      config,
      hourly,
    );
    expect(domo.queries.some(asksFor(hour(22)))).toBe(true);
    expect(domo.queries.some(asksFor(hour(23)))).toBe(true);
  });

  it('pulls the lookback of hours read young, and stores what Domo served late in them', async () => {
    const { domo, store, watermark } = setup();
    await runIngest(
      quietIngestDeps(domo, store, hour(0) + 30 * 60_000),
      { ...config, backfillDays: 1 },
      hourly,
    );
    // An hour after, Domo serves an entry late for the hour before the watermark.
    domo.add(viewEntry(hour(-1) + 45 * 60_000, 1_000_000));
    const summary = await runIngest(quietIngestDeps(domo, store, hour(1) + 30 * 60_000), config, hourly);
    expect(summary.lateEvents).toBe(1);
    expect(await watermark()).toBe(hour(1));
  });
});

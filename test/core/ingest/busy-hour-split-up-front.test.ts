import { describe, expect, it } from 'vitest';
import type { AuditQuery } from '../../../functions/core/domo/audit-source.ts';
import { fetchRange } from '../../../functions/core/ingest/fetch-range.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { DAY_MS, HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

/*
 * An hour that needs more than `maxPagesPerRange` pages used to be read that deep, thrown away and
 * read again in halves (review 36: 60,000 events cost 112 requests for a minimum of 61). When the
 * hours the run has seen say it is that busy, it is split before its first page. Pages are 1,000
 * entries; `maxPagesPerRange` is 5 here so that a busy hour is 6,000 entries, not 60,000.
 */

const day0 = Date.parse('2026-10-01T00:00:00Z');
const config = { ...defaultIngestConfig('acme'), concurrency: 1, maxPagesPerRange: 5 };
const PER_BUSY_HOUR = 6_000;

/** `perHour[i]` entries spread evenly over hour i from day0. */
function domo(perHour: number[]): MemoryAuditSource {
  const source = new MemoryAuditSource();
  perHour.forEach((n, h) => {
    for (let i = 0; i < n; i++)
      source.add(viewEntry(day0 + h * HOUR_MS + Math.floor((i * HOUR_MS) / n), h * 100_000 + i));
  });
  return source;
}

/** Pulls the hours from `fromHour` to `toHour` (exclusive) of day0, one hour per span. */
const pullHours = (source: MemoryAuditSource, store: MemoryObjectStore, fromHour: number, toHour: number) =>
  runIngest(quietIngestDeps(source, store, day0 + 2 * DAY_MS), config, {
    range: { fromMs: day0 + fromHour * HOUR_MS, toMs: day0 + toHour * HOUR_MS },
    spanSizing: { targetEvents: 1, maxHours: 1 },
  });

/** Requests to read `n` entries in one paging sequence of 1,000-entry pages re-reading 2 rows each. */
const oneSequence = (n: number) => Math.ceil((n - 2) / 998) + (n % 998 === 2 ? 1 : 0);

describe('a busy hour', () => {
  it('is split before its first page when the hour before the range was as busy', async () => {
    const source = domo([PER_BUSY_HOUR, PER_BUSY_HOUR]);
    const store = new MemoryObjectStore();
    // Nothing known: 5 pages read for nothing, then the halves.
    const first = await pullHours(source, store, 0, 1);
    expect(first.eventsWritten).toBe(PER_BUSY_HOUR);
    // 01:00, with 00:00's manifest saying 6,000: two halves of 3,000 from the start.
    const known = await pullHours(source, store, 1, 2);
    expect(known.eventsWritten).toBe(PER_BUSY_HOUR);
    expect(first.requests).toBeGreaterThanOrEqual(known.requests + config.maxPagesPerRange);
    expect(known.requests).toBeLessThanOrEqual(2 * oneSequence(PER_BUSY_HOUR / 2));
  });

  it('is split before its first page once the run has read a busy hour', async () => {
    const source = domo([PER_BUSY_HOUR, PER_BUSY_HOUR, PER_BUSY_HOUR]);
    const alone = await pullHours(source, new MemoryObjectStore(), 0, 1);
    source.queries.length = 0;
    const three = await pullHours(source, new MemoryObjectStore(), 0, 3);
    expect(three.eventsWritten).toBe(3 * PER_BUSY_HOUR);
    // The first hour as when read alone; the two after it in halves from the start.
    expect(three.requests).toBeLessThanOrEqual(alone.requests + 2 * 2 * oneSequence(PER_BUSY_HOUR / 2));
  });

  it('costs a request or two more when the hour proves quieter than the one before', async () => {
    const source = domo([PER_BUSY_HOUR, 2_000]);
    const store = new MemoryObjectStore();
    await pullHours(source, store, 0, 1);
    const quiet = await pullHours(source, store, 1, 2);
    const fresh = await pullHours(source, new MemoryObjectStore(), 1, 2);
    expect(quiet.eventsWritten).toBe(2_000);
    expect(quiet.requests - fresh.requests).toBeLessThanOrEqual(2);
  });

  it('leaves quiet hours after it whole: small pages say nothing of the page size', async () => {
    // Review 36: sized by the largest page served (3 entries) instead of the page asked for, a
    // quiet hour after a known busy one was split down to ~50-entry pieces: 4,146 requests for 3
    // events after an hour of 60,000, and a budget-bound run that never moved its watermark.
    const source = domo([PER_BUSY_HOUR, ...Array(6).fill(3)]);
    const store = new MemoryObjectStore();
    await pullHours(source, store, 0, 1);
    const quiet = await pullHours(source, store, 1, 7);
    const fresh = await pullHours(source, new MemoryObjectStore(), 1, 7);
    expect(quiet.eventsWritten).toBe(18);
    // Each quiet hour is still expected as busy as the run's peak (6,000: two halvings to fit 5
    // pages), so it costs up to 3 requests more than read whole, never thousands.
    expect(quiet.requests).toBeLessThanOrEqual(fresh.requests + 3 * 6);
  });

  it('is split before its first page by the page size an API that serves fewer than asked keeps to', async () => {
    // Sized by the page asked for (1,000), an API serving 400 a page made each known-busy hour read
    // its cap's worth of pages for nothing first (review 36: ~35 % more requests).
    class Clamped extends MemoryAuditSource {
      override async fetchPage(query: AuditQuery) {
        return super.fetchPage({ ...query, limit: Math.min(query.limit, 400) });
      }
    }
    const source = new Clamped(domo([3_000, 3_000, 3_000]).entries);
    const three = await pullHours(source, new MemoryObjectStore(), 0, 3);
    expect(three.eventsWritten).toBe(9_000);
    // The first hour reads 5 pages, throws them away and reads its halves (~9 pages); the two after
    // it are split from their first page: ~4 pages a half.
    const perHalf = Math.ceil(1_500 / 398) + 1;
    expect(three.requests).toBeLessThanOrEqual(config.maxPagesPerRange + 3 * 2 * perHalf);
  });

  it('keeps quiet hours cheap after a read of fat entries an API cuts its pages for by bytes', async () => {
    // Sized by such a read's pages (a few fat entries each), every quiet hour after a known busy one
    // cost ~130 requests (re-review): the page size taken is at least a quarter of the one asked.
    // Cut at 256 KiB, above a page of 1,000 thin entries (~196 KB): 10 fat entries of 25,000 bytes
    // a page, as 1 MiB pages of 100 KB entries would be, with a quarter of the bytes to hash and gzip.
    // The busy hour is 6,000 at 5 pages a range (not 60,000 at 50): each quiet hour is cut into 8
    // pieces with the quarter (750 entries fit 5 pages of 250), 256 when sized by pages of 10.
    const CUT_BYTES = 256 * 1024;
    class CutByBytes extends MemoryAuditSource {
      override async fetchPage(query: AuditQuery) {
        const page = await super.fetchPage(query);
        let n = 0;
        for (let bytes = 2; n < page.entries.length; n++) {
          bytes += (page.entryTexts[n] as string).length + 1;
          if (bytes > CUT_BYTES) break;
        }
        n = Math.max(n, 1);
        return { ...page, entries: page.entries.slice(0, n), entryTexts: page.entryTexts.slice(0, n) };
      }
    }
    const source = new CutByBytes(domo([PER_BUSY_HOUR]).entries);
    for (let i = 0; i < 300; i++) {
      const fat = viewEntry(day0 + HOUR_MS + i * 10_000, 200_000 + i);
      (fat.entry as Record<string, unknown>).changes = 'x'.repeat(25_000);
      // Its text made once, not again on every page that serves it (seconds of JSON.stringify).
      source.add({ ...fat, text: JSON.stringify(fat.entry) });
    }
    for (let h = 2; h <= 7; h++)
      for (let i = 0; i < 3; i++) source.add(viewEntry(day0 + h * HOUR_MS + i * 60_000, h * 100_000 + i));
    const store = new MemoryObjectStore();
    const pull = (from: number, to: number) =>
      runIngest(quietIngestDeps(source, store, day0 + 2 * DAY_MS), config, {
        range: { fromMs: day0 + from * HOUR_MS, toMs: day0 + to * HOUR_MS },
      });
    await pull(0, 1);
    source.queries.length = 0;
    expect((await pull(1, 8)).eventsWritten).toBe(318);
    const quietRequests = source.queries.filter((q) => q.end > day0 + 2 * HOUR_MS).length;
    expect(quietRequests).toBeLessThanOrEqual(6 * 8);
  });

  it('still splits when full if it holds more than expected, and keeps every entry once', async () => {
    // Pages of 100 (fetchRange takes a page size; the ingest asks 1,000): the same splits with a
    // tenth of the entries. Expected 600: halves of 300 fit 5 pages; each holds 1,200 and splits.
    const expected = PER_BUSY_HOUR / 10;
    const source = domo([4 * expected]);
    const read = await fetchRange(source, day0, day0 + HOUR_MS, {
      maxPagesPerRange: config.maxPagesPerRange,
      pageSize: 100,
      expectedEntries: expected,
      timeOf: (entry) => (entry as { time: number }).time,
    });
    const times = read.entries.map((e) => (e.value as { time: number }).time);
    expect(new Set(times).size).toBe(4 * expected);
    expect(times).toHaveLength(4 * expected);
    expect(read.requests).toBe(source.queries.length);
  });
});

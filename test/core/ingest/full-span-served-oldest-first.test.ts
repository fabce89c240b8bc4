/**
 * A span too full for its page budget keeps the hours its pages completed, which holds only when
 * Domo serves newest first (third-party evidence, not documented for /v1/audit). An API serving
 * another order must not make a read of part of a span pass for complete hours: every entry is
 * still stored once.
 */
import { describe, expect, it } from 'vitest';
import type { AuditPage, AuditQuery, AuditSource } from '../../../functions/core/domo/audit-source.ts';
import { fetchSpan } from '../../../functions/core/ingest/fetch-span.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, type MemoryEntry, viewEntry } from '../../support/memory-audit-source.ts';

const t0 = Date.parse('2026-11-01T04:00:00Z');

/** Domo serving the window's entries in the order `compare` gives, paged by offset. */
class OrderedSource implements AuditSource {
  readonly queries: AuditQuery[] = [];
  constructor(
    private readonly entries: MemoryEntry[],
    private readonly compare: (a: number, b: number) => number,
  ) {}
  async fetchPage(query: AuditQuery): Promise<AuditPage> {
    this.queries.push(query);
    const rows = this.entries
      .filter((e) => e.timeMs >= query.start && e.timeMs <= query.end)
      .sort((a, b) => this.compare(a.timeMs, b.timeMs))
      .slice(query.offset, query.offset + query.limit);
    return {
      entries: rows.map((e) => e.entry),
      entryTexts: rows.map((e) => JSON.stringify(e.entry)),
      requests: 1,
    };
  }
}

const oldestFirst = (a: number, b: number) => a - b;
/** Newest second first, the milliseconds of one second oldest first: an order by the second. */
const bySecond = (a: number, b: number) => Math.floor(b / 1000) - Math.floor(a / 1000) || a - b;

describe('a full span served oldest first', () => {
  it('keeps no hour its pages only seem to complete: every entry is read once', async () => {
    // A busy first hour fills the 2-page budget; the three after it are quiet. Served oldest
    // first, the pages hold the first hour only, and the hours after it would pass for complete
    // and empty.
    const entries = [
      ...Array.from({ length: 2_100 }, (_, i) => viewEntry(t0 + i * 1_500, i)),
      ...Array.from({ length: 300 }, (_, i) => viewEntry(t0 + HOUR_MS + i * 36_000, i)),
    ];
    const read = (source: AuditSource) =>
      fetchSpan(
        source,
        { startMs: t0, endMs: t0 + 4 * HOUR_MS },
        { docTimeZone: 'UTC', maxPagesPerHour: 50, maxPagesPerSpan: 2 },
      );
    // Each hour's own entries (a read may hand an hour its neighbours at the edges too, which the
    // store leaves to the hour they belong to).
    const own = (span: Awaited<ReturnType<typeof read>>) =>
      span.hours.map((h) =>
        h.entries
          .map((e) => (e.value as { time: number }).time)
          .filter((ms) => ms >= h.startMs && ms < h.startMs + HOUR_MS)
          .sort((a, b) => a - b),
      );
    const servedOldestFirst = await read(new OrderedSource(entries, oldestFirst));
    const newestFirst = await read(new MemoryAuditSource(entries));
    expect(own(newestFirst).map((times) => times.length)).toEqual([2_100, 100, 100, 100]);
    expect(own(servedOldestFirst)).toEqual(own(newestFirst));
  });

  it('takes a read ordered by the second, any order within it, as newest first (review R-MINE5 F2)', async () => {
    // Three entries a second, at +0, +300 and +600 ms, in a busy hour and two quiet ones.
    const entries = [
      ...Array.from({ length: 3_600 }, (_, i) =>
        viewEntry(t0 + Math.floor(i / 3) * 1_000 + (i % 3) * 300, i),
      ),
      ...Array.from({ length: 200 }, (_, i) => viewEntry(t0 + HOUR_MS + i * 36_000, i)),
    ];
    const span = { startMs: t0, endMs: t0 + 3 * HOUR_MS };
    const options = { docTimeZone: 'UTC', maxPagesPerHour: 50, maxPagesPerSpan: 2 };
    const strict = new OrderedSource(entries, (a, b) => b - a);
    const seconds = new OrderedSource(entries, bySecond);
    const strictRead = await fetchSpan(strict, span, options);
    const secondsRead = await fetchSpan(seconds, span, options);
    expect(seconds.queries.length).toBe(strict.queries.length);
    expect(secondsRead.hours.map((h) => h.entries.length)).toEqual(
      strictRead.hours.map((h) => h.entries.length),
    );
  });
});

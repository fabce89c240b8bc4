/**
 * A span too full for its page budget keeps the hours its pages completed, which holds only when
 * Domo serves newest first (third-party evidence, not documented for /v1/audit). An API serving
 * another order must not make a read of part of a span pass for complete hours: every entry is
 * still stored once.
 */
import { describe, expect, it } from 'vitest';
import type { AuditPage, AuditQuery, AuditSource } from '../../../functions/core/domo/audit-source.ts';
import { fetchSpan } from '../../../functions/core/ingest/fetch-span.ts';
import { HOUR_MS } from '../../../functions/core/lake/layout.ts';
import { MemoryAuditSource, type MemoryEntry, viewEntry } from '../../support/memory-audit-source.ts';

const t0 = Date.parse('2026-11-01T04:00:00Z');

/** Domo serving the window's entries oldest first, paged by offset. */
class OldestFirstSource implements AuditSource {
  constructor(private readonly entries: MemoryEntry[]) {}
  async fetchPage(query: AuditQuery): Promise<AuditPage> {
    const rows = this.entries
      .filter((e) => e.timeMs >= query.start && e.timeMs <= query.end)
      .sort((a, b) => a.timeMs - b.timeMs)
      .slice(query.offset, query.offset + query.limit);
    return {
      entries: rows.map((e) => e.entry),
      entryTexts: rows.map((e) => JSON.stringify(e.entry)),
      requests: 1,
    };
  }
}

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
    const oldestFirst = await read(new OldestFirstSource(entries));
    const newestFirst = await read(new MemoryAuditSource(entries));
    expect(own(newestFirst).map((times) => times.length)).toEqual([2_100, 100, 100, 100]);
    expect(own(oldestFirst)).toEqual(own(newestFirst));
  });
});

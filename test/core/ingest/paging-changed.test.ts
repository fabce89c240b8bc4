import { describe, expect, it } from 'vitest';
import type { AuditQuery } from '../../../functions/core/domo/audit-source.ts';
import { DomoAnswerShapeError } from '../../../functions/core/domo/errors.ts';
import { fetchRange, PagesShiftedError } from '../../../functions/core/ingest/fetch-range.ts';
import { nothingServedYet } from '../../../functions/core/ingest/page-end.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, type MemoryEntry, viewEntry } from '../../support/memory-audit-source.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const timeOf = (entry: unknown) => (entry as { time: number }).time;
const hour = (): MemoryEntry[] =>
  Array.from({ length: 100 }, (_, i) => viewEntry(day0 + 1_000 + i * 30_000, i));
const read = (source: MemoryAuditSource) =>
  fetchRange(source, day0, day0 + HOUR_MS, {
    maxPagesPerRange: 50,
    timeOf,
    pageSize: 30,
    largestPage: nothingServedYet(),
  }).catch((e: unknown) => e);

/** Each page past the first starts with the row before its offset: pages overlap by one row. */
class OverlappingPages extends MemoryAuditSource {
  override async fetchPage(query: AuditQuery) {
    if (query.offset === 0) return super.fetchPage(query);
    return super.fetchPage({ ...query, offset: query.offset - 1 });
  }
}

/** Each page's rows in reverse order: out of time order, the same way on every request. */
class ReversedPages extends MemoryAuditSource {
  override async fetchPage(query: AuditQuery) {
    const page = await super.fetchPage(query);
    return { ...page, entries: [...page.entries].reverse(), entryTexts: [...page.entryTexts].reverse() };
  }
}

/** An event added above the rows read after each first page: Domo's entries change mid-read. */
class GrowingHour extends MemoryAuditSource {
  private added = 0;
  override async fetchPage(query: AuditQuery) {
    if (query.offset > 0) this.add(viewEntry(day0 + HOUR_MS - 1 - this.added, 500 + this.added++));
    return super.fetchPage(query);
  }
}

describe('pages that fail the re-read check the same way on every read (review R-DRIFT M5)', () => {
  it.each([
    ['overlap by a row', new OverlappingPages(hour())],
    ['hold their rows out of time order', new ReversedPages(hour())],
  ])('that %s: said to be a paging changed, a configuration failure', async (_, source) => {
    const error = await read(source);
    // Before: "changed while they were being paged … run again to retry", on every run.
    expect(error).toBeInstanceOf(DomoAnswerShapeError);
    expect((error as Error).message).toMatch(
      /^Domo's pages of 2026-10-01T00:00:00\.000Z\.\.2026-10-01T01:00:00\.000Z do not follow on from each other, the same way on every read \(they overlap, skip entries, or hold them out of time order\): 4 reads from the start each found the same entries at offset \d+/,
    );
    expect((error as Error).message).toContain('Its paging changed, not its entries');
  });

  it('that change between reads: as before, entries changed while they were paged', async () => {
    const error = await read(new GrowingHour(hour()));
    expect(error).toBeInstanceOf(PagesShiftedError);
    expect((error as Error).message).toMatch(/changed while they were being paged/);
  });
});

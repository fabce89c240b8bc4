import { describe, expect, it } from 'vitest';
import type { AuditQuery } from '../../../functions/core/domo/audit-source.ts';
import { fetchRange } from '../../../functions/core/ingest/fetch-range.ts';
import { LongTieError } from '../../../functions/core/ingest/long-tie-error.ts';
import { nothingServedYet } from '../../../functions/core/ingest/page-end.ts';
import { MemoryAuditSource, type MemoryEntry } from '../../support/memory-audit-source.ts';

// Review R-PG (stop 51): entries deleted while a range is paged (an entry removed above, or
// retention at the old end) on a server that keeps ties in one order.
const t0 = Date.parse('2026-10-01T00:00:00Z');
const HOUR = 3_600_000;
const timeOf = (e: unknown) => (e as { time: number }).time;
const idsOf = (xs: readonly { value: unknown }[]) => xs.map((e) => (e.value as { id: string }).id).sort();

/** Newest first, ties in a stable order; `change` runs before the request numbered `at` (from 0). */
class ChangingSource extends MemoryAuditSource {
  private requests = 0;
  constructor(
    entries: MemoryEntry[],
    private readonly at: number,
    private readonly change: (source: ChangingSource) => void,
  ) {
    super(entries);
  }
  override async fetchPage(query: AuditQuery) {
    if (this.requests++ === this.at) this.change(this);
    return super.fetchPage(query);
  }
}

const row = (id: string, time: number): MemoryEntry => ({ timeMs: time, entry: { id, time } });
const read = (source: MemoryAuditSource, pageSize: number) =>
  fetchRange(source, t0, t0 + HOUR, {
    maxPagesPerRange: 50,
    timeOf,
    pageSize,
    largestPage: nothingServedYet(),
  });

describe('rows deleted while a range is paged', () => {
  it('above a run of one time too long to re-read that ends the range: no other row is lost', async () => {
    // 11 rows of their own times, then 8 of one millisecond (page 8: the run and the row before it
    // fill a page, so the run cannot be re-read whole).
    const rows = Array.from({ length: 11 }, (_, i) => row(`d${i}`, t0 + HOUR - 1000 * (i + 1)));
    const tie = t0 + HOUR - 20_000;
    for (let i = 0; i < 8; i++) rows.push(row(`t${i}`, tie));
    // Before the 4th request, a row read already (d3) is deleted: every row moves up by one, so
    // the last page holds 8 rows of the run's time, one of them never read. Taken for the run's
    // own rows, the range was stored without t7. It cannot be told from a changing order, so the
    // range fails and is read again next run: nothing is lost.
    const source = new ChangingSource(rows, 3, (s) => s.entries.splice(3, 1));
    await expect(read(source, 8)).rejects.toThrow(LongTieError);
  });

  it('the last row read vanishing before the last page is read again, not taken for a long run of one time', async () => {
    const rows = Array.from({ length: 18 }, (_, i) => row(`d${i}`, t0 + HOUR - 1000 * (i + 1)));
    const source = new ChangingSource(rows, 2, (s) => s.entries.splice(17, 1));
    const read10 = await read(source, 10);
    expect(idsOf(read10.entries)).toEqual(
      rows
        .slice(0, 17)
        .map((r) => (r.entry as { id: string }).id)
        .sort(),
    );
  });
});

import { describe, expect, it } from 'vitest';
import type { AuditSource } from '../../../functions/core/domo/audit-source.ts';
import { fetchRange } from '../../../functions/core/ingest/fetch-range.ts';

type Row = { time: number; n: number; kind: string };

/** The JSON text of a row with its keys in reverse order: the same entry, other bytes. */
const reversed = (row: Row) => JSON.stringify(Object.fromEntries(Object.entries(row).reverse()));

/**
 * Newest first, as Domo pages; every page after the first serves its rows' text with the keys in
 * another order (a different server behind the load balancer, say), values unchanged.
 */
function source(rows: Row[]) {
  const offsets: number[] = [];
  const audit: AuditSource = {
    async fetchPage(query) {
      offsets.push(query.offset);
      const inRange = rows
        .filter((row) => row.time >= query.start && row.time <= query.end)
        .sort((a, b) => b.time - a.time);
      const entries = inRange.slice(query.offset, query.offset + query.limit);
      const text = query.offset === 0 ? (row: Row) => JSON.stringify(row) : reversed;
      return { entries, entryTexts: entries.map(text), requests: 1 };
    },
  };
  return { audit, offsets };
}

// Each page re-reads the last rows of the one before to prove nothing shifted. A row re-served in
// another key order is the same row: were only identical text the same, every such page would
// look shifted, the range would be re-read until the restarts ran out, and the hour would fail.
describe('re-read rows served in another key order', () => {
  it('count as the same rows: the range is read once, each row kept once', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => ({ time: 1_000 + i, n: i, kind: 'VIEWED' }));
    const { audit, offsets } = source(rows);
    const result = await fetchRange(audit, 1_000, 2_000, {
      maxPagesPerRange: 50,
      pageSize: 10,
      timeOf: (entry) => (entry as Row).time,
    });
    expect(offsets.filter((offset) => offset === 0)).toHaveLength(1);
    expect(result.entries.map((e) => (e.value as Row).n).sort((a, b) => a - b)).toEqual(rows.map((r) => r.n));
    // The re-read rows keep the text first served: the lake's raw is what Domo sent first.
    expect(result.entries.slice(0, 10).map((e) => e.text)).toEqual(
      rows
        .slice(-10)
        .reverse()
        .map((row) => JSON.stringify(row)),
    );
  });
});

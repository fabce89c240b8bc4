import { describe, expect, it } from 'vitest';
import type { AuditQuery, AuditSource } from '../../../functions/core/domo/audit-source.ts';
import { fetchRange, PagesShiftedError } from '../../../functions/core/ingest/fetch-range.ts';

/** An in-memory audit source: newest first, inclusive bounds, like Domo. */
function memorySource(times: number[], hooks: { beforePage?: (q: AuditQuery, n: number) => void } = {}) {
  const queries: AuditQuery[] = [];
  const data = times.map((time, i) => ({ time, n: i }));
  const source: AuditSource = {
    async fetchPage(query) {
      hooks.beforePage?.(query, queries.length);
      queries.push(query);
      const rows = data
        .filter((e) => e.time >= query.start && e.time <= query.end)
        .sort((a, b) => b.time - a.time || a.n - b.n);
      return { entries: rows.slice(query.offset, query.offset + query.limit), requests: 1 };
    },
  };
  return { source, queries, data };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => 1_000 + i);

describe('fetchRange', () => {
  it('pages until an empty page, re-reading one entry per page to detect shifts', async () => {
    const { source, queries } = memorySource(range(25));
    const result = await fetchRange(source, 0, 10_000, { maxPagesPerRange: 50, pageSize: 10 });
    expect(result.entries).toHaveLength(25);
    expect(new Set(result.entries.map((e) => (e as { n: number }).n)).size).toBe(25);
    expect(queries.map((q) => q.offset)).toEqual([0, 9, 18, 24]);
    expect(result.pages).toBe(4);
  });

  it('re-reads the range when an event arrives mid-paging, so no row is read twice', async () => {
    const mem = memorySource(range(25), {
      beforePage: (_q, n) => {
        // A late event newer than everything read so far lands before the second page.
        if (n === 1) mem.data.push({ time: 5_000, n: 99 });
      },
    });
    const result = await fetchRange(mem.source, 0, 10_000, { maxPagesPerRange: 50, pageSize: 10 });
    const ns = result.entries.map((e) => (e as { n: number }).n);
    expect(ns).toHaveLength(26);
    expect(new Set(ns).size).toBe(26);
  });

  it('gives up with a clear error when the range never holds still', async () => {
    let next = 10_000;
    const mem = memorySource(range(30), {
      beforePage: (q) => {
        if (q.offset > 0) mem.data.push({ time: 5_000, n: next++ });
      },
    });
    await expect(
      fetchRange(mem.source, 0, 10_000, { maxPagesPerRange: 50, pageSize: 10, maxRestarts: 2 }),
    ).rejects.toThrow(PagesShiftedError);
  });

  it('splits a range that needs too many pages and still returns every entry once', async () => {
    const { source, queries } = memorySource(range(100));
    const result = await fetchRange(source, 1_000, 1_099, { maxPagesPerRange: 3, pageSize: 10 });
    const ns = result.entries.map((e) => (e as { n: number }).n).sort((a, b) => a - b);
    expect(ns).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Math.max(...queries.map((q) => q.offset))).toBeLessThan(30);
  });
});

import { describe, expect, it } from 'vitest';
import type { AuditQuery, AuditSource } from '../../../functions/core/domo/audit-source.ts';
import { fetchRange, PagesShiftedError, RangeFullError } from '../../../functions/core/ingest/fetch-range.ts';
import { nothingServedYet } from '../../../functions/core/ingest/page-end.ts';

type Row = { time: number; n: number };
type Bounds = { startInclusive: boolean; endInclusive: boolean };

/** An in-memory audit source: newest first, stable ties, with Domo's undocumented bound semantics as a knob. */
function memorySource(
  times: number[],
  hooks: {
    beforePage?: (q: AuditQuery, n: number) => void;
    bounds?: Bounds;
    same?: (i: number) => boolean;
  } = {},
) {
  const queries: AuditQuery[] = [];
  const data: Row[] = times.map((time, i) => ({ time, n: hooks.same?.(i) ? -1 : i }));
  const { startInclusive = true, endInclusive = true } = hooks.bounds ?? {};
  const source: AuditSource = {
    async fetchPage(query) {
      hooks.beforePage?.(query, queries.length);
      queries.push(query);
      const rows = data
        .map((row, i) => ({ row, i }))
        .filter(({ row }) => (startInclusive ? row.time >= query.start : row.time > query.start))
        .filter(({ row }) => (endInclusive ? row.time <= query.end : row.time < query.end))
        .sort((a, b) => b.row.time - a.row.time || a.i - b.i)
        .map(({ row }) => row);
      const entries = rows.slice(query.offset, query.offset + query.limit);
      return { entries, entryTexts: entries.map((entry) => JSON.stringify(entry)), requests: 1 };
    },
  };
  return { source, queries, data };
}

const timeOf = (entry: unknown) => (entry as Row).time;
const options = { maxPagesPerRange: 50, pageSize: 10, timeOf };
const ns = (entries: { value: unknown }[]) => entries.map((e) => (e.value as Row).n);
const sequence = (n: number, step = 1) => Array.from({ length: n }, (_, i) => 1_000 + i * step);

describe('fetchRange', () => {
  it('asks one ms early and up to the end, and pages until an empty page', async () => {
    const { source, queries } = memorySource(sequence(25));
    const result = await fetchRange(source, 1_000, 2_000, options);
    expect(new Set(ns(result.entries)).size).toBe(25);
    expect(result.entries).toHaveLength(25);
    expect(queries[0]).toMatchObject({ start: 999, end: 2_000, offset: 0, limit: 10 });
    expect(queries.at(-1)?.offset).toBe(23);
    expect(result.pages).toBe(queries.length);
  });

  it('re-reads the range when an event arrives mid-paging, so no row is read twice', async () => {
    const mem = memorySource(sequence(25), {
      beforePage: (_q, n) => {
        if (n === 1) mem.data.push({ time: 1_900, n: 99 });
      },
    });
    const result = await fetchRange(mem.source, 1_000, 2_000, options);
    expect(result.entries).toHaveLength(26);
    expect(new Set(ns(result.entries)).size).toBe(26);
  });

  it('notices a shift even when identical twins end the page', async () => {
    // Rows 8 and 9 (the last two of the first page, newest first) are identical twins.
    const times = sequence(25).reverse();
    times[9] = times[8] ?? 0;
    const mem = memorySource(times, {
      same: (i) => i === 8 || i === 9,
      beforePage: (_q, n) => {
        if (n === 1) mem.data.push({ time: 5_000, n: 99 });
      },
    });
    const result = await fetchRange(mem.source, 1_000, 6_000, options);
    const twins = result.entries.filter((e) => (e.value as Row).n === -1);
    expect(twins).toHaveLength(2);
    expect(result.entries).toHaveLength(26);
    expect(ns(result.entries)).toContain(99);
  });

  it('gives up with a clear error when the range never holds still', async () => {
    let next = 10_000;
    const mem = memorySource(sequence(30), {
      beforePage: (q) => {
        if (q.offset > 0) mem.data.push({ time: 1_500, n: next++ });
      },
    });
    await expect(fetchRange(mem.source, 1_000, 2_000, { ...options, maxRestarts: 2 })).rejects.toThrow(
      PagesShiftedError,
    );
    // The first read and 2 restarts, each from the start: no third restart.
    expect(mem.queries.filter((q) => q.offset === 0)).toHaveLength(3);
  });

  it('says the API ignores offset when a later page serves the first rows again', async () => {
    const mem = memorySource(sequence(30));
    const ignoring: AuditSource = {
      fetchPage: (query, signal) => mem.source.fetchPage({ ...query, offset: 0 }, signal),
    };
    const failure = fetchRange(ignoring, 1_000, 2_000, { ...options, maxRestarts: 1 });
    await expect(failure).rejects.toThrow(PagesShiftedError);
    await expect(failure).rejects.toThrow(
      /served the first entries of .* again when asked for those from offset \d+ on: the API at this address ignores `offset`/,
    );
  });

  it('still says the entries changed when a later page is neither the next rows nor the first', async () => {
    let next = 10_000;
    const mem = memorySource(sequence(30), {
      beforePage: (q) => {
        if (q.offset > 0) mem.data.push({ time: 1_500, n: next++ });
      },
    });
    await expect(fetchRange(mem.source, 1_000, 2_000, { ...options, maxRestarts: 1 })).rejects.toThrow(
      /changed while they were being paged$/,
    );
  });

  for (const bounds of [
    { startInclusive: true, endInclusive: true },
    { startInclusive: false, endInclusive: true },
    { startInclusive: true, endInclusive: false },
    { startInclusive: false, endInclusive: false },
  ]) {
    it(`splits a busy range at whole seconds and returns every entry once (start ${bounds.startInclusive ? 'inclusive' : 'exclusive'}, end ${bounds.endInclusive ? 'inclusive' : 'exclusive'})`, async () => {
      // One entry per second over [0, 100 s), two twins in second 37, and a neighbour on each side.
      const times = [...Array.from({ length: 100 }, (_, i) => i * 1_000), 37_000, -1, 100_000];
      const mem = memorySource(times, { bounds, same: (i) => i === 37 || i === 100 });
      const result = await fetchRange(mem.source, 0, 100_000, { ...options, maxPagesPerRange: 3 });
      const owned = result.entries.filter((e) => timeOf(e.value) >= 0 && timeOf(e.value) < 100_000);
      expect(owned).toHaveLength(101);
      expect(owned.filter((e) => (e.value as Row).n === -1)).toHaveLength(2);
      expect(new Set(ns(owned).filter((n) => n !== -1)).size).toBe(99);
      expect(
        result.entries.filter((e) => timeOf(e.value) === -1 || timeOf(e.value) === 100_000).length,
      ).toBeLessThanOrEqual(2);
      expect(Math.max(...mem.queries.map((q) => q.offset))).toBeLessThan(30);
    });
  }

  it('returns the same entries split or not, one served at exactly the range end included', async () => {
    // 40 entries a minute apart from 1 h, and one at 2 h: the end, served by an inclusive end.
    const H = 3_600_000;
    const times = [...Array.from({ length: 40 }, (_, i) => H + i * 60_000), 2 * H];
    const split = await fetchRange(memorySource(times).source, H, 2 * H, { ...options, maxPagesPerRange: 2 });
    const whole = await fetchRange(memorySource(times).source, H, 2 * H, options);
    expect(ns(split.entries).sort((a, b) => a - b)).toEqual(ns(whole.entries).sort((a, b) => a - b));
    expect(ns(whole.entries)).toContain(40);
  });

  it('keeps entries it cannot place as often as the larger half holds them', async () => {
    const times = Array.from({ length: 60 }, (_, i) => i * 1_000);
    const mem = memorySource(times);
    // Every entry's time reads as unknown: none can be placed in a half.
    const result = await fetchRange(mem.source, 0, 60_000, {
      ...options,
      maxPagesPerRange: 3,
      timeOf: () => undefined,
    });
    expect(new Set(ns(result.entries)).size).toBe(60);
    expect(result.entries).toHaveLength(60);
  });

  it('ends a range on a page shorter than the limit once a page was full, never before', async () => {
    const largestPage = nothingServedYet();
    const first = memorySource(sequence(7));
    // Nothing known yet: a page of 7 may be Domo's clamp, so an empty page ends the range.
    const a = await fetchRange(first.source, 1_000, 2_000, { ...options, largestPage });
    expect(a.entries).toHaveLength(7);
    expect(first.queries).toHaveLength(2);
    expect(largestPage.entries).toBe(7);

    const second = memorySource(sequence(23));
    // Pages of 10 (the limit) show the API fills its pages; the page of 7 after them is the last
    // (short in bytes too: it has room for two more entries of the longest kind).
    const b = await fetchRange(second.source, 1_000, 2_000, { ...options, largestPage });
    expect(new Set(ns(b.entries)).size).toBe(23);
    expect(b.entries).toHaveLength(23);
    expect(second.queries.map((q) => q.offset)).toEqual([0, 8, 16]);
    expect(largestPage.entries).toBe(10);

    const nine = memorySource(sequence(25));
    // A last page of 9 has no such room: an API capping its pages by bytes could have cut it, so
    // the page holding nothing new ends the range.
    const d = await fetchRange(nine.source, 1_000, 2_000, { ...options, largestPage });
    expect(d.entries).toHaveLength(25);
    expect(nine.queries.map((q) => q.offset)).toEqual([0, 8, 16, 23]);

    const third = memorySource(sequence(18));
    // A last page as large as the largest proves nothing: the next page (the 2 re-read rows only,
    // the "empty page") ends the range.
    const c = await fetchRange(third.source, 1_000, 2_000, { ...options, largestPage });
    expect(c.entries).toHaveLength(18);
    expect(third.queries.map((q) => q.offset)).toEqual([0, 8, 16]);
  });

  it.each([
    // Pages cut by bytes, not by count: 7, 6, 7, 5 ... entries, never the 10 asked for.
    { caps: [7, 6, 7, 5], largest: 7 },
    // 9 of the 10 asked for is not a full page: a shorter one after it does not end the range.
    { caps: [9, 8, 9, 7], largest: 9 },
  ])(
    'reads to the empty page an API that caps its pages below the limit ($caps)',
    async ({ caps, largest }) => {
      const mem = memorySource(sequence(40));
      const capped: AuditSource = {
        async fetchPage(query) {
          const page = await mem.source.fetchPage(query);
          const cap = caps[mem.queries.length % caps.length] as number;
          return { ...page, entries: page.entries.slice(0, cap), entryTexts: page.entryTexts?.slice(0, cap) };
        },
      };
      const largestPage = nothingServedYet();
      const result = await fetchRange(capped, 1_000, 2_000, { ...options, largestPage });
      expect(new Set(ns(result.entries)).size).toBe(40);
      expect(largestPage.entries).toBe(largest);
    },
  );

  it('throws RangeFullError instead of splitting when asked to', async () => {
    const mem = memorySource(sequence(100));
    await expect(
      fetchRange(mem.source, 1_000, 2_000, { ...options, maxPagesPerRange: 3, whenFull: 'throw' }),
    ).rejects.toThrow(RangeFullError);
    expect(mem.queries).toHaveLength(3);
  });
});

import { describe, expect, it } from 'vitest';
import type { AuditQuery, AuditSource } from '../../../functions/core/domo/audit-source.ts';
import { DEEP_READ_PAGES, DeepOffsetCutError } from '../../../functions/core/ingest/deep-offset-probe.ts';
import { fetchRange } from '../../../functions/core/ingest/fetch-range.ts';
import { nothingServedYet } from '../../../functions/core/ingest/page-end.ts';
import { PagesStoppedError } from '../../../functions/core/ingest/pages-stopped-error.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { generateInstance, type SimEvent } from '../../../functions/simulator/index.ts';
import { clockFrom } from '../../support/clock-from.ts';
import { MemoryAuditSource, type MemoryEntry } from '../../support/memory-audit-source.ts';
import { ingestSimulated } from '../../support/simulated-ingest.ts';

// A server with a ceiling on its result window that does not say so (no 400) serves the pages past
// it short or empty, which reads like the end of the range: the rows past it would be lost unseen.
// A read deeper than DEEP_READ_PAGES pages asks for one row past its last, and splits if there is one.

const t0 = Date.parse('2026-10-01T00:00:00Z');
const timeOf = (entry: unknown) => (entry as { time: number }).time;
/** `count` rows `stepMs` apart, newest first from the end of the hour; `tieAt` positions share a time. */
const rows = (count: number, stepMs: number, tieAt: readonly number[] = []): MemoryEntry[] =>
  Array.from({ length: count }, (_, i) => {
    const position = tieAt.includes(i) ? (tieAt[0] as number) : i;
    const time = t0 + HOUR_MS - 1 - position * stepMs;
    return { timeMs: time, entry: { time, id: `e${i}` } };
  });
const ids = (entries: readonly { value: unknown }[]) =>
  entries.map((e) => (e.value as { id: string }).id).sort();
const held = (entries: readonly MemoryEntry[]) => ids(entries.map((e) => ({ value: e.entry })));

/** The memory source, except that no row of an answer past position `window` is ever served. */
class CutAt extends MemoryAuditSource {
  constructor(
    entries: MemoryEntry[],
    private readonly window: number,
  ) {
    super(entries);
  }

  override async fetchPage(query: AuditQuery) {
    return super.fetchPage({
      ...query,
      limit: Math.max(0, Math.min(query.limit, this.window - query.offset)),
    });
  }
}

/** The memory source, except that a page `past` a ceiling is served empty. */
class EmptyPast extends MemoryAuditSource {
  constructor(
    entries: MemoryEntry[],
    private readonly past: (query: AuditQuery) => boolean,
  ) {
    super(entries);
  }

  override async fetchPage(query: AuditQuery) {
    return super.fetchPage(this.past(query) ? { ...query, limit: 0 } : query);
  }
}

// As the ingest reads: a page short in count and bytes ends the range.
const read = (source: MemoryAuditSource, from = t0, to = t0 + HOUR_MS, pageSize = 10) =>
  fetchRange(source, from, to, {
    maxPagesPerRange: 50,
    timeOf,
    pageSize,
    largestPage: nothingServedYet(),
  });
const probes = (source: MemoryAuditSource) => source.queries.filter((q) => q.limit === 1);

describe('a server that silently serves deep offsets short', () => {
  it('is caught by one request past the last row read: the range is split and read whole', async () => {
    // 200 rows, pages of 10 (8 new each), rows past position 120 never served: 15 pages read.
    const entries = rows(200, 17_000);
    const source = new CutAt(entries, 120);
    const { entries: got, requests } = await read(source);
    expect(ids(got)).toEqual(held(entries));
    // Asked for rows older than the last one read, in the range: one row.
    const probe = probes(source)[0] as AuditQuery;
    expect(probe).toMatchObject({ start: t0 - 1, offset: 0, limit: 1 });
    expect(probe.end).toBeLessThan(t0 + HOUR_MS - 1 - 119 * 17_000);
    expect(source.queries.filter((q) => q.offset === 0 && q.limit === 10).length).toBeGreaterThan(1);
    expect(requests).toBe(source.queries.length);
  });

  it('sends no request more for a read of no more than the threshold pages', async () => {
    // 10 pages: 8 new rows a page after the first 10.
    const entries = rows(10 + 8 * (DEEP_READ_PAGES - 2), 17_000);
    const source = new CutAt(entries, 10_000);
    const { entries: got } = await read(source);
    expect(ids(got)).toEqual(held(entries));
    expect(source.queries).toHaveLength(DEEP_READ_PAGES);
    expect(probes(source)).toHaveLength(0);
  });

  it('is caught in 11 pages or fewer when the read ends where a round ceiling would cut it', async () => {
    // Pages of 100 (98 new each), rows past position 1,000 never served: the 11th page, asked from
    // 980, holds 20 and ends the read at 1,000, like a natural end but for the round number.
    const entries = rows(2_000, 1_700);
    const source = new CutAt(entries, 1_000);
    const { entries: got } = await read(source, t0, t0 + HOUR_MS, 100);
    expect(ids(got)).toEqual(held(entries));
    expect(source.queries.filter((q) => q.offset === 0 && q.limit === 100).length).toBeGreaterThan(1);
  });

  it.each([
    ['a page reaching past it', (window: number) => (q: AuditQuery) => q.offset + q.limit > window],
    ['a page from past it', (window: number) => (q: AuditQuery) => q.offset > window],
  ])('splits, never stores short nor fails as changed, a read served empty on %s', async (_, past) => {
    // The page asked for the rows it must re-read comes back empty: not the range's end, and not
    // a change either (read again whole, the same page comes back empty): a ceiling, read in halves.
    const entries = rows(200, 17_000);
    const source = new EmptyPast(entries, past(70));
    const { entries: got, requests } = await read(source);
    expect(ids(got)).toEqual(held(entries));
    expect(probes(source)).toHaveLength(0);
    expect(requests).toBe(source.queries.length);
  });

  it('fails a range of one second served empty past a ceiling, saying so, not as changed', async () => {
    const second = t0 + HOUR_MS - 1_000;
    const source = new EmptyPast(rows(200, 4), (q) => q.offset + q.limit > 70);
    const error = await read(source, second, t0 + HOUR_MS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PagesStoppedError);
    expect((error as Error).message).toBe(
      'Domo served 66 entries of 2026-10-01T00:59:59.000Z..2026-10-01T01:00:00.000Z and then no ' +
        'more, though it holds more: the page asked from offset 64 for the entries it had served ' +
        'there a request before came back empty. It stops paging at about 66 entries (a ' +
        'ceiling on its result window, answered with short or empty pages instead of an error), and ' +
        'this range (one second) cannot be read in smaller pieces. Nothing of ' +
        '2026-10-01T00:59:59.000Z..2026-10-01T01:00:00.000Z is written; the next run tries it again, ' +
        'and fails the same way while more than about 66 entries share one second. Check the API ' +
        "base address (Domo's is https://api.domo.com): a proxy or gateway in front of Domo may cap " +
        'how deep it pages.',
    );
    // Read again from the start (rows deleted mid-read look the same), each read stopping there.
    expect(source.queries.filter((q) => q.offset === 0)).toHaveLength(4);
  });

  // Rows 110-117 share a time, served in any order; rows past 116 are never served. The page
  // re-reading the 4 of them read (offset 109) is cut at 116: it holds 6 of the 8, and when the 4
  // are not all among them it looked like a change, failing as one after the reads again.
  const cutRun = Array.from({ length: 8 }, (_, i) => 110 + i);

  it('splits, never fails as changed, a read whose ceiling cuts a run of one time in any order', async () => {
    for (let seed = 0; seed < 20; seed++) {
      const entries = rows(200, 17_000, cutRun);
      const { entries: got } = await read(new CutAt(entries, 116).shuffleTies(seed));
      expect(ids(got)).toEqual(held(entries));
    }
  });

  it('fails a range of one second whose ceiling cuts a run of one time, saying so', async () => {
    // Read again each time (as after a change), the shuffle may bring the 4 rows back inside the
    // cut page: that read ends there, and the request past its last row finds the rest (the
    // message of deep offsets served short). Either way the ceiling is named, never a change.
    const second = t0 + HOUR_MS - 1_000;
    const errors: unknown[] = [];
    for (let seed = 0; seed < 20; seed++) {
      const source = new CutAt(rows(200, 4, cutRun), 116).shuffleTies(seed);
      errors.push(await read(source, second, t0 + HOUR_MS).catch((e: unknown) => e));
    }
    const stopped = errors.filter((e) => e instanceof PagesStoppedError);
    expect(errors.filter((e) => !(e instanceof DeepOffsetCutError))).toEqual(stopped);
    expect(stopped.length).toBeGreaterThan(0);
    expect((stopped[0] as Error).message).toMatch(
      /^Domo served 116 entries of 2026-10-01T00:59:59\.000Z\.\.2026-10-01T01:00:00\.000Z and then no more, though it holds more: the page asked from offset 109 for the entries it had served there a request before came back with 7 entries, short, some of them entries of one time not read before in place of ones that were\. It stops paging at about 116 entries/,
    );
  });

  it('asks once more when a natural end of 5 full pages or more falls on a round number', async () => {
    // 1,000 rows in pages of 100: the read ends on a short page at 1,000, and the probe finds none.
    const entries = rows(1_000, 1_700);
    const source = new CutAt(entries, 100_000);
    const { entries: got } = await read(source, t0, t0 + HOUR_MS, 100);
    expect(ids(got)).toEqual(held(entries));
    expect(probes(source)).toHaveLength(1);
    expect(source.queries.filter((q) => q.offset === 0)).toHaveLength(2);
  });

  it('sends no request more for a natural end anywhere else, or after fewer full pages', async () => {
    // Rows down to the range's start: rows that begin late have their short last page read past
    // once, as a cap dropped mid-read may have cut it (review R2-DRIFT), and a read of 10 full
    // pages then passes the deep-read probe's 11.
    for (const [count, pageSize] of [
      [999, 100],
      [1_001, 100],
      [1_000, 250],
    ] as const) {
      const source = new CutAt(rows(count, 3_590), 100_000);
      await read(source, t0, t0 + HOUR_MS, pageSize);
      expect(probes(source)).toHaveLength(0);
    }
  });

  it('does not split a deep read whose last rows share a time (the probe asks strictly past it)', async () => {
    const entries = rows(150, 17_000, [146, 147, 148, 149]);
    const source = new CutAt(entries, 10_000);
    const { entries: got } = await read(source);
    expect(ids(got)).toEqual(held(entries));
    expect(probes(source)).toHaveLength(1);
    expect(source.queries.filter((q) => q.offset === 0)).toHaveLength(2);
  });

  it('asks past the last row the other way when the rows come oldest first', async () => {
    const entries = rows(200, 17_000);
    const queries: AuditQuery[] = [];
    const source: AuditSource = {
      async fetchPage(query) {
        queries.push(query);
        const page = entries
          .filter((e) => e.timeMs >= query.start && e.timeMs <= query.end)
          .reverse()
          .slice(query.offset, Math.min(query.offset + query.limit, 120))
          .map((e) => e.entry);
        return { entries: page, entryTexts: page.map((e) => JSON.stringify(e)), requests: 1 };
      },
    };
    const { entries: got } = await fetchRange(source, t0, t0 + HOUR_MS, {
      maxPagesPerRange: 50,
      timeOf,
      pageSize: 10,
      largestPage: nothingServedYet(),
    });
    expect(ids(got)).toEqual(held(entries));
    const probe = queries.find((q) => q.limit === 1) as AuditQuery;
    expect(probe).toMatchObject({ end: t0 + HOUR_MS, offset: 0 });
    expect(probe.start).toBeGreaterThan(t0);
  });

  it('fails a range of one second it cannot split, saying what the server did', async () => {
    const second = t0 + HOUR_MS - 1_000;
    const entries = rows(200, 4);
    const source = new CutAt(entries, 120);
    const error = await read(source, second, t0 + HOUR_MS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeepOffsetCutError);
    expect((error as Error).message).toMatch(
      /^Domo served 120 entries of 2026-10-01T00:59:59\.000Z\.\.2026-10-01T01:00:00\.000Z in 16 pages and then no more, yet holds entries past the last of them \(one at 2026-10-01T00:59:59\.519Z\): it serves deep offsets short or empty without saying so/,
    );
  });

  it('lets an ingest over a simulator with a silent result window store a bulk action it cuts', async () => {
    // 14,000 events in the hour and a bulk action of 700 entries of one millisecond across position
    // 12,000, past which the simulator serves nothing, in a new order on each request: the page
    // re-reading the bulk action's first rows is cut inside it. It failed as changed while paged.
    const hour = Date.parse('2026-10-05T10:00:00Z');
    const base = generateInstance({ seed: 3, fromMs: hour, toMs: hour + HOUR_MS, users: 50 }).events;
    const entry = (i: number, name: string) => ({
      ...(base[i % base.length] as SimEvent).entry,
      objectName: name,
    });
    const events: SimEvent[] = Array.from({ length: 14_000 }, (_, i) => ({
      timeMs: hour + Math.floor((i * HOUR_MS) / 14_000),
      entry: entry(i, `card ${i}`),
    }));
    const bulkMs = (events[2_100] as SimEvent).timeMs;
    for (let i = 0; i < 700; i++) events.push({ timeMs: bulkMs, entry: entry(i, `bulk card ${i}`) });
    const clock = clockFrom(hour + 24 * HOUR_MS);
    const { summary, lake } = await ingestSimulated(
      { events, resultWindow: 12_000, shuffleTies: true, seed: 1 },
      { fromMs: hour, toMs: hour + HOUR_MS },
      { clock, config: { concurrency: 1 } },
    );
    expect(summary).toMatchObject({ failures: [], windowsDone: 1 });
    expect(lake).toMatchObject({ expectedEvents: 14_700, storedEvents: 14_700, lost: 0, duplicated: 0 });
  });

  // Of the busy hours only the one behind Elasticsearch's default window is read end to end: its
  // read ends on a short page at 10,000, so only the round-ceiling rule catches it (which 'is
  // caught in 11 pages or fewer' proves in pages of 100). A window of 12,000 (a read of 13 pages,
  // which the deep-read rule catches, as the first case proves in pages of 10) was read here too,
  // another ~4 CPU-s of ingest under coverage.
  it('lets an ingest over a simulator with a silent result window of 10000 store a busy hour whole', async () => {
    // 20,000 events in the hour, rows past the window never served: the hour is read in 11 pages
    // ending on a short page at 10,000, the probe finds a row past them, and the halves (10,000
    // each) fit under the window.
    const hour = Date.parse('2026-10-05T10:00:00Z');
    const base = generateInstance({ seed: 3, fromMs: hour, toMs: hour + HOUR_MS, users: 50 }).events;
    const events: SimEvent[] = Array.from({ length: 20_000 }, (_, i) => ({
      timeMs: hour + Math.floor((i * HOUR_MS) / 20_000),
      entry: { ...(base[i % base.length] as SimEvent).entry, objectName: `card ${i}` },
    }));
    const clock = clockFrom(hour + 24 * HOUR_MS);
    const { summary, lake } = await ingestSimulated(
      { events, resultWindow: 10_000, shuffleTies: true },
      { fromMs: hour, toMs: hour + HOUR_MS },
      { clock, config: { concurrency: 1 } },
    );
    expect(summary).toMatchObject({ failures: [], windowsDone: 1 });
    expect(lake).toMatchObject({ expectedEvents: 20_000, storedEvents: 20_000, lost: 0, duplicated: 0 });
  });
});

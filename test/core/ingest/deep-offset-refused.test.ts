import { describe, expect, it } from 'vitest';
import { DomoConfigError } from '../../../functions/core/domo/errors.ts';
import { fetchRange } from '../../../functions/core/ingest/fetch-range.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import type { SimEvent } from '../../../functions/simulator/index.ts';
import { clockFrom } from '../../support/clock-from.ts';
import { MemoryAuditSource, type MemoryEntry } from '../../support/memory-audit-source.ts';
import { ingestSimulated } from '../../support/simulated-ingest.ts';

// A server with a ceiling on its result window (offset) may say so with 400: the range is read in
// halves, as one past maxPagesPerRange is, instead of failing the run (a 400 stops it).

const t0 = Date.parse('2026-10-01T00:00:00Z');
const timeOf = (entry: unknown) => (entry as { time: number }).time;
const rows = (count: number, stepMs: number): MemoryEntry[] =>
  Array.from({ length: count }, (_, i) => {
    const time = t0 + HOUR_MS - 1 - i * stepMs;
    return { timeMs: time, entry: { time, id: `e${i}` } };
  });
const refusingBeyond = (entries: MemoryEntry[], maxOffset: number) => {
  const source = new MemoryAuditSource(entries);
  source.fail = (q) =>
    q.offset > maxOffset ? new DomoConfigError(`offset must be at most ${maxOffset}`, 400) : undefined;
  return source;
};
const ids = (entries: readonly { value: unknown }[]) =>
  entries.map((e) => (e.value as { id: string }).id).sort();

describe('a page refused with 400 past the first', () => {
  it('splits the range and reads every entry once', async () => {
    const entries = rows(100, 30_000);
    const source = refusingBeyond(entries, 25);
    const { entries: got, requests } = await fetchRange(source, t0, t0 + HOUR_MS, {
      maxPagesPerRange: 50,
      timeOf,
      pageSize: 10,
    });
    expect(ids(got)).toEqual(ids(entries.map((e) => ({ value: e.entry }))));
    expect(Math.max(...source.queries.map((q) => q.offset))).toBeGreaterThan(25);
    // The refused requests were sent, so they count (review R-TO).
    expect(requests).toBe(source.queries.length);
  });

  it('still fails on a 400 to a first page, or past the first of a second', async () => {
    const first = new MemoryAuditSource(rows(30, 30_000));
    first.fail = () => new DomoConfigError('bad start', 400);
    await expect(
      fetchRange(first, t0, t0 + HOUR_MS, { maxPagesPerRange: 50, timeOf, pageSize: 10 }),
    ).rejects.toThrow('bad start');
    // 30 entries of one second: that range cannot be split.
    const oneSecond = refusingBeyond(rows(30, 10), 15);
    await expect(
      fetchRange(oneSecond, t0 + HOUR_MS - 1000, t0 + HOUR_MS, {
        maxPagesPerRange: 50,
        timeOf,
        pageSize: 10,
      }),
    ).rejects.toBeInstanceOf(DomoConfigError);
  });

  it('lets an ingest over a simulator with maxOffset store a busy hour whole', async () => {
    const hour = Date.parse('2026-10-05T10:00:00Z');
    const events: SimEvent[] = Array.from({ length: 4_500 }, (_, i) => ({
      timeMs: hour + Math.floor((i * HOUR_MS) / 4_500),
      entry: {
        userId: String(i % 40),
        userName: `User ${i % 40}`,
        actionType: 'VIEWED',
        objectName: `card ${i}`,
      },
    }));
    const clock = clockFrom(hour + 24 * HOUR_MS);
    const { summary, lake, stats } = await ingestSimulated(
      { events, maxOffset: 1_500 },
      { fromMs: hour, toMs: hour + HOUR_MS },
      { clock, config: { concurrency: 1 } },
    );
    expect(summary).toMatchObject({ failures: [], windowsDone: 1 });
    expect(lake).toMatchObject({ expectedEvents: 4_500, storedEvents: 4_500, lost: 0, duplicated: 0 });
    expect(stats.byStatus['400']).toBeGreaterThan(0);
  });
});

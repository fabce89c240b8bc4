import { describe, expect, it } from 'vitest';
import { fetchSpan, fetchSpanInParts } from '../../../functions/core/ingest/fetch-span.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { formatDocString } from '../../../functions/simulator/time-format.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';

const t0 = Date.parse('2026-11-01T04:00:00Z');
const options = { docTimeZone: 'UTC', maxPagesPerHour: 50, maxPagesPerSpan: 10 };

describe('fetchSpan', () => {
  it('reads a span with one paging sequence and sorts its entries into their hours', async () => {
    const source = new MemoryAuditSource([
      viewEntry(t0 - 1, 1), // the neighbour before: goes with the first hour, which leaves it
      viewEntry(t0 + 10, 2),
      viewEntry(t0 + 2 * HOUR_MS + 5, 3),
      viewEntry(t0 + 3 * HOUR_MS, 4), // the neighbour after: goes with the last hour
      // No readable time, between two entries of the first hour: that hour quarantines it.
      { timeMs: t0 + 5, entry: { time: 'soon' } },
    ]);
    const span = await fetchSpan(source, { startMs: t0, endMs: t0 + 3 * HOUR_MS }, options);
    expect(source.queries).toEqual([
      { start: t0 - 1, end: t0 + 3 * HOUR_MS, limit: 1000, offset: 0 },
      { start: t0 - 1, end: t0 + 3 * HOUR_MS, limit: 1000, offset: 3 },
    ]);
    expect(span.hours.map((h) => [h.startMs, h.entries.length])).toEqual([
      [t0, 3],
      [t0 + HOUR_MS, 0],
      [t0 + 2 * HOUR_MS, 2],
    ]);
    expect(span).toMatchObject({ pages: 2, requests: 2 });
  });

  it('reads a span hour by hour when an entry without a time lies between two hours', async () => {
    const source = new MemoryAuditSource([
      viewEntry(t0 + 10, 1),
      { timeMs: t0 + HOUR_MS + 5, entry: { time: 'soon' } },
      viewEntry(t0 + 2 * HOUR_MS + 5, 3),
    ]);
    const span = await fetchSpan(source, { startMs: t0, endMs: t0 + 3 * HOUR_MS }, options);
    expect(span.hours.map((h) => h.entries.length)).toEqual([1, 1, 1]);
    // The span (a page and the empty page), then each hour alone; the hour holding the entry asks
    // for its end's instant too, which it shares with the next hour (hour-end-edge.ts).
    expect([...new Set(source.queries.map((q) => `${q.start + 1}..${q.end}`))]).toEqual([
      `${t0}..${t0 + 3 * HOUR_MS}`,
      `${t0}..${t0 + HOUR_MS}`,
      `${t0 + HOUR_MS}..${t0 + 2 * HOUR_MS}`,
      `${t0 + 2 * HOUR_MS}..${t0 + 2 * HOUR_MS}`,
      `${t0 + 2 * HOUR_MS}..${t0 + 3 * HOUR_MS}`,
    ]);
  });

  it('reads a span hour by hour when a time string falls in a repeated local hour', async () => {
    const repeated = { time: '2026-11-01 01:30:00 AM', actionType: 'VIEWED' };
    const source = new MemoryAuditSource([
      { timeMs: Date.parse('2026-11-01T06:30:00Z'), entry: repeated },
      viewEntry(Date.parse('2026-11-01T04:10:00Z'), 1),
    ]);
    const span = await fetchSpan(
      source,
      { startMs: t0, endMs: t0 + 4 * HOUR_MS },
      { ...options, docTimeZone: 'America/New_York' },
    );
    // Only the request for 06:00-07:00 UTC returned it: that hour holds it, as if read alone.
    expect(span.hours.map((h) => [new Date(h.startMs).toISOString(), h.entries.length])).toEqual([
      ['2026-11-01T04:00:00.000Z', 1],
      ['2026-11-01T05:00:00.000Z', 0],
      ['2026-11-01T06:00:00.000Z', 1],
      ['2026-11-01T07:00:00.000Z', 0],
    ]);
    expect(span.requests).toBe(source.queries.length);
  });

  it('reads a span of zone-less time strings hour by hour, each hour bounded by its own request', async () => {
    // Written on a New York wall clock but read as UTC: each reads 4 hours early, inside the span.
    const source = new MemoryAuditSource(
      [5, 6].map((h) => ({
        timeMs: t0 + h * HOUR_MS + 60_000,
        entry: { time: formatDocString(t0 + h * HOUR_MS + 60_000, 'America/New_York'), actionType: 'LOGIN' },
      })),
    );
    const span = await fetchSpan(source, { startMs: t0, endMs: t0 + 8 * HOUR_MS }, options);
    expect(span.zoneless).toBe(true);
    // Each entry stays with the hour whose request returned it, bounded by that request alone, so
    // its hour's normalisation finds its time outside and quarantines it.
    expect(
      span.hours.map((h) => [h.entries.length, (h.requested.endMs - h.requested.startMs) / HOUR_MS]),
    ).toEqual([
      [0, 1],
      [0, 1],
      [0, 1],
      [0, 1],
      [0, 1],
      [1, 1],
      [1, 1],
      [0, 1],
    ]);
    expect(span.hours[5]?.requested.startMs).toBe(t0 + 5 * HOUR_MS);
  });

  it('reads a span hour by hour when a time reads outside the span it was asked for', async () => {
    const source = new MemoryAuditSource([
      { timeMs: t0 + HOUR_MS + 60_000, entry: { time: t0 - 5 * HOUR_MS } },
    ]);
    const span = await fetchSpan(source, { startMs: t0, endMs: t0 + 3 * HOUR_MS }, options);
    expect(span.zoneless).toBe(false);
    expect(span.hours.map((h) => h.entries.length)).toEqual([0, 1, 0]);
    expect(span.hours[1]?.requested).toEqual({ startMs: t0 + HOUR_MS, endMs: t0 + 2 * HOUR_MS });
  });

  it('splits a span past its page budget into halves, counting the pages read twice', async () => {
    const source = new MemoryAuditSource(
      Array.from({ length: 2_500 }, (_, i) => viewEntry(t0 + 3 * HOUR_MS + i * 1_000, i)),
    );
    const span = await fetchSpan(
      source,
      { startMs: t0, endMs: t0 + 4 * HOUR_MS },
      {
        ...options,
        maxPagesPerSpan: 2,
      },
    );
    // The entry at 07:00:00.000 also comes back for 06:00-07:00 (Domo's end may be inclusive): that
    // hour's normalisation leaves it to its own hour.
    expect(span.hours.map((h) => h.entries.length)).toEqual([0, 0, 1, 2_500]);
    expect(span.requests).toBe(source.queries.length);
    expect(source.queries.slice(0, 2).map((q) => q.end)).toEqual([t0 + 4 * HOUR_MS, t0 + 4 * HOUR_MS]);
  });

  it('hands a full span over part by part, each before the next is read, newest first', async () => {
    // Busy first and last hours: the 4-hour span is full. Its two pages hold the last three hours
    // whole (Domo serves newest first), handed over at once; the first hour is read on alone.
    const source = new MemoryAuditSource([
      ...Array.from({ length: 1_500 }, (_, i) => viewEntry(t0 + i * 2_000, i)),
      ...Array.from({ length: 1_500 }, (_, i) => viewEntry(t0 + 3 * HOUR_MS + i * 2_000, 10_000 + i)),
    ]);
    const parts: { hours: number[]; queriesSoFar: number; requests: number }[] = [];
    await fetchSpanInParts(
      source,
      { startMs: t0, endMs: t0 + 4 * HOUR_MS },
      { ...options, maxPagesPerSpan: 2 },
      async (part) => {
        parts.push({
          hours: part.hours.map((h) => (h.startMs - t0) / HOUR_MS),
          queriesSoFar: source.queries.length,
          requests: part.requests,
        });
      },
    );
    expect(parts.map((p) => p.hours)).toEqual([[1, 2, 3], [0]]);
    // The span's 2 pages, then the first hour's 3 (no run's largest page given: an empty page ends
    // it). Only the first hour's 498 entries the span's second page held are read twice.
    expect(source.queries).toHaveLength(5);
    // Each part arrived before the requests of the next were made.
    for (const [i, part] of parts.entries()) {
      if (i > 0) expect(part.queriesSoFar).toBeGreaterThan(parts[i - 1]?.queriesSoFar ?? 0);
    }
    expect((parts[0]?.queriesSoFar ?? 0) < source.queries.length).toBe(true);
    // Every request is counted once, on the part it was made for (or the first one after it).
    expect(parts.reduce((sum, part) => sum + part.requests, 0)).toBe(source.queries.length);
    const whole = await fetchSpan(
      new MemoryAuditSource(source.entries),
      { startMs: t0, endMs: t0 + 4 * HOUR_MS },
      { ...options, maxPagesPerSpan: 2 },
    );
    // In hour order; the entry at 07:00:00.000 came back only in the span's pages, with its hour.
    expect(whole.hours.map((h) => h.entries.length)).toEqual([1_500, 0, 0, 1_500]);
  });

  it('keeps the hours of a full span only up to an entry without a time it cannot place', async () => {
    // 10:00-11:00 holds 1,000 entries, then one without a time (Domo files it in that hour), then
    // 1,500 of 09:00-10:00. The span's two pages reach 09:00-10:00: the entry without a time may be
    // of either hour, so 10:00-11:00 is not kept from them but read alone, whose request returns it.
    const source = new MemoryAuditSource([
      ...Array.from({ length: 1_000 }, (_, i) => viewEntry(t0 + 3 * HOUR_MS + 1_000 + i * 1_000, i)),
      { timeMs: t0 + 3 * HOUR_MS + 500, entry: { time: 'soon', id: 'no-time' } },
      ...Array.from({ length: 1_500 }, (_, i) => viewEntry(t0 + 2 * HOUR_MS + i * 2_000, 10_000 + i)),
    ]);
    const span = await fetchSpan(
      source,
      { startMs: t0, endMs: t0 + 4 * HOUR_MS },
      { ...options, maxPagesPerSpan: 2 },
    );
    // The entry at 06:00:00.000 also comes back for the piece ending there, with its last hour,
    // whose normalisation leaves it to its own hour.
    expect(span.hours.map((h) => h.entries.length)).toEqual([0, 1, 1_500, 1_001]);
    expect(span.hours[3]?.entries.filter((e) => (e.value as { id?: string }).id === 'no-time')).toHaveLength(
      1,
    );
    expect(span.hours[3]?.requested).toEqual({ startMs: t0 + 3 * HOUR_MS, endMs: t0 + 4 * HOUR_MS });
  });
});

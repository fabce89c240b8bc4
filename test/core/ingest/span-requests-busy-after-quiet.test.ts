import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

// The shapes of review R-PACE F2 (/work/coord/review-pace.md): spans sized from quiet hours run
// into busy ones. Issue 9 item 2: no more requests than paging every hour alone on any workload.
const from = Date.parse('2026-10-03T00:00:00Z');
const rep = (hours: number, events: number) => Array<number>(hours).fill(events);
/**
 * A week's start from Saturday: a quiet weekend, then weekdays of quiet nights and busy office
 * hours. Two weekdays show what five did (each weekday's spans run into its office hours alike: 263
 * requests for five against 470 halved) at 40 % of the events; the file's ~580,000 events were
 * ~15 CPU-s of the suite.
 */
const week = Array.from({ length: 96 }, (_, h) => {
  const hour = h % 24;
  if (h < 48) return 30;
  return hour < 8 ? 50 : hour < 19 ? 3_137 : 200;
});
// Half a busy day, quiet days, a quarter of one: as a whole day and a half (217 against 514 halved).
const mixed = [...rep(72, 5), ...rep(12, 4_731), ...rep(48, 3), ...rep(6, 4_731), ...rep(12, 0)];
const sharp = [...rep(24, 10), ...rep(24, 1_937)];

async function ingest(perHour: readonly number[], concurrency: number) {
  const entries = perHour.flatMap((n, h) =>
    Array.from({ length: n }, (_, i) => {
      const timeMs = from + h * HOUR_MS + Math.floor(((i + 0.5) * HOUR_MS) / n);
      return { timeMs, entry: { id: `${h}-${i}`, time: timeMs, actionType: 'VIEWED' } };
    }),
  );
  const toMs = from + perHour.length * HOUR_MS;
  const summary = await runIngest(
    quietIngestDeps(new MemoryAuditSource(entries), new MemoryObjectStore(), toMs + 24 * HOUR_MS),
    { ...defaultIngestConfig('acme'), concurrency },
    { range: { fromMs: from, toMs } },
  );
  expect(summary).toMatchObject({ eventsWritten: entries.length, windowsDone: perHour.length, failures: [] });
  // The per-hour pager of the issue: every hour alone, paged until an empty page.
  const perHourPager = perHour.reduce((sum, n) => sum + Math.ceil(n / 1_000) + 1, 0);
  const bound = 1.15 * Math.ceil(entries.length / 1_000) + summary.spans;
  return { requests: summary.requests, perHourPager, bound };
}

describe('requests when busy hours follow quiet ones', () => {
  it.each([
    // [shape, concurrency, requests now, requests when a full span was read again in halves]
    ['a sharp step: a quiet day, then a day of 1,937 events an hour', sharp, 4, 65, 96],
    ['the same at concurrency 8 (spans of half the pages)', sharp, 8, 87, 113],
    ['quiet days between busy ones', mixed, 4, 124, 280],
    ['a quiet weekend, then busy office hours', week, 4, 113, 217],
    ['the same days at concurrency 8', week, 8, 127, 227],
  ])('%s: keeps the pages of a full span', async (_name, perHour, concurrency, now, halving) => {
    const { requests, perHourPager, bound } = await ingest(perHour, concurrency);
    expect(requests).toBeLessThanOrEqual(perHourPager);
    // Spans in flight finish in any order, and each sizes the next from what it saw: the count
    // moves by a few requests between runs (261-263 for a whole week), far from the halving's.
    expect(Math.abs(requests - now)).toBeLessThanOrEqual(Math.ceil(now * 0.05));
    expect(requests).toBeLessThan(halving * 0.8);
    // The bound is written for the bench's workload; these shapes come within 30 % of it
    // (the sharp step at concurrency 8: 87 for 69, most of it the first quiet spans' two requests
    // each; halving took up to 2.4 times it).
    expect(requests).toBeLessThanOrEqual(1.3 * bound);
  });
});

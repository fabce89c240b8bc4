import { describe, expect, it } from 'vitest';
import type { AuditPage, AuditQuery, AuditSource } from '../../../functions/core/domo/audit-source.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { readCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { DAY_MS, HOUR_MS } from '../../../functions/core/lake/layout.ts';
import { readLake } from '../../support/lake-contents.ts';
import { MemoryAuditSource, type MemoryEntry, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

/*
 * A catch-up whose runs each get fewer requests than its spans need (review R-ONCALL H1: Domo back
 * slow after an outage, a Lambda's budget against it). The run's first spans are a day long (the
 * hours before the plan are quiet), each proves too full on the day's busy hours, and four of them
 * share the requests: the span holding the watermark hour must complete that hour first, or every
 * run stores hours past the watermark that the next run plans again, and the watermark never moves.
 */

const day0 = Date.parse('2026-10-01T00:00:00Z');
const QUIET = 15;
const BUSY = 1_700;

/** Busy from 08:00 to 14:00 UTC, quiet the rest of the day. */
function activity(fromMs: number, toMs: number): MemoryEntry[] {
  const entries: MemoryEntry[] = [];
  let n = 0;
  for (let hour = fromMs; hour < toMs; hour += HOUR_MS) {
    const utcHour = new Date(hour).getUTCHours();
    const count = utcHour >= 8 && utcHour < 14 ? BUSY : QUIET;
    for (let i = 0; i < count; i++) entries.push(viewEntry(hour + Math.floor((i * HOUR_MS) / count), n++));
  }
  return entries;
}

/**
 * Domo with a request budget: once a run has made `budget` requests its time is spent, and any
 * request past it is held until the run aborts it (the Lambda's end). Each answer takes a turn of
 * the timers, so the spans in flight share the requests as they share a slow Domo's, whatever
 * storing an hour takes meanwhile.
 */
class BudgetedSource implements AuditSource {
  readonly inner: MemoryAuditSource;
  requests = 0;
  budget = Number.POSITIVE_INFINITY;

  constructor(entries: MemoryEntry[]) {
    this.inner = new MemoryAuditSource(entries);
  }

  remainingMs = (): number => (this.requests < this.budget ? 600_000 : 0);

  async fetchPage(query: AuditQuery, signal?: AbortSignal): Promise<AuditPage> {
    this.requests++;
    if (this.requests > this.budget) {
      await new Promise<never>((_, reject) => {
        if (signal?.aborted) reject(signal.reason);
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
    return this.inner.fetchPage(query);
  }
}

describe('a catch-up whose runs are short of requests', () => {
  it('catches up, never two runs in a row without moving the watermark', async () => {
    const firstNow = day0 + 18 * HOUR_MS + 30 * 60_000;
    const catchUpNow = firstNow + 6 * DAY_MS;
    const source = new BudgetedSource(activity(day0 - DAY_MS, catchUpNow - HOUR_MS));
    const store = new MemoryObjectStore();
    const config = { ...defaultIngestConfig('main'), backfillDays: 1, concurrency: 4 };
    await runIngest(quietIngestDeps(source, store, firstNow), config);
    const watermark = async () => (await readCheckpoint(store, 'main'))?.checkpoint.watermark_ms ?? 0;
    const marks = [await watermark()];
    expect(marks[0]).toBe(day0 + 18 * HOUR_MS);
    const caughtUpMs = catchUpNow - 30 * 60_000;
    // A run gets about 10 of the requests its first span needs: read newest first, as before, its
    // oldest hours were the last it read.
    for (let run = 0; run < 16 && (marks.at(-1) as number) < caughtUpMs; run++) {
      source.requests = 0;
      source.budget = 40;
      await runIngest(
        { ...quietIngestDeps(source, store, catchUpNow), remainingTimeMs: source.remainingMs },
        config,
      );
      marks.push(await watermark());
    }
    // Never two runs in a row without progress, and caught up (the span before: stuck at the first
    // watermark, run after run). One run may fail to: its requests are shared with the other spans.
    for (let i = 2; i < marks.length; i++) expect(marks[i]).toBeGreaterThan(marks[i - 2] as number);
    expect(marks.at(-1)).toBe(caughtUpMs);
    expect(marks.length).toBeGreaterThan(2);
    // Then a run with time enough: every event stored once, the hours stored twice included.
    source.budget = Number.POSITIVE_INFINITY;
    await runIngest(quietIngestDeps(source, store, catchUpNow), config);
    expect(await watermark()).toBe(caughtUpMs);
    const { events } = await readLake(store, 'main');
    const backfilledFrom = day0 - DAY_MS + 18 * HOUR_MS;
    expect(events.length).toBe(source.inner.entries.filter((e) => e.timeMs >= backfilledFrom).length);
    expect(new Set(events.map((e) => e.event_id)).size).toBe(events.length);
  }, 120_000);
});

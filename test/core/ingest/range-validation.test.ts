import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import type { IngestSummary } from '../../../functions/core/ingest/ingest-types.ts';
import { InvalidRangeError, type RangeProblem } from '../../../functions/core/ingest/range-error.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const MINUTE_MS = 60_000;
/** Settle 15 min (the default): at this time the hour from day0 has just closed. */
const closedAt = day0 + HOUR_MS + 15 * MINUTE_MS;

/** An ingest of an explicit range at `nowMs`, what it threw (if anything), and what it touched. */
async function pullRange(fromMs: number, toMs: number, nowMs = closedAt) {
  const source = new MemoryAuditSource([
    viewEntry(day0 - HOUR_MS + MINUTE_MS, 1),
    viewEntry(day0 + MINUTE_MS, 2),
  ]);
  const store = new MemoryObjectStore();
  const outcome: { summary?: IngestSummary; error?: unknown } = await runIngest(
    quietIngestDeps(source, store, nowMs),
    defaultIngestConfig('acme'),
    { range: { fromMs, toMs } },
  ).then(
    (summary) => ({ summary }),
    (error: unknown) => ({ error }),
  );
  return { ...outcome, requests: source.queries.length, objects: store.objects.size };
}

describe('an ingest of an explicit range', () => {
  it.each<[string, number, number, number, RangeProblem]>([
    ['ends in an hour not closed yet', day0, day0 + HOUR_MS, closedAt - 1, 'not-closed'],
    ['ends after the newest closed hour', day0, day0 + 2 * HOUR_MS, closedAt, 'not-closed'],
    ['is empty', day0, day0, closedAt, 'empty'],
    ['ends before it starts', day0, day0 - HOUR_MS, closedAt, 'empty'],
    ['starts inside an hour', day0 + 1, day0 + HOUR_MS, closedAt, 'not-whole-hours'],
    ['ends inside an hour', day0 - HOUR_MS, day0 + 1, closedAt, 'not-whole-hours'],
  ])('is refused before any request or write when it %s', async (_what, fromMs, toMs, nowMs, problem) => {
    const pulled = await pullRange(fromMs, toMs, nowMs);
    expect(pulled.error).toBeInstanceOf(InvalidRangeError);
    expect(pulled.error).toMatchObject({ problem, fromMs, toMs });
    expect(pulled).toMatchObject({ requests: 0, objects: 0 });
  });

  it('may end exactly at the end of the newest closed hour', async () => {
    const pulled = await pullRange(day0 - HOUR_MS, day0 + HOUR_MS);
    expect(pulled.error).toBeUndefined();
    expect(pulled.summary).toMatchObject({ mode: 'range', windowsDone: 2, eventsWritten: 2, failures: [] });
  });
});

import type { AuditQuery, AuditSource } from '../../functions/core/domo/audit-source.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import type { IngestConfig } from '../../functions/core/ingest/ingest-types.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { readCheckpoint } from '../../functions/core/lake/checkpoint.ts';
import { coverageKey } from '../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { deferred } from './deferred.ts';
import { MemoryAuditSource, viewEntry } from './memory-audit-source.ts';
import { MemoryObjectStore } from './memory-store.ts';
import { quietIngestDeps } from './quiet-ingest-deps.ts';

export const day0 = Date.parse('2026-10-01T00:00:00Z');
export const firstRunAt = day0 + 6 * HOUR_MS + 30 * 60_000;
export const secondRunAt = day0 + 12 * HOUR_MS + 30 * 60_000;
/**
 * Without the later pull (later-pull.test.ts): its hours, a day back, would widen the hours the
 * run in progress says it writes, over the gap these tests leave.
 */
export const config: IngestConfig = {
  ...defaultIngestConfig('acme'),
  backfillDays: 1,
  concurrency: 4,
  repullAfterHours: 0,
};
/** Each hour its own span, so hours finish out of order. */
export const oneHourSpans = { spanSizing: { targetEvents: 1, maxHours: 1 } };

/** A source whose reads of `heldMs`'s hour wait for `gate` (then fail, when `failing` is set). */
export class HeldHourSource implements AuditSource {
  failing = false;
  constructor(
    private readonly inner: AuditSource,
    private readonly heldMs: number,
    private readonly gate: Promise<void>,
  ) {}

  async fetchPage(query: AuditQuery) {
    // A read of an hour starts a little before it (times at its edge) and ends with it.
    if (query.end > this.heldMs && query.end <= this.heldMs + HOUR_MS) {
      await this.gate;
      if (this.failing) throw new Error('Domo is down');
    }
    return this.inner.fetchPage(query);
  }
}

/**
 * A lake of six hours, then a second run, at 12:30, whose read of the watermark's hour waits while
 * it stores every later hour: the lake a verify finds beside a catching-up ingest. `finish` lets
 * the held read go on (or fail) and waits for the run.
 */
export async function lakeBesideRun() {
  const source = new MemoryAuditSource(
    Array.from({ length: 36 }, (_, i) => viewEntry(day0 + i * 20 * 60_000, i)),
  );
  const store = new MemoryObjectStore();
  await runIngest(quietIngestDeps(source, store, firstRunAt), config, oneHourSpans);
  const watermarkMs = (await readCheckpoint(store, 'acme'))?.checkpoint.watermark_ms as number;
  if (watermarkMs !== day0 + 6 * HOUR_MS)
    throw new Error(`the first run left the watermark at ${watermarkMs}`);
  const gate = deferred();
  const held = new HeldHourSource(source, watermarkMs, gate.promise);
  const run = runIngest(quietIngestDeps(held, store, secondRunAt), config, oneHourSpans);
  const lastHour = coverageKey('acme', day0 + 11 * HOUR_MS);
  while (!store.objects.has(lastHour)) await new Promise((resolve) => setTimeout(resolve, 1));
  // The hours between finish too (each its own span, none held).
  await new Promise((resolve) => setTimeout(resolve, 20));
  const finish = async (fail = false) => {
    held.failing = fail;
    gate.resolve();
    return run;
  };
  return { store, watermarkMs, finish };
}

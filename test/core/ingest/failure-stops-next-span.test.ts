import { describe, expect, it } from 'vitest';
import type { AuditPage, AuditQuery, AuditSource } from '../../../functions/core/domo/audit-source.ts';
import { DomoUnavailableError } from '../../../functions/core/domo/errors.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { HOUR_MS, MINUTE_MS } from '../../../functions/core/time-units.ts';
import { ONE_HOUR_SPANS, oneDayAcme } from '../../support/hour-by-hour-ingest.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

// Review OUTAGE3: a failed span gave its turn to read back before its failure was recorded, so
// the span waiting for the turn started, and asked Domo, after a failure that stops it anyway: a
// failed later pull stops the later pulls after it, yet one more was read.

const hour10 = Date.parse('2026-10-01T10:00:00Z');
const THROTTLED = new DomoUnavailableError('Domo answered 429 six times', 6, 429);

/**
 * An hour's entries in each of 60 hours, answered as a network answer comes (a turn of the event
 * loop later); with `failBeforeMs`, every read of an hour before it fails. Records each read.
 */
function slowSource() {
  const inner = new MemoryAuditSource();
  for (let t = hour10 - 24 * HOUR_MS; t < hour10 + 36 * HOUR_MS; t += HOUR_MS)
    inner.add(viewEntry(t + 5 * MINUTE_MS, 1));
  const reads: number[] = [];
  const state = { failBeforeMs: Number.NEGATIVE_INFINITY };
  const source: AuditSource = {
    fetchPage: async (query: AuditQuery): Promise<AuditPage> => {
      reads.push(query.start + 1);
      await new Promise((resolve) => setImmediate(resolve));
      if (query.start + 1 < state.failBeforeMs) throw THROTTLED;
      return inner.fetchPage(query);
    },
  };
  return { source, reads, state };
}

describe('a failure that stops what comes after it', () => {
  it('starts no later pull after a failed one: the failed hour is the only later hour read', async () => {
    const { source, reads, state } = slowSource();
    const store = new MemoryObjectStore();
    const run = (nowMs: number) =>
      runIngest(quietIngestDeps(source, store, nowMs), oneDayAcme(), ONE_HOUR_SPANS);
    // Hourly runs for 12 hours, then none for a day: the run after has every hour of those 12 due
    // its later pull, after its new hours; Domo refuses the later ones.
    for (let at = hour10 + 16 * MINUTE_MS; at < hour10 + 12 * HOUR_MS; at += HOUR_MS) await run(at);
    state.failBeforeMs = hour10 + 8 * HOUR_MS;
    reads.length = 0;

    const summary = await run(hour10 + 40 * HOUR_MS + 16 * MINUTE_MS);

    expect(summary.laterPulls).toMatchObject({ failed: 1, done: 0 });
    const laterHoursRead = reads.filter((hourMs) => hourMs < state.failBeforeMs);
    expect(laterHoursRead).toHaveLength(1);
  });
});

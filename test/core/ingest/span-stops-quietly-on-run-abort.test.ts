import { describe, expect, it } from 'vitest';
import type { AuditQuery, AuditSource } from '../../../functions/core/domo/audit-source.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { readCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { checkpointKey, coverageKey } from '../../../functions/core/lake/layout.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

// A span read in time stops storing once the run is aborted. The run is aborted not only by its
// time budget or the caller but also by a failure recorded elsewhere: a checkpoint write that
// failed. The span used to throw that error before its next hour, and the hours it had read
// fine were recorded as failed with it ("S3 500 on checkpoint", once per span). They are
// unfinished, not failed: the run reports the checkpoint failure once, and the next run pulls them.

const day0 = Date.parse('2026-10-01T00:00:00Z');
const hour = (h: number) => day0 + h * HOUR_MS;
const config = { ...defaultIngestConfig('acme'), backfillDays: 1, concurrency: 1 };
/** One span of the whole day. */
const wide = { spanSizing: { targetEvents: 1_000, maxHours: 24 } };
const CHECKPOINT_DOWN = 'S3 500 on checkpoint';

describe('a span stored when another part of the run aborts it', () => {
  it('records none of its unstored hours as failed, and the next run pulls them', async () => {
    const domo = new MemoryAuditSource(Array.from({ length: 24 }, (_, h) => viewEntry(hour(h) + 60_000, h)));
    const store = new MemoryObjectStore();
    let checkpointWrites = 0;
    store.beforePut = (key) => {
      if (key === checkpointKey('acme') && ++checkpointWrites === 1) throw new Error(CHECKPOINT_DOWN);
    };
    const now = hour(24) + 30 * 60_000;
    const first = await runIngest(quietIngestDeps(domo, store, now), config, wide);
    store.beforePut = undefined;

    expect(first.stoppedEarly).toBe('fatal-error');
    expect(first.windowsFailed).toBe(0);
    expect(first.windowsDone).toBeGreaterThan(0);
    expect(first.windowsDone).toBeLessThan(first.windowsPlanned);
    // The checkpoint failure is reported once, on its own, not on the hours left.
    expect(first.failures.map((failure) => failure.message)).toEqual([
      expect.stringContaining(CHECKPOINT_DOWN),
    ]);
    const stored = Array.from({ length: 24 }, (_, h) => store.objects.has(coverageKey('acme', hour(h))));
    expect(stored.filter(Boolean)).toHaveLength(first.windowsDone);

    const next = await runIngest(quietIngestDeps(domo, store, now), config, wide);
    expect(next).toMatchObject({ outcome: 'complete', failures: [] });
    expect((await readCheckpoint(store, 'acme'))?.checkpoint.watermark_ms).toBe(hour(24));
    expect(await verifyLake(store, 'acme')).toMatchObject({ ok: true, events: 24 });
  });

  it('records none of the hours still being read as failed either', async () => {
    const domo = new MemoryAuditSource(Array.from({ length: 24 }, (_, h) => viewEntry(hour(h) + 60_000, h)));
    // As the Domo client does: a request in flight ends with the signal's reason once the run aborts.
    const source: AuditSource = {
      async fetchPage(query: AuditQuery, signal?: AbortSignal) {
        if (query.start >= hour(4) && signal) {
          await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
          throw signal.reason;
        }
        return domo.fetchPage(query);
      },
    };
    const store = new MemoryObjectStore();
    store.beforePut = (key) => {
      if (key === checkpointKey('acme')) throw new Error(CHECKPOINT_DOWN);
    };
    const now = hour(24) + 30 * 60_000;
    const run = await runIngest(
      quietIngestDeps(source, store, now),
      { ...config, concurrency: 2 },
      {
        spanSizing: { targetEvents: 1_000, maxHours: 12 },
      },
    );
    expect(run.stoppedEarly).toBe('fatal-error');
    expect(run.windowsFailed).toBe(0);
    expect(run.failures.map((failure) => failure.message)).toEqual([
      expect.stringContaining(CHECKPOINT_DOWN),
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import type { AuditQuery, AuditSource } from '../../../functions/core/domo/audit-source.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import type { IngestProgress } from '../../../functions/core/ingest/ingest-types.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { coverageKey } from '../../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const hour = (h: number) => day0 + h * HOUR_MS;
const now = hour(30);
const range = { fromMs: hour(0), toMs: hour(24) };
const config = { ...defaultIngestConfig('acme'), concurrency: 4, budgetMarginMs: 400 };
const hourly = { spanSizing: { targetEvents: 1, maxHours: 1 } };

/** Domo with six entries in every hour of day0; 02:00 answers slowly while `slow` is set. */
function setup() {
  const domo = new MemoryAuditSource(
    Array.from({ length: 24 * 6 }, (_, i) => viewEntry(day0 + i * 10 * 60_000, i)),
  );
  const state = { slow: true };
  const source: AuditSource = {
    fetchPage: async (query: AuditQuery, signal?: AbortSignal) => {
      if (state.slow && query.start <= hour(2) && query.end >= hour(3) - 1000) {
        // Retry-After waits: only the run's hard stop ends them.
        await new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason)));
      }
      return domo.fetchPage(query);
    },
  };
  const store = new MemoryObjectStore();
  const stored = () => Array.from({ length: 24 }, (_, h) => store.objects.has(coverageKey('acme', hour(h))));
  return { source, store, state, stored };
}

describe('a range re-pull that stops before it is done', () => {
  it('says where to resume from: the first hour not stored, though later hours are', async () => {
    const { source, store, state, stored } = setup();
    // The invocation's time runs out once four hours are stored, while 02:00 still waits.
    let remainingMs = 600_000;
    const onProgress = (p: IngestProgress) => {
      if (p.windowsDone >= 4) remainingMs = 50;
    };
    const summary = await runIngest(
      { ...quietIngestDeps(source, store, now), remainingTimeMs: () => remainingMs, onProgress },
      config,
      { ...hourly, range },
    );
    expect(summary).toMatchObject({ outcome: 'partial', stoppedEarly: 'time-budget', failures: [] });
    // More hours are done than lie before the hole: resuming windowsDone hours on would skip 02:00.
    expect(summary.windowsDone).toBeGreaterThanOrEqual(4);
    expect(stored()[2]).toBe(false);
    expect(stored()[3]).toBe(true);
    expect(summary.resumeFrom).toBe('2026-10-01T02:00:00.000Z');

    // Invoked again from there, the re-pull finishes the range.
    state.slow = false;
    const rest = await runIngest(quietIngestDeps(source, store, now), config, {
      ...hourly,
      range: { fromMs: Date.parse(summary.resumeFrom ?? ''), toMs: range.toMs },
    });
    expect(rest).toMatchObject({ outcome: 'complete', resumeFrom: null });
    expect(stored().every(Boolean)).toBe(true);
  });

  it('says nothing to resume once every hour is stored, nor in checkpoint mode', async () => {
    const { source, store, state } = setup();
    state.slow = false;
    const done = await runIngest(quietIngestDeps(source, store, now), config, { range });
    expect(done).toMatchObject({ outcome: 'complete', resumeFrom: null });
    const scheduled = await runIngest(
      { ...quietIngestDeps(source, store, now), remainingTimeMs: () => 0 },
      { ...config, backfillDays: 1 },
    );
    expect(scheduled).toMatchObject({ mode: 'checkpoint', stoppedEarly: 'time-budget', resumeFrom: null });
  });
});

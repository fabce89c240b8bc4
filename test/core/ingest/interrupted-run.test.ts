import { describe, expect, it } from 'vitest';
import type { AuditQuery } from '../../../functions/core/domo/audit-source.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { lastRunOf } from '../../../functions/core/ingest/record-last-run.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { readCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { decodeDigest, readDigestHead } from '../../../functions/core/lake/digest.ts';
import { coverageKey } from '../../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const now = day0 + 24 * HOUR_MS + 30 * 60_000;
const config = { ...defaultIngestConfig('acme'), backfillDays: 1, concurrency: 2 };
const hourly = { spanSizing: { targetEvents: 1, maxHours: 1 } };

function setup() {
  const memory = new MemoryAuditSource(
    Array.from({ length: 24 * 2 }, (_, i) =>
      viewEntry(day0 + Math.floor(i / 2) * HOUR_MS + (i % 2) * 60_000, i),
    ),
  );
  // Answers take a moment, as Domo's do: an interrupt finds hours in flight.
  const source = {
    fetchPage: async (query: AuditQuery, signal?: AbortSignal) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      signal?.throwIfAborted();
      return memory.fetchPage(query);
    },
  };
  const store = new MemoryObjectStore();
  const deps = quietIngestDeps(source, store, now);
  return { deps, store };
}

describe('an ingest interrupted by its caller', () => {
  it('keeps the hours stored, saves the checkpoint and seals the digest chain, and is no failure', async () => {
    const { deps, store } = setup();
    const interrupt = new AbortController();
    const summary = await runIngest(
      {
        ...deps,
        interrupt: interrupt.signal,
        onProgress: (p) => {
          if (p.windowsDone === 5) interrupt.abort();
        },
      },
      config,
      hourly,
    );
    expect(summary).toMatchObject({ stoppedEarly: 'interrupted', outcome: 'partial', failures: [] });
    expect(summary.windowsDone).toBeGreaterThanOrEqual(5);
    expect(summary.windowsDone).toBeLessThan(24);
    expect(lastRunOf(summary, now).outcome).toBe('stopped-early');
    // The watermark covers the unbroken stretch stored; each hour before it has its manifest.
    const watermark = (await readCheckpoint(store, 'acme'))?.checkpoint.watermark_ms ?? day0;
    expect(summary.watermarkAfterMs).toBe(watermark);
    expect(watermark).toBeGreaterThan(day0);
    for (let hour = day0; hour < watermark; hour += HOUR_MS)
      expect(store.objects.has(coverageKey('acme', hour))).toBe(true);
    // Wound down, not killed: the run's last digest is sealed, so nothing waits for a sweep.
    const head = await readDigestHead(store, 'acme');
    const last = head && (await store.get(head.link.key));
    expect(last && decodeDigest(head.link.key, last.body).sealed).toBe(true);

    // The next run (not interrupted) continues from the watermark and completes the day.
    const next = await runIngest(deps, config, hourly);
    expect(next).toMatchObject({
      outcome: 'complete',
      watermarkBeforeMs: watermark,
      watermarkAfterMs: day0 + 24 * HOUR_MS,
    });
  });

  it('is no "no progress" failure when interrupted before any hour is stored', async () => {
    const { deps } = setup();
    const summary = await runIngest({ ...deps, interrupt: AbortSignal.abort() }, config, hourly);
    expect(summary).toMatchObject({
      stoppedEarly: 'interrupted',
      outcome: 'partial',
      windowsDone: 0,
      failures: [],
    });
  });
});

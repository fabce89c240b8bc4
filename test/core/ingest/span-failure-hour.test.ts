import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { activityKey, coverageKey } from '../../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const hour = (h: number) => day0 + h * HOUR_MS;

describe('a span that fails after storing some of its hours', () => {
  it('is recorded as failed from its first hour not stored, counting only the hours left', async () => {
    const source = new MemoryAuditSource([0, 1, 2, 3, 4, 5].map((h) => viewEntry(hour(h) + 60_000, h)));
    const store = new MemoryObjectStore();
    store.beforePut = (key) => {
      if (key === activityKey('acme', hour(4))) throw new Error('AccessDenied: s3:PutObject');
    };
    // One hour while nothing is known, then spans of up to twice the longest so far: hours 0, 1-2
    // and 3-5, read one span at a time. Storing the middle hour of the last one fails.
    const summary = await runIngest(
      quietIngestDeps(source, store, hour(7)),
      { ...defaultIngestConfig('acme'), concurrency: 1 },
      { range: { fromMs: hour(0), toMs: hour(6) }, spanSizing: { targetEvents: 100, maxHours: 24 } },
    );
    const spans = new Set(source.queries.map((q) => `${q.start + 1}..${q.end}`));
    expect([...spans]).toEqual([
      `${hour(0)}..${hour(1)}`,
      `${hour(1)}..${hour(3)}`,
      `${hour(3)}..${hour(6)}`,
    ]);
    expect(summary.failures).toEqual([{ windowStartMs: hour(4), message: 'AccessDenied: s3:PutObject' }]);
    expect(summary).toMatchObject({ windowsDone: 4, windowsFailed: 2, stoppedEarly: 'fatal-error' });
    // The span's hour before the failure is stored and covered; the one after it never is.
    expect(store.objects.has(coverageKey('acme', hour(3)))).toBe(true);
    expect(store.objects.has(coverageKey('acme', hour(5)))).toBe(false);
  });

  it('names the first hour not stored when a full span stored its newest hours first', async () => {
    // Spans of hours 0, 1-2 and 3-6 (quiet so far). The last holds 1,500 entries at 05:00 and at
    // 06:00: its two pages hold 06:00 whole, which is stored, and reading on before it fails.
    const busy = (h: number) =>
      Array.from({ length: 1_500 }, (_, i) => viewEntry(hour(h) + i * 2_000, h * 10_000 + i));
    const source = new MemoryAuditSource([
      ...[0, 1, 2, 3, 4].map((h) => viewEntry(hour(h) + 60_000, h)),
      ...busy(5),
      ...busy(6),
    ]);
    source.fail = (query) =>
      query.end === hour(6) && query.start < hour(5) ? new Error('socket hang up') : undefined;
    const store = new MemoryObjectStore();
    const summary = await runIngest(
      quietIngestDeps(source, store, hour(8)),
      { ...defaultIngestConfig('acme'), concurrency: 1 },
      { range: { fromMs: hour(0), toMs: hour(7) }, spanSizing: { targetEvents: 100, maxHours: 24 } },
    );
    expect(store.objects.has(coverageKey('acme', hour(6)))).toBe(true);
    expect(summary.failures.map((f) => f.windowStartMs)).toEqual([hour(3)]);
    expect(summary).toMatchObject({ windowsDone: 4, windowsFailed: 3 });
  });
});

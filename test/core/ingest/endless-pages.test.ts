import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_PAGES_UNSPLITTABLE,
  EndlessPagesError,
  fetchRange,
} from '../../../functions/core/ingest/fetch-range.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { nothingServedYet } from '../../../functions/core/ingest/page-end.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { readCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { activityKey } from '../../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { EndlessSource } from '../../support/endless-audit-source.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');

const timeOf = (entry: unknown) => (entry as { time: number }).time;
const HOUR_0 = '2026-10-01T00:00:00.000Z..2026-10-01T01:00:00.000Z';

describe('a server that never ends a range (issue 10, item 1)', () => {
  it('stops at the ceiling once the range is one second, with a message saying what the API did', async () => {
    const source = new EndlessSource([], day0, day0 + HOUR_MS);
    const error = await fetchRange(source, day0, day0 + HOUR_MS, {
      maxPagesPerRange: 4,
      pageSize: 10,
      timeOf,
      largestPage: nothingServedYet(),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EndlessPagesError);
    expect((error as Error).message).toBe(
      `Domo served ${DEFAULT_MAX_PAGES_UNSPLITTABLE} pages of up to 10 entries for ` +
        '2026-10-01T00:00:00.000Z..2026-10-01T00:00:01.000Z (at most one second, which cannot be split) ' +
        'and never the page that ends a range: no activity log holds that many events in one second, so ' +
        `the API is misbehaving (ceiling ${DEFAULT_MAX_PAGES_UNSPLITTABLE} pages); nothing of ${HOUR_0} ` +
        'is written and the next run tries it again.',
    );
    // Split twelve times down to one second (4 pages each time), then the ceiling: bounded.
    expect(source.queries.length).toBeLessThanOrEqual(12 * 4 + DEFAULT_MAX_PAGES_UNSPLITTABLE);
    expect(source.queries.at(-1)?.end).toBe(day0 + 1000);
  });

  it('also caps the pages of one call, splits and restarts included', async () => {
    const busy = new MemoryAuditSource(Array.from({ length: 40 }, (_, i) => viewEntry(day0 + i * 60_000, i)));
    const error = await fetchRange(busy, day0, day0 + HOUR_MS, {
      maxPagesPerRange: 50,
      maxPagesTotal: 5,
      pageSize: 5,
      timeOf,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EndlessPagesError);
    expect((error as Error).message).toBe(
      `Domo served 5 pages (25 entries) for ${HOUR_0} without ever ending the range (ceiling 5 pages): ` +
        'the API is misbehaving; nothing of it is written and the next run tries it again.',
    );
    expect(busy.queries).toHaveLength(5);
  });

  it('fails the read of that hour with the message; nothing of it is written, the watermark stays before it', async () => {
    const source = new EndlessSource(
      [viewEntry(day0 + 10, 1), viewEntry(day0 + HOUR_MS + 10, 2), viewEntry(day0 + 2 * HOUR_MS + 10, 3)],
      day0 + HOUR_MS,
      day0 + 2 * HOUR_MS,
    );
    const store = new MemoryObjectStore();
    const summary = await runIngest(quietIngestDeps(source, store, day0 + 3 * HOUR_MS + 30 * 60_000), {
      ...defaultIngestConfig('acme'),
      backfillDays: 1,
      maxPagesPerRange: 2,
      concurrency: 1,
    });
    // Reported against the span the hour was read in (quiet hours are read together).
    expect(summary.failures).toEqual([
      {
        windowStartMs: expect.any(Number),
        message:
          'Domo served 100 pages of up to 1000 entries for 2026-10-01T01:00:00.000Z..2026-10-01T01:00:01.000Z ' +
          '(at most one second, which cannot be split) and never the page that ends a range: no activity log ' +
          'holds that many events in one second, so the API is misbehaving (ceiling 100 pages); nothing of ' +
          '2026-10-01T01:00:00.000Z..2026-10-01T02:00:00.000Z is written and the next run tries it again.',
      },
    ]);
    expect(store.objects.has(activityKey('acme', day0 + HOUR_MS))).toBe(false);
    const watermark = (await readCheckpoint(store, 'acme'))?.checkpoint.watermark_ms ?? 0;
    expect(watermark).toBeLessThanOrEqual(day0 + HOUR_MS);
    // The hostile hour cost a bounded number of requests, not the run's whole budget.
    expect(source.queries.length).toBeLessThan(400);
  });
});

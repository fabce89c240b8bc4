import { describe, expect, it } from 'vitest';
import type { AuditQuery } from '../../../functions/core/domo/audit-source.ts';
import { fetchRange, PagesTooSmallError } from '../../../functions/core/ingest/fetch-range.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { readCoverage } from '../../../functions/core/lake/coverage.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, type MemoryEntry, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');

/** An API that silently serves at most `clamp` entries a page, whatever limit it is asked. */
class ClampedSource extends MemoryAuditSource {
  constructor(
    entries: MemoryEntry[],
    private readonly clamp: number,
  ) {
    super(entries);
  }

  override async fetchPage(query: AuditQuery) {
    return super.fetchPage({ ...query, limit: Math.min(query.limit, this.clamp) });
  }
}

async function ingestHour(entries: MemoryEntry[], clamp: number) {
  const source = new ClampedSource(entries, clamp);
  const store = new MemoryObjectStore();
  const summary = await runIngest(
    quietIngestDeps(source, store, day0 + 2 * 24 * HOUR_MS),
    { ...defaultIngestConfig('acme'), concurrency: 1 },
    { range: { fromMs: day0, toMs: day0 + HOUR_MS } },
  );
  return { summary, stored: (await readCoverage(store, 'acme', day0))?.event_count, source };
}

describe('an API that serves fewer entries a page than asked, by count', () => {
  // Before: the second page held only the rows re-read from the first and ended the hour, manifest
  // complete (2 of 100; 89 of 100 with 60 identical entries). Now such an hour fails, saying why.
  it.each([
    ['2 a page', 2, Array.from({ length: 100 }, (_, i) => viewEntry(day0 + i * 1_000, i))],
    [
      '50 a page, 60 identical entries straddling the pages',
      50,
      Array.from({ length: 100 }, (_, i) =>
        i >= 20 && i < 80 ? viewEntry(day0 + 600_000, 999) : viewEntry(day0 + 700_000 + i * 1_000, i),
      ),
    ],
  ] as const)('fails the hour rather than store part of it when it serves %s', async (_, clamp, entries) => {
    const { summary, stored } = await ingestHour([...entries], clamp);
    expect(summary.failures).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/^Domo served pages too small to page through/),
      }),
    ]);
    expect(stored).toBeUndefined();
  });

  it('reads every entry when it serves 50 a page and no run of identical entries fills one', async () => {
    const { summary, stored, source } = await ingestHour(
      Array.from({ length: 100 }, (_, i) => viewEntry(day0 + i * 1_000, i)),
      50,
    );
    expect(summary.failures).toEqual([]);
    expect(stored).toBe(100);
    // Two re-read rows a page: 48 new rows a page, and the page of the 2 re-read rows ends it.
    expect(source.queries.map((q) => q.offset)).toEqual([0, 48, 96, 98]);
  });

  const timeOf = (entry: unknown) => (entry as { time: number }).time;

  it('fails the range, saying why, when it serves a single entry a page', async () => {
    const source = new ClampedSource(
      Array.from({ length: 5 }, (_, i) => viewEntry(day0 + i * 1_000, i)),
      1,
    );
    const error = await fetchRange(source, day0, day0 + HOUR_MS, { maxPagesPerRange: 50, timeOf }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PagesTooSmallError);
    expect((error as Error).message).toBe(
      'Domo served pages too small to page through for 2026-10-01T00:00:00.000Z..2026-10-01T01:00:00.000Z: at ' +
        'most 1 entry a page when 1000 were asked for, and more entries after them. Each page re-reads the end ' +
        'of the page before (its last entry, those of its time or identical to it, and one more) to see whether entries moved, ' +
        'and pages no larger than that leave no room for a new entry: nothing of ' +
        '2026-10-01T00:00:00.000Z..2026-10-01T01:00:00.000Z is written and the next run tries it again.',
    );
    // The first page, then the page after it (a re-read row would fill a page alone).
    expect(source.queries.map((q) => q.offset)).toEqual([0, 1]);
  });

  it('reads a range of a single entry from such an API: the page after it is empty', async () => {
    const source = new ClampedSource([viewEntry(day0 + 1_000, 1)], 1);
    const result = await fetchRange(source, day0, day0 + HOUR_MS, { maxPagesPerRange: 50, timeOf });
    expect(result.entries).toHaveLength(1);
    // As many requests as before: the first page and the (empty) page after it.
    expect(source.queries.map((q) => q.offset)).toEqual([0, 1]);
  });
});

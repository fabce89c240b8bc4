import { describe, expect, it } from 'vitest';
import type { AuditQuery } from '../../../functions/core/domo/audit-source.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { readCoverage } from '../../../functions/core/lake/coverage.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, type MemoryEntry, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');

/**
 * An API that pages first and then drops the rows of a user this client may not see, so offsets
 * count rows it never serves (review R-SIM F1). Domo documents no such filter; the client must not
 * take such a page, a few rows short of full, for the end of the hour.
 */
class FilteredAfterPaging extends MemoryAuditSource {
  constructor(
    entries: MemoryEntry[],
    private readonly hidden: ReadonlySet<number>,
  ) {
    super(entries);
  }

  override async fetchPage(query: AuditQuery) {
    const page = await super.fetchPage(query);
    const keep = page.entries.map((_, i) => !this.hidden.has(query.offset + i));
    return {
      ...page,
      entries: page.entries.filter((_, i) => keep[i]),
      entryTexts: page.entryTexts.filter((_, i) => keep[i]),
    };
  }
}

describe('an API that drops a few rows of a page after paging it', () => {
  it('fails the hour loudly instead of storing it short and complete', async () => {
    // Three full pages' worth in one hour; five rows of the second page filtered out.
    const entries = Array.from({ length: 3000 }, (_, i) => viewEntry(day0 + i * 1_000, i));
    const hidden = new Set([1200, 1201, 1202, 1203, 1204]);
    const source = new FilteredAfterPaging(entries, hidden);
    const store = new MemoryObjectStore();
    const summary = await runIngest(
      quietIngestDeps(source, store, day0 + 2 * 24 * HOUR_MS),
      { ...defaultIngestConfig('acme'), concurrency: 1 },
      { range: { fromMs: day0, toMs: day0 + HOUR_MS } },
    );
    const stored = (await readCoverage(store, 'acme', day0))?.event_count;
    // Before: the 995-row page after a full one ended the hour, manifest complete, 1,993 of 2,995.
    // Now the page is read past, and the rows the filter moved fail the re-read check, at the same
    // place on every read: a paging this version does not read, a configuration failure (R-DRIFT M5).
    expect(stored).toBeUndefined();
    expect(summary.failures).toEqual([
      expect.objectContaining({
        configuration: true,
        message: expect.stringMatching(/do not follow on from each other, the same way on every read/),
      }),
    ]);
  });
});

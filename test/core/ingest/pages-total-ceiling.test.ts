import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditPage, AuditQuery, AuditSource } from '../../../functions/core/domo/audit-source.ts';
import {
  DEFAULT_MAX_PAGES_TOTAL,
  DEFAULT_MAX_PAGES_UNSPLITTABLE,
} from '../../../functions/core/ingest/fetch-range.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { activityKey } from '../../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const PAGE_ROWS = 4;

/**
 * An API that caps every page at four distinct entries, whatever `limit` asks, and never runs out:
 * row k of any request sits at offset k, timed one second apart inside the requested range. Each
 * page after the first re-reads two rows and brings two new ones, so paging never ends by itself.
 */
class BottomlessSource implements AuditSource {
  readonly queries: AuditQuery[] = [];

  async fetchPage(query: AuditQuery): Promise<AuditPage> {
    this.queries.push(query);
    const span = query.end - query.start;
    const rows = Array.from({ length: PAGE_ROWS }, (_, i) => {
      const k = query.offset + i;
      return { actionType: 'VIEWED', time: query.end - ((k * 1_000) % span), n: k };
    });
    return { entries: rows, entryTexts: rows.map((row) => JSON.stringify(row)), requests: 1 };
  }
}

/** A doc's text with its line breaks and runs of spaces read as single spaces. */
const doc = (name: string) =>
  readFileSync(join(import.meta.dirname, '../../../docs', name), 'utf8').replace(/\s+/g, ' ');
const documented = (text: string, pattern: RegExp) => Number(pattern.exec(text)?.[1]?.replace(/,/g, ''));

describe('the pages one read of a run may take', () => {
  it('stop at 5,000 by default: the read fails with how many pages Domo served, and nothing is written', async () => {
    const source = new BottomlessSource();
    const store = new MemoryObjectStore();
    // The most pages an hour may take before it is split: the hour is read as one range throughout.
    const summary = await runIngest(
      quietIngestDeps(source, store, day0 + 2 * HOUR_MS),
      { ...defaultIngestConfig('acme'), maxPagesPerRange: 10_000 },
      { range: { fromMs: day0, toMs: day0 + HOUR_MS } },
    );
    expect(source.queries).toHaveLength(5_000);
    expect(summary.failures).toEqual([
      {
        windowStartMs: day0,
        message:
          'Domo served 5000 pages (20000 entries) for 2026-10-01T00:00:00.000Z..2026-10-01T01:00:00.000Z ' +
          'without ever ending the range (ceiling 5000 pages): the API is misbehaving; nothing of it is ' +
          // A range run: no later run pulls its hours by itself (review R-SECOND L4).
          'written and no later run pulls these hours by itself: a run of the same range tries it again.',
      },
    ]);
    expect(store.objects.has(activityKey('acme', day0))).toBe(false);
  });

  it('are the ceilings the docs promise', () => {
    const guarantees = doc('guarantees.md');
    expect(
      documented(guarantees, /one read \(an hour, or quiet hours read together\) at most ([\d,]+)/),
    ).toBe(DEFAULT_MAX_PAGES_TOTAL);
    expect(documented(guarantees, /\(one second\) gets at most ([\d,]+) pages/)).toBe(
      DEFAULT_MAX_PAGES_UNSPLITTABLE,
    );
    const decisions = doc('decisions.md');
    expect(documented(decisions, /and ([\d,]+) for one `fetchRange` call/)).toBe(DEFAULT_MAX_PAGES_TOTAL);
    expect(documented(decisions, /at most ([\d,]+) pages for a range that cannot be split/)).toBe(
      DEFAULT_MAX_PAGES_UNSPLITTABLE,
    );
  });
});

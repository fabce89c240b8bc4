import { describe, expect, it } from 'vitest';
import type { AuditQuery } from '../../../functions/core/domo/audit-source.ts';
import { fetchRange } from '../../../functions/core/ingest/fetch-range.ts';
import { nothingServedYet } from '../../../functions/core/ingest/page-end.ts';
import { MemoryAuditSource, type MemoryEntry } from '../../support/memory-audit-source.ts';
import { seeded } from '../../support/seeded-random.ts';

const t0 = Date.parse('2026-10-01T00:00:00Z');
const HOUR = 3_600_000;
const timeOf = (e: unknown) => (e as { time: number }).time;

/**
 * Pages cut silently at ~600 KB (so each holds a different count, none the page size), and no row
 * past `window` ever served, as a server with a result window that says nothing.
 */
class ByteCutWindow extends MemoryAuditSource {
  constructor(
    entries: MemoryEntry[],
    private readonly window: number,
    private readonly capBytes = 600_000,
  ) {
    super(entries);
  }
  override async fetchPage(query: AuditQuery) {
    const limit = Math.max(0, Math.min(query.limit, this.window - query.offset));
    const page = await super.fetchPage({ ...query, limit });
    let bytes = 0;
    let n = 0;
    for (const text of page.entryTexts) {
      if (n > 0 && bytes + text.length > this.capBytes) break;
      bytes += text.length;
      n++;
    }
    return { entries: page.entries.slice(0, n), entryTexts: page.entryTexts.slice(0, n), requests: 1 };
  }
}

describe('a silent result window on pages cut by bytes (review R-PG)', () => {
  it('is probed past and read whole: pages of varying counts are full pages too', async () => {
    const random = seeded(7);
    // 20,000 entries of 520-720 bytes: ~900 to a 600 KB page, each page's count different.
    const rows: MemoryEntry[] = Array.from({ length: 20_000 }, (_, i) => {
      const time = t0 + HOUR - 1 - i * 150;
      return {
        timeMs: time,
        entry: { id: `e${i}`, time, note: 'x'.repeat(460 + Math.floor(random() * 200)) },
      };
    });
    const source = new ByteCutWindow(rows, 8_000);
    const read = await fetchRange(source, t0, t0 + HOUR, {
      maxPagesPerRange: 50,
      timeOf,
      pageSize: 1000,
      largestPage: nothingServedYet(),
    });
    expect(read.entries).toHaveLength(20_000);
    expect(source.queries.some((q) => q.limit === 1)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { fetchRange, RangeTooHeavyError } from '../../../functions/core/ingest/fetch-range.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, type MemoryEntry, viewEntry } from '../../support/memory-audit-source.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const QUARTER_MS = HOUR_MS / 4;
const timeOf = (entry: unknown) => (entry as { time: number }).time;

/**
 * 40 entries of ~1,000 characters, ten in each quarter of the hour and none on a quarter's edge, so
 * each quarter is read whole in two pages of ten (the second re-reads two rows and ends the range).
 */
const entries: MemoryEntry[] = Array.from({ length: 40 }, (_, i) => {
  const view = viewEntry(day0 + i * 90_000 + 45_000, i);
  return { ...view, entry: { ...(view.entry as object), note: 'x'.repeat(1_000) } };
});
const totalChars = entries.reduce((sum, e) => sum + JSON.stringify(e.entry).length, 0);

/** Two pages per range: the hour splits into halves, each half into quarters, and only those end. */
const options = (maxHeldChars: number) => ({ maxPagesPerRange: 2, pageSize: 10, timeOf, maxHeldChars });

describe('the memory ceiling of a range read in split halves', () => {
  it('is shared by the halves: what earlier halves kept counts against every later read', async () => {
    // A ceiling of four-fifths of the hour's JSON: any one or two quarters fit. Read depth first,
    // the first half keeps its two quarters (20 entries); the second half's own first try (two
    // pages, 18 new entries) then brings the total held to 38 of 40, past the ceiling. Counted per
    // read, or only with the read kept just before, the most held at once would be 18 or 28
    // entries, and the hour would be read whole.
    const ceiling = Math.floor(totalChars * 0.8);
    const source = new MemoryAuditSource(entries);
    const error = await fetchRange(source, day0, day0 + HOUR_MS, options(ceiling)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RangeTooHeavyError);
    // Given up in the second half, after both quarters of the first half were read whole.
    const kept = source.queries.filter((q) => q.end - (q.start + 1) === QUARTER_MS && q.offset === 0);
    expect(kept.map((q) => q.start + 1)).toEqual([day0, day0 + QUARTER_MS]);
    expect(source.queries.at(-1)).toMatchObject({ start: day0 + 2 * QUARTER_MS - 1, end: day0 + HOUR_MS });
  });

  it('lets each half alone through under the same ceiling', async () => {
    const ceiling = Math.floor(totalChars * 0.8);
    for (const startMs of [day0, day0 + 2 * QUARTER_MS]) {
      const half = await fetchRange(
        new MemoryAuditSource(entries),
        startMs,
        startMs + 2 * QUARTER_MS,
        options(ceiling),
      );
      expect(half.entries).toHaveLength(20);
    }
  });
});

import { describe, expect, it } from 'vitest';
import type { FieldGapCounts } from '../../../functions/core/ingest/field-gaps.ts';
import { type JudgedGaps, QuietHoursBefore } from '../../../functions/core/ingest/quiet-hours-before.ts';
import { encodeCoverage } from '../../../functions/core/lake/coverage.ts';
import { coverageKey } from '../../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { coverageManifestOf } from '../../support/coverage-manifest-fixture.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

// SHAPE3 (2026-12-07): a run's spans store at once, and a too full span its newest part first, so
// an hour may be stored before the hour ahead of it. Summed then, its look back read the lake as
// it was before the run, where status and verify, after it, read what the run stored.

const at = (h: number) => Date.parse('2026-10-01T10:00:00Z') + h * HOUR_MS;
const sound: FieldGapCounts = { entries_read: 5 };
const renamed: FieldGapCounts = { entries_read: 5, missing_fields: { actionType: 5 } };

function judge(store = new MemoryObjectStore()) {
  const told: JudgedGaps[] = [];
  const hours = new QuietHoursBefore(store, 'acme');
  const stored = (h: number, gaps: FieldGapCounts) =>
    hours.stored(at(h), gaps, (judged) => told.push(judged));
  return { hours, told, stored };
}

describe("a stored hour's judgement waits for the hours of the run before it", () => {
  it('an hour stored before the one ahead of it is judged once that one is stored', async () => {
    const { hours, told, stored } = judge();
    hours.pulls({ startMs: at(0), endMs: at(2) });
    hours.pulls({ startMs: at(2), endMs: at(3) });
    await stored(2, renamed);
    expect(told).toEqual([]);
    // 12:00 sums 10 entries with 11:00, renamed: told, though 11:00 itself waits on 10:00.
    await stored(1, renamed);
    expect(told.map((judged) => judged.label)).toEqual(['2 quiet hours up to 2026-10-01 12:00']);
    expect(told[0]?.gaps).toEqual({
      entries_read: 10,
      missing_fields: { actionType: 10 },
      unread_fields: {},
    });
    await stored(0, sound);
    expect(told.map((judged) => judged.label)).toEqual([
      '2 quiet hours up to 2026-10-01 12:00',
      '2026-10-01 10:00',
      '2 quiet hours up to 2026-10-01 11:00',
    ]);
    expect(told[2]?.gaps).toMatchObject({ entries_read: 10, missing_fields: { actionType: 5 } });
  });

  it('a span that ends without the hour lets the sum read it as the lake held it', async () => {
    const store = new MemoryObjectStore();
    store.putNow(
      coverageKey('acme', at(0)),
      encodeCoverage({ ...coverageManifestOf(at(0)), entries_read: 5, missing_fields: { actionType: 5 } }),
    );
    const { hours, told, stored } = judge(store);
    const first = { startMs: at(0), endMs: at(1) };
    hours.pulls(first);
    hours.pulls({ startMs: at(1), endMs: at(2) });
    await stored(1, renamed);
    expect(told).toEqual([]);
    await hours.ended(first);
    expect(told).toHaveLength(1);
    expect(told[0]?.label).toBe('2 quiet hours up to 2026-10-01 11:00');
  });
});

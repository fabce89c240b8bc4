import { describe, expect, it } from 'vitest';
import { unusedBackfillNote } from '../../functions/cli/commands/ingest.ts';
import type { IngestSummary } from '../../functions/core/ingest/ingest-types.ts';

// Review R-SFC4 (stop 53): an `ingest --backfill-days 11` that started a moment after another
// ingest wrote the lake's first checkpoint continued from it, pulled 5 days, and said nothing of
// the 11 asked for.

const run = (mode: 'checkpoint' | 'range', watermarkBeforeMs: number | null) =>
  ({ mode, watermarkBeforeMs }) as unknown as IngestSummary;
const WATERMARK = Date.parse('2026-11-28T22:00:00Z');

describe('the note on --backfill-days a run did not use', () => {
  it('is given when the lake had a checkpoint, naming its watermark and the way to older hours', () => {
    expect(unusedBackfillNote(run('checkpoint', WATERMARK), '11')).toEqual([
      'note: --backfill-days 11 was not used: it sets how far a first run reaches back, and this lake had a checkpoint (watermark 2026-11-28 22:00 UTC), so the run continued from it; to pull older hours, use --from/--to',
    ]);
  });

  it('is not given to a first run, without the option, or to a range run', () => {
    expect(unusedBackfillNote(run('checkpoint', null), '11')).toEqual([]);
    expect(unusedBackfillNote(run('checkpoint', WATERMARK), undefined)).toEqual([]);
    expect(unusedBackfillNote(run('range', null), '11')).toEqual([]);
  });
});

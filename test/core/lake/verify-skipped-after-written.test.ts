import { describe, expect, it } from 'vitest';
import type { SkippedHours } from '../../../functions/core/lake/skipped-hours.ts';
import type { VerifyReport } from '../../../functions/core/lake/verify-report.ts';
import { noteRepulledGaps } from '../../../functions/core/lake/verify-repulled-gaps.ts';
import { FROM, report as fixture, H } from '../../support/verify-report-fixture.ts';

// Review STATUS7: verify counted the hours a note is honoured for and left the hours it names
// after its written_at among the gaps unnamed, so an operator could not see what the note did not
// cover: they are listed apart (status's hours.skippedAfterWritten), bounded.

/** A report whose 30 hours below the watermark are one gap, none pulled again. */
const gapOf30 = (): VerifyReport => ({
  ...fixture,
  gaps: [{ fromMs: FROM, toMs: FROM + 30 * H }],
  uncoveredBelowWatermark: 30,
});
/** A span from the first hour to `toMs`, written when the first 2 had ended. */
const spanTo = (toMs: number): SkippedHours => ({
  spans: [{ fromMs: FROM, toMs, reason: 'outage', honouredToMs: FROM + 2 * H, dated: true }],
});
const noRepull = () => undefined;

describe('verify on hours a skip note names after it was written', () => {
  it('lists them apart from those skipped, the first 24 and how many', async () => {
    const r = gapOf30();
    await noteRepulledGaps(r, noRepull, spanTo(FROM + 30 * H));
    expect(r.skippedBelowWatermark).toEqual({ hourCount: 2, reasons: ['outage'] });
    expect(r.skippedAfterWritten?.hourCount).toBe(28);
    expect(r.skippedAfterWritten?.hours).toEqual(Array.from({ length: 24 }, (_, i) => FROM + (2 + i) * H));
  });

  it('lists none for hours outside every span, nor without a note', async () => {
    const r = gapOf30();
    await noteRepulledGaps(r, noRepull, spanTo(FROM + 2 * H));
    expect(r.skippedAfterWritten).toBeUndefined();
    const bare = gapOf30();
    await noteRepulledGaps(bare, noRepull);
    expect(bare.skippedAfterWritten).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { runsLeftEstimate, watermarkMovedHours } from '../../../functions/core/ingest/catch-up-pace.ts';

const HOUR = 3_600_000;
const at = Date.parse('2026-12-01T18:00:00Z');

describe("a catch-up's pace (review R-ONCALL M1)", () => {
  const ran = {
    watermarkBeforeMs: at - 43 * HOUR,
    watermarkAfterMs: at,
    behindByMs: 101 * HOUR + 20 * 60_000,
  };

  it('estimates the runs left from the hours this run moved the watermark', () => {
    expect(watermarkMovedHours(ran)).toBe(43);
    // 100 hours left (the newest is not closed yet) at 43 a run: 3 runs.
    expect(runsLeftEstimate({ ...ran, stoppedEarly: 'time-budget' })).toBe(3);
  });

  it('gives none for a run that finished, moved nothing, or is caught up', () => {
    expect(runsLeftEstimate({ ...ran, stoppedEarly: null })).toBeUndefined();
    expect(runsLeftEstimate({ ...ran, stoppedEarly: 'time-budget', watermarkBeforeMs: at })).toBeUndefined();
    expect(
      runsLeftEstimate({ ...ran, stoppedEarly: 'time-budget', behindByMs: 80 * 60_000 }),
    ).toBeUndefined();
    expect(
      runsLeftEstimate({ ...ran, stoppedEarly: 'time-budget', watermarkBeforeMs: null }),
    ).toBeUndefined();
  });

  // "watermark: was none, now …" then "did not move the watermark", and no estimate (review R-SRE L2).
  it('counts a first backfill from where it began: it set the watermark that far', () => {
    const first = { ...ran, watermarkBeforeMs: null, backfillFromMs: at - 43 * HOUR };
    expect(watermarkMovedHours(first)).toBe(43);
    expect(runsLeftEstimate({ ...first, stoppedEarly: 'time-budget' })).toBe(3);
    expect(watermarkMovedHours({ ...first, watermarkAfterMs: null })).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { verifyRangeAt } from '../../../functions/core/lake/verify-range.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';

const day0 = Date.parse('2026-12-02T00:00:00Z');
const MINUTE = 60_000;

describe('the hours of a range verify can check', () => {
  it('keeps a range of closed hours as it is', () => {
    const range = { fromMs: day0, toMs: day0 + 10 * HOUR_MS };
    expect(verifyRangeAt(range, day0 + 10 * HOUR_MS + 15 * MINUTE, 15)).toEqual({ kind: 'closed', range });
  });

  it('clips a range reaching past now to the end of the newest hour that can be pulled, and says so', () => {
    const tomorrow = day0 + 24 * HOUR_MS;
    // 10:52 with a settle of 15 min: 09:00-10:00 has settled, 10:00-11:00 has not ended.
    expect(verifyRangeAt({ fromMs: day0, toMs: tomorrow }, day0 + 10 * HOUR_MS + 52 * MINUTE, 15)).toEqual({
      kind: 'closed',
      range: { fromMs: day0, toMs: day0 + 10 * HOUR_MS },
      clipped: { requestedToMs: tomorrow, settleMinutes: 15 },
    });
  });

  it('judges closed hours by the settle time, as ingest does: an hour ended 10 min ago is not yet', () => {
    const at = verifyRangeAt(
      { fromMs: day0, toMs: day0 + 24 * HOUR_MS },
      day0 + 10 * HOUR_MS + 10 * MINUTE,
      15,
    );
    expect(at).toMatchObject({ kind: 'closed', range: { toMs: day0 + 9 * HOUR_MS } });
    const settled = verifyRangeAt(
      { fromMs: day0, toMs: day0 + 24 * HOUR_MS },
      day0 + 10 * HOUR_MS + 10 * MINUTE,
      0,
    );
    expect(settled).toMatchObject({ kind: 'closed', range: { toMs: day0 + 10 * HOUR_MS } });
  });

  it('has nothing to check in a range that starts after now', () => {
    const now = day0 + 10 * HOUR_MS + 52 * MINUTE;
    const future = { fromMs: Date.parse('2099-11-27T00:00:00Z'), toMs: Date.parse('2099-11-28T00:00:00Z') };
    expect(verifyRangeAt(future, now, 15)).toEqual({
      kind: 'not-closed',
      closedEndMs: day0 + 10 * HOUR_MS,
      settleMinutes: 15,
    });
  });

  it('checks a range that has begun with none of its hours closed as empty, clipped', () => {
    const now = day0 + 10 * HOUR_MS + 52 * MINUTE;
    // The hour in progress alone: it has not ended.
    const current = { fromMs: day0 + 10 * HOUR_MS, toMs: day0 + 11 * HOUR_MS };
    expect(verifyRangeAt(current, now, 15)).toEqual({
      kind: 'closed',
      range: { fromMs: day0 + 10 * HOUR_MS, toMs: day0 + 10 * HOUR_MS },
      clipped: {
        requestedToMs: day0 + 11 * HOUR_MS,
        settleMinutes: 15,
        noneClosedBeforeMs: day0 + 10 * HOUR_MS,
      },
    });
    // Begun 3 minutes ago, when the closed hours still end an hour earlier (R1, stop 43): that end is
    // said, not the range's start.
    const justBegun = { fromMs: day0 + 11 * HOUR_MS, toMs: day0 + 12 * HOUR_MS };
    expect(verifyRangeAt(justBegun, day0 + 11 * HOUR_MS + 3 * MINUTE, 15)).toMatchObject({
      range: { fromMs: justBegun.fromMs, toMs: justBegun.fromMs },
      clipped: { noneClosedBeforeMs: day0 + 10 * HOUR_MS },
    });
    // Begun this very millisecond still counts as begun; a millisecond later than now does not.
    expect(verifyRangeAt({ fromMs: now, toMs: now + HOUR_MS }, now, 15).kind).toBe('closed');
    expect(verifyRangeAt({ fromMs: now + 1, toMs: now + HOUR_MS }, now, 15).kind).toBe('not-closed');
  });
});

describe("the lake's watermark in the hours a range verify can check (review 40, item 6)", () => {
  const now = day0 + 10 * HOUR_MS + 52 * MINUTE;
  const today = { fromMs: day0, toMs: day0 + 24 * HOUR_MS };

  it('checks on to the watermark when a longer settle time would stop short of it', () => {
    // Settled by 60 min: up to 09:00; the deployment, settling sooner, pulled up to 10:00.
    expect(verifyRangeAt(today, now, 60, day0 + 10 * HOUR_MS)).toEqual({
      kind: 'closed',
      range: { fromMs: day0, toMs: day0 + 10 * HOUR_MS },
      clipped: { requestedToMs: today.toMs, settleMinutes: 60, atWatermark: true },
    });
    // A range that has begun after the settled end but before the watermark is checked.
    const lastHour = { fromMs: day0 + 9 * HOUR_MS, toMs: day0 + 10 * HOUR_MS };
    expect(verifyRangeAt(lastHour, now, 60, day0 + 10 * HOUR_MS)).toEqual({
      kind: 'closed',
      range: lastHour,
    });
  });

  it('never stops earlier at a watermark left behind: settled hours past it are gaps to find', () => {
    expect(verifyRangeAt(today, now, 15, day0 + 3 * HOUR_MS)).toEqual(verifyRangeAt(today, now, 15));
  });

  it('takes no hour that has not ended from a watermark edited ahead of now', () => {
    const ahead = verifyRangeAt(today, now, 60, day0 + 20 * HOUR_MS);
    expect(ahead).toMatchObject({ kind: 'closed', range: { toMs: day0 + 10 * HOUR_MS } });
    // Stopped at the current hour, not at the watermark: said so, not "at the watermark".
    expect(ahead).toMatchObject({ clipped: { watermarkAhead: true } });
    expect(ahead).not.toMatchObject({ clipped: { atWatermark: true } });
    const future = { fromMs: day0 + 11 * HOUR_MS, toMs: day0 + 12 * HOUR_MS };
    expect(verifyRangeAt(future, now, 60, day0 + 20 * HOUR_MS).kind).toBe('not-closed');
  });

  it('says "at the watermark" only of a range that ends there (review 41)', () => {
    // Begun after the watermark with none of its hours settled: checked as empty, and its end is
    // its --from, not the watermark.
    const begun = { fromMs: day0 + 11 * HOUR_MS - HOUR_MS, toMs: day0 + 12 * HOUR_MS };
    const at = verifyRangeAt(begun, now, 120, day0 + 10 * HOUR_MS);
    expect(at).toEqual({
      kind: 'closed',
      range: { fromMs: begun.fromMs, toMs: begun.fromMs },
      clipped: { requestedToMs: begun.toMs, settleMinutes: 120, noneClosedBeforeMs: day0 + 10 * HOUR_MS },
    });
  });
});

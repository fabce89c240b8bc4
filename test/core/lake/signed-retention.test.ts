import { describe, expect, it } from 'vitest';
import { signedMaxDays } from '../../../functions/core/lake/signed-retention.ts';
import { DAY_MS } from '../../../functions/core/time-units.ts';

// Review R-SECOND6 H1: the bound verify excuses gone hours by comes from the signed digests, and a
// smaller one appended later (what a holder of the signing right would write) excuses nothing more.

const NOW = Date.parse('2027-06-01T00:00:00Z');
const at = (daysAgo: number) => NOW - daysAgo * DAY_MS;

describe('signedMaxDays', () => {
  it('is the bound every digest states, and none without a statement', () => {
    expect(
      signedMaxDays(
        [
          { atMs: at(10), maxDays: 400 },
          { atMs: at(1), maxDays: 400 },
        ],
        NOW,
      ),
    ).toBe(400);
    expect(signedMaxDays([], NOW)).toBeUndefined();
    expect(signedMaxDays([{ atMs: at(1), maxDays: null }], NOW)).toBeUndefined();
  });

  it('keeps a larger bound over a smaller one stated after it, while the larger still counts', () => {
    const shortened = [
      { atMs: at(30), maxDays: 400 },
      { atMs: at(0.5), maxDays: 1 },
    ];
    expect(signedMaxDays(shortened, NOW)).toBe(400);
    // 400 days after it stopped being in force, no hour it kept can be left: the smaller counts.
    expect(
      signedMaxDays(
        [
          { atMs: at(900), maxDays: 400 },
          { atMs: at(401), maxDays: 200 },
        ],
        NOW,
      ),
    ).toBe(200);
  });

  it('excuses nothing when a digest states a bound synth refuses', () => {
    expect(
      signedMaxDays(
        [
          { atMs: at(10), maxDays: 400 },
          { atMs: at(1), maxDays: 0 },
        ],
        NOW,
      ),
    ).toBeUndefined();
    expect(signedMaxDays([{ atMs: at(10), maxDays: -3 }], NOW)).toBeUndefined();
  });

  it('ends a bound where a digest states none: its hours count only its own days after', () => {
    const removed = [
      { atMs: at(100), maxDays: 30 },
      { atMs: at(40), maxDays: null },
    ];
    expect(signedMaxDays(removed, NOW)).toBeUndefined();
    expect(signedMaxDays(removed, at(20))).toBe(30);
  });
});

import { describe, expect, it } from 'vitest';
import { signedMaxDays } from '../../../functions/core/lake/signed-retention.ts';
import { DAY_MS, HOUR_MS } from '../../../functions/core/time-units.ts';

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

  it('excuses nothing while a statement of none is in force after an hour (removal)', () => {
    const removed = [
      { atMs: at(100), maxDays: 30 },
      { atMs: at(40), maxDays: null },
    ];
    // The hours the 30 days expired before the removal read missing: a check starts after them.
    expect(signedMaxDays(removed, NOW)).toBeUndefined();
    expect(signedMaxDays(removed, at(20))).toBeUndefined();
  });

  // Review R-SECOND7 H1: a chain stating none (the default) or nothing (digests from before they
  // stated it, command-line runs), then one appended small bound.
  it('excuses nothing by a bound appended to a chain stating none or nothing', () => {
    const hourly = (maxDays: number | null) =>
      Array.from({ length: 24 * 30 }, (_, h) => ({ atMs: at(30) + h * HOUR_MS, maxDays }));
    // A digest that says nothing is noted as stating none (integrity-chain-index.ts noteRetention).
    const forged = [...hourly(null), { atMs: at(1 / 24), maxDays: 1 }];
    expect(signedMaxDays(forged, NOW)).toBeUndefined();
    expect(signedMaxDays(forged, at(-20))).toBeUndefined();
    const thenHonest = [...forged, { atMs: at(1 / 48), maxDays: null }];
    expect(signedMaxDays(thenHonest, at(-20))).toBeUndefined();
    // Function level, as the review ran it: null, 30, null.
    const between = [...hourly(null), { atMs: at(2 / 24), maxDays: 30 }, { atMs: at(1 / 24), maxDays: null }];
    expect(signedMaxDays(between, NOW)).toBeUndefined();
    expect(signedMaxDays(between, at(-20))).toBeUndefined();
  });

  it('takes a bound stated from the chain start, and a raise once the larger has run its days', () => {
    const fromStart = Array.from({ length: 500 }, (_, d) => ({ atMs: at(500 - d), maxDays: 400 }));
    expect(signedMaxDays(fromStart, NOW)).toBe(400);
    const raised = [
      { atMs: at(500), maxDays: 30 },
      { atMs: at(300), maxDays: 400 },
    ];
    // Hours the 30 days expired before the raise wait for the 400: none of theirs is excused yet.
    expect(signedMaxDays(raised, NOW)).toBe(400);
    const shortened = [
      { atMs: at(500), maxDays: 400 },
      { atMs: at(300), maxDays: 30 },
    ];
    expect(signedMaxDays(shortened, NOW)).toBe(400);
    expect(signedMaxDays(shortened, at(-101))).toBe(30);
  });

  // Review R-SECOND7 L4: a digest backdated before the one it follows cut that one's stretch short.
  it('ends no stretch before it began, by a backdated digest', () => {
    const backdated = [
      { atMs: at(2), maxDays: 400 },
      { atMs: Date.parse('2000-01-01T00:00:00Z'), maxDays: 1 },
    ];
    expect(signedMaxDays(backdated, NOW)).toBe(400);
  });
});

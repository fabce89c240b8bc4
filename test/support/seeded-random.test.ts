import { describe, expect, it } from 'vitest';
import { seeded } from './seeded-random.ts';

const draws = (random: () => number, n: number) => Array.from({ length: n }, random);

/** The 32-bit integer a draw in [0, 1) was made from. */
const word = (x: number) => Math.floor(x * 2 ** 32);

/** The double-arithmetic LCG four tests once copied, to show what the checks below catch. */
const doublesLcg = (seed: number) => {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
};

/** Whether `random`'s numbers use [0, 1) whole and their low bits are as mixed as the high ones. */
function looksUniform(random: () => number): boolean {
  const xs = draws(random, 4096);
  const lowBytes = new Set(xs.map((x) => word(x) & 0xff));
  const tenths = new Set(xs.map((x) => Math.floor(x * 10)));
  const lowBitOnes = xs.filter((x) => word(x) & 1).length;
  return (
    xs.every((x) => x >= 0 && x < 1) &&
    tenths.size === 10 &&
    Math.min(...xs) < 0.01 &&
    Math.max(...xs) > 0.99 &&
    lowBytes.size === 256 &&
    lowBitOnes > 1800 &&
    lowBitOnes < 2300
  );
}

/** How many different numbers `random` gives in `n`. */
const different = (random: () => number, n: number) => new Set(draws(random, n)).size;

describe('the tests’ seeded random numbers', () => {
  it('are the same run for the same seed and another for another seed', () => {
    expect(draws(seeded(7), 50)).toEqual(draws(seeded(7), 50));
    expect(draws(seeded(7), 50)).not.toEqual(draws(seeded(8), 50));
  });

  it('use [0, 1) whole, low bits as well as high, for small seeds too', () => {
    for (const seed of [0, 1, 7, 12345, 2 ** 31 - 1]) expect(looksUniform(seeded(seed))).toBe(true);
  });

  it('do not cycle within 100,000 numbers', () => {
    // 100,000 draws of 2^32 values repeat about one by chance; a cycle repeats them all.
    expect(different(seeded(7), 100_000)).toBeGreaterThan(99_990);
  });

  it('are what an LCG computed in doubles is not', () => {
    expect(looksUniform(doublesLcg(7))).toBe(false);
    expect(different(doublesLcg(7), 100_000)).toBeLessThan(20_000);
  });
});

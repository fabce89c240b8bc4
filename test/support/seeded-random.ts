/**
 * The tests' one seeded random number generator (mulberry32): the same run of numbers in [0, 1)
 * for the same seed, every time. All its arithmetic is on 32-bit integers (`Math.imul`, `| 0`,
 * `>>> 0`), so no bit is lost. A linear congruential step written in doubles,
 * `(state * 1103515245 + 12345) % 2 ** 31`, is not: the product passes 2^53, its low bits round
 * away, and from seed 7 it cycles after ~10,000 numbers whose low byte takes ~20 values of 256
 * (`seeded-random.test.ts` shows it).
 */
export const seeded = (seed: number): (() => number) => {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

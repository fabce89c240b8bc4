import { describe, expect, it } from 'vitest';
import { abWorkload, FULL } from '../../bench/scale.ts';

/** bench/cpu-ab.ts runs either side of the memory pair, at the bench's or a given concurrency. */
describe('the A/B workload of bench/cpu-ab.ts', () => {
  it('is the CPU path at the pair concurrency unless told otherwise', () => {
    expect(abWorkload({ large: false })).toEqual({ spec: FULL.pair[0], concurrency: FULL.pairConcurrency });
  });

  it('is the 1M-event side with --large, at the concurrency given', () => {
    const { spec, concurrency } = abWorkload({ large: true, concurrency: '1' });
    expect(spec).toBe(FULL.pair[1]);
    expect(spec.events).toBe(1_000_000);
    expect(concurrency).toBe(1);
  });

  it('refuses a concurrency that is not a whole number from 1 before any run', () => {
    for (const bad of ['0', '-2', '1.5', 'eight', '']) {
      expect(() => abWorkload({ large: true, concurrency: bad })).toThrow(
        /--concurrency needs a whole number/,
      );
    }
  });
});

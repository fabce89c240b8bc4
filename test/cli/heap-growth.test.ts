import { describe, expect, it } from 'vitest';
import { boundHeapGrowth, HEAP_GROWING_PERCENT } from '../../functions/cli/heap-growth.ts';

describe('boundHeapGrowth', () => {
  it("sets V8's heap growing factor", () => {
    const set: string[] = [];
    boundHeapGrowth([], (flags) => set.push(flags));
    expect(set).toEqual([`--heap-growing-percent=${HEAP_GROWING_PERCENT}`]);
  });

  it('leaves a factor chosen on the command line alone', () => {
    const set: string[] = [];
    boundHeapGrowth(['--heap-growing-percent=50'], (flags) => set.push(flags));
    boundHeapGrowth(['--heap_growing_percent', '50'], (flags) => set.push(flags));
    expect(set).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import {
  boundHeapGrowth,
  HEAP_GROWING_PERCENT,
  type HeapGrowthDeps,
  YOUNG_GENERATION_CAP_BYTES,
} from '../../functions/cli/heap-growth.ts';

function fakeProcess(execArgv: string[] = []) {
  const flags: string[] = [];
  let onGc: (() => void) | undefined;
  const state = { young: 1024 * 1024, observing: false };
  const deps: HeapGrowthDeps = {
    execArgv,
    setFlags: (f) => flags.push(f),
    observeGc: (callback) => {
      onGc = callback;
      state.observing = true;
      return () => {
        state.observing = false;
      };
    },
    youngGenerationBytes: () => state.young,
  };
  const gc = (youngBytes: number) => {
    state.young = youngBytes;
    if (state.observing) onGc?.();
  };
  return { deps, flags, state, gc };
}

describe('boundHeapGrowth', () => {
  it("sets V8's heap growing factor at once", () => {
    const { deps, flags } = fakeProcess();
    boundHeapGrowth(deps);
    expect(flags).toEqual([`--heap-growing-percent=${HEAP_GROWING_PERCENT}`]);
  });

  it('stops the young generation growing once it reaches the cap, and stops watching', () => {
    const { deps, flags, state, gc } = fakeProcess();
    boundHeapGrowth(deps);
    gc(2 * 1024 * 1024);
    gc(4 * 1024 * 1024);
    expect(flags).not.toContain('--semi-space-growth-factor=1');
    gc(YOUNG_GENERATION_CAP_BYTES);
    expect(flags.filter((f) => f === '--semi-space-growth-factor=1')).toHaveLength(1);
    expect(state.observing).toBe(false);
  });

  it('leaves what the command line chose alone', () => {
    const heapChosen = fakeProcess(['--heap-growing-percent=80']);
    boundHeapGrowth(heapChosen.deps);
    expect(heapChosen.flags).toEqual([]);
    expect(heapChosen.state.observing).toBe(true);

    const youngChosen = fakeProcess(['--max-semi-space-size=32']);
    boundHeapGrowth(youngChosen.deps);
    youngChosen.gc(64 * 1024 * 1024);
    expect(youngChosen.flags).toEqual([`--heap-growing-percent=${HEAP_GROWING_PERCENT}`]);
    expect(youngChosen.state.observing).toBe(false);
  });
});

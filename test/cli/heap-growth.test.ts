import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  boundHeapGrowth,
  HEAP_GROWING_PERCENT,
  type HeapGrowthDeps,
  semiSpaceBytes,
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
    gc(YOUNG_GENERATION_CAP_BYTES / 4);
    gc(YOUNG_GENERATION_CAP_BYTES / 2);
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

  it("reads the semi-space's size whether or not V8 has committed its copy space", () => {
    const module = pathToFileURL(join(import.meta.dirname, '../../functions/cli/heap-growth.ts')).href;
    // Read at start, before any scavenge has committed the copy space, and again after some.
    const script = `const { semiSpaceBytes } = await import(${JSON.stringify(module)});
      const first = semiSpaceBytes();
      let kept = [];
      for (let i = 0; i < 300000; i += 1) { kept.push({ i }); if (kept.length > 1000) kept = []; }
      console.log(first, semiSpaceBytes());`;
    const out = execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--min-semi-space-size=2',
        '--max-semi-space-size=2',
        '--input-type=module',
        '-e',
        script,
      ],
      { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } },
    );
    expect(out.trim().split(' ').map(Number)).toEqual([2 * 1024 * 1024, 2 * 1024 * 1024]);
  });

  it('rounds what the semi-space holds and has left up to whole pages, as both V8s report it', () => {
    const newSpace = (used: number, available: number, size: number) => [
      {
        space_name: 'old_space',
        space_size: 64 * 1024 * 1024,
        space_used_size: 0,
        space_available_size: 0,
        physical_space_size: 0,
      },
      {
        space_name: 'new_space',
        space_size: size,
        space_used_size: used,
        space_available_size: available,
        physical_space_size: 0,
      },
    ];
    const MiB = 1024 * 1024;
    // Node 20 in a collection's callback: both semi-spaces in space_size, page headers left out.
    expect(semiSpaceBytes(newSpace(1_000_000, 3_123_520, 8 * MiB))).toBe(4 * MiB);
    // Node 24 at start: one semi-space, 256 bytes short of it.
    expect(semiSpaceBytes(newSpace(500_000, 4 * MiB - 500_256, 4 * MiB))).toBe(4 * MiB);
    expect(semiSpaceBytes(newSpace(0, 0, 0).slice(0, 1))).toBe(0);
  });
});

import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, type HeapSpaceInfo, setFlagsFromString } from 'node:v8';

/**
 * How far the heap may grow past what the last full garbage collection kept, in percent, while the
 * CLI runs. V8's own factor adapts up to 4x when the heap limit is large (a workstation's is
 * several GB): an ingest whose live data is 25-90 MB ran with 250-300 MB of heap, most of it
 * garbage waiting for the next full collection, and the process's peak memory followed that, not
 * the data. At 50 % the 1M-event ingest peaks at ~181 MiB (V8's own: ~480) for ~10 % more CPU;
 * 20 % saved ~10 MiB more for ~20 % more CPU, and CPU is what the wall-time targets wait on. It is
 * not a limit: the heap still grows as far as live data needs,
 * so a very busy hour cannot run out of memory because of it. Lambda needs none of this: its
 * runtime caps the heap from the function's memory size, and V8 then grows it by less.
 */
export const HEAP_GROWING_PERCENT = 50;

/**
 * Size of the young generation's semi-space at which it stops growing. V8 doubles it under load up
 * to 16 MB (~48 MB with its copy and promotion pages); the ingest's short-lived objects are
 * collected well enough at 4 MB: peak memory ~35 MB lower than V8's own sizing. (At 1 MB, never
 * grown, the CPU rose by ~18 %: too many scavenges. At 8 MB the ingest scavenges half as often and
 * takes ~5-7 % less CPU, but the 1M-event ingest peaked at 185-189 MiB instead of 170-173, too
 * near the 200 MB target: performance.md.) `--max-semi-space-size` would say this, but only on the
 * command line: the CLI is started as `node dist/cli.mjs`, so growth is stopped once it is reached.
 */
export const YOUNG_GENERATION_CAP_BYTES = 4 * 1024 * 1024;

const SET_ON_COMMAND_LINE = {
  heap: /^--heap[-_]growing[-_]percent\b/,
  young: /^--(semi[-_]space[-_]growth[-_]factor|max[-_]semi[-_]space[-_]size|min[-_]semi[-_]space[-_]size)\b/,
};

export interface HeapGrowthDeps {
  execArgv: readonly string[];
  setFlags(flags: string): void;
  /** Calls `onGc` after each garbage collection until the returned function is called. */
  observeGc(onGc: () => void): () => void;
  /** Current size of the young generation's semi-space, in bytes. */
  youngGenerationBytes(): number;
}

/** V8's pages, of which a semi-space is a whole number. */
const PAGE_BYTES = 256 * 1024;

/**
 * The size of the young generation's semi-space, in bytes: the one objects are made in, whose size
 * `--max-semi-space-size` and {@link YOUNG_GENERATION_CAP_BYTES} speak of. Read as what it holds
 * plus what it has left, rounded up to whole pages (Node 20 leaves ~1.7 % of each page to its
 * header): `new_space`'s `space_size` counts the semi-space a scavenge copies to as well only while
 * that one is committed, so halving it read 1 MiB for a 2 MiB semi-space in 9 of 12 busy starts,
 * and would let the young generation grow past its cap.
 */
export function semiSpaceBytes(spaces: readonly HeapSpaceInfo[] = getHeapSpaceStatistics()): number {
  const newSpace = spaces.find((space) => space.space_name === 'new_space');
  if (!newSpace) return 0;
  const held = newSpace.space_used_size + newSpace.space_available_size;
  return Math.ceil(held / PAGE_BYTES) * PAGE_BYTES;
}

const processDeps: HeapGrowthDeps = {
  execArgv: process.execArgv,
  setFlags: setFlagsFromString,
  observeGc: (onGc) => {
    const observer = new PerformanceObserver(onGc);
    observer.observe({ entryTypes: ['gc'] });
    return () => observer.disconnect();
  },
  youngGenerationBytes: () => semiSpaceBytes(),
};

/**
 * Bounds how far V8 grows the heap and the young generation for this process (V8 reads both
 * settings whenever it sizes a space), except what the command line already chose.
 */
export function boundHeapGrowth(deps: HeapGrowthDeps = processDeps): void {
  const chose = (flag: RegExp) => deps.execArgv.some((arg) => flag.test(arg));
  if (!chose(SET_ON_COMMAND_LINE.heap)) deps.setFlags(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  if (chose(SET_ON_COMMAND_LINE.young)) return;
  const stop = deps.observeGc(() => {
    if (deps.youngGenerationBytes() < YOUNG_GENERATION_CAP_BYTES) return;
    deps.setFlags('--semi-space-growth-factor=1');
    stop();
  });
}

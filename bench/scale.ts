import type { WorkloadSpec } from './workload.ts';

/** Monday 2026-11-02 00:00 UTC: fixed dates make runs comparable and the cached lake reusable. */
export const ANCHOR_MS = Date.UTC(2026, 10, 2);

/** Sizes of one bench run: the workload (full) or a small copy of it (`--quick`). */
export interface Scale {
  name: 'full' | 'quick';
  /** Repetitions of each workload run; figures are medians. */
  runs: number;
  /** Issue 9's workload: 100k events over 7 days, 50 ms per audit answer. */
  workload: WorkloadSpec;
  latencyMs: number;
  concurrencies: readonly number[];
  /** The default concurrency (the "defaults" row). */
  defaultConcurrency: number;
  throttlePerSecond: number;
  /** The memory pair at `pairConcurrency`, latency 0; the first is also the CPU path. */
  pair: readonly [WorkloadSpec, WorkloadSpec];
  pairConcurrency: number;
  importRuns: number;
  queryRuns: number;
  /** Days queried, ending at the anchor. */
  queryDays: number;
}

const spec = (events: number, hours: number): WorkloadSpec => ({ events, hours, toMs: ANCHOR_MS, seed: 42 });

export const FULL: Scale = {
  name: 'full',
  runs: 3,
  workload: spec(100_000, 7 * 24),
  latencyMs: 50,
  concurrencies: [1, 4, 8],
  defaultConcurrency: 4,
  throttlePerSecond: 20,
  pair: [spec(100_000, 7 * 24), spec(1_000_000, 30 * 24)],
  pairConcurrency: 8,
  importRuns: 5,
  queryRuns: 3,
  queryDays: 7,
};

export const QUICK: Scale = {
  ...FULL,
  name: 'quick',
  runs: 1,
  workload: spec(5_000, 6),
  pair: [spec(5_000, 6), spec(20_000, 24)],
  importRuns: 1,
  queryRuns: 1,
  queryDays: 1,
};

/**
 * The workload and concurrency of bench/cpu-ab.ts: the CPU path (the memory pair's first side) at
 * the pair's concurrency, or with `large` the pair's other side, whose peak RSS is issue 9's
 * memory target; `concurrency` as given on its command line. Throws on a concurrency that is not a
 * whole number from 1, before any run (each run would otherwise fail on it).
 */
export function abWorkload(options: { large: boolean; concurrency?: string }): {
  spec: WorkloadSpec;
  concurrency: number;
} {
  const concurrency = Number(options.concurrency ?? FULL.pairConcurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new Error(`--concurrency needs a whole number from 1, not ${options.concurrency}`);
  }
  return { spec: FULL.pair[options.large ? 1 : 0], concurrency };
}

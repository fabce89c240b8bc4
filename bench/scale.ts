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

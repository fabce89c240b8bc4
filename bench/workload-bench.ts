import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChildBundles } from './child-bundles.ts';
import { CACHE_DIR } from './child-bundles.ts';
import {
  checkAgainstTruth,
  type RunFigures,
  type RunRange,
  readGroundTruth,
  runCli,
  runNaive,
} from './ingest-runs.ts';
import { median } from './median.ts';
import type { Scale } from './scale.ts';
import { type SimHandle, startSimProcess } from './sim-handle.ts';
import { type WorkloadSpec, workloadFromMs } from './workload.ts';

const rangeOf = (spec: WorkloadSpec): RunRange => ({ fromMs: workloadFromMs(spec), toMs: spec.toMs });

const maxOf = (values: readonly (number | undefined)[]): number | undefined =>
  values.some((v) => v === undefined) ? undefined : Math.max(...(values as number[]));

/** The median of each figure over repeated runs; lost and duplicated are the worst run's. */
function medianRun(samples: readonly RunFigures[]): RunFigures {
  const first = samples[0] as RunFigures;
  const numeric = ['wallS', 'cpuS', 'peakRssMiB', 'requests', 'tokens', 'status429', 'events'] as const;
  const out: RunFigures = { ...first };
  for (const key of numeric) out[key] = median(samples.map((s) => s[key]));
  out.lost = maxOf(samples.map((s) => s.lost));
  out.duplicated = maxOf(samples.map((s) => s.duplicated));
  const error = samples.find((s) => s.error)?.error;
  if (error) out.error = error;
  return out;
}

/** Naive pager's counts against the number of events served (it keeps entries as received). */
function countCheck(figures: RunFigures, expected: number): RunFigures {
  if (figures.error) return figures;
  return {
    ...figures,
    lost: Math.max(0, expected - figures.events),
    duplicated: Math.max(0, figures.events - expected),
  };
}

async function withSim<T>(
  bundle: string,
  config: Parameters<typeof startSimProcess>[1],
  body: (sim: SimHandle) => Promise<T>,
) {
  const sim = await startSimProcess(bundle, config);
  try {
    return await body(sim);
  } finally {
    await sim.close();
  }
}

export interface WorkloadResult {
  events: number;
  /** Medians, in the order naive, then each concurrency. */
  rows: RunFigures[];
}

/**
 * Issue 9's workload: the naive pager and the CLI at each concurrency, side by side (interleaved
 * runs, so a noisy moment hits every row), each CLI lake checked against the ground truth.
 */
export async function benchWorkload(scale: Scale, bundles: ChildBundles): Promise<WorkloadResult> {
  const truthFile = join(CACHE_DIR, 'workload-truth.ndjson');
  const range = rangeOf(scale.workload);
  const config = { workload: scale.workload, latencyMs: scale.latencyMs, groundTruthFile: truthFile };
  return withSim(bundles.simulator, config, async (sim) => {
    const truth = await readGroundTruth(truthFile);
    const runners: (() => Promise<RunFigures>)[] = [
      async () => countCheck(await runNaive(bundles.naivePager, sim, range), sim.events),
      ...scale.concurrencies.map((c) => async () => {
        const figures = await runCli(`CLI defaults, concurrency ${c}`, bundles.cli, sim, range, [
          '--concurrency',
          String(c),
        ]);
        return checkAgainstTruth(figures, truth, range);
      }),
    ];
    const samples: RunFigures[][] = runners.map(() => []);
    for (let r = 0; r < scale.runs; r++) {
      for (const [i, runner] of runners.entries()) {
        const figures = await runner();
        samples[i]?.push(figures);
        await rm(figures.lakeDir, { recursive: true, force: true });
      }
    }
    return { events: sim.events, rows: samples.map(medianRun) };
  });
}

const NOT_MEASURED: RunFigures = {
  run: 'CLI defaults, throttled server',
  wallS: 0,
  cpuS: 0,
  peakRssMiB: 0,
  requests: 0,
  tokens: 0,
  status429: 0,
  events: 0,
  error: 'not measured: the simulator has no faults.rateLimitPerSecond',
  lakeDir: '',
};

/** The CLI with defaults against a server that allows `throttlePerSecond` requests a second. */
export async function benchThrottled(
  scale: Scale,
  bundles: ChildBundles,
): Promise<RunFigures & { serverLimited: boolean }> {
  const range = rangeOf(scale.workload);
  const config = {
    workload: scale.workload,
    latencyMs: scale.latencyMs,
    rateLimitPerSecond: scale.throttlePerSecond,
  };
  return withSim(bundles.simulator, config, async (sim) => {
    const samples: RunFigures[] = [];
    // A simulator without a rate limit cannot show anything the workload rows do not.
    const runs = sim.throttled ? scale.runs : 0;
    for (let r = 0; r < runs; r++) {
      const figures = countCheck(
        await runCli(`CLI defaults, server ${scale.throttlePerSecond} req/s`, bundles.cli, sim, range, []),
        sim.events,
      );
      samples.push(figures);
      await rm(figures.lakeDir, { recursive: true, force: true });
    }
    if (samples.length === 0) return { ...NOT_MEASURED, serverLimited: false };
    return { ...medianRun(samples), serverLimited: sim.throttled };
  });
}

export interface PairResult {
  /** Latency 0, the smaller workload: naive and CLI (the CPU path). */
  naive: RunFigures;
  small: RunFigures;
  large: RunFigures;
  /** The large run's lake, kept for the query bench (the caller owns it). */
  largeLakeDir: string | undefined;
  /** `small` run by the Lambdas' Node, when given; its lakes checked against the ground truth. */
  lambdaSmall?: RunFigures;
}

/** Another Node binary to run the CLI with: the Lambdas' runtime (bench/lambda-node.ts). */
interface OtherNode {
  path: string;
  version: string;
}

/**
 * The CPU path (latency 0) and the memory pair, the CLI at `pairConcurrency`. With `lambdaNode`,
 * each CLI run of the CPU path is followed by one of the same bundle run by that Node against the
 * same simulator process, so the two runtimes meet the same moments of a shared machine.
 */
export async function benchPair(
  scale: Scale,
  bundles: ChildBundles,
  lambdaNode?: OtherNode,
): Promise<PairResult> {
  const [smallSpec, largeSpec] = scale.pair;
  const args = ['--concurrency', String(scale.pairConcurrency)];
  const truthFile = join(CACHE_DIR, 'cpu-path-truth.ndjson');
  const smallConfig = {
    workload: smallSpec,
    latencyMs: 0,
    ...(lambdaNode ? { groundTruthFile: truthFile } : {}),
  };
  const smallRuns = await withSim(bundles.simulator, smallConfig, async (sim) => {
    const naive: RunFigures[] = [];
    const cli: RunFigures[] = [];
    const onLambda: RunFigures[] = [];
    const truth = lambdaNode ? await readGroundTruth(truthFile) : [];
    const range = rangeOf(smallSpec);
    const label = `CLI c${scale.pairConcurrency}, latency 0`;
    for (let r = 0; r < scale.runs; r++) {
      naive.push(countCheck(await runNaive(bundles.naivePager, sim, range), sim.events));
      cli.push(countCheck(await runCli(label, bundles.cli, sim, range, args), sim.events));
      if (lambdaNode) {
        const other = await runCli(`${label}, Node ${lambdaNode.version}`, bundles.cli, sim, range, args, {
          node: lambdaNode.path,
        });
        onLambda.push(await checkAgainstTruth(other, truth, range));
      }
    }
    for (const f of [...naive, ...cli, ...onLambda]) await rm(f.lakeDir, { recursive: true, force: true });
    return {
      naive: medianRun(naive),
      small: medianRun(cli),
      ...(onLambda.length > 0 ? { lambdaSmall: medianRun(onLambda) } : {}),
    };
  });
  // The median of as many runs as the small side: one run's peak swung 158-180 MB for one bundle
  // (2026-12-02), so a single run decided the ratio's target by chance. The last run's lake stays
  // for the DuckDB queries.
  const large = await withSim(bundles.simulator, { workload: largeSpec, latencyMs: 0 }, async (sim) => {
    const runs: RunFigures[] = [];
    for (let r = 0; r < scale.runs; r++) {
      if (r > 0) await rm((runs.at(-1) as RunFigures).lakeDir, { recursive: true, force: true });
      const label = `CLI c${scale.pairConcurrency}, latency 0`;
      runs.push(countCheck(await runCli(label, bundles.cli, sim, rangeOf(largeSpec), args), sim.events));
    }
    return { ...medianRun(runs), lakeDir: (runs.at(-1) as RunFigures).lakeDir };
  });
  return { ...smallRuns, large, largeLakeDir: large.error ? undefined : large.lakeDir };
}

interface GeoCostResult {
  withGeo: RunFigures;
  withoutGeo: RunFigures;
  /** CPU the geo lookups add to the ingest, % of the run without them (load of the file included). */
  addedPct: number;
}

/**
 * What geo enrichment costs the ingest CPU path (issue 12, target <= 10 %): the small CPU-path
 * workload ingested by the CLI with the geo database and without it (GEO_DB_PATH pointing at no
 * file: the ingest then stores null geo columns, as it does when the file is missing), alternating
 * runs, medians.
 */
export async function benchGeoCost(scale: Scale, bundles: ChildBundles): Promise<GeoCostResult> {
  const [smallSpec] = scale.pair;
  const args = ['--concurrency', String(scale.pairConcurrency)];
  const noGeo = { GEO_DB_PATH: join(CACHE_DIR, 'no-geo-database.bin') };
  return withSim(bundles.simulator, { workload: smallSpec, latencyMs: 0 }, async (sim) => {
    const withGeo: RunFigures[] = [];
    const withoutGeo: RunFigures[] = [];
    for (let r = 0; r < Math.max(3, scale.runs); r++) {
      const range = rangeOf(smallSpec);
      withGeo.push(
        countCheck(await runCli('CLI, geo enrichment', bundles.cli, sim, range, args), sim.events),
      );
      withoutGeo.push(
        countCheck(
          await runCli('CLI, no geo database', bundles.cli, sim, range, args, { env: noGeo }),
          sim.events,
        ),
      );
    }
    for (const f of [...withGeo, ...withoutGeo]) await rm(f.lakeDir, { recursive: true, force: true });
    const a = medianRun(withGeo);
    const b = medianRun(withoutGeo);
    return { withGeo: a, withoutGeo: b, addedPct: (100 * (a.cpuS - b.cpuS)) / b.cpuS };
  });
}

/** Keeps a freshly written lake as the cached query lake, replacing the previous one. */
export async function cacheLake(lakeDir: string, name: string): Promise<string> {
  const target = join(CACHE_DIR, name);
  await rm(target, { recursive: true, force: true });
  await rename(lakeDir, target);
  return target;
}

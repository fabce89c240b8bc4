import type { BundleFigure } from './bundle-bench.ts';
import type { CpuStages } from './cpu-stages.ts';
import type { RunFigures } from './ingest-runs.ts';
import { type LambdaNode, runtimeLabel } from './lambda-node.ts';
import type { Scale } from './scale.ts';
import { type TargetRow, target } from './targets.ts';
import type { PairResult, WorkloadResult } from './workload-bench.ts';

export interface BenchFigures {
  scale: Scale;
  workload: WorkloadResult;
  throttled: RunFigures & { serverLimited: boolean };
  pair: PairResult;
  stages: CpuStages;
  bundles: readonly BundleFigure[];
  /** The CPU path again on the Lambdas' Node; undefined when the bench could not have that Node. */
  lambda?: LambdaCpuFigures | undefined;
}

export interface LambdaCpuFigures {
  node: Pick<LambdaNode, 'version' | 'runtime'>;
  /** The CLI's ingest of the pair's small workload, as `pair.small`, lost and duplicated checked. */
  cli: RunFigures;
  stages: CpuStages;
}

const MB = 1e6;
const rssMB = (r: RunFigures) => (r.peakRssMiB * 2 ** 20) / MB;
const fixed = (v: number, digits = 1) => v.toFixed(digits);
const ok = (r: RunFigures) => r.error === undefined;

function speedTargets({ scale, workload }: BenchFigures): TargetRow[] {
  const [naive, ...cli] = workload.rows;
  const defaults = cli[scale.concurrencies.indexOf(scale.defaultConcurrency)];
  if (!naive || !defaults) return [];
  const speedup = naive.wallS / defaults.wallS;
  const lost = cli.reduce((s, r) => s + (r.lost ?? Number.NaN), 0);
  const dup = cli.reduce((s, r) => s + (r.duplicated ?? Number.NaN), 0);
  const minimum = Math.ceil(workload.events / 1000);
  const audit = defaults.requests - defaults.tokens;
  const spans = defaults.spans;
  return [
    target(
      `defaults (c${scale.defaultConcurrency}) vs naive pager, wall`,
      `${fixed(speedup, 2)}x (${fixed(naive.wallS)} s vs ${fixed(defaults.wallS)} s)`,
      '>= 3x faster',
      ok(defaults) && speedup >= 3,
    ),
    target('lost / duplicated events, every CLI run', `${lost} / ${dup}`, '0 / 0', lost === 0 && dup === 0),
    target(
      'audit requests, defaults',
      `${audit} (ceil(events/1000) = ${minimum}, spans = ${spans ?? '?'})`,
      '<= 1.15 x ceil(events/1000) + spans',
      spans === undefined ? undefined : audit <= 1.15 * minimum + spans,
    ),
  ];
}

function throttleTargets({ scale, throttled }: BenchFigures): TargetRow[] {
  const floorS = throttled.requests / scale.throttlePerSecond;
  const share = throttled.status429 / Math.max(1, throttled.requests);
  if (!throttled.serverLimited) {
    return [
      target(
        'throttled server',
        'not measured',
        'the simulator has no rate limit (faults.rateLimitPerSecond)',
        undefined,
      ),
    ];
  }
  return [
    target(
      `throttled ${scale.throttlePerSecond} req/s: wall vs requests/${scale.throttlePerSecond}`,
      `${fixed(throttled.wallS / floorS, 2)}x (${fixed(throttled.wallS)} s, ${throttled.requests} requests)`,
      '<= 1.25x',
      ok(throttled) && throttled.wallS <= 1.25 * floorS,
    ),
    target(
      'throttled: share of 429 answers',
      `${fixed(share * 100)} %`,
      '<= 10 %',
      ok(throttled) ? share <= 0.1 : undefined,
    ),
  ];
}

/** The CPU path's two rows for one Node: the CLI's ingest and the stages alone. */
function cpuRows(cli: RunFigures, stages: CpuStages, runtime: string, checked: boolean): TargetRow[] {
  const perCpu = cli.events / cli.cpuS;
  // Where the lake was checked, a run that lost or duplicated events has no figure worth a PASS.
  const intact = !checked || (cli.lost === 0 && cli.duplicated === 0);
  const lostDup = checked ? `, lost / dup ${cli.lost ?? '?'} / ${cli.duplicated ?? '?'}` : '';
  return [
    target(
      `CPU path, latency 0: events per CPU second of the CLI, ${runtime}`,
      `${fixed(perCpu, 0)} /s (wall ${fixed(cli.events / cli.wallS, 0)} /s${lostDup})`,
      '>= 100000 /s',
      ok(cli) && intact && perCpu >= 100_000,
    ),
    target(
      `CPU path, its stages alone in one process (no HTTP, storage, start-up), ${runtime}`,
      `${fixed(stages.ceilingEventsPerCpuS, 0)} /s (${fixed(1e6 / stages.ceilingEventsPerCpuS, 1)} µs per event)`,
      '>= 100000 /s',
      stages.ceilingEventsPerCpuS >= 100_000,
    ),
  ];
}

function cpuAndMemoryTargets({ scale, pair, stages, lambda }: BenchFigures): TargetRow[] {
  const ratio = rssMB(pair.large) / rssMB(pair.small);
  const c = scale.pairConcurrency;
  return [
    ...cpuRows(pair.small, stages, runtimeLabel(), false),
    ...(lambda ? cpuRows(lambda.cli, lambda.stages, runtimeLabel(lambda.node), true) : []),
    target(
      `peak RSS ${pair.large.events} vs ${pair.small.events} events, c${c}`,
      `${fixed(ratio, 2)}x (${fixed(rssMB(pair.large))} vs ${fixed(rssMB(pair.small))} MB)`,
      '<= 1.3x',
      ok(pair.large) && ok(pair.small) && ratio <= 1.3,
    ),
    target(
      `peak RSS ${pair.large.events} events, c${c}`,
      `${fixed(rssMB(pair.large))} MB`,
      '<= 200 MB',
      ok(pair.large) && rssMB(pair.large) <= 200,
    ),
  ];
}

const BUNDLE_LIMITS: Record<string, number> = { ingest: 1 * MB, report: 1.5 * MB };

function bundleTargets({ bundles, lambda }: BenchFigures): TargetRow[] {
  return bundles.flatMap((b) => {
    const name = b.handler.split('/').at(-2) ?? b.handler;
    const limit = BUNDLE_LIMITS[name] ?? Number.NaN;
    const bytes = b.codeKiB * 1024;
    const onLambda = lambda && b.lambdaNode;
    return [
      target(
        `${name} bundle, code only`,
        `${fixed(bytes / MB, 3)} MB (${fixed(b.codeKiB, 0)} KiB)`,
        `<= ${limit / MB} MB`,
        bytes <= limit,
      ),
      target(
        `${name} import, fresh ${runtimeLabel()}, source maps on`,
        `${fixed(b.importMs, 0)} ms`,
        '<= 200 ms',
        b.importMs <= 200,
      ),
      ...(onLambda
        ? [
            target(
              `${name} import, fresh ${runtimeLabel(lambda.node)}, source maps on`,
              `${fixed(onLambda.importMs, 0)} ms`,
              '<= 200 ms',
              onLambda.importMs <= 200,
            ),
          ]
        : []),
    ];
  });
}

/** Every target of issue 9 with the figure this run measured for it. */
export function evaluateTargets(figures: BenchFigures): TargetRow[] {
  return [
    ...speedTargets(figures),
    ...throttleTargets(figures),
    ...cpuAndMemoryTargets(figures),
    ...bundleTargets(figures),
  ];
}

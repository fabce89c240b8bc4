/**
 * `npm run bench [-- --quick] [-- --runs N] [-- --lambda-node PATH]`: every figure of issue 9 side
 * by side in one run, each beside its target, written to bench/results.json (`--quick`:
 * bench/.cache/results-quick.json). The CPU path and the bundles' import are measured again on the
 * Lambdas' Node (bench/lambda-node.ts: PATH, else the cached or fetched pinned release; a quick run
 * never downloads it). Figures, not assertions: timings on shared machines vary; compare runs on
 * the same machine.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, freemem, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeLocalReport } from '../functions/cli/commands/report.ts';
import { DEFAULT_INSTANCE } from '../functions/cli/lake-target.ts';
import { DAY_MS } from '../functions/core/time-units.ts';
import { LAMBDA_RUNTIME } from '../infra/constructs/lake-function.ts';
import { benchBundle } from './bundle-bench.ts';
import { buildChildBundles, CACHE_DIR } from './child-bundles.ts';
import { benchCpuStages, benchCpuStagesOn } from './cpu-stages.ts';
import type { RunFigures } from './ingest-runs.ts';
import { findLambdaNode, runtimeLabel } from './lambda-node.ts';
import { measureNode } from './measure.ts';
import { benchQueries } from './query-bench.ts';
import { type BenchResults, writeReadmeFigures } from './readme-figures.ts';
import { ANCHOR_MS, FULL, QUICK } from './scale.ts';
import { printTargets } from './targets.ts';
import { evaluateTargets, type LambdaCpuFigures } from './targets-of-issue.ts';
import { benchGeoCost, benchPair, benchThrottled, benchWorkload, cacheLake } from './workload-bench.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
    'lambda-node': { type: 'string' },
  },
});
const scale = { ...(values.quick ? QUICK : FULL) };
if (values.runs) scale.runs = Number(values.runs);
const started = performance.now();
const round = (v: number, digits = 1) => Number(v.toFixed(digits));
const mb = (mib: number) => (mib * 2 ** 20) / 1e6;

function runTable(rows: readonly RunFigures[], baseline?: RunFigures) {
  console.table(
    rows.map((r) => ({
      run: r.run,
      'wall s': round(r.wallS),
      ...(baseline ? { 'vs naive': `${round(baseline.wallS / r.wallS, 2)}x` } : {}),
      'requests (audit + token)': `${r.requests - r.tokens} + ${r.tokens}`,
      '429s': r.status429,
      'CPU s': round(r.cpuS),
      'peak RSS MB': round(mb(r.peakRssMiB)),
      events: r.events,
      lost: r.lost ?? '-',
      dup: r.duplicated ?? '-',
      ...(r.error ? { error: r.error } : {}),
    })),
  );
}

console.log(
  `# npm run bench${values.quick ? ' -- --quick' : ''}: ${scale.name} scale, median of ${scale.runs}`,
);
// Found first: a --lambda-node that does not run stops the bench before minutes of figures.
const lambdaNode = await findLambdaNode({
  runtimeName: LAMBDA_RUNTIME.name,
  cacheDir: CACHE_DIR,
  given: values['lambda-node'],
  // A quick run stays quick: it measures the Lambdas' Node only when it is already here.
  fetch: !values.quick,
  onFetch: (spec) => console.log(`fetching ${spec} for the Lambdas' ${LAMBDA_RUNTIME.name} (npm pack, once)`),
});
console.log(
  lambdaNode.ok
    ? `Lambdas' runtime: ${runtimeLabel(lambdaNode.value)} (${lambdaNode.value.source}: ${lambdaNode.value.path})`
    : `Lambdas' runtime ${LAMBDA_RUNTIME.name} not measured: ${lambdaNode.reason}`,
);
const bundles = await buildChildBundles();

const w = scale.workload;
console.log(
  `\n## Workload: ${w.events} events over ${w.hours / 24} days, API latency ${scale.latencyMs} ms, ingest --from --to`,
);
const workload = await benchWorkload(scale, bundles);
runTable(workload.rows, workload.rows[0]);

console.log(
  `\n## Throttled server: ${scale.throttlePerSecond} req/s allowed (429 above), same workload, defaults`,
);
const throttled = await benchThrottled(scale, bundles);
runTable([throttled]);

const [small, large] = scale.pair;
console.log(
  `\n## CPU path and memory: latency 0, concurrency ${scale.pairConcurrency}: ${small.events} events / ${small.hours / 24} d vs ${large.events} / ${large.hours / 24} d`,
);
const pair = await benchPair(scale, bundles, lambdaNode.ok ? lambdaNode.value : undefined);
runTable([pair.naive, pair.small, pair.large]);

console.log(
  `\n## CPU path stage by stage, in this process (no HTTP, storage or start-up): ${small.events} events / ${small.hours / 24} d, median of ${scale.runs}`,
);
const stages = benchCpuStages(small, scale.runs);
console.table(stages.stages.map((s) => ({ stage: s.stage, 'CPU µs per event': round(s.usPerEvent, 2) })));
console.log(
  `ceiling of the stages: ${round(stages.ceilingEventsPerCpuS, 0)} events per CPU second; a stored line is ${round(stages.lineBytes, 0)} bytes for ${round(stages.receivedBytes, 0)} received, whose gzip alone would cost ${round(stages.receivedGzipUsPerEvent, 2)} µs per event`,
);
console.log(
  `not the lake's contract, for the decision in docs/performance.md: a compact line (the derived columns and the entry embedded unescaped) is ${round(stages.compact.lineBytes, 0)} bytes; encode ${round(stages.compact.encodeUsPerEvent, 2)} + gzip ${round(stages.compact.gzipUsPerEvent, 2)} µs per event; stages' ceiling with it ${round(stages.compact.ceilingEventsPerCpuS, 0)} events per CPU second; the id (canonical JSON + sha256) ${round(stages.compact.canonicalIdUsPerEvent, 2)} µs, sha256 of the bytes as served ${round(stages.compact.bytesIdUsPerEvent, 2)} µs: with ids from the bytes too, ${round(stages.compact.bytesIdCeilingEventsPerCpuS, 0)} events per CPU second`,
);

let lambda: LambdaCpuFigures | undefined;
if (lambdaNode.ok) {
  const node = lambdaNode.value;
  console.log(
    `\n## CPU path on the Lambdas' runtime, ${runtimeLabel(node)}: the same CLI bundle and simulator, ${small.events} events, latency 0, c${scale.pairConcurrency}; the stages in a fresh process of that Node, median of ${scale.runs}`,
  );
  lambda = {
    node: { version: node.version, runtime: node.runtime },
    cli: pair.lambdaSmall as RunFigures,
    stages: await benchCpuStagesOn(node.path, small, scale.runs),
  };
  const side = (label: string, cli: RunFigures, s: typeof stages) => ({
    node: label,
    'CLI events per CPU s': round(cli.events / cli.cpuS, 0),
    'CLI CPU s': round(cli.cpuS, 2),
    'CLI wall s': round(cli.wallS, 2),
    'lost / dup': `${cli.lost ?? '-'} / ${cli.duplicated ?? '-'}`,
    'stages events per CPU s': round(s.ceilingEventsPerCpuS, 0),
    ...Object.fromEntries(s.stages.map((st) => [`${st.stage.split(' ')[0]} µs`, round(st.usPerEvent, 2)])),
  });
  console.table([
    side(runtimeLabel(), pair.small, stages),
    side(runtimeLabel(node), lambda.cli, lambda.stages),
  ]);
}

console.log(
  `\n## Geo enrichment on the CPU path: ${small.events} events, latency 0, with and without the database`,
);
const geoCost = await benchGeoCost(scale, bundles);
runTable([geoCost.withoutGeo, geoCost.withGeo]);
console.log(`geo enrichment adds ${round(geoCost.addedPct)} % CPU (target <= 10 %)`);

console.log('\n## CLI start-up (prebuilt bundle, fresh process)');
const startup = [];
for (const args of [['--help'], ['ingest', '--help'], ['query', '--help']]) {
  const runs = [];
  for (let i = 0; i < scale.importRuns; i++) runs.push(await measureNode([bundles.cli, ...args]));
  runs.sort((a, b) => a.wallS - b.wallS);
  const mid = runs[Math.floor(runs.length / 2)];
  startup.push({
    command: args.join(' '),
    'wall ms': round((mid?.wallS ?? 0) * 1000, 0),
    'RSS MB': round(mb(mid?.peakRssMiB ?? 0)),
  });
}
console.table(startup);

console.log(
  '\n## Lambda bundles (code only, as infra/constructs/lambda-bundle.ts builds them), import in a fresh Node',
);
const lambdaBundles = [];
for (const handler of ['functions/ingest/handler.ts', 'functions/report/handler.ts']) {
  lambdaBundles.push(
    await benchBundle(handler, scale.importRuns, lambdaNode.ok ? lambdaNode.value : undefined),
  );
}
console.table(
  lambdaBundles.flatMap((b) =>
    [
      { node: runtimeLabel(), ...b },
      ...(b.lambdaNode ? [{ node: runtimeLabel(lambda?.node), ...b.lambdaNode }] : []),
    ].map((row) => ({
      handler: b.handler,
      node: row.node,
      'code KiB': round(b.codeKiB),
      'gzip KiB': round(b.gzipKiB),
      'import ms (source maps, as deployed)': round(row.importMs, 0),
      'import CPU ms (as deployed)': round(row.importCpuMs, 0),
      'import ms (no source maps)': round(row.importNoMapsMs, 0),
    })),
  ),
);

// Full runs refresh the cached 1M-event lake; quick runs query the lake they just wrote.
const cachedLake = join(CACHE_DIR, 'lake-1m');
let queryLake = cachedLake;
if (pair.largeLakeDir && scale.name === 'full') queryLake = await cacheLake(pair.largeLakeDir, 'lake-1m');
else if (pair.largeLakeDir) queryLake = pair.largeLakeDir;
const queryFrom = ANCHOR_MS - scale.queryDays * DAY_MS;
console.log(
  `\n## DuckDB: each catalog query over ${scale.queryDays} days of the lake of ${large.events} events over ${large.hours / 24} days, median of ${scale.queryRuns}`,
);
const queries = existsSync(queryLake)
  ? await benchQueries(queryLake, queryFrom, scale.queryDays, scale.queryRuns)
  : [];
console.table(queries.map((q) => ({ ...q, medianMs: round(q.medianMs, 0) })));
const queryTotalMs = queries.reduce((sum, q) => sum + q.medianMs, 0);

let reportSeconds: number | undefined;
if (scale.name === 'full' && existsSync(queryLake)) {
  const out = await mkdtemp(join(tmpdir(), 'bench-report-'));
  const t = performance.now();
  await writeLocalReport({
    lakeDir: queryLake,
    outDir: out,
    instance: DEFAULT_INSTANCE,
    timeZone: 'UTC',
    nowMs: ANCHOR_MS + DAY_MS,
    from: 'bench@example.com',
    to: ['admins@example.com'],
  });
  reportSeconds = (performance.now() - t) / 1000;
  await rm(out, { recursive: true, force: true });
  console.log(`weekly report (DuckDB queries, model, HTML/text/MIME): ${round(reportSeconds, 2)} s`);
}
if (pair.largeLakeDir && scale.name !== 'full') await rm(pair.largeLakeDir, { recursive: true, force: true });

const targets = evaluateTargets({ scale, workload, throttled, pair, stages, bundles: lambdaBundles, lambda });
console.log('\n## Issue 9 targets');
printTargets(targets);
const wallS = (performance.now() - started) / 1000;
console.log(`\nbench wall: ${round(wallS)} s`);

const results = {
  date: new Date().toISOString(),
  command: `npm run bench${values.quick ? ' -- --quick' : ''}${values.runs ? ` -- --runs ${values.runs}` : ''}${values['lambda-node'] ? ` -- --lambda-node ${values['lambda-node']}` : ''}`,
  scale,
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGB: round(totalmem() / 1e9),
    freeMemoryGB: round(freemem() / 1e9),
    // Other work on the machine during the run: figures from a busy machine are not comparable.
    loadAverageAtEnd: loadavg().map((l) => round(l, 2)),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  },
  benchWallS: round(wallS),
  workload,
  throttled,
  // The Lambdas' run of the CPU path is under lambdaRuntime, beside its stages.
  cpuAndMemory: { ...pair, lambdaSmall: undefined },
  cpuStages: stages,
  // The CPU path on the Lambdas' Node (the bundles' import there is in lambdaBundles[].lambdaNode).
  lambdaRuntime: lambdaNode.ok
    ? {
        runtime: lambdaNode.value.runtime,
        node: lambdaNode.value.version,
        source: lambdaNode.value.source,
        cli: lambda?.cli,
        cpuStages: lambda?.stages,
      }
    : { runtime: LAMBDA_RUNTIME.name, notMeasured: lambdaNode.reason },
  geoEnrichmentCpu: { ...geoCost, addedPct: round(geoCost.addedPct) },
  startup,
  lambdaBundles,
  queries: {
    lakeEvents: large.events,
    lakeDays: large.hours / 24,
    days: scale.queryDays,
    figures: queries,
    totalMs: round(queryTotalMs, 0),
  },
  reportSeconds,
  targets,
};
const resultsFile = values.quick
  ? join(CACHE_DIR, 'results-quick.json')
  : join(import.meta.dirname, 'results.json');
const resultsText = `${JSON.stringify(results, (k, v) => (/lakeDir$/i.test(k) ? undefined : typeof v === 'number' ? round(v, 3) : v), 2)}\n`;
await writeFile(resultsFile, resultsText);
console.log(`results: ${resultsFile}`);
// The README's table shows a full run's figures only, so a quick run leaves it as it is.
if (!values.quick) {
  // From the file's text, rounded as the test that holds the README to it reads it.
  await writeReadmeFigures(JSON.parse(resultsText) as BenchResults);
  console.log('README.md: the Benchmarks table rewritten from these results');
}

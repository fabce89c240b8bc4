/**
 * `node --import tsx bench/lambda-node-compare.ts [--runs N] [--lambda-node PATH]`: the CPU path
 * on the bench's Node and on the Lambdas' one, alternated run by run so a busy moment of a shared
 * machine weighs on both: the stages (bench/cpu-stages.ts, each run a fresh process of that Node)
 * and the CLI's ingest of the pair's 100k events (one simulator process, latency 0, c8, each lake
 * checked against the ground truth). Prints every run and the medians, for docs/performance.md.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LAMBDA_RUNTIME } from '../infra/constructs/lake-function.ts';
import { buildChildBundles, CACHE_DIR } from './child-bundles.ts';
import { benchCpuStagesOn } from './cpu-stages.ts';
import { checkAgainstTruth, readGroundTruth, runCli } from './ingest-runs.ts';
import { findLambdaNode, runtimeLabel } from './lambda-node.ts';
import { median } from './median.ts';
import { FULL } from './scale.ts';
import { startSimProcess } from './sim-handle.ts';
import { workloadFromMs } from './workload.ts';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, 'lambda-node': { type: 'string' } },
});
const runs = Number(values.runs);
const found = await findLambdaNode({
  runtimeName: LAMBDA_RUNTIME.name,
  cacheDir: CACHE_DIR,
  given: values['lambda-node'],
  fetch: true,
});
if (!found.ok) throw new Error(`no Node for ${LAMBDA_RUNTIME.name}: ${found.reason}`);
const nodes = [
  { label: runtimeLabel(), path: process.execPath },
  { label: runtimeLabel(found.value), path: found.value.path },
];
const spec = FULL.pair[0];
const stageRuns = nodes.map(() => [] as number[]);
for (let r = 0; r < runs; r++) {
  for (const [i, node] of nodes.entries()) {
    const stages = await benchCpuStagesOn(node.path, spec, 3);
    stageRuns[i]?.push(stages.ceilingEventsPerCpuS);
    const us = stages.stages.map((s) => s.usPerEvent.toFixed(2)).join(' / ');
    console.log(
      `stages, ${node.label}: ${stages.ceilingEventsPerCpuS.toFixed(0)} events per CPU s (${us} µs)`,
    );
  }
}

const bundles = await buildChildBundles();
const truthFile = join(CACHE_DIR, 'compare-truth.ndjson');
const sim = await startSimProcess(bundles.simulator, {
  workload: spec,
  latencyMs: 0,
  groundTruthFile: truthFile,
});
const cliRuns = nodes.map(() => [] as number[]);
try {
  const truth = await readGroundTruth(truthFile);
  const range = { fromMs: workloadFromMs(spec), toMs: spec.toMs };
  const args = ['--concurrency', String(FULL.pairConcurrency)];
  for (let r = 0; r < runs; r++) {
    for (const [i, node] of nodes.entries()) {
      const raw = await runCli(node.label, bundles.cli, sim, range, args, { node: node.path });
      const f = await checkAgainstTruth(raw, truth, range);
      await rm(f.lakeDir, { recursive: true, force: true });
      cliRuns[i]?.push(f.events / f.cpuS);
      console.log(
        `CLI, ${node.label}: ${(f.events / f.cpuS).toFixed(0)} events per CPU s (${f.cpuS.toFixed(2)} CPU s, wall ${f.wallS.toFixed(2)} s, lost ${f.lost} / dup ${f.duplicated}${f.error ? `, ${f.error}` : ''})`,
      );
    }
  }
} finally {
  await sim.close();
}
for (const [i, node] of nodes.entries()) {
  console.log(
    `median of ${runs}, ${node.label}: stages ${median(stageRuns[i] ?? []).toFixed(0)}, CLI ${median(cliRuns[i] ?? []).toFixed(0)} events per CPU s`,
  );
}

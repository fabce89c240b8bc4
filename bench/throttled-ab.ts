/**
 * `node --import tsx bench/throttled-ab.ts --cli A=<dir|cli.mjs> --cli B=<...> [--runs N] [--rate R]`:
 * the bench's throttled row alone (issue 9's workload, latency 50 ms, a server allowing R req/s,
 * 20 by default), for two or more CLI bundles run in turn, A B A B ..., against one simulator.
 * The row moves with the machine's load by more than a pacer change does (docs/performance.md),
 * so only bundles measured interleaved in one run are compared; each run prints the load beside
 * its figures. A bundle of another checkout: `node scripts/build-cli.mjs --out <dir>` there.
 */
import { rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { buildChildBundles } from './child-bundles.ts';
import { cliBundlesOf } from './cli-bundle-args.ts';
import { type RunFigures, runCli } from './ingest-runs.ts';
import { median } from './median.ts';
import { FULL } from './scale.ts';
import { startSimProcess } from './sim-handle.ts';
import { workloadFromMs } from './workload.ts';

const { values } = parseArgs({
  options: {
    cli: { type: 'string', multiple: true, default: [] },
    runs: { type: 'string', default: '4' },
    rate: { type: 'string', default: String(FULL.throttlePerSecond) },
  },
});
const rate = Number(values.rate);
const runs = Number(values.runs);
const clis = cliBundlesOf(values.cli);

const bundles = await buildChildBundles();
const spec = FULL.workload;
const range = { fromMs: workloadFromMs(spec), toMs: spec.toMs };
const sim = await startSimProcess(bundles.simulator, {
  workload: spec,
  latencyMs: FULL.latencyMs,
  rateLimitPerSecond: rate,
});
if (!sim.throttled) throw new Error('this simulator has no faults.rateLimitPerSecond');

const fixed = (v: number, digits = 2) => v.toFixed(digits);
const ratio = (r: RunFigures) => r.wallS / (r.requests / rate);
const share = (r: RunFigures) => r.status429 / Math.max(1, r.requests);
const byLabel = new Map<string, RunFigures[]>(clis.map((c) => [c.label, []]));
console.log(`# throttled row, ${spec.events} events / ${spec.hours / 24} d, server ${rate} req/s`);
console.log('run\tcli\twall s\trequests\t429s\t429 %\twall/(req/rate)\tload 1m\terror');
try {
  for (let r = 0; r < runs; r++) {
    for (const { label, bundle } of clis) {
      const load = loadavg()[0] ?? 0;
      const figures = await runCli(label, bundle, sim, range, []);
      await rm(figures.lakeDir, { recursive: true, force: true });
      byLabel.get(label)?.push(figures);
      console.log(
        [
          r + 1,
          label,
          fixed(figures.wallS, 1),
          figures.requests,
          figures.status429,
          fixed(share(figures) * 100, 1),
          `${fixed(ratio(figures))}x`,
          fixed(load),
          figures.error ?? '',
        ].join('\t'),
      );
    }
  }
} finally {
  await sim.close();
}
for (const [label, samples] of byLabel) {
  console.log(
    `${label}: median ${fixed(median(samples.map(ratio)))}x, 429s ${fixed(median(samples.map(share)) * 100, 1)} %, wall ${fixed(median(samples.map((s) => s.wallS)), 1)} s over ${samples.length} runs`,
  );
}

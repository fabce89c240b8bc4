/**
 * `node --import tsx bench/cpu-ab.ts --cli A=<dir|cli.mjs> --cli B=<...> [--runs N] [--keep DIR]
 * [--node-flag F]... [--node PATH] [--large] [--concurrency N]`: the bench's CPU path row alone
 * (issue 9's 100k events over 7 days, latency 0, concurrency 8) for two or more CLI bundles run in
 * turn, A B A B ..., against one simulator process; CPU seconds (user + system of the CLI alone,
 * GNU time) and events per CPU second, medians at the end. `--large`: the memory pair's other
 * side instead (1M events over 30 days), whose peak RSS is item 4's target; `--concurrency N`:
 * another concurrency than the bench's 8. `--keep DIR` keeps each bundle's last lake in
 * DIR/<label> for a comparison of the objects. A bundle of another checkout:
 * `node scripts/build-cli.mjs --out <dir>`.
 */
import { mkdir, rename, rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildChildBundles } from './child-bundles.ts';
import { cliBundlesOf } from './cli-bundle-args.ts';
import { type RunFigures, runCli } from './ingest-runs.ts';
import { median } from './median.ts';
import { abWorkload } from './scale.ts';
import { startSimProcess } from './sim-handle.ts';
import { workloadFromMs } from './workload.ts';

const { values } = parseArgs({
  options: {
    cli: { type: 'string', multiple: true, default: [] },
    runs: { type: 'string', default: '3' },
    keep: { type: 'string' },
    'node-flag': { type: 'string', multiple: true, default: [] },
    node: { type: 'string', default: process.execPath },
    large: { type: 'boolean', default: false },
    concurrency: { type: 'string' },
  },
});
const runs = Number(values.runs);
const clis = cliBundlesOf(values.cli);

const bundles = await buildChildBundles();
const { spec, concurrency } = abWorkload({ large: values.large ?? false, concurrency: values.concurrency });
const range = { fromMs: workloadFromMs(spec), toMs: spec.toMs };
const sim = await startSimProcess(bundles.simulator, { workload: spec, latencyMs: 0 });
const args = ['--concurrency', String(concurrency)];
const process_ = { nodeFlags: values['node-flag'] ?? [], node: values.node };

if (values.keep) await mkdir(values.keep, { recursive: true });
const byLabel = new Map<string, RunFigures[]>(clis.map((c) => [c.label, []]));
console.log(
  `# ${values.large ? "memory pair's large side" : 'CPU path'}, ${spec.events} events / ${spec.hours / 24} d, latency 0, c${concurrency}`,
);
console.log('run\tcli\tCPU s\tevents/CPU s\twall s\tpeak MiB\trequests\tload 1m\terror');
try {
  for (let r = 0; r < runs; r++) {
    // Each round swaps who goes first, so a trend in the load hits both sides alike.
    const order = r % 2 === 0 ? clis : [...clis].reverse();
    for (const { label, bundle } of order) {
      const load = loadavg()[0] ?? 0;
      const figures = await runCli(label, bundle, sim, range, args, process_);
      if (values.keep && r >= runs - 2) {
        // The last round of each bundle (the order swaps, so either of the last two) is kept.
        const target = join(values.keep, label);
        await rm(target, { recursive: true, force: true });
        await rename(figures.lakeDir, target);
      } else {
        await rm(figures.lakeDir, { recursive: true, force: true });
      }
      byLabel.get(label)?.push(figures);
      console.log(
        [
          r + 1,
          label,
          figures.cpuS.toFixed(2),
          (figures.events / figures.cpuS).toFixed(0),
          figures.wallS.toFixed(1),
          figures.peakRssMiB.toFixed(1),
          figures.requests,
          load.toFixed(1),
          figures.error ?? '',
        ].join('\t'),
      );
    }
  }
} finally {
  await sim.close();
}
for (const [label, samples] of byLabel) {
  const cpu = median(samples.map((s) => s.cpuS));
  const peak = median(samples.map((s) => s.peakRssMiB));
  console.log(
    `${label}: median ${cpu.toFixed(2)} CPU s, ${(spec.events / cpu).toFixed(0)} events per CPU s, runs ${samples.map((s) => s.cpuS.toFixed(2)).join(' / ')}; peak RSS median ${((peak * 2 ** 20) / 1e6).toFixed(1)} MB`,
  );
}

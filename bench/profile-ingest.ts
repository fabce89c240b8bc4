/**
 * `npm run bench:profile [-- --events N --days D --concurrency C --node PATH]`: where the CLI's
 * ingest spends its CPU on the CPU path (latency 0, simulator in another process). Runs a readable
 * (unminified) build of the CLI under `node --cpu-prof` (the bench's own Node, or the one at `--node`,
 * e.g. the Lambdas' runtime from `npm run bench -- --lambda-node PATH`) and prints the functions with the most self time, and
 * the same grouped by where the code lives. The .cpuprofile stays in bench/.cache/profile/ for
 * Chrome DevTools or speedscope.
 */
import { execFileSync } from 'node:child_process';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { HOUR_MS } from '../functions/core/time-units.ts';
import { buildChildBundles, CACHE_DIR } from './child-bundles.ts';
import { runCli } from './ingest-runs.ts';
import { ANCHOR_MS } from './scale.ts';
import { startSimProcess } from './sim-handle.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '100000' },
    days: { type: 'string', default: '7' },
    concurrency: { type: 'string', default: '8' },
    node: { type: 'string', default: process.execPath },
  },
});
const ROOT = join(import.meta.dirname, '..');
const profileCli = join(CACHE_DIR, 'cli-profile');
const profileDir = join(CACHE_DIR, 'profile');

/** Self time in ms per key. */
function selfTimes(profile: CpuProfile, keyOf: (node: ProfileNode) => string): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const times = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node) return;
    const key = keyOf(node);
    times.set(key, (times.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return times;
}

const where = (url: string): string => {
  if (url === '') return '(native / V8)';
  const nodeModule = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (nodeModule) return nodeModule;
  if (url.startsWith('node:')) return url;
  return url.includes('cli-profile') ? '(bundle)' : url;
};

function printTop(title: string, times: Map<string, number>, total: number, count: number): void {
  console.log(`\n${title}`);
  for (const [key, ms] of [...times].sort((a, b) => b[1] - a[1]).slice(0, count)) {
    console.log(
      `${(ms / 1000).toFixed(2).padStart(7)} s ${((ms / total) * 100).toFixed(1).padStart(5)} %  ${key}`,
    );
  }
}

execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-cli.mjs'), '--out', profileCli, '--no-minify'], {
  stdio: 'inherit',
});
const bundles = await buildChildBundles();
const hours = Number(values.days) * 24;
const workload = { events: Number(values.events), hours, toMs: ANCHOR_MS, seed: 42 };
const sim = await startSimProcess(bundles.simulator, { workload, latencyMs: 0 });
await rm(profileDir, { recursive: true, force: true });
try {
  const range = { fromMs: ANCHOR_MS - hours * HOUR_MS, toMs: ANCHOR_MS };
  const run = await runCli(
    'profile',
    join(profileCli, 'cli.mjs'),
    sim,
    range,
    ['--concurrency', String(values.concurrency)],
    { nodeFlags: ['--cpu-prof', '--cpu-prof-dir', profileDir], node: values.node },
  );
  await rm(run.lakeDir, { recursive: true, force: true });
  const version = execFileSync(values.node, ['--version'], { encoding: 'utf8' }).trim();
  console.log(
    `Node ${version}, ingest of ${run.events} events: wall ${run.wallS.toFixed(1)} s, CPU ${run.cpuS.toFixed(1)} s, ${(run.events / run.cpuS).toFixed(0)} events per CPU second${run.error ? `, error: ${run.error}` : ''}`,
  );
} finally {
  await sim.close();
}
const file = (await readdir(profileDir)).find((f) => f.endsWith('.cpuprofile'));
if (!file) throw new Error(`no .cpuprofile written in ${profileDir}`);
const profile = JSON.parse(await readFile(join(profileDir, file), 'utf8')) as CpuProfile;
const total = profile.timeDeltas.reduce((a, b) => a + b, 0) / 1000;
const fn = (n: ProfileNode) => {
  const { functionName, url, lineNumber } = n.callFrame;
  const place = url ? `${url.replace(/^.*\/(cli-profile|node_modules)\//, '')}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'} ${place}`.trim();
};
printTop('Self time by function (top 25)', selfTimes(profile, fn), total, 25);
printTop(
  'Self time by place',
  selfTimes(profile, (n) => where(n.callFrame.url)),
  total,
  12,
);
console.log(`\nsampled ${(total / 1000).toFixed(1)} s; profile: ${join(profileDir, file)}`);

/**
 * The README's "Benchmarks" table, rendered from bench/results.json.
 *
 * The table was copied by hand after each full run and fell behind the results it cites (a review
 * found every row of it one run old). A full `npm run bench` now rewrites it between the README's
 * markers, `node --import tsx bench/readme-figures.ts` does the same from the committed results,
 * and a test holds the README to the results it names.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const BEGIN_MARK = '<!-- bench-figures: written by npm run bench from bench/results.json -->';
export const END_MARK = '<!-- /bench-figures -->';

/** The results file's fields the table reads (bench/run.ts writes them). */
interface Run {
  wallS: number;
  cpuS: number;
  peakRssMiB: number;
  requests: number;
  status429: number;
  events: number;
  lost: number;
  duplicated: number;
}
interface Bundle {
  codeKiB: number;
  importMs: number;
  lambdaNode?: { importMs: number };
}
export interface BenchResults {
  date: string;
  scale: {
    runs: number;
    throttlePerSecond: number;
    defaultConcurrency: number;
    latencyMs: number;
    workload: { hours: number };
  };
  machine: { cpus: number; node: string };
  workload: { events: number; rows: (Run & { run: string })[] };
  throttled: Run;
  cpuAndMemory: { small: Run; large: Run };
  lambdaRuntime: { node?: string; cli?: Run };
  startup: { command: string; 'wall ms': number }[];
  lambdaBundles: Bundle[];
  queries: {
    lakeEvents: number;
    lakeDays?: number;
    days: number;
    figures: { query: string; medianMs: number }[];
  };
}

const MB_PER_MIB = 1.048576;
const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const fixed = (n: number, digits = 1): string => n.toFixed(digits);
const perCpuSecond = (run: Run): number => run.events / run.cpuS;
const major = (version: string | undefined): string => version?.match(/^v(\d+)/)?.[1] ?? '?';
const eventsLabel = (events: number): string =>
  events >= 1_000_000 && events % 1_000_000 === 0 ? `${events / 1_000_000}M` : `${events / 1000}k`;

/**
 * The queried lake's size and span: "1M events over 30 days" reads apart from an instance's 1M
 * events a day (review R-BIG); results written before the span was recorded give the size alone.
 */
const lakeOf = (queries: { lakeEvents: number; lakeDays?: number }): string =>
  `${eventsLabel(queries.lakeEvents)} events${queries.lakeDays ? ` over ${queries.lakeDays} days` : ''}`;

const integrity = (runs: readonly Run[]): string => {
  const lost = runs.reduce((sum, r) => sum + r.lost, 0);
  const duplicated = runs.reduce((sum, r) => sum + r.duplicated, 0);
  return lost === 0 && duplicated === 0
    ? 'nothing lost or duplicated'
    : `${int(lost)} events lost, ${int(duplicated)} duplicated`;
};

function pagerRow(results: BenchResults): string {
  const rows = results.workload.rows;
  const naive = rows.find((r) => r.run.startsWith('naive'));
  const defaults = rows.find((r) => r.run.endsWith(`concurrency ${results.scale.defaultConcurrency}`));
  if (!naive || !defaults) throw new Error('bench/results.json: the workload has no naive or defaults row');
  return (
    `| ${int(results.workload.events)} events over ${results.scale.workload.hours / 24} days, ` +
    `${results.scale.latencyMs} ms per answer: defaults (concurrency ` +
    `${results.scale.defaultConcurrency}) vs a naive serial pager | ${fixed(defaults.wallS)} s vs ` +
    `${fixed(naive.wallS)} s (${fixed(naive.wallS / defaults.wallS, 2)}x), ${defaults.requests} ` +
    `requests vs ${naive.requests}, ${integrity(rows)} |`
  );
}

function throttledRow(results: BenchResults): string {
  const t = results.throttled;
  const floorS = t.requests / results.scale.throttlePerSecond;
  return (
    `| the same against a server that allows ${results.scale.throttlePerSecond} requests a second ` +
    `(429 above) | ${fixed(t.wallS)} s for ${t.requests} requests (${fixed(t.wallS / floorS, 2)}x ` +
    `the server's floor), ${fixed((100 * t.status429) / t.requests)} % answered 429 |`
  );
}

function cpuRow(results: BenchResults): string {
  const { small, large } = results.cpuAndMemory;
  const lambda = results.lambdaRuntime.cli;
  const onLambda = lambda
    ? `, ${int(perCpuSecond(lambda))} (${eventsLabel(lambda.events)}) on the Lambdas' Node ` +
      `${major(results.lambdaRuntime.node)}`
    : '';
  return (
    `| CPU path, latency 0 | ${int(perCpuSecond(small))} (${eventsLabel(small.events)} events) to ` +
    `${int(perCpuSecond(large))} (${eventsLabel(large.events)}) events per CPU second on Node ` +
    `${major(results.machine.node)}${onLambda}; ~${int((large.cpuS * 1_000_000) / large.events)} CPU ` +
    'seconds per million events (the target of 100,000 is not met: performance.md says by how much and why) |'
  );
}

function memoryRow(results: BenchResults): string {
  const { small, large } = results.cpuAndMemory;
  const smallMb = small.peakRssMiB * MB_PER_MIB;
  const largeMb = large.peakRssMiB * MB_PER_MIB;
  return (
    `| peak RSS, ${int(small.events)} / ${int(large.events)} events at concurrency 8 | ` +
    `${fixed(smallMb)} / ${fixed(largeMb)} MB (${fixed(largeMb / smallMb, 2)}x; the ratio swings by ` +
    '~0.05 between runs of one code, see performance.md) |'
  );
}

function bundleRow(results: BenchResults): string {
  const bundles = results.lambdaBundles;
  const kib = bundles.map((b) => int(b.codeKiB)).join(' / ');
  const ms = bundles.map((b) => int(b.importMs)).join(' / ');
  const onLambda = bundles.every((b) => b.lambdaNode)
    ? ` (Node ${major(results.lambdaRuntime.node)}: ${bundles.map((b) => int(b.lambdaNode?.importMs ?? 0)).join(' / ')} ms)`
    : '';
  return `| Lambda bundles (code only) / import in a fresh Node, source maps on | ${kib} KiB; ${ms} ms${onLambda} |`;
}

function startupRow(results: BenchResults): string {
  const commands = results.startup.map((s) => `\`${s.command}\``).join(' / ');
  const ms = results.startup.map((s) => int(s['wall ms'])).join(' / ');
  return `| CLI start-up: ${commands} | ${ms} ms |`;
}

function queryRow(results: BenchResults): string {
  const figures = [...results.queries.figures].sort((a, b) => a.medianMs - b.medianMs);
  const seconds = (ms: number): string => fixed(ms / 1000, 2);
  const first = figures[0];
  const last = figures.at(-1);
  if (!first || !last) throw new Error('bench/results.json: no query figures');
  const slowest = figures
    .slice(-3)
    .reverse()
    .map((f) => `${f.query} ${seconds(f.medianMs)} s`)
    .join(', ');
  return (
    `| each catalog query over ${results.queries.days} days of a lake of ${lakeOf(results.queries)} on DuckDB ` +
    `| ${seconds(first.medianMs)}-${seconds(last.medianMs)} s; slowest ${slowest} |`
  );
}

/** The lines between the README's markers. */
export function renderReadmeFigures(results: BenchResults): string {
  const when = `${results.date.slice(0, 10)} ${results.date.slice(11, 16)} UTC`;
  const runs = results.scale.runs === 1 ? 'one run each' : `medians of ${results.scale.runs}`;
  return [
    '',
    `From the last full run on the ${results.machine.cpus}-core development machine (${when}, ${runs};`,
    '`bench/results.json` holds it):',
    '',
    '| figure | value |',
    '|---|---|',
    pagerRow(results),
    throttledRow(results),
    cpuRow(results),
    memoryRow(results),
    bundleRow(results),
    startupRow(results),
    queryRow(results),
    '',
  ].join('\n');
}

/** `readme` with the text between its markers replaced by the table of `results`. */
export function withReadmeFigures(readme: string, results: BenchResults): string {
  const begin = readme.indexOf(BEGIN_MARK);
  const end = readme.indexOf(END_MARK);
  if (begin < 0 || end < begin) {
    throw new Error(
      `README.md has no "${BEGIN_MARK}" ... "${END_MARK}" pair: put them back around the table`,
    );
  }
  return `${readme.slice(0, begin + BEGIN_MARK.length)}\n${renderReadmeFigures(results)}\n${readme.slice(end)}`;
}

const ROOT = join(import.meta.dirname, '..');

/** Rewrites the README's table from the given results (a full run's). */
export async function writeReadmeFigures(
  results: BenchResults,
  readmePath = join(ROOT, 'README.md'),
): Promise<void> {
  const readme = await readFile(readmePath, 'utf8');
  const updated = withReadmeFigures(readme, results);
  if (updated !== readme) await writeFile(readmePath, updated);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const results = JSON.parse(await readFile(join(ROOT, 'bench', 'results.json'), 'utf8')) as BenchResults;
  await writeReadmeFigures(results);
  console.log('README.md: the Benchmarks table now shows bench/results.json');
}

import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsObjectStore } from '../functions/adapters/fs-store.ts';
import { DEFAULT_INSTANCE } from '../functions/cli/lake-target.ts';
import type { GroundTruthEntry } from '../functions/simulator/index.ts';
import { compareWithGroundTruth, readLake } from '../test/support/lake-contents.ts';
import { measureNode } from './measure.ts';
import type { SimHandle } from './sim-handle.ts';

export interface RunFigures {
  run: string;
  wallS: number;
  cpuS: number;
  peakRssMiB: number;
  /** HTTP requests the server received (audit and token, 429s included). */
  requests: number;
  tokens: number;
  status429: number;
  events: number;
  /** Spans the CLI read (its summary's `spans`); undefined for the naive pager. */
  spans?: number;
  /** Against the ground truth; undefined when not checked. */
  lost?: number;
  duplicated?: number;
  /** Set when the process failed: its one-line reason. */
  error?: string;
  lakeDir: string;
}

export interface RunRange {
  fromMs: number;
  toMs: number;
}

const CREDENTIALS = { DOMO_CLIENT_ID: 'sim-client', DOMO_CLIENT_SECRET: 'sim-secret' };

async function serverDelta<T>(sim: SimHandle, body: () => Promise<T>) {
  const before = await sim.stats();
  const result = await body();
  const after = await sim.stats();
  return {
    result,
    requests: after.requests - before.requests,
    tokens: after.tokensIssued - before.tokensIssued,
    status429: (after.byStatus['429'] ?? 0) - (before.byStatus['429'] ?? 0),
  };
}

const firstLine = (text: string) => text.trim().split('\n').at(-1) ?? '';

/** The naive serial pager (bench/naive-pager.ts) over `range`, as a child process. */
export async function runNaive(bundle: string, sim: SimHandle, range: RunRange): Promise<RunFigures> {
  const lakeDir = await mkdtemp(join(tmpdir(), 'bench-naive-'));
  const { result, ...server } = await serverDelta(sim, () =>
    measureNode([bundle, sim.url, String(range.fromMs), String(range.toMs), lakeDir], CREDENTIALS),
  );
  const ok = result.exitCode === 0;
  const events = ok ? (JSON.parse(result.stdout) as { events: number }).events : 0;
  return {
    run: 'naive serial pager',
    wallS: result.wallS,
    cpuS: result.cpuS,
    peakRssMiB: result.peakRssMiB,
    ...server,
    events,
    ...(ok ? {} : { error: firstLine(result.stderr) }),
    lakeDir,
  };
}

/** How {@link runCli} starts the CLI: Node's flags, environment added, and which Node (the bench's). */
interface CliProcess {
  nodeFlags?: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** Another Node binary: the Lambdas' runtime (bench/lambda-node.ts). */
  node?: string;
}

/** `ingest --from --to` of the prebuilt CLI, as a child process, with `args` added. */
export async function runCli(
  label: string,
  bundle: string,
  sim: SimHandle,
  range: RunRange,
  args: readonly string[],
  { nodeFlags = [], env = {}, node = process.execPath }: CliProcess = {},
): Promise<RunFigures> {
  const lakeDir = await mkdtemp(join(tmpdir(), 'bench-cli-'));
  const argv = [
    ...nodeFlags,
    bundle,
    'ingest',
    '--from',
    new Date(range.fromMs).toISOString(),
    '--to',
    new Date(range.toMs).toISOString(),
    '--lake',
    lakeDir,
    '--api-base',
    sim.url,
    '--json',
    ...args,
  ];
  const { result, ...server } = await serverDelta(sim, () =>
    measureNode(argv, { ...CREDENTIALS, ...env }, node),
  );
  const ok = result.exitCode === 0;
  const summary = ok ? (JSON.parse(result.stdout) as { eventsWritten: number; spans: number }) : undefined;
  return {
    run: label,
    wallS: result.wallS,
    cpuS: result.cpuS,
    peakRssMiB: result.peakRssMiB,
    ...server,
    events: summary?.eventsWritten ?? 0,
    ...(summary ? { spans: summary.spans } : { error: firstLine(result.stderr) }),
    lakeDir,
  };
}

export async function readGroundTruth(file: string): Promise<GroundTruthEntry[]> {
  const text = await readFile(file, 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as GroundTruthEntry);
}

/** Adds lost and duplicated counts: the lake compared with the simulator's ground truth. */
export async function checkAgainstTruth(
  figures: RunFigures,
  truth: readonly GroundTruthEntry[],
  range: RunRange,
): Promise<RunFigures> {
  if (figures.error) return figures;
  const lake = await readLake(new FsObjectStore(figures.lakeDir), DEFAULT_INSTANCE);
  const comparison = compareWithGroundTruth(lake, truth, range.fromMs, range.toMs);
  return { ...figures, lost: comparison.lost, duplicated: comparison.duplicated + comparison.duplicateIds };
}

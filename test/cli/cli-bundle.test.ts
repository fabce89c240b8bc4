import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const bundle = join(root, 'dist', 'cli.mjs');
// No loader: plain Node can only run the bundle if no TypeScript is left to compile.
const plainNode = { env: { ...process.env, NODE_OPTIONS: '' }, cwd: root };

describe('the prebuilt command line (dist/cli.mjs)', () => {
  beforeAll(async () => {
    await run(process.execPath, [join(root, 'scripts', 'build-cli.mjs'), '--if-stale'], plainNode);
  });

  it('runs in plain Node and finds the query catalog shipped beside it', async () => {
    const { stdout } = await run(process.execPath, [bundle, 'query', '--list'], plainNode);
    expect(stdout).toMatch(/most_active_users/);
    expect(stdout).toMatch(/suspicious_logins/);
  });

  it('keeps DuckDB external and loads command modules lazily (the entry holds no SDK or DuckDB code)', async () => {
    const entry = await readFile(bundle, 'utf8');
    expect(entry).not.toMatch(/@aws-sdk|S3Client|DuckDBInstance/);
    const { stdout } = await run(process.execPath, [bundle, '--help'], plainNode);
    expect(stdout).toMatch(/^Usage: domo-activity-lake <command>/);
  });
});

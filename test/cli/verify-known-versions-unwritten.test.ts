import { existsSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { captureIo } from '../support/capture-io.ts';
import { dirPerFile } from '../support/dir-per-test.ts';
import { ingestKnownVersionsLake } from '../support/known-versions-lake.ts';

// Review revid4 L4: a --known-versions path that cannot be written lost the report of a check that
// had read the whole lake (a raw ENOENT at the end, nothing on stdout).
let dir: string;
let lake: string;
dirPerFile('verify-known-versions-unwritten-', async (made) => {
  dir = made;
  lake = join(dir, 'lake');
  await ingestKnownVersionsLake(lake);
});

async function verify(...options: string[]) {
  const io = captureIo();
  const code = await main(['verify', '--lake', lake, '--instance', 'acme', '--integrity', ...options], io.io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

describe('verify --integrity --known-versions at a path that cannot be written', () => {
  it('is refused before the lake is read when its folder is missing (exit 2)', async () => {
    const path = join(dir, 'no-such-dir', 'versions.json');
    const { code, stdout, stderr } = await verify('--known-versions', path);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`--known-versions ${path}: the file cannot be written there (ENOENT)`);
    expect(existsSync(join(dir, 'no-such-dir'))).toBe(false);
  });

  it('prints the report when the write at the end fails, then says so (exit 1)', async () => {
    const folder = join(dir, 'versions');
    await mkdir(folder);
    const path = join(folder, 'versions.json');
    const io = captureIo();
    // The folder goes while the check reads (its progress line, drawn on a terminal, is the hook):
    // writable when the check began, not when it ends.
    const stderr = Object.assign(io.io.stderr, { isTTY: true, columns: 200 });
    const write = stderr.write.bind(stderr);
    stderr.write = ((chunk: string) => {
      if (chunk.includes('objects read')) rmSync(folder, { recursive: true, force: true });
      return write(chunk);
    }) as typeof stderr.write;
    const argv = ['verify', '--lake', lake, '--instance', 'acme', '--integrity', '--known-versions', path];
    const code = await main(argv, { ...io.io, stderr });
    expect(io.stdout()).toContain('object(s) checked');
    expect(io.stdout()).toContain('known versions: no file at');
    expect(io.stdout()).toContain('; not written (ENOENT');
    expect(code).toBe(1);
    expect(io.stderr()).toContain(`--known-versions ${path} was not written (ENOENT`);
    expect(io.stderr()).toContain('the report above stands');
  });
});

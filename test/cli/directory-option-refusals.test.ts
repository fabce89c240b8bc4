import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertDirectoryOption } from '../../functions/cli/options.ts';
import { UsageError } from '../../functions/cli/usage-error.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-dir-option-'));
  await writeFile(join(dir, 'notes.txt'), 'x');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a directory option', () => {
  it('refuses a path that goes through a file, naming the flag', () => {
    const path = join(dir, 'notes.txt', 'out');
    expect(() => assertDirectoryOption('--out', path)).toThrow(
      new UsageError(`--out ${path}: a part of that path is a file, not a directory`),
    );
  });

  it('accepts a missing directory and an existing one', () => {
    expect(assertDirectoryOption('--out', join(dir, 'new'))).toBe(join(dir, 'new'));
    expect(assertDirectoryOption('--out', dir)).toBe(dir);
  });
});

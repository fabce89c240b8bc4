import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectLakeDirectory } from '../../functions/cli/lake-directory.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lake-dir-errors-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('inspectLakeDirectory, on what is not a directory', () => {
  it('takes a file named like a lake folder for what it is: not a lake, and no error', async () => {
    const folder = join(dir, 'project');
    await mkdir(folder);
    await writeFile(join(folder, 'state'), 'a file, not the lake folder');
    expect(await inspectLakeDirectory(folder)).toEqual({ kind: 'other', found: ['state'] });
  });

  it('refuses a path that exists but cannot be listed, rather than take it for missing', async () => {
    const file = join(dir, 'notes.txt');
    await writeFile(file, 'x');
    // Taken for missing, a command would go on to create a lake where something already is.
    await expect(inspectLakeDirectory(file)).rejects.toMatchObject({ code: 'ENOTDIR' });
  });
});

import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectLakeDirectory, listFound } from '../../functions/cli/lake-directory.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-lake-dir-file-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('recognising a lake directory', () => {
  it('does not take a folder holding a file named instance=<name> for a lake', async () => {
    const other = join(dir, 'other');
    await mkdir(join(other, 'state'), { recursive: true });
    await writeFile(join(other, 'state', 'instance=main'), 'not a folder');
    expect(await inspectLakeDirectory(other)).toEqual({ kind: 'other', found: ['state/'] });
  });

  it('takes a folder whose lake-named entry is a dangling link for something else, not an error', async () => {
    const dangling = join(dir, 'dangling');
    await mkdir(dangling);
    await symlink(join(dir, 'gone'), join(dangling, 'activity_log'));
    expect(await inspectLakeDirectory(dangling)).toEqual({ kind: 'other', found: ['activity_log'] });
  });

  it('names every entry when there are just as many as it shows', () => {
    expect(listFound(['a', 'b', 'c', 'd', 'e'])).toBe('a, b, c, d, e');
    expect(listFound(['a', 'b', 'c', 'd', 'e', 'f'])).toBe('a, b, c, d, e and 1 more');
  });
});

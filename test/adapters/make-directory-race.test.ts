import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDirectory } from '../../functions/adapters/make-directory.ts';

/**
 * Runs before each mkdir makeDirectory makes: stands in for another process at work. Passed as the
 * mkdir, not mocked into node:fs: the suite shares modules between files (isolate: false), so a
 * module mock would not reach a makeDirectory another file had already loaded.
 */
const before: { mkdir: ((path: string) => Promise<void>) | undefined } = { mkdir: undefined };
const watchedMkdir = async (path: string) => {
  await before.mkdir?.(path);
  return mkdir(path);
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'make-directory-race-'));
});
afterAll(async () => {
  before.mkdir = undefined;
  await rm(dir, { recursive: true, force: true });
});

// A directory another process made after a look found it missing was counted as made, and a
// failed ingest removed it.
describe('makeDirectory while another process makes the same directories', () => {
  it('returns only the directories its own mkdir made', async () => {
    const lake = join(dir, 'shared');
    const target = join(lake, 'day');
    before.mkdir = async (path) => {
      // Between the walk up (which found lake missing) and the mkdir of lake on the way down.
      if (path === lake) await mkdir(lake).catch(() => undefined);
    };
    const made = await makeDirectory(target, watchedMkdir);
    before.mkdir = undefined;
    expect(made).toEqual([target]);
    expect((await stat(target)).isDirectory()).toBe(true);
  });

  it('after a parent was removed, does not count what another process made again', async () => {
    const lake = join(dir, 'remade');
    const hour = join(lake, 'day', 'hour');
    const target = join(hour, 'part');
    await makeDirectory(join(lake, 'day'));
    let removed = false;
    before.mkdir = async (path) => {
      // The walk up makes hour; on the way down to part, the lake is removed, and when the
      // second walk reaches the lake, another process has made it down to hour again.
      if (path === target && !removed && existsSync(hour)) {
        removed = true;
        await rm(lake, { recursive: true });
      } else if (path === lake && removed) await mkdir(hour, { recursive: true });
    };
    const made = await makeDirectory(target, watchedMkdir);
    before.mkdir = undefined;
    expect(made).toEqual([target]);
  });
});

// A parent another process removed after the walk up found it was blamed on /proc.
describe('makeDirectory while another process removes a parent', () => {
  it('walks the path again and makes it', async () => {
    const lake = join(dir, 'once');
    const target = join(lake, 'day', 'hour', 'part');
    await makeDirectory(join(lake, 'day'));
    let calls = 0;
    before.mkdir = async (path) => {
      // The walk up tries part, then makes hour; on the way down, part's parents are gone.
      if (path === target && ++calls === 2) await rm(lake, { recursive: true });
    };
    await makeDirectory(target, watchedMkdir);
    before.mkdir = undefined;
    expect(calls).toBeGreaterThan(2);
    expect((await stat(target)).isDirectory()).toBe(true);
  });

  it('says the parent was removed meanwhile when it keeps being removed, not that it takes no directories', async () => {
    const lake = join(dir, 'always');
    const target = join(lake, 'day', 'hour');
    before.mkdir = async (path) => {
      // Every time the way down reaches the hour, its parents are gone again.
      if (path === target) await rm(lake, { recursive: true, force: true });
    };
    const error = await makeDirectory(target, watchedMkdir).catch((e: unknown) => e);
    before.mkdir = undefined;
    expect(String((error as Error).message)).toBe(
      `cannot create the directory ${target}: ${join(lake, 'day')} was removed while it was being made, 2 times (another process deleting it?); stop what removes it, then try again`,
    );
  });
});

import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLakeTarget, parseLakeOption } from '../../functions/cli/lake-target.ts';
import { type DirectoryWriteAccess, directoryWriteAccess } from '../../functions/cli/writable-lake.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-lake-ro-'));
  await mkdir(join(dir, 'digest', 'instance=main'), { recursive: true });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** `access(2)` as another user would meet it: the tests run as root, whom no permission stops. */
const deniedAt =
  (denied: string) =>
  async (path: string): Promise<DirectoryWriteAccess> =>
    path === denied ? 'not-writable' : directoryWriteAccess(path);

const opened = (denied: string) =>
  openLakeTarget(parseLakeOption(dir), undefined, {
    access: 'write',
    directoryWriteAccess: deniedAt(denied),
  }).then(
    () => 'opened',
    (e: unknown) => (e as Error).message,
  );

describe('a lake directory this user cannot write', () => {
  it('is refused when opened for an ingest, naming the directory and what to do', async () => {
    expect(await opened(dir)).toBe(
      `cannot write the lake at ${dir}: the directory is not writable by this user (permission denied, or a read-only file system); run the command as the user who owns the lake, or give this user write access to it`,
    );
  });

  it("names the instance's folder when that is the one denied", async () => {
    const folder = join(dir, 'digest', 'instance=main');
    expect(await opened(folder)).toContain(`: ${folder} is not writable by this user`);
  });

  it('opens when what is denied is no folder the ingest writes', async () => {
    expect(await opened(join(dir, 'reports'))).toBe('opened');
  });
});

describe('directoryWriteAccess', () => {
  it('tells a writable directory from a missing one', async () => {
    expect(await directoryWriteAccess(dir)).toBe('writable');
    expect(await directoryWriteAccess(join(dir, 'none'))).toBe('missing');
  });
});

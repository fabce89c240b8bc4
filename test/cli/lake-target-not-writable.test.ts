import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLakeTarget, parseLakeOption } from '../../functions/cli/lake-target.ts';
import {
  type DirectoryWriteAccess,
  directoryWriteAccess,
  type NotWritable,
} from '../../functions/cli/writable-lake.ts';

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
  (denied: string, code: NotWritable) =>
  async (path: string): Promise<DirectoryWriteAccess> =>
    path === denied ? code : directoryWriteAccess(path);

const opened = (denied: string, code: NotWritable = 'EACCES') =>
  openLakeTarget(parseLakeOption(dir), undefined, {
    access: 'write',
    directoryWriteAccess: deniedAt(denied, code),
  }).then(
    () => 'opened',
    (e: unknown) => (e as Error).message,
  );

describe('a lake directory this user cannot write', () => {
  it('is refused when opened for an ingest, naming the directory and what to do', async () => {
    expect(await opened(dir)).toBe(
      `cannot write the lake at ${dir}: this user may not write there (EACCES): run the command as the user who owns the lake, or give this user write access to it`,
    );
  });

  it('on a read-only file system, says to mount it read-write, not to run as its owner', async () => {
    expect(await opened(dir, 'EROFS')).toBe(
      `cannot write the lake at ${dir}: the lake is on a read-only file system (EROFS): mount it read-write, or copy the lake to a writable disk`,
    );
  });

  it("names the instance's folder when that is the one denied", async () => {
    const folder = join(dir, 'digest', 'instance=main');
    expect(await opened(folder)).toContain(
      `${dir} (${folder} is not writable): this user may not write there`,
    );
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

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { isNoLinksError } from '../../functions/adapters/no-links.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fs-store-no-links-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const failing = (code: string) => async () => {
  throw Object.assign(new Error(`${code}: simulated, link`), { code });
};

// Review R-WINOPS M2: a lake on FAT/exFAT or some network shares failed with a raw EPERM (EISDIR
// on Windows, where the lock's own fallback did not take it either).
describe('a lake on a file system without hard links', () => {
  it.each([
    ['linux', 'EPERM'],
    ['darwin', 'ENOTSUP'],
    ['win32', 'EISDIR'],
  ])('on %s, %s from link is refused naming the cause and the fix', async (platform, code) => {
    const store = new FsObjectStore(join(dir, `${platform}-lake`), { link: failing(code), platform });
    await expect(
      store.put('digest/x.json', new TextEncoder().encode('{}'), { ifNoneMatch: '*' }),
    ).rejects.toThrow(
      new RegExp(
        `^the lake's file system has no hard links \\(FAT or exFAT, some network shares\\), which the lake's create-only writes need: put the lake on NTFS, APFS or ext4 \\(link to .*x\\.json: ${code}\\)$`,
      ),
    );
  });

  it('EISDIR means no links on Windows only; a permission refused (EACCES) is not it', () => {
    const error = (code: string) => Object.assign(new Error(code), { code });
    expect(isNoLinksError(error('EISDIR'), 'win32')).toBe(true);
    expect(isNoLinksError(error('EISDIR'), 'linux')).toBe(false);
    expect(isNoLinksError(error('EACCES'), 'win32')).toBe(false);
    expect(isNoLinksError(error('EPERM'), 'linux')).toBe(true);
  });
});

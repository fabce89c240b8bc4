/**
 * The disk store looks at every folder of a key's path below its top folder (`lstat`) at every
 * read, probe and listing, so that a symbolic link planted there is refused (docs/guarantees.md §6).
 * Those looks are most of a small read's CPU, and remembering the folders one store has looked at
 * would save them; it would also let through a link swapped in afterwards, while the same command
 * runs (a folder moved away and a link to it put in its place), so every call looks again. The
 * folder cases fail for a store that remembers the folders it looked at; the other symbolic-link
 * tests (fs-store-edges, verify-symbolic-links) pass with one, as each plants its link before the
 * store's first look. The object case does the same for a store that would remember objects.
 */
import { rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsObjectStore, SymbolicLinkInLakeError } from '../../functions/adapters/fs-store.ts';
import { collect } from '../support/collect.ts';
import { dirPerTest, encode } from '../support/dir-per-test.ts';

let dir: string;
let store: FsObjectStore;
dirPerTest('fs-store-path-checks-', (made) => {
  dir = made;
  store = new FsObjectStore(made);
});

/** Moves the lake folder `key` out of the lake and puts a link to it in its place. */
async function swapForLink(key: string): Promise<void> {
  const moved = join(dir, `moved-${key.replaceAll('/', '-')}`);
  await rename(join(dir, ...key.split('/')), moved);
  await symlink(moved, join(dir, ...key.split('/')));
}

describe('FsObjectStore path checks', () => {
  it.each(['t/i', 't/i/d'])(
    'meets a link swapped in at %s after the same store read through it',
    async (folder) => {
      await store.put('t/i/d/k', encode('x'));
      expect(new TextDecoder().decode((await store.get('t/i/d/k'))?.body)).toBe('x');
      expect(await store.exists('t/i/d/k')).toBe(true);
      expect(await collect(store.list('t/i/d/'))).toEqual(['t/i/d/k']);
      await swapForLink(folder);
      await expect(store.get('t/i/d/k')).rejects.toThrow(SymbolicLinkInLakeError);
      await expect(store.exists('t/i/d/k')).rejects.toThrow(`${folder}/ in the lake`);
      await expect(collect(store.list('t/i/d/'))).rejects.toThrow(SymbolicLinkInLakeError);
    },
  );

  it('meets a link swapped in for an object the same store probed', async () => {
    await store.put('t/i/d/k', encode('x'));
    expect(await store.exists('t/i/d/k')).toBe(true);
    await writeFile(join(dir, 'outside'), 'forged');
    await rm(join(dir, 't', 'i', 'd', 'k'));
    await symlink(join(dir, 'outside'), join(dir, 't', 'i', 'd', 'k'));
    await expect(store.exists('t/i/d/k')).rejects.toThrow('t/i/d/k in the lake');
    await expect(store.get('t/i/d/k')).rejects.toThrow('t/i/d/k in the lake');
  });
});

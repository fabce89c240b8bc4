import { describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { readDigestHead } from '../../functions/core/lake/digest.ts';
import { digestKey } from '../../functions/core/lake/layout.ts';
import { collect } from '../support/collect.ts';
import { dirPerTest, encode } from '../support/dir-per-test.ts';
import { MemoryObjectStore } from '../support/memory-store.ts';

let _dir: string;
let store: FsObjectStore;
dirPerTest('fs-store-start-after-', (made) => {
  _dir = made;
  store = new FsObjectStore(made);
});

describe('FsObjectStore.list after a key (S3 StartAfter)', () => {
  it('lists only the keys strictly after it, as the memory store and S3 do', async () => {
    const memory = new MemoryObjectStore();
    // 'k😀' sorts before 'kＡ' in JS's UTF-16 units, after it in UTF-8 bytes (S3's order).
    const keys = ['a-b', 'a.c', 'a/b/c', 'a/b/d', 'a/x', 'ab', 'b', 'bc/d/e', 'é', 'k😀', 'kＡ', 'z/é/1'];
    for (const key of keys) {
      await store.put(key, encode(key));
      await memory.put(key, encode(key));
    }
    // Keys, their prefixes, keys between them and past them; S3 compares UTF-8 bytes.
    const afters = [
      '',
      'a',
      'a/',
      'a/b',
      'a/b/',
      'a/b/c',
      'a/b/cc',
      'a/y',
      'a0',
      'bc/d',
      'e',
      'é',
      'kＡ',
      'z/',
      'zz',
    ];
    for (const prefix of ['', 'a', 'a/', 'bc/', 'z/']) {
      for (const startAfter of afters) {
        const listed = await collect(store.list(prefix, { startAfter }));
        expect(listed, `${prefix} after ${startAfter}`).toEqual(
          await collect(memory.list(prefix, { startAfter })),
        );
      }
    }
    expect(await collect(store.list('a/', { startAfter: 'a/b/c' }))).toEqual(['a/b/d', 'a/x']);
    expect(await collect(store.list('', { startAfter: 'b' }))).toEqual([
      'bc/d/e',
      'kＡ',
      'k😀',
      'z/é/1',
      'é',
    ]);
  });

  it('does not read the folders wholly before it', async () => {
    for (const key of ['a/1/k', 'a/2/k', 'b/1/k', 'b/2/k', 'c/k']) await store.put(key, encode(key));
    // The folders walked, by their keys: the walk calls itself through the instance.
    const read: string[] = [];
    const walker = store as unknown as { walk(dirKey: string, ...rest: unknown[]): AsyncGenerator<string> };
    const walk = walker.walk.bind(walker);
    walker.walk = (dirKey, ...rest) => {
      read.push(dirKey);
      return walk(dirKey, ...rest);
    };
    expect(await collect(store.list('', { startAfter: 'b/1/k' }))).toEqual(['b/2/k', 'c/k']);
    expect(read.sort()).toEqual(['', 'b', 'b/1', 'b/2', 'c']);
  });

  it('finds the head of a long digest chain without listing the folder whole each look', async () => {
    for (let n = 0; n < 40; n++) await store.put(digestKey('acme', n), encode('{}'));
    let listed = 0;
    const list = store.list.bind(store);
    const counting = Object.assign(Object.create(store) as FsObjectStore, {
      list: async function* (prefix: string, options?: { startAfter?: string; pageSize?: number }) {
        for await (const key of list(prefix, options)) {
          listed++;
          yield key;
        }
      },
    });
    expect((await readDigestHead(counting, 'acme'))?.sequence).toBe(39);
    // The search probes past 39 and looks after the missing number: nothing more is listed.
    expect(listed).toBe(0);
  });
});

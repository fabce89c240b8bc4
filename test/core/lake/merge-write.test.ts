import { describe, expect, it } from 'vitest';
import { mergeIntoObject, plannedMerge } from '../../../functions/core/lake/merge-write.ts';
import { decodeNdjsonGzip, encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

interface Rec {
  id: string;
  t: number;
  run: string;
}

const key = 'activity_log/instance=acme/dt=2026-10-01/2026-10-01T10.ndjson.gz';
const options = {
  idOf: (r: Rec) => r.id,
  compare: (a: Rec, b: Rec) => a.t - b.t,
};
const rec = (id: string, t: number, run = 'r1'): Rec => ({ id, t, run });
const stored = async (store: MemoryObjectStore) => {
  const object = await store.get(key);
  return object ? (decodeNdjsonGzip(object.body) as Rec[]) : undefined;
};

describe('mergeIntoObject', () => {
  it('creates the object create-only, sorted by compare', async () => {
    const store = new MemoryObjectStore();
    const result = await mergeIntoObject(store, key, [rec('b', 2), rec('a', 1)], options);
    expect(result).toEqual({
      before: 0,
      after: 2,
      added: [rec('a', 1), rec('b', 2)],
      written: true,
      ids: new Set(['a', 'b']),
      dropped: [],
      storedElsewhere: [],
    });
    expect(await stored(store)).toEqual([rec('a', 1), rec('b', 2)]);
    expect(store.puts[0]?.options).toMatchObject({ ifNoneMatch: '*', contentType: 'application/gzip' });
    expect(store.puts[0]?.options.contentEncoding).toBeUndefined();
  });

  it('removes the records drop names, stored or incoming, and writes for that alone', async () => {
    const store = new MemoryObjectStore();
    await mergeIntoObject(store, key, [rec('a', 1), rec('b', 2)], options);
    const drop = (r: Rec) => r.id === 'a' || r.id === 'x';
    const result = await mergeIntoObject(store, key, [rec('x', 3)], { ...options, drop });
    expect(result).toEqual({
      before: 2,
      after: 1,
      added: [],
      written: true,
      ids: new Set(['b']),
      dropped: [rec('a', 1)],
      storedElsewhere: [],
    });
    expect(await stored(store)).toEqual([rec('b', 2)]);
    const again = await mergeIntoObject(store, key, [], { ...options, drop });
    expect(again).toMatchObject({ written: false, dropped: [] });
  });

  it('grows the object with a put conditional on the stored ETag', async () => {
    const store = new MemoryObjectStore();
    await mergeIntoObject(store, key, [rec('a', 1)], options);
    const etag = (await store.get(key))?.etag;
    const result = await mergeIntoObject(store, key, [rec('a', 1), rec('c', 3)], options);
    expect(result).toMatchObject({ before: 1, after: 2, added: [rec('c', 3)], written: true });
    expect(store.puts[1]?.options).toMatchObject({ ifMatch: etag });
    expect(store.puts[1]?.options.ifNoneMatch).toBeUndefined();
  });

  it('writes nothing when the union did not grow', async () => {
    const store = new MemoryObjectStore();
    await mergeIntoObject(store, key, [rec('a', 1), rec('b', 2)], options);
    const result = await mergeIntoObject(store, key, [rec('b', 2)], options);
    expect(result).toEqual({
      before: 2,
      after: 2,
      added: [],
      written: false,
      ids: new Set(['a', 'b']),
      dropped: [],
      storedElsewhere: [],
    });
    expect(store.puts).toHaveLength(1);
  });

  it('never deletes a stored record, and the stored one wins an id collision', async () => {
    const store = new MemoryObjectStore();
    await mergeIntoObject(store, key, [rec('a', 1), rec('b', 2), rec('c', 3)], options);
    const result = await mergeIntoObject(store, key, [rec('b', 2, 'r2'), rec('d', 0, 'r2')], options);
    expect(result).toMatchObject({ before: 3, after: 4, added: [rec('d', 0, 'r2')] });
    expect([...result.ids].sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(await stored(store)).toEqual([rec('d', 0, 'r2'), rec('a', 1), rec('b', 2), rec('c', 3)]);
  });

  it('keeps stored lines even if they repeat an id, and dedupes the incoming batch', async () => {
    const store = new MemoryObjectStore();
    store.putNow(key, encodeNdjsonGzip([rec('a', 1), rec('a', 1, 'old')]));
    const result = await mergeIntoObject(store, key, [rec('b', 2), rec('b', 2, 'dup')], options);
    expect(result).toMatchObject({ before: 2, after: 3, added: [rec('b', 2)] });
    expect(await stored(store)).toHaveLength(3);
  });

  it('writes the same bytes whatever order the records arrive in (ties broken by id)', async () => {
    const a = new MemoryObjectStore();
    const b = new MemoryObjectStore();
    await mergeIntoObject(a, key, [rec('x', 5), rec('y', 5), rec('z', 1)], options);
    await mergeIntoObject(b, key, [rec('y', 5), rec('z', 1), rec('x', 5)], options);
    expect((await a.get(key))?.etag).toBe((await b.get(key))?.etag);
  });

  it('re-reads and re-merges after losing a race (412), keeping the other writer’s records', async () => {
    const store = new MemoryObjectStore();
    store.putNow(key, encodeNdjsonGzip([rec('a', 1)]));
    store.beforePut = (_key, putNumber) => {
      // Another run lands its record between our read and our write, once.
      if (putNumber === 1) store.putNow(key, encodeNdjsonGzip([rec('a', 1), rec('other', 9, 'r9')]));
    };
    const result = await mergeIntoObject(store, key, [rec('mine', 5, 'r2')], options);
    expect(result).toEqual({
      before: 2,
      after: 3,
      added: [rec('mine', 5, 'r2')],
      written: true,
      ids: new Set(['a', 'other', 'mine']),
      dropped: [],
      storedElsewhere: [],
    });
    expect(store.puts).toHaveLength(2);
    expect((await stored(store))?.map((r) => r.id)).toEqual(['a', 'mine', 'other']);
  });

  it('gives up after maxAttempts when every write loses', async () => {
    const store = new MemoryObjectStore();
    let n = 0;
    store.beforePut = () => {
      n += 1;
      store.putNow(key, encodeNdjsonGzip([rec(`rival-${n}`, n)]));
    };
    await expect(
      mergeIntoObject(store, key, [rec('mine', 1)], { ...options, maxAttempts: 3 }),
    ).rejects.toThrow(/gave up merging into .*T10\.ndjson\.gz .* after 3 attempts/);
    expect(store.puts).toHaveLength(3);
  });

  it('validates stored lines with the parse option', async () => {
    const store = new MemoryObjectStore();
    store.putNow(key, encodeNdjsonGzip([{ nope: true }]));
    const parse = (raw: unknown): Rec => {
      if (typeof (raw as Rec).id !== 'string') throw new Error('stored line has no id');
      return raw as Rec;
    };
    await expect(mergeIntoObject(store, key, [rec('a', 1)], { ...options, parse })).rejects.toThrow(
      'stored line has no id',
    );
    expect(store.puts).toHaveLength(0);
  });
});

describe('mergeIntoObject told what was read, and asked to tell of its write first', () => {
  it('reads nothing itself, and tells the result it then returns before the put', async () => {
    const store = new MemoryObjectStore();
    await mergeIntoObject(store, key, [rec('a', 1)], options);
    const found = await store.get(key);
    let gets = 0;
    const counting = {
      location: store.location,
      get: (k: string) => {
        gets++;
        return store.get(k);
      },
      list: (prefix: string) => store.list(prefix),
      put: store.put.bind(store),
    };
    const told: unknown[] = [];
    const putsBefore = store.puts.length;
    const result = await mergeIntoObject(counting, key, [rec('b', 2)], {
      ...options,
      read: { found },
      beforeWrite: (planned) => {
        // Told before the put is made.
        told.push({ ...planned, putsThen: store.puts.length - putsBefore });
      },
    });
    expect(gets).toBe(0);
    expect(told).toEqual([{ ...result, putsThen: 0 }]);
    expect(await stored(store)).toEqual([rec('a', 1), rec('b', 2)]);
  });

  it('tells nothing when there is nothing to write', async () => {
    const store = new MemoryObjectStore();
    await mergeIntoObject(store, key, [rec('a', 1)], options);
    let told = 0;
    await mergeIntoObject(store, key, [rec('a', 1)], { ...options, beforeWrite: () => void told++ });
    expect(told).toBe(0);
  });
});

describe('plannedMerge', () => {
  it('gives what the merge returns, without writing', async () => {
    const store = new MemoryObjectStore();
    await mergeIntoObject(store, key, [rec('a', 1), rec('c', 3)], options);
    const before = (await stored(store)) ?? [];
    const planned = plannedMerge(before, [rec('b', 2), rec('a', 1)], options);
    expect(await stored(store)).toEqual(before);
    const merged = await mergeIntoObject(store, key, [rec('b', 2), rec('a', 1)], options);
    expect(planned).toEqual(merged);
  });
});

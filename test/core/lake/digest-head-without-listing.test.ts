import { beforeAll, describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import {
  appendDigest,
  listDigestKeys,
  readDigestHead,
  sha256Hex,
} from '../../../functions/core/lake/digest.ts';
import { digestKey, digestPrefix } from '../../../functions/core/lake/layout.ts';
import type { ListOptions, StoredObject } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const LONG = 3_000;

/** A memory lake that counts its digest listings, the digest keys they yield, and digest GETs. */
class CountingStore extends MemoryObjectStore {
  digestLists = 0;
  digestKeysListed = 0;
  digestGets = 0;
  /** A store that lists from the start whatever it is asked (the disk store does). */
  ignoreStartAfter = false;

  override async get(key: string): Promise<StoredObject | undefined> {
    if (key.startsWith('digest/')) this.digestGets++;
    return super.get(key);
  }

  override async *list(prefix: string, options: ListOptions = {}): AsyncIterable<string> {
    if (prefix.startsWith('digest/')) this.digestLists++;
    for await (const key of super.list(prefix, this.ignoreStartAfter ? {} : options)) {
      if (key.startsWith('digest/')) this.digestKeysListed++;
      yield key;
    }
  }

  resetCounts(): void {
    this.digestLists = 0;
    this.digestKeysListed = 0;
    this.digestGets = 0;
  }
}

const append = (runId: string) => ({
  instance: 'acme',
  runId,
  createdAt: '2026-10-01T07:00:00.000Z',
  objects: [],
  sealed: true,
  fromMs: day0,
});

/** A lake that can tell a key is there without reading it, as S3's HEAD does. */
class ProbingStore extends CountingStore {
  digestProbes = 0;

  async exists(key: string): Promise<boolean> {
    if (key.startsWith('digest/')) this.digestProbes++;
    return this.objects.has(key);
  }
}

/** A chain of `length` sealed digests, appended one after the other. */
async function chainOf<S extends CountingStore = CountingStore>(
  length: number,
  store: S = new CountingStore() as S,
): Promise<S> {
  let head: Awaited<ReturnType<typeof appendDigest>> | undefined;
  for (let n = 0; n < length; n++)
    head = await appendDigest(store, { ...append(`run-${n}`), ...(head ? { head } : {}) });
  store.resetCounts();
  return store;
}

/**
 * The chain of {@link LONG} digests, appended once for the file: most tests start from it, and
 * appending it anew for each of them (14 times) was most of the file's time. A test's copy holds
 * the same objects a fresh append writes (no digest carries a time or a random value).
 */
let longChain: ReadonlyMap<string, StoredObject>;
beforeAll(async () => {
  longChain = new Map((await chainOf(LONG)).objects);
});

/** A fresh store (counts at zero) holding a copy of the long chain; objects are never changed in place. */
function longChainIn<S extends CountingStore = CountingStore>(store: S = new CountingStore() as S): S {
  for (const [key, object] of longChain) store.objects.set(key, object);
  return store;
}

/** The head as a listing of the whole chain gives it (what the ingest did before). */
async function listedHead(store: MemoryObjectStore) {
  const key = (await listDigestKeys(store, 'acme')).at(-1);
  if (key === undefined) return undefined;
  return { key, sha256: sha256Hex(store.objects.get(key)?.body as Uint8Array) };
}

describe('the head of a long digest chain, found without listing it', () => {
  it('lists no digest key before the head', async () => {
    const store = longChainIn();
    const head = await readDigestHead(store, 'acme');
    expect(head?.sequence).toBe(LONG - 1);
    expect(store.digestKeysListed).toBe(0);
    expect(store.digestLists).toBe(1);
  });

  it('reads O(log n) digests to find it', async () => {
    const store = longChainIn();
    await readDigestHead(store, 'acme');
    // 2^11 < 3,000 < 2^12: 13 probes up to 4,096, then 11 halvings between 2,048 and 4,096.
    expect(store.digestGets).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(LONG)) + 2);
  });

  it("reads no digest body but the head's where the store can probe: the first digests are the largest", async () => {
    const store = longChainIn(new ProbingStore());
    const head = await readDigestHead(store, 'acme');
    expect(head?.link).toEqual(await listedHead(store));
    expect(store.digestGets).toBe(1);
    expect(store.digestProbes).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(LONG)) + 2);
    for (const n of [0, 1024, LONG - 1]) store.objects.delete(digestKey('acme', n));
    store.resetCounts();
    expect((await readDigestHead(store, 'acme'))?.link).toEqual(await listedHead(store));
    expect(store.digestGets).toBe(1);
  });

  it('gives the SHA-256 of the head, as a listing does', async () => {
    const store = await chainOf(40);
    expect((await readDigestHead(store, 'acme'))?.link).toEqual(await listedHead(store));
  });

  it('finds the head past digests deleted in the middle, wherever the search meets them', async () => {
    for (const deleted of [
      [0],
      [1],
      [2],
      [512],
      [1024],
      [2048],
      [2999 - 1],
      [3, 4, 5, 1024, 1025, 2048, 2500],
    ]) {
      const store = longChainIn();
      for (const n of deleted) store.objects.delete(digestKey('acme', n));
      expect((await readDigestHead(store, 'acme'))?.link, `deleted ${deleted}`).toEqual(
        await listedHead(store),
      );
    }
  });

  it('a deleted last digest leaves the one before as the head, as a listing does: verify finds the marker', async () => {
    const store = longChainIn();
    store.objects.delete(digestKey('acme', LONG - 1));
    expect((await readDigestHead(store, 'acme'))?.sequence).toBe(LONG - 2);
  });

  it('finds the head on a store that ignores startAfter', async () => {
    const store = await chainOf(1_500);
    store.ignoreStartAfter = true;
    store.objects.delete(digestKey('acme', 1024));
    expect((await readDigestHead(store, 'acme'))?.link).toEqual(await listedHead(store));
  });

  it('finds no head in an empty chain, and one in a chain whose genesis was deleted', async () => {
    const store = await chainOf(3);
    expect(await readDigestHead(new CountingStore(), 'acme')).toBeUndefined();
    store.objects.delete(digestKey('acme', 0));
    expect((await readDigestHead(store, 'acme'))?.sequence).toBe(2);
  });

  it('after losing a number to another run, lists only the digests from that number on', async () => {
    const store = longChainIn();
    const stale = await readDigestHead(store, 'acme');
    let raced = false;
    store.beforePut = async (key) => {
      if (raced || !key.startsWith(digestPrefix('acme'))) return;
      raced = true;
      await appendDigest(store, append('rival'));
    };
    store.resetCounts();
    const ours = await appendDigest(store, { ...append('ours'), ...(stale ? { head: stale } : {}) });
    expect(ours.sequence).toBe(LONG + 1);
    // The rival's search for the head (none listed), then ours: its digest and none before it.
    expect(store.digestKeysListed).toBe(1);
  });

  it('falls back to a full listing when the number said taken is gone', async () => {
    const store = await chainOf(5);
    expect((await readDigestHead(store, 'acme', 7))?.link).toEqual(await listedHead(store));
  });

  it('a scheduled run on a long chain lists no digest key', async () => {
    const store = longChainIn();
    const domo = new MemoryAuditSource(
      Array.from({ length: 12 }, (_, i) => viewEntry(day0 - 3 * HOUR_MS + i * 10 * 60_000, i)),
    );
    await runIngest(quietIngestDeps(domo, store, day0), { ...defaultIngestConfig('acme'), backfillDays: 1 });
    const listed = store.digestKeysListed;
    expect((await listDigestKeys(store, 'acme')).length).toBeGreaterThan(LONG);
    expect(listed).toBe(0);
  });
});

/**
 * A digest missing below the head of the chain (deleted): the alerts find the chain's end past it,
 * as the ingest does, and take the gap for what it is (the changes it listed are unknown, so the
 * login history is folded again), not for the end they would stop at on every later run.
 */
import { describe, expect, it } from 'vitest';
import { digestChainEnd, lakeChangesSince } from '../../../functions/core/alerts/lake-hours.ts';
import { appendDigest, readDigestHead } from '../../../functions/core/lake/digest.ts';
import { digestKey } from '../../../functions/core/lake/layout.ts';
import type { ListOptions, StoredObject } from '../../../functions/core/ports.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

/** A memory store with S3's HEAD, counting the reads of bodies, the probes and the listings. */
class ProbedStore extends MemoryObjectStore {
  gets = 0;
  heads = 0;
  lists = 0;
  override async get(key: string): Promise<StoredObject | undefined> {
    this.gets++;
    return super.get(key);
  }
  async exists(key: string): Promise<boolean> {
    this.heads++;
    return this.objects.has(key);
  }
  override list(prefix: string, options?: ListOptions): AsyncIterable<string> {
    this.lists++;
    return super.list(prefix, options);
  }
  requests(): { gets: number; heads: number; lists: number } {
    const { gets, heads, lists } = this;
    this.gets = 0;
    this.heads = 0;
    this.lists = 0;
    return { gets, heads, lists };
  }
}

async function chain(length: number, store = new ProbedStore()): Promise<ProbedStore> {
  for (let n = 0; n < length; n++) {
    await appendDigest(store, {
      instance: 'acme',
      runId: `r${n}`,
      createdAt: '2026-11-01T12:00:00.000Z',
      objects: [],
      sealed: true,
      fromMs: null,
      head: n === 0 ? undefined : await readDigestHead(store, 'acme'),
    });
  }
  store.requests();
  return store;
}

describe('the digest chain end the alerts read to', () => {
  it('is the one after the head the ingest finds, a gap included, probed without reading bodies', async () => {
    const store = await chain(300);
    store.objects.delete(digestKey('acme', 128));
    expect((await readDigestHead(store, 'acme'))?.sequence).toBe(299);
    store.requests();
    expect(await digestChainEnd(store, 'acme')).toBe(300);
    // HEAD probes and listings: the head's number is in its key, and its hash is the ingest's need.
    expect(store.requests().gets).toBe(0);
    expect(await digestChainEnd(new ProbedStore(), 'acme')).toBe(0);
  });

  it("costs the requests of the ingest's head search but the GET of the head", async () => {
    for (const gap of [undefined, 128]) {
      const store = await chain(300);
      if (gap !== undefined) store.objects.delete(digestKey('acme', gap));
      await readDigestHead(store, 'acme');
      const ingest = store.requests();
      expect(await digestChainEnd(store, 'acme'), `gap ${gap}`).toBe(300);
      expect(store.requests(), `gap ${gap}`).toEqual({ ...ingest, gets: ingest.gets - 1 });
      expect(ingest.gets, `gap ${gap}`).toBe(1);
    }
  });

  it('reads past a deleted digest, incomplete, and on from the end next time', async () => {
    const store = await chain(300);
    store.objects.delete(digestKey('acme', 128));
    for (const from of [128, 100]) {
      const changes = await lakeChangesSince(store, 'acme', from);
      expect(changes.next, `from ${from}`).toBe(300);
      expect(changes.incomplete, `from ${from}`).toMatch(/digest 128 is missing from the chain/);
    }
    expect(await lakeChangesSince(store, 'acme', undefined)).toEqual({
      versions: new Map(),
      pulled: new Set(),
      pulledIn: new Map(),
      next: 300,
    });
    expect(await lakeChangesSince(store, 'acme', 300)).toEqual({
      versions: new Map(),
      pulled: new Set(),
      pulledIn: new Map(),
      next: 300,
    });
    // The digest before `from` is probed, not read.
    store.gets = 0;
    await lakeChangesSince(store, 'acme', 300);
    expect(store.gets).toBe(1);
  });

  it('takes a digest written while it looked for the end for the end, not a gap', async () => {
    const store = await chain(5);
    // Digest 5 is written (and 6 after it) between the read that missed it and the listing.
    const hidden = digestKey('acme', 5);
    let missedOnce = false;
    const racing = Object.assign(Object.create(store) as ProbedStore, {
      get: async (key: string) => {
        if (key === hidden && !missedOnce) {
          missedOnce = true;
          await chain(7, store);
          return undefined;
        }
        return store.get(key);
      },
    });
    expect(await lakeChangesSince(racing, 'acme', 3)).toEqual({
      versions: new Map(),
      pulled: new Set(),
      pulledIn: new Map(),
      next: 5,
    });
  });
});

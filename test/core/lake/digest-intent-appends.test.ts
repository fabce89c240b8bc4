/**
 * Each put waits until a digest of its run lists its bytes (`intents`). What that costs: the append
 * of the intents is the write's only wait on the chain (no probe for a seal first: the append lands
 * after any seal there is, which keeps the run open as the probe would), and puts that come while
 * an append is in flight share the next one.
 */
import { describe, expect, it } from 'vitest';
import { decodeDigest } from '../../../functions/core/lake/digest.ts';
import { DigestRecorder } from '../../../functions/core/lake/digest-recorder.ts';
import { activityKey, digestPrefix } from '../../../functions/core/lake/layout.ts';
import type { ObjectStore } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const hour = (h: number) => day0 + h * HOUR_MS;
const body = (text: string) => new TextEncoder().encode(text);
const digests = digestPrefix('acme');

async function keysOf(store: ObjectStore, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of store.list(prefix)) keys.push(key);
  return keys;
}

/** A store that counts the GETs and PUTs of digests, and can hold digest PUTs until released. */
function watchedStore(lake: MemoryObjectStore) {
  const counts = { digestGets: 0, digestPuts: 0 };
  let hold: Promise<void> | undefined;
  const store: ObjectStore = {
    location: lake.location,
    get: async (key) => {
      if (key.startsWith(digests)) counts.digestGets++;
      return lake.get(key);
    },
    list: (prefix) => lake.list(prefix),
    put: async (key, bytes, options) => {
      if (key.startsWith(digests)) {
        counts.digestPuts++;
        if (hold) await hold;
      }
      return lake.put(key, bytes, options);
    },
  };
  return {
    store,
    counts,
    holdDigestPuts: () => {
      let release = () => {};
      hold = new Promise<void>((resolve) => {
        release = resolve;
      });
      return () => {
        hold = undefined;
        release();
      };
    },
  };
}

const recorderOn = (store: ObjectStore) => {
  const recorder = new DigestRecorder(store, {
    instance: 'acme',
    runId: 'run-1',
    clock: { now: () => hour(6) },
  });
  recorder.begin(hour(0), hour(6));
  return recorder;
};

describe('the intents of a run', () => {
  it('cost one append per write made alone, and no GET of the chain', async () => {
    const lake = new MemoryObjectStore();
    const watched = watchedStore(lake);
    const recorder = recorderOn(watched.store);
    await recorder.put(activityKey('acme', hour(0)), body('first'));
    const before = { ...watched.counts };
    await recorder.put(activityKey('acme', hour(1)), body('second'));
    expect(watched.counts.digestGets - before.digestGets).toBe(0);
    expect(watched.counts.digestPuts - before.digestPuts).toBe(1);
  });

  it('of puts made while an append is in flight share the next append', async () => {
    const lake = new MemoryObjectStore();
    const watched = watchedStore(lake);
    const recorder = recorderOn(watched.store);
    await recorder.put(activityKey('acme', hour(0)), body('opening'));
    const appendsBefore = (await keysOf(lake, digests)).length;
    const release = watched.holdDigestPuts();
    const first = recorder.put(activityKey('acme', hour(1)), body('one'));
    // Let the first put reach its append before the others come.
    for (let i = 0; i < 10; i++) await Promise.resolve();
    const others = [2, 3, 4, 5].map((h) => recorder.put(activityKey('acme', hour(h)), body(`h${h}`)));
    for (let i = 0; i < 10; i++) await Promise.resolve();
    release();
    await Promise.all([first, ...others]);
    const added = (await keysOf(lake, digests)).slice(appendsBefore);
    // The first put's append, then at most one for the four that waited on it.
    expect(added.length).toBeLessThanOrEqual(2);
    const listed = new Set<string>();
    for (const key of added) {
      const digest = decodeDigest(key, (await lake.get(key))?.body ?? new Uint8Array());
      for (const intent of digest.intents ?? []) listed.add(intent.key);
    }
    for (const h of [1, 2, 3, 4, 5]) expect(listed).toContain(activityKey('acme', hour(h)));
  });
});

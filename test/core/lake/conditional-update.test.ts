import { describe, expect, it } from 'vitest';
import {
  type ConditionalUpdate,
  updateConditionally,
  type VersionedState,
} from '../../../functions/core/lake/conditional-update.ts';
import { PreconditionFailedError, type StoredObject } from '../../../functions/core/ports.ts';
import { InFlight409Store } from '../../support/in-flight-409-store.ts';
import { Landed412Store } from '../../support/landed-412-store.ts';
import { LostRaceStore } from '../../support/lost-race-store.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

const key = 'state/instance=acme/counter.json';
const text = (body: Uint8Array) => new TextDecoder().decode(body);
const bytes = (s: string) => new TextEncoder().encode(s);

/** An update that adds one to a stored counter, or leaves it alone past `max`. */
function increment(max = Number.POSITIVE_INFINITY): ConditionalUpdate<number, string> {
  return {
    maxAttempts: 3,
    stateOf: (stored) => (stored ? Number(text(stored.body)) : 0),
    decide: ({ state }) =>
      state >= max
        ? { write: false, result: `kept ${state}` }
        : {
            write: true,
            body: bytes(String(state + 1)),
            contentType: 'text/plain',
            result: (etag) => `wrote ${state + 1} ${etag}`,
          },
    giveUp: (attempts) => `gave up after ${attempts}`,
  };
}

/** `update`, counting its decisions. */
function countingDecisions(update: ConditionalUpdate<number, string>) {
  let decisions = 0;
  const counted = {
    ...update,
    decide: (current: VersionedState<number>) => {
      decisions++;
      return update.decide(current);
    },
  };
  return { update: counted, decisions: () => decisions };
}

describe('updateConditionally', () => {
  it('creates a missing object create-only and replaces an existing one on its ETag', async () => {
    const store = new MemoryObjectStore();
    expect(await updateConditionally(store, key, increment())).toMatch(/^wrote 1 "/);
    expect(store.puts[0]?.options).toEqual({ ifNoneMatch: '*', contentType: 'text/plain' });
    const etag = (await store.get(key))?.etag;
    await updateConditionally(store, key, increment());
    expect(store.puts[1]?.options).toEqual({ ifMatch: etag, contentType: 'text/plain' });
    expect(text((await store.get(key))?.body ?? bytes(''))).toBe('2');
  });

  it('writes nothing when the decision is to keep the object', async () => {
    const store = new MemoryObjectStore();
    store.putNow(key, bytes('5'));
    expect(await updateConditionally(store, key, increment(5))).toBe('kept 5');
    expect(store.puts).toHaveLength(0);
  });

  it("decides again on a fresh read after losing a race, so the other writer's change is kept", async () => {
    const store = new MemoryObjectStore();
    store.putNow(key, bytes('1'));
    store.beforePut = (_key, n) => {
      if (n === 1) store.putNow(key, bytes('10'));
    };
    expect(await updateConditionally(store, key, increment())).toMatch(/^wrote 11 /);
    expect(text((await store.get(key))?.body ?? bytes(''))).toBe('11');
  });

  it('takes a put that landed but was answered 412 as its own: the result at the ETag read, decided once', async () => {
    const store = new Landed412Store().arm(key);
    store.putNow(key, bytes('1'));
    let decisions = 0;
    const update = increment();
    const counted = {
      ...update,
      decide: (current: VersionedState<number>) => {
        decisions++;
        return update.decide(current);
      },
    };
    const etag = await updateConditionally(store, key, counted);
    expect(store.landed412).toEqual([key]);
    expect(etag).toBe(`wrote 2 ${(await store.get(key))?.etag}`);
    expect(decisions).toBe(1);
    expect(store.puts).toHaveLength(1);
  });

  it('takes another writer that put the very same bytes first as this write: the object holds what it decided', async () => {
    const store = new MemoryObjectStore();
    store.putNow(key, bytes('1'));
    store.beforePut = (_key, n) => {
      if (n === 1) store.putNow(key, bytes('2'));
    };
    expect(await updateConditionally(store, key, increment())).toBe(
      `wrote 2 ${(await store.get(key))?.etag}`,
    );
    expect(store.puts).toHaveLength(1);
  });

  it('puts the same decision again after a 409 that left the object as read: its first try lands meanwhile, decided once', async () => {
    const store = new InFlight409Store().arm(key, 1);
    store.putNow(key, bytes('1'));
    const { update, decisions } = countingDecisions(increment());
    expect(await updateConditionally(store, key, update)).toBe(`wrote 2 ${(await store.get(key))?.etag}`);
    expect(store.conflicted).toEqual([key]);
    expect(decisions()).toBe(1);
    expect(text((await store.get(key))?.body ?? bytes(''))).toBe('2');
  });

  it("decides again when another writer's put was the one in flight, on what it stored", async () => {
    const store = new InFlight409Store().arm(key, 1);
    const first = store.putNow(key, bytes('1'));
    await store.put(key, bytes('10'), { ifMatch: first.etag }).catch(() => undefined);
    const { update, decisions } = countingDecisions(increment());
    expect(await updateConditionally(store, key, update)).toMatch(/^wrote 11 /);
    expect(decisions()).toBe(2);
  });

  it('re-puts within maxAttempts, and decides again on the unchanged read when told not to re-put', async () => {
    for (const [retryUnchanged, expected] of [
      [undefined, 1],
      [false, 3],
    ] as const) {
      const store = new InFlight409Store().arm(key, 99);
      store.putNow(key, bytes('1'));
      const { update, decisions } = countingDecisions({ ...increment(), retryUnchanged });
      await expect(updateConditionally(store, key, update)).rejects.toThrow('gave up after 3');
      expect(decisions()).toBe(expected);
      expect(store.puts).toHaveLength(3);
    }
  });

  // The decision after a 409 that left the object as read was made on the check's read: a first
  // try landing just after that read went unseen, and the week claim failed undecided.
  it('decides again on a fresh read after a 409 that left the object as read, with retryUnchanged false', async () => {
    // The first try, in flight, lands once the check after the 409 has been answered.
    const store = new InFlight409Store().arm(key, 1);
    store.putNow(key, bytes('1'));
    const seen: number[] = [];
    const update: ConditionalUpdate<number, string> = {
      ...increment(),
      retryUnchanged: false,
      decide: (current) => {
        seen.push(current.state);
        return current.state === 1
          ? { write: true, body: bytes('2'), contentType: 'text/plain', result: (etag) => `wrote 2 ${etag}` }
          : { write: false, result: `found ${current.state}` };
      },
    };
    expect(await updateConditionally(store, key, update)).toBe('found 2');
    expect(seen).toEqual([1, 2]);
    expect(store.conflicted).toEqual([key]);
  });

  it('uses the initial state instead of a first read', async () => {
    const store = new LostRaceStore();
    let reads = 0;
    const update = increment();
    const counted = {
      ...update,
      stateOf: (stored: StoredObject | undefined) => {
        reads++;
        return update.stateOf(stored);
      },
      initial: { state: 41, etag: null },
    };
    expect(await updateConditionally(store, key, counted)).toMatch(/^wrote 42 /);
    expect(reads).toBe(0);
    expect(store.gets).toEqual([]);
  });

  // The state is made from the read after a lost race only when a decision follows: after the last
  // lost race none does, and making it anyway costs a decode of the object (megabytes of gzip for an
  // hour) or, for the ingest's manifest, a merge of the hour's objects again.
  it('makes the state once per decision: not after the last lost race', async () => {
    const store = new LostRaceStore();
    store.putNow(key, bytes('1'));
    store.beforePut = () => {
      store.putNow(key, bytes(String(Math.random())));
    };
    let states = 0;
    const update = increment();
    const counted = countingDecisions({
      ...update,
      stateOf: (stored: StoredObject | undefined) => {
        states++;
        return update.stateOf(stored);
      },
    });
    await expect(updateConditionally(store, key, counted.update)).rejects.toThrow('gave up after 3');
    expect(counted.decisions()).toBe(3);
    expect(states).toBe(3);
    expect(store.gets).toEqual([key, key, key, key]);
  });

  // The week claim's settle words what the marker held from these: a read handed on by a store
  // decorator (the digest recorder's read-back) is a read of the object too, though no GET is made.
  it("tells `seen` each read and refused put in order, a decorator's read-back included", async () => {
    const store = new LostRaceStore();
    store.putNow(key, bytes('1'));
    const put = store.put.bind(store);
    let refused = false;
    store.put = async (putKey, body, options) => {
      if (refused) return put(putKey, body, options);
      refused = true;
      // Another writer got there first, and the decorator read its object back after the refusal.
      const other = store.putNow(key, bytes('10'));
      throw new PreconditionFailedError(key, { found: { body: bytes('10'), etag: other.etag } });
    };
    const seen: string[] = [];
    const decided: number[] = [];
    const update: ConditionalUpdate<number, string> = {
      ...increment(),
      decide: (current) => {
        decided.push(current.state);
        return increment().decide(current);
      },
      seen: (news) => {
        seen.push('refused' in news ? 'refused' : `read ${text(news.found?.body ?? bytes(''))}`);
      },
    };
    expect(await updateConditionally(store, key, update)).toMatch(/^wrote 11 /);
    expect(seen).toEqual(['read 1', 'refused', 'read 10']);
    expect(decided).toEqual([1, 10]);
    // The read-back saved the GET: only the first read went to the store.
    expect(store.gets).toEqual([key]);
  });

  it('gives up after maxAttempts lost races with the conflict as the cause', async () => {
    const store = new MemoryObjectStore();
    store.beforePut = () => {
      store.putNow(key, bytes(String(Math.random())));
    };
    const error = await updateConditionally(store, key, increment()).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('gave up after 3');
    expect((error as Error).cause).toBeInstanceOf(PreconditionFailedError);
    expect(store.puts).toHaveLength(3);
  });

  it('passes other write errors through at once and refuses a bad maxAttempts', async () => {
    const store = new MemoryObjectStore();
    store.beforePut = () => {
      throw new Error('disk full');
    };
    await expect(updateConditionally(store, key, increment())).rejects.toThrow('disk full');
    expect(store.puts).toHaveLength(1);
    await expect(updateConditionally(store, key, { ...increment(), maxAttempts: 0 })).rejects.toThrow(
      /maxAttempts must be a positive integer/,
    );
  });
});

import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { READS_HELD, READS_IN_FLIGHT, readAhead } from '../../../functions/core/lake/read-ahead.ts';
import { deferred } from '../../support/deferred.ts';

const items = Array.from({ length: 100 }, (_, i) => i);
/** Each read ends after a few milliseconds, later ones often first. */
const read = (i: number) => new Promise<number>((resolve) => setTimeout(() => resolve(i * 10), (i * 7) % 5));

describe('readAhead', () => {
  it('hands out the results in the order of the items, however the reads end', async () => {
    const results: number[] = [];
    for await (const result of readAhead(items, read)) results.push(result);
    expect(results).toEqual(items.map((i) => i * 10));
  });

  it('runs at most 16 reads at once and holds at most 64 results ahead, drawing items lazily', async () => {
    let running = 0;
    let mostRunning = 0;
    let drawn = 0;
    let handedOut = 0;
    async function* lazily() {
      for (const item of items) {
        drawn++;
        yield item;
      }
    }
    const counted = async (i: number) => {
      running++;
      mostRunning = Math.max(mostRunning, running);
      try {
        return await read(i);
      } finally {
        running--;
      }
    };
    for await (const _ of readAhead(lazily(), counted)) {
      handedOut++;
      expect(drawn - handedOut).toBeLessThan(READS_HELD);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(mostRunning).toBe(READS_IN_FLIGHT);
    expect(READS_HELD).toBe(64);
  });

  it('goes on reading past a slow read, up to the results it may hold', async () => {
    let finished = 0;
    let finishedBeforeFirst = -1;
    const slowFirst = async (i: number) => {
      // The others end in microtasks, so all that may run do so before the slow one's timer fires,
      // however loaded the machine.
      await (i === 0 ? new Promise((resolve) => setTimeout(resolve, 20)) : Promise.resolve());
      if (i === 0) finishedBeforeFirst = finished;
      finished++;
      return i;
    };
    const results: number[] = [];
    for await (const result of readAhead(items, slowFirst)) results.push(result);
    expect(results).toEqual(items);
    // One read at a time behind the slow one would have finished only the 15 started with it.
    expect(finishedBeforeFirst).toBe(READS_HELD - 1);
  });

  it('fails as soon as a read fails, not in its turn, and starts no read after it', async () => {
    const events: string[] = [];
    const failing = async (i: number) => {
      events.push(`start ${i}`);
      // Item 0 is slow: the failure of item 5 is known long before its turn.
      if (i === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      if (i !== 5) return i;
      events.push('failed');
      throw new Error('GET 5 failed');
    };
    const results: number[] = [];
    await expect(async () => {
      for await (const result of readAhead(items, failing)) results.push(result);
    }).rejects.toThrow('GET 5 failed');
    // In turn, it had waited for item 0 and read 64 items ahead meanwhile.
    expect(results).toEqual([]);
    expect(events.slice(events.indexOf('failed'))).toEqual(['failed']);
  });

  it('stops the reads in flight: their signal aborts with the failure', async () => {
    const signals: AbortSignal[] = [];
    const stopped: number[] = [];
    const failing = async (i: number, stop: AbortSignal) => {
      signals.push(stop);
      if (i === 3) throw new Error('GET 3 failed');
      await new Promise((resolve) => setTimeout(resolve, 5));
      // What a read of several objects does before its next GET; its failure is dropped.
      if (stop.aborted) stopped.push(i);
      stop.throwIfAborted();
      return i;
    };
    await expect(async () => {
      for await (const _ of readAhead(items, failing));
    }).rejects.toThrow('GET 3 failed');
    expect(signals.every((signal) => signal.aborted && signal.reason.message === 'GET 3 failed')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 10));
    // Every read started but the failed one: each was in flight when it failed.
    expect(stopped).toEqual(signals.map((_, i) => i).filter((i) => i !== 3));
    expect(stopped.length).toBeGreaterThanOrEqual(3);
  });

  it('reports the first failure: later ones are dropped, and none is an unhandled rejection', async () => {
    const failing = async (i: number) => {
      if (i === 9) throw new Error('GET 9 failed');
      await new Promise((resolve) => setTimeout(resolve, 1));
      throw new Error(`GET ${i} failed`);
    };
    await expect(async () => {
      for await (const _ of readAhead(items, failing));
    }).rejects.toThrow('GET 9 failed');
    // The 15 others fail after the iteration ended; vitest fails the run on an unhandled rejection.
    await new Promise((resolve) => setTimeout(resolve, 10));
  });

  it('fails as soon as the listing of the items fails, with no read started after', async () => {
    let started = 0;
    async function* failingListing() {
      yield* items.slice(0, 5);
      throw new Error('LIST failed');
    }
    const slowFirst = async (i: number) => {
      started++;
      await new Promise((resolve) => setTimeout(resolve, i === 0 ? 20 : 0));
      return i;
    };
    const results: number[] = [];
    await expect(async () => {
      for await (const result of readAhead(failingListing(), slowFirst)) results.push(result);
    }).rejects.toThrow('LIST failed');
    expect(results).toEqual([]);
    expect(started).toBe(5);
  });

  it('stops the reads in flight when the consumer stops, and closes the listing', async () => {
    let signal: AbortSignal | undefined;
    let closed = false;
    async function* listing() {
      try {
        yield* items;
      } finally {
        closed = true;
      }
    }
    for await (const _ of readAhead(listing(), async (i: number, stop: AbortSignal) => {
      signal = stop;
      return i;
    }))
      break;
    expect(signal?.aborted).toBe(true);
    expect(closed).toBe(true);
  });

  it('fails at once while the listing is asked for an item, and closes the listing once it answers', async () => {
    const events: string[] = [];
    const answer = deferred();
    let listingStop: AbortSignal | undefined;
    // A listing of coverage keys walking empty days: one LIST a day before its next item.
    const listing = (stop: AbortSignal) => {
      listingStop = stop;
      return (async function* () {
        try {
          yield* [0, 1, 2];
          await answer.promise;
          events.push('listing answered');
          yield 3;
        } finally {
          events.push('listing closed');
        }
      })();
    };
    const failing = async (i: number) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (i === 1) throw new Error('GET 1 failed');
      return i;
    };
    const iteration = (async () => {
      for await (const _ of readAhead(listing, failing));
    })().catch((error: Error) => {
      events.push(`failed: ${error.message}`);
    });
    // The listing answers long after the failure (in turn, the failure waited for it).
    setTimeout(answer.resolve, 30);
    await iteration;
    expect(events).toEqual(['failed: GET 1 failed']);
    expect(listingStop?.reason).toEqual(new Error('GET 1 failed'));
    await answer.promise;
    await new Promise((resolve) => setTimeout(resolve, 1));
    expect(events).toEqual(['failed: GET 1 failed', 'listing answered', 'listing closed']);
  });

  it('drops the failure of a listing abandoned at a failure: no unhandled rejection', async () => {
    const gate = deferred();
    async function* listing(stop: AbortSignal) {
      yield 0;
      await gate.promise;
      // What coverageKeys does before its next LIST once stopped.
      stop.throwIfAborted();
      yield 1;
    }
    setTimeout(gate.resolve, 5);
    await expect(async () => {
      for await (const _ of readAhead(listing, async () => Promise.reject(new Error('GET 0 failed'))));
    }).rejects.toThrow('GET 0 failed');
    // vitest fails the run on an unhandled rejection.
    await new Promise((resolve) => setTimeout(resolve, 10));
  });

  it('once a failure is known (its signal aborts), draws no item and starts no read, however late in a step it comes', async () => {
    const microtasks = async (count: number) => {
      for (let i = 0; i < count; i++) await Promise.resolve();
    };
    for (const kind of ['sync', 'async'] as const) {
      for (let hops = 0; hops < 12; hops++) {
        const events: string[] = [];
        function* sync() {
          for (const item of items) {
            events.push(`drawn ${item}`);
            yield item;
          }
        }
        async function* lazily() {
          yield* sync();
        }
        let watched = false;
        const failing = async (i: number, stop: AbortSignal) => {
          if (!watched) stop.addEventListener('abort', () => events.push('aborted'));
          watched = true;
          events.push(`start ${i}`);
          // Item 2 fails some microtasks in: while the next item is drawn, or as it is answered.
          await microtasks(i === 2 ? hops : 50);
          if (i === 2) throw new Error('GET 2 failed');
          return i;
        };
        await expect(async () => {
          for await (const _ of readAhead(kind === 'sync' ? sync() : lazily(), failing));
        }).rejects.toThrow('GET 2 failed');
        const after = events.slice(events.indexOf('aborted') + 1);
        expect({ kind, hops, after }).toEqual({ kind, hops, after: [] });
      }
    }
  });

  it('fails a read that throws before it returns a promise as one that rejects', async () => {
    const signals: AbortSignal[] = [];
    const throwing = (i: number, stop: AbortSignal) => {
      signals.push(stop);
      if (i === 3) throw new Error('read 3 failed');
      return new Promise<number>((resolve) => setTimeout(() => resolve(i), 5));
    };
    await expect(async () => {
      for await (const _ of readAhead(items, throwing));
    }).rejects.toThrow('read 3 failed');
    expect(signals[0]?.reason).toEqual(new Error('read 3 failed'));
  });
});

describe('readAhead memory', () => {
  it('holds no item it has handed on: a long listing is never kept whole', async () => {
    // A collection on demand, as --expose-gc gives it, to see which items are still held.
    v8.setFlagsFromString('--expose-gc');
    const collect = vm.runInNewContext('gc') as () => void;
    const drawn: WeakRef<object>[] = [];
    async function* listing() {
      for (let i = 0; i < 400; i++) {
        const item = { i, padding: 'x'.repeat(64) };
        drawn.push(new WeakRef(item));
        yield item;
      }
    }
    let stillHeld = -1;
    for await (const index of readAhead(listing(), async (item) => item.i)) {
      if (index !== 300) continue;
      await new Promise((resolve) => setImmediate(resolve));
      collect();
      // The first 200 were read and handed on long ago: nothing should hold them now.
      stillHeld = drawn.slice(0, 200).filter((ref) => ref.deref() !== undefined).length;
    }
    expect(stillHeld).toBe(0);
  });
});

describe('readAhead closing an abandoned listing', () => {
  it('throws the first failure though the listing it stopped waiting on throws as it is closed', async () => {
    let asked = 0;
    const listing: AsyncIterator<number> & AsyncIterable<number> = {
      [Symbol.asyncIterator]() {
        return this;
      },
      // The first item at once; the second never comes, as a LIST that hangs.
      next: () => (asked++ === 0 ? Promise.resolve({ value: 0, done: false }) : new Promise(() => {})),
      return: () => {
        throw new Error('return() threw');
      },
    };
    const reading = (async () => {
      for await (const _ of readAhead(listing, async () => Promise.reject(new Error('GET refused')))) {
        // Nothing is handed on: the only read fails.
      }
    })();
    await expect(reading).rejects.toThrow('GET refused');
  });
});

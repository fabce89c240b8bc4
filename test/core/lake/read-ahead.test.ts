import { describe, expect, it } from 'vitest';
import { READS_HELD, READS_IN_FLIGHT, readAhead } from '../../../functions/core/lake/read-ahead.ts';

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

  it('fails a listing in turn: the results of the items it gave first are handed out first', async () => {
    async function* failingListing() {
      yield* items.slice(0, 30);
      throw new Error('LIST failed');
    }
    const results: number[] = [];
    await expect(async () => {
      for await (const result of readAhead(failingListing(), read)) results.push(result);
    }).rejects.toThrow('LIST failed');
    expect(results).toEqual(items.slice(0, 30).map((i) => i * 10));
  });

  it('fails in turn: the results before a failed read are handed out first', async () => {
    const results: number[] = [];
    const failing = (i: number) => (i === 40 ? Promise.reject(new Error('GET 40 failed')) : read(i));
    await expect(async () => {
      for await (const result of readAhead(items, failing)) results.push(result);
    }).rejects.toThrow('GET 40 failed');
    expect(results).toEqual(items.slice(0, 40).map((i) => i * 10));
  });
});

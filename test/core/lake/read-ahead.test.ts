import { describe, expect, it } from 'vitest';
import { READS_IN_FLIGHT, readAhead } from '../../../functions/core/lake/read-ahead.ts';

const items = Array.from({ length: 100 }, (_, i) => i);
/** Each read ends after a few milliseconds, later ones often first. */
const read = (i: number) => new Promise<number>((resolve) => setTimeout(() => resolve(i * 10), (i * 7) % 5));

describe('readAhead', () => {
  it('hands out the results in the order of the items, however the reads end', async () => {
    const results: number[] = [];
    for await (const result of readAhead(items, read)) results.push(result);
    expect(results).toEqual(items.map((i) => i * 10));
  });

  it('holds at most 16 reads ahead of the result handed out, drawing items lazily', async () => {
    let started = 0;
    let drawn = 0;
    let handedOut = 0;
    let mostAhead = 0;
    async function* lazily() {
      for (const item of items) {
        drawn++;
        yield item;
      }
    }
    const counted = (i: number) => {
      started++;
      mostAhead = Math.max(mostAhead, started - handedOut);
      return read(i);
    };
    for await (const _ of readAhead(lazily(), counted)) {
      handedOut++;
      expect(drawn - handedOut).toBeLessThan(READS_IN_FLIGHT);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(mostAhead).toBe(READS_IN_FLIGHT);
  });

  it('fails in turn: the results before a failed read are handed out first', async () => {
    const results: number[] = [];
    const failing = (i: number) => (i === 40 ? Promise.reject(new Error('GET 40 failed')) : read(i));
    await expect(async () => {
      for await (const result of readAhead(items, failing)) results.push(result);
    }).rejects.toThrow('GET 40 failed');
    expect(results).toEqual(items.slice(0, 40).map((i) => i * 10));
  });

  it('starts no read once told to stop, and hands out those started', async () => {
    let started = 0;
    const results: number[] = [];
    const counted = (i: number) => {
      started++;
      return read(i);
    };
    const reads = readAhead(items, counted, { stop: () => started >= 20 });
    for await (const result of reads) results.push(result);
    expect(started).toBe(20);
    expect(results).toEqual(items.slice(0, 20).map((i) => i * 10));
  });
});

import { describe, expect, it } from 'vitest';
import { oldestFirstLimiter } from '../../../functions/core/domo/oldest-first-limiter.ts';
import type { RateLimiter } from '../../../functions/core/domo/rate-limiter.ts';

/** A pace driven by hand: each `release` lets the first caller of `acquire` still waiting through. */
function handPace(): RateLimiter & { release(): Promise<void>; calls: number } {
  const queue: (() => void)[] = [];
  const pace = {
    calls: 0,
    acquire(signal?: AbortSignal): Promise<void> {
      pace.calls++;
      return new Promise<void>((resolve, reject) => {
        queue.push(resolve);
        signal?.addEventListener('abort', () => {
          queue.splice(queue.indexOf(resolve), 1);
          reject(signal.reason);
        });
      });
    },
    async release(): Promise<void> {
      queue.shift()?.();
      for (let i = 0; i < 5; i++) await Promise.resolve();
    },
  };
  return pace;
}

describe('the oldest-first limiter', () => {
  it('hands each slot to the waiting request asking for the oldest time, one without a time first', async () => {
    const pace = handPace();
    const limiter = oldestFirstLimiter(pace);
    const order: string[] = [];
    const ask = (name: string, priority?: number) =>
      limiter.acquire(undefined, priority).then(() => order.push(name));
    const all = [ask('first', 300), ask('newest', 400), ask('older', 200), ask('oldest', 100), ask('token')];
    // Each asks the pace for a slot, as without the limiter: the pace is the pacer's own.
    expect(pace.calls).toBe(5);
    for (let i = 0; i < 5; i++) await pace.release();
    await Promise.all(all);
    expect(order).toEqual(['token', 'oldest', 'older', 'first', 'newest']);
  });

  it('keeps the order of equal times, and drops a waiter whose signal aborts', async () => {
    const pace = handPace();
    const limiter = oldestFirstLimiter(pace);
    const order: string[] = [];
    const aborted = new AbortController();
    const held = limiter.acquire(undefined, 1).then(() => order.push('held'));
    const gone = limiter.acquire(aborted.signal, 0);
    const a = limiter.acquire(undefined, 5).then(() => order.push('a'));
    const b = limiter.acquire(undefined, 5).then(() => order.push('b'));
    aborted.abort(new Error('run over'));
    await expect(gone).rejects.toThrow('run over');
    for (let i = 0; i < 3; i++) await pace.release();
    await Promise.all([held, a, b]);
    expect(order).toEqual(['held', 'a', 'b']);
    expect(pace.calls).toBe(4);
  });
});

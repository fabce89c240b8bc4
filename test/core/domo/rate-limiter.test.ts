import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../../functions/core/domo/rate-limiter.ts';
import { fakeTime } from './support/fake-time.ts';

describe('createRateLimiter', () => {
  it('spaces back-to-back requests 1000 / rps ms apart', async () => {
    const time = fakeTime();
    const limiter = createRateLimiter({ requestsPerSecond: 5, ...time });
    for (let i = 0; i < 4; i++) await limiter.acquire();
    expect(time.sleeps).toEqual([200, 200, 200]);
  });

  it('queues concurrent callers in call order', async () => {
    const time = fakeTime({ sleepMovesClock: false });
    const limiter = createRateLimiter({ requestsPerSecond: 4, ...time });
    await Promise.all([limiter.acquire(), limiter.acquire(), limiter.acquire()]);
    expect(time.sleeps).toEqual([250, 500]);
  });

  it('lets a request through at once after an idle gap, and only waits out the rest of a slot', async () => {
    const time = fakeTime();
    const limiter = createRateLimiter({ requestsPerSecond: 2, ...time });
    await limiter.acquire();
    time.advance(5000);
    await limiter.acquire();
    time.advance(200);
    await limiter.acquire();
    expect(time.sleeps).toEqual([300]);
  });

  it('does not wait at all when the rate is Infinity', async () => {
    const time = fakeTime();
    const limiter = createRateLimiter({ requestsPerSecond: Number.POSITIVE_INFINITY, ...time });
    for (let i = 0; i < 3; i++) await limiter.acquire();
    expect(time.sleeps).toEqual([]);
  });

  it('rejects with the abort reason when the caller gives up', async () => {
    const time = fakeTime();
    const limiter = createRateLimiter({ requestsPerSecond: 1, ...time });
    const controller = new AbortController();
    controller.abort(new Error('run cancelled'));
    await expect(limiter.acquire(controller.signal)).rejects.toThrow('run cancelled');
  });

  it('refuses a rate that is not positive', () => {
    const time = fakeTime();
    expect(() => createRateLimiter({ requestsPerSecond: 0, ...time })).toThrow(RangeError);
    expect(() => createRateLimiter({ requestsPerSecond: Number.NaN, ...time })).toThrow(/requestsPerSecond/);
  });

  it('rounds a fractional spacing up, so the rate is never exceeded by a fraction of a millisecond', async () => {
    const time = fakeTime({ sleepMovesClock: false });
    const limiter = createRateLimiter({ requestsPerSecond: 3, ...time });
    for (let i = 0; i < 3; i++) await limiter.acquire();
    expect(time.sleeps).toEqual([334, 667]);
  });
});

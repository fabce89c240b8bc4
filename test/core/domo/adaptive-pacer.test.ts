import { describe, expect, it } from 'vitest';
import { createAdaptivePacer } from '../../../functions/core/domo/adaptive-pacer.ts';
import { createAuditClient } from '../../../functions/core/domo/audit-client.ts';
import type { Sleep } from '../../../functions/core/domo/sleep.ts';
import { fakeTime } from './support/fake-time.ts';

/** Virtual time: `sleep` waits for the scheduler, which jumps to the next timer once all else is idle. */
function virtualTime() {
  let now = 0;
  let seq = 0;
  const timers: { at: number; seq: number; resolve: () => void }[] = [];
  const sleep: Sleep = (ms, signal) => {
    signal?.throwIfAborted();
    return new Promise<void>((resolve) => timers.push({ at: now + Math.max(0, ms), seq: seq++, resolve }));
  };
  const idle = () => new Promise<void>((resolve) => setImmediate(resolve));
  async function run<T>(work: Promise<T>): Promise<T> {
    let done = false;
    work.then(
      () => (done = true),
      () => (done = true),
    );
    while (!done) {
      await idle();
      if (done) break;
      timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = timers.shift();
      if (!next) throw new Error('nothing left to run: deadlock');
      now = Math.max(now, next.at);
      next.resolve();
    }
    return work;
  }
  return { clock: { now: () => now }, sleep, run };
}

/** A Domo that allows `limit` requests per second (sliding window, token endpoint included), 429 above. */
function throttlingDomo(time: ReturnType<typeof virtualTime>, limit: number, latencyMs: number) {
  const accepted: number[] = [];
  const counts = { requests: 0, throttled: 0, pages: 0 };
  const fetch = async (url: string) => {
    counts.requests++;
    const arrived = time.clock.now();
    while (accepted.length > 0 && (accepted[0] as number) <= arrived - 1000) accepted.shift();
    await time.sleep(latencyMs);
    if (accepted.length >= limit) {
      counts.throttled++;
      return new Response('{"status":429}', { status: 429, headers: { 'Retry-After': '1' } });
    }
    accepted.push(arrived);
    if (url.includes('/oauth/token')) return Response.json({ access_token: 'tok', expires_in: 3600 });
    counts.pages++;
    return new Response('[]');
  };
  return { fetch, counts };
}

describe('createAdaptivePacer', () => {
  it('starts unpaced, cuts to 0.8x the rate sent on a 429 once per round, then grows by 1 req/s per second', async () => {
    const time = fakeTime({ start: 0, sleepMovesClock: false });
    const pacer = createAdaptivePacer(time);
    for (let i = 0; i < 20; i++) await pacer.acquire();
    expect(time.sleeps).toEqual([]);
    expect(pacer.rate()).toBe(Number.POSITIVE_INFINITY);
    time.advance(10);
    pacer.record({ status: 429, sentAt: 5, latencyMs: 5 });
    expect(pacer.rate()).toBe(16);
    pacer.record({ status: 503, sentAt: 6, latencyMs: 4 }); // sent before the cut: same round
    expect(pacer.rate()).toBe(16);
    for (let i = 0; i < 16; i++) pacer.record({ status: 200, sentAt: 20, latencyMs: 5 });
    expect(pacer.rate()).toBeCloseTo(17, 0);
    await pacer.acquire();
    await pacer.acquire();
    expect(time.sleeps.at(-1)).toBeGreaterThan(50);
  });

  it('backs off on rising latency, never above its ceiling', () => {
    const time = fakeTime({ start: 0 });
    const pacer = createAdaptivePacer({ ...time, maxRequestsPerSecond: 10 });
    pacer.record({ status: 200, sentAt: 0, latencyMs: 40 });
    expect(pacer.rate()).toBe(10);
    time.advance(1);
    pacer.record({ status: 200, sentAt: 1, latencyMs: 2000 });
    expect(pacer.rate()).toBeLessThan(10);
    expect(() => createAdaptivePacer({ ...time, maxRequestsPerSecond: 0 })).toThrow(/requestsPerSecond/);
  });
});

describe('the audit client against a server allowing 20 req/s (issue 9, item 1)', () => {
  it('keeps >= 80 % of 20 req/s with <= 10 % of requests answered 429', async () => {
    const time = virtualTime();
    const domo = throttlingDomo(time, 20, 50);
    const client = createAuditClient({
      apiBase: 'http://domo.test',
      credentials: { clientId: 'c', clientSecret: 's' },
      fetch: domo.fetch,
      clock: time.clock,
      sleep: time.sleep,
      random: () => 0.5,
      maxAttempts: 10,
    });
    const pages = 600;
    let next = 0;
    const worker = async () => {
      while (next < pages) {
        const offset = next++;
        await client.fetchPage({ start: 0, end: 1, limit: 1000, offset });
      }
    };
    await time.run(Promise.all([worker(), worker(), worker(), worker()]));
    const seconds = time.clock.now() / 1000;
    const throughput = domo.counts.pages / seconds;
    expect(domo.counts.pages).toBe(pages);
    expect(throughput).toBeGreaterThanOrEqual(0.8 * 20);
    expect(domo.counts.throttled / domo.counts.requests).toBeLessThanOrEqual(0.1);
  });
});

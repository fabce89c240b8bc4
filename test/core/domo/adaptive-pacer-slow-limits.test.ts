import { describe, expect, it } from 'vitest';
import { createAdaptivePacer } from '../../../functions/core/domo/adaptive-pacer.ts';
import { fakeTime } from './support/fake-time.ts';
import { slidingLimitDomo } from './support/sliding-limit-domo.ts';
import { fetchPages, virtualClient, virtualTime } from './support/virtual-time.ts';

/** Pages answered per second from `from` ms to the end of the run. */
const paceFrom = (answeredAt: number[], from: number, end: number) =>
  answeredAt.filter((at) => at >= from).length / ((end - from) / 1000);

describe('the audit client against a server allowing 1 to 20 req/s (review R-PACE F1)', () => {
  // The pacer of ef9fcb3 sat at 1.5-2.5x a small limit: 22 % of the requests were refused at
  // 5 req/s, 37-67 % at 1-2 req/s, and runs gave up after six 429s in a row.
  it.each([
    { limit: 1, workers: 4, pages: 200 },
    { limit: 1, workers: 8, pages: 200 },
    { limit: 2, workers: 4, pages: 300 },
    { limit: 2, workers: 8, pages: 300 },
    { limit: 5, workers: 8, pages: 400 },
    { limit: 20, workers: 8, pages: 600 },
  ])(
    'holds $limit req/s with $workers workers: >= 80 % of it, <= 10 % of 429s',
    async ({ limit, workers, pages }) => {
      const time = virtualTime();
      const domo = slidingLimitDomo(time, () => limit);
      const client = virtualClient(time, domo.fetch, {});
      await time.run(fetchPages(client, pages, workers));
      const throughput = domo.counts.pages / (time.clock.now() / 1000);
      expect(domo.counts.pages).toBe(pages);
      expect(throughput).toBeGreaterThanOrEqual(0.8 * limit);
      expect(domo.counts.throttled / domo.counts.requests).toBeLessThanOrEqual(0.1);
    },
  );

  it('follows a limit that drops from 20 to 2 req/s two seconds in, giving up no page', async () => {
    const time = virtualTime();
    const domo = slidingLimitDomo(time, (t) => (t < 2000 ? 20 : 2), 100);
    // Six attempts a page, as the defaults: a page refused six times in a row stopped the run.
    const client = virtualClient(time, domo.fetch, {});
    await time.run(fetchPages(client, 300, 8));
    expect(domo.counts.pages).toBe(300);
    expect(domo.counts.throttled / domo.counts.requests).toBeLessThanOrEqual(0.1);
    // From 10 s on (the drop learnt), >= 80 % of the 2 req/s.
    expect(paceFrom(domo.answeredAt, 10_000, time.clock.now())).toBeGreaterThanOrEqual(0.8 * 2);
  });

  it('finds a limit raised again after a brief throttle within a minute (review R-PACE F7)', async () => {
    const time = virtualTime();
    // 50 req/s, 5 from 5 s to 25 s, then 50 again: the linear probe took 70 s from 5 to 41 req/s.
    const domo = slidingLimitDomo(time, (t) => (t < 5000 || t >= 25_000 ? 50 : 5), 100);
    const client = virtualClient(time, domo.fetch, {});
    await time.run(fetchPages(client, 2000, 8));
    const perSecond = (second: number) =>
      domo.answeredAt.filter((at) => at >= second * 1000 && at < (second + 1) * 1000).length;
    const back = Array.from({ length: 120 }, (_, s) => s).find((s) => s > 25 && perSecond(s) >= 40);
    expect(back).toBeDefined();
    expect(back as number).toBeLessThanOrEqual(25 + 50);
    expect(domo.counts.throttled / domo.counts.requests).toBeLessThanOrEqual(0.1);
  });
});

describe('the adaptive pacer and Retry-After (review R-PACE F1, F4)', () => {
  it('holds every request for a Retry-After longer than a second once the refusals are sustained', async () => {
    const time = fakeTime({ start: 0, sleepMovesClock: false });
    const pacer = createAdaptivePacer(time);
    for (let i = 0; i < 10; i++) {
      await pacer.acquire();
      time.advance(50);
      pacer.record({ status: 200, sentAt: time.clock.now() - 50, latencyMs: 50 });
    }
    expect(pacer.heldMs()).toBe(0);
    // An isolated refusal holds only its own request.
    pacer.record({ status: 503, sentAt: time.clock.now() - 5, latencyMs: 5, retryAfterMs: 5000 });
    expect(pacer.heldMs()).toBe(0);
    // Sustained: every request waits the 5 s asked for, those already given a slot included.
    pacer.record({ status: 503, sentAt: time.clock.now() - 5, latencyMs: 5, retryAfterMs: 5000 });
    expect(pacer.heldMs()).toBe(5000);
    await pacer.acquire();
    expect(time.sleeps.at(-1)).toBe(5000);
    // A Retry-After of a second (a per-second limit's) holds no one: the cut re-spaces the others.
    const other = createAdaptivePacer(time);
    other.record({ status: 429, sentAt: time.clock.now(), latencyMs: 5, retryAfterMs: 1000 });
    other.record({ status: 429, sentAt: time.clock.now(), latencyMs: 5, retryAfterMs: 1000 });
    expect(other.heldMs()).toBe(0);
  });

  it('holds an hour asked for 5 s at first, longer each time requests after the hold are refused again', () => {
    const time = fakeTime({ start: 0, sleepMovesClock: false });
    const pacer = createAdaptivePacer(time);
    const refuse = () => {
      const sentAt = time.clock.now();
      time.advance(5);
      pacer.record({ status: 429, sentAt, latencyMs: 5, retryAfterMs: 3_600_000 });
      pacer.record({ status: 429, sentAt, latencyMs: 5, retryAfterMs: 3_600_000 });
      const held = pacer.heldMs();
      time.advance(held);
      return held;
    };
    expect([refuse(), refuse(), refuse(), refuse(), refuse(), refuse()]).toEqual([
      5000, 10_000, 20_000, 40_000, 80_000, 120_000,
    ]);
    // A clean answer: the next refusal starts again from 5 s.
    pacer.record({ status: 200, sentAt: time.clock.now(), latencyMs: 5 });
    expect(refuse()).toBe(5000);
  });

  it('re-spaces the slots given out before a cut: queued requests do not go at the pace refused', async () => {
    const time = fakeTime({ start: 0, sleepMovesClock: true });
    const pacer = createAdaptivePacer({ ...time, maxRequestsPerSecond: 10 });
    // A second at 10 req/s (sent at 0, 100, … 900), then one given the slot at 1,000 ms.
    for (let i = 0; i < 10; i++) await pacer.acquire();
    const waiting = pacer.acquire();
    pacer.record({ status: 503, sentAt: 900, latencyMs: 5 });
    pacer.record({ status: 503, sentAt: 900, latencyMs: 5 });
    const rate = pacer.rate();
    expect(rate).toBeLessThan(10);
    await waiting;
    // It waited for its slot at 10 req/s, then for one 1000 / rate after the request sent at 900.
    expect(time.sleeps.at(-2)).toBe(100);
    expect(time.sleeps.at(-1)).toBe(Math.ceil(900 + 1000 / rate - 1000));
    expect(time.sleeps.at(-1)).toBeGreaterThan(0);
  });
});

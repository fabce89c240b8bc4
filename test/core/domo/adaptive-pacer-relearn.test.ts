import { describe, expect, it } from 'vitest';
import { pacerWithBestOf40, type VirtualTime, virtualClient, virtualTime } from './support/virtual-time.ts';

/** Latency well above the best (50 ms): what the pacer takes for a server queueing it. */
const SLOW_MS = 3 * 50 + 250;

/**
 * A Domo without a rate limit that answers a request arriving at `t` ms after `delayFor(t)` ms;
 * it keeps when each page was answered and how long that took.
 */
function timedDomo(time: VirtualTime, delayFor: (arrived: number) => number) {
  const pages: { at: number; latencyMs: number }[] = [];
  const fetch = async (url: string) => {
    const arrived = time.clock.now();
    await time.sleep(delayFor(arrived));
    if (url.includes('/oauth/token')) return Response.json({ access_token: 'tok', expires_in: 3600 });
    pages.push({ at: time.clock.now(), latencyMs: time.clock.now() - arrived });
    return new Response('[]');
  };
  /** The pages answered from `from` ms to before `to` ms. */
  const answered = (from: number, to: number) => pages.filter(({ at }) => at >= from && at < to);
  return { fetch, answered };
}

/**
 * A server that from `from` ms answers `capacity` requests a second, one after the other (the rest
 * wait in turn): unlike a server slower for good, it answers in 50 ms again once sent less.
 */
function queueingFrom(from: number, capacity: number) {
  let freeAt = 0;
  return (arrived: number): number => {
    if (arrived < from) return 50;
    const start = Math.max(arrived, freeAt);
    freeAt = start + 1000 / capacity;
    return start - arrived + 50;
  };
}

/** Fetches pages with `workers` workers for `seconds` of virtual time. */
async function fetchFor(time: VirtualTime, domo: ReturnType<typeof timedDomo>, seconds: number, workers = 4) {
  const client = virtualClient(time, domo.fetch, {});
  let offset = 0;
  const worker = async () => {
    while (time.clock.now() < seconds * 1000) {
      await client.fetchPage({ start: 0, end: 1, limit: 1000, offset: offset++ });
    }
  };
  await time.run(Promise.all(Array.from({ length: workers }, worker)));
}

describe('the audit client against a server whose latency changes', () => {
  it('takes a latency that cuts do not bring down for the new best, back to the pace its concurrency allows', async () => {
    const time = virtualTime();
    // 50 ms, then 800 ms for good from 10 s on: 4 workers then allow 5 pages a second.
    const domo = timedDomo(time, (arrived) => (arrived < 10_000 ? 50 : 800));
    await fetchFor(time, domo, 60);
    const late = domo.answered(30_000, 60_000).length;
    // The best of the whole run held the pace at its floor of 0.2 req/s: ~10 pages in those 30 s.
    expect(late).toBeGreaterThanOrEqual(0.9 * 5 * 30);
  });

  it.each([
    { capacity: 4, workers: 4 },
    { capacity: 5, workers: 8 },
  ])(
    'still cuts and holds near its capacity a server that queues $workers workers at $capacity req/s',
    async ({ capacity, workers }) => {
      const time = virtualTime();
      const domo = timedDomo(time, queueingFrom(10_000, capacity));
      await fetchFor(time, domo, 60, workers);
      const pages = domo.answered(20_000, 60_000);
      const slow = pages.filter(({ latencyMs }) => latencyMs > SLOW_MS).length;
      const meanMs = pages.reduce((sum, { latencyMs }) => sum + latencyMs, 0) / pages.length;
      expect(pages.length / 40).toBeGreaterThanOrEqual(0.8 * capacity);
      // Unpaced, every answer waits for the other workers' requests ahead of it: workers / capacity
      // seconds (1,000 and 1,600 ms). Cut, most of them (~75 %) are answered before 3x + 250 ms.
      expect(meanMs).toBeLessThanOrEqual((0.5 * 1000 * workers) / capacity);
      expect(slow / pages.length).toBeLessThanOrEqual(0.55);
    },
  );

  it('recovers from a 3 s latency spike at once, as with the best of the whole run', async () => {
    const time = virtualTime();
    const domo = timedDomo(time, (arrived) => (arrived >= 10_000 && arrived < 13_000 ? 3000 : 50));
    await fetchFor(time, domo, 20);
    // 4 workers at 50 ms allow 80 pages a second.
    expect(domo.answered(14_000, 20_000).length).toBeGreaterThanOrEqual(0.9 * 80 * 6);
  });
});

describe('createAdaptivePacer: the best latency is that of the last 10 s', () => {
  /** A pacer whose best is 40 ms; `slowAnswer` records a 2 s answer to a request sent just now. */
  const bestOf40 = () => {
    const { time, pacer } = pacerWithBestOf40();
    const slowAnswer = () => pacer.record({ status: 200, sentAt: time.clock.now(), latencyMs: 2000 });
    return { time, pacer, slowAnswer };
  };

  it('takes slow answers for the best once they are all the last 10 s holds, and a quick one back', () => {
    const { time, pacer, slowAnswer } = bestOf40();
    slowAnswer();
    expect(pacer.rate()).toBe(8);
    // Slow answers until 10 s after the last quick one: each a round of its own (sent after the cut
    // before), each cuts.
    while (time.clock.now() + 1000 < 11_000) {
      time.advance(1000);
      slowAnswer();
    }
    const cut = pacer.rate();
    expect(cut).toBeLessThan(2);
    // The last 40 ms answer is 10 s old: 2,000 ms is now the best, and no longer slow.
    time.advance(11_001 - time.clock.now());
    slowAnswer();
    expect(pacer.rate()).toBeGreaterThan(cut);
    // One quick answer is the best again: the slow answers after it cut again.
    pacer.record({ status: 200, sentAt: time.clock.now() - 40, latencyMs: 40 });
    const grown = pacer.rate();
    slowAnswer();
    expect(pacer.rate()).toBeLessThan(grown);
  });

  it('keeps the best through a pause with no answers: a pause says nothing of the server', () => {
    const { time, pacer, slowAnswer } = bestOf40();
    time.advance(60_000);
    slowAnswer();
    expect(pacer.rate()).toBe(8);
  });
});

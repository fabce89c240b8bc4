import { describe, expect, it } from 'vitest';
import { fetchPages, pacerWithBestOf40, virtualClient, virtualTime } from './support/virtual-time.ts';

describe('createAdaptivePacer: one slow request among quick ones', () => {
  const bestOf40 = pacerWithBestOf40;

  it('does not cut on a slow answer that two requests sent after it overtook, answered clean', () => {
    const { time, pacer, answer } = bestOf40();
    time.advance(2000);
    // Sent 2 s ago; since then, two requests sent after it came back in 40 ms.
    answer(40);
    answer(40);
    answer(2000);
    expect(pacer.rate()).toBe(10);
  });

  it('cuts when fewer than two overtook it, or when those that did were slow too', () => {
    const one = bestOf40();
    one.time.advance(2000);
    one.answer(40);
    one.answer(2000);
    expect(one.pacer.rate()).toBe(8);
    // A queue: the requests sent after it are answered after it, and slower still.
    const queue = bestOf40();
    queue.time.advance(2000);
    queue.answer(2000);
    expect(queue.pacer.rate()).toBe(8);
  });
});

describe('the audit client against a server with a heavy tail', () => {
  it('keeps the pace its concurrency allows when 3 % of the answers take 0.6-2 s', async () => {
    const time = virtualTime();
    let seed = 5;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    let busyMs = 0;
    const fetch = async (url: string) => {
      const latencyMs = random() < 0.03 ? 600 + random() * 1400 : 50;
      await time.sleep(latencyMs);
      if (url.includes('/oauth/token')) return Response.json({ access_token: 'tok', expires_in: 3600 });
      busyMs += latencyMs;
      return new Response('[]');
    };
    await time.run(fetchPages(virtualClient(time, fetch, {}), 1200));
    // Each slow answer cut the pace: 0.64 of the unpaced time.
    expect(busyMs / 4 / time.clock.now()).toBeGreaterThanOrEqual(0.9);
  });
});

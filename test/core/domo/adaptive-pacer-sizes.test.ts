import { describe, expect, it } from 'vitest';
import { createAdaptivePacer } from '../../../functions/core/domo/adaptive-pacer.ts';
import { fakeTime } from './support/fake-time.ts';
import { virtualClient, virtualTime } from './support/virtual-time.ts';

/** A full page of 1,000 audit entries, in bytes, and an hour's last page of a few. */
const FULL = 500_000;
const SMALL = 2_000;

/** A pacer (ceiling 10 req/s) whose baseline is eight answers of `size` bytes in `latencyMs`. */
function pacerWithBaseline(size: number, latencyMs: number) {
  const time = fakeTime({ start: 0, sleepMovesClock: false });
  const pacer = createAdaptivePacer({ ...time, maxRequestsPerSecond: 10 });
  for (let i = 0; i < 8; i++) {
    pacer.record({ status: 200, sentAt: time.clock.now() - latencyMs, latencyMs, size });
    time.advance(1000 / 7);
  }
  const answer = (answerSize: number | undefined, ms: number) => {
    time.advance(ms);
    pacer.record({
      status: 200,
      sentAt: time.clock.now() - ms,
      latencyMs: ms,
      ...(answerSize === undefined ? {} : { size: answerSize }),
    });
  };
  return { time, pacer, answer };
}

describe('createAdaptivePacer: a page is judged against pages at least half as large', () => {
  it('does not take a full page for slow against the quick answers of small ones', () => {
    const { pacer, answer } = pacerWithBaseline(SMALL, 40);
    // 700 ms is over 3 x 40 + 250, but no page as large has been answered quicker.
    answer(FULL, 700);
    answer(FULL, 700);
    expect(pacer.rate()).toBe(10);
    // Against the full pages' best of 700 ms, 3 x 700 + 251 is slow.
    answer(FULL, 3 * 700 + 251);
    expect(pacer.rate()).toBe(8);
  });

  it('judges a small page against larger ones too, and a page of unknown size against all', () => {
    const small = pacerWithBaseline(FULL, 100);
    small.answer(SMALL, 3 * 100 + 251);
    expect(small.pacer.rate()).toBe(8);
    const unknown = pacerWithBaseline(SMALL, 40);
    unknown.answer(undefined, 3 * 40 + 251);
    expect(unknown.pacer.rate()).toBe(8);
  });

  it('judges by size classes of powers of two: a page against its own class and larger ones', () => {
    const { pacer, answer } = pacerWithBaseline(1023, 40);
    // 1,024 bytes is a class above 1,023: none of its class or larger has been answered yet.
    answer(1024, 2000);
    expect(pacer.rate()).toBe(10);
    // 512 bytes is in the class of 1,023 (512-1,023), whose best is 40 ms.
    answer(512, 3 * 40 + 251);
    expect(pacer.rate()).toBe(8);
  });

  it('after a pause keeps the latest of the page size, not an older quick answer of larger pages', () => {
    const { time, pacer, answer } = pacerWithBaseline(FULL, 40);
    // The server became slower for good: small pages take 2 s, and keep cutting for 10 s.
    answer(SMALL, 2000);
    expect(pacer.rate()).toBe(8);
    time.advance(60_000);
    // The 40 ms full pages are a minute old: only the small pages' latest (2 s) is kept for them.
    answer(SMALL, 2000);
    expect(pacer.rate()).toBeGreaterThanOrEqual(8);
  });
});

describe('the audit client against pages of mixed sizes (latency growing with the entries)', () => {
  it('cuts on a slow full page that only smaller answers overtook: they may skip the queue', () => {
    // Review R-PS: a server answering empty pages from a cache, beside a queue for full ones. Small
    // answers sent after a slow full page came back clean, yet the full pages were queueing.
    const { time, pacer } = pacerWithBaseline(FULL, 50);
    time.advance(1000);
    const fullSentAt = time.clock.now();
    for (let i = 0; i < 3; i++) {
      time.advance(100);
      pacer.record({ status: 200, sentAt: time.clock.now() - 50, latencyMs: 50, size: SMALL });
    }
    time.advance(2000 - 300);
    pacer.record({ status: 200, sentAt: fullSentAt, latencyMs: 2000, size: FULL });
    expect(pacer.rate()).toBeLessThan(10);
  });

  it('keeps the pace its concurrency allows through quiet hours of quick small pages', async () => {
    const time = virtualTime();
    // Two days of hours, their pages on one list that 4 workers share: 3,500 entries in a day hour
    // (four pages, the last of 500), 20 at night; each page answers in 40 ms + 0.6 ms an entry
    // (640 ms when full).
    const pages: number[] = [];
    for (let hour = 0; hour < 48; hour++) {
      const entries = hour % 24 >= 8 && hour % 24 < 18 ? 3500 : 20;
      for (let left = entries; left > 0; left -= 1000) pages.push(Math.min(1000, left));
    }
    const body = (entries: number) => `[${Array.from({ length: entries }, () => '{}').join(',')}]`;
    const fetch = async (url: string) => {
      if (url.includes('/oauth/token')) return Response.json({ access_token: 'tok', expires_in: 3600 });
      const entries = pages[Number(new URL(url).searchParams.get('offset'))] as number;
      await time.sleep(40 + 0.6 * entries);
      return new Response(body(entries));
    };
    const client = virtualClient(time, fetch, {});
    const unpacedMs = pages.reduce((sum, entries) => sum + 40 + 0.6 * entries, 0) / 4;
    let next = 0;
    const worker = async () => {
      while (next < pages.length) {
        const offset = next++;
        await client.fetchPage({ start: 0, end: 1, limit: 1000, offset });
      }
    };
    await time.run(Promise.all(Array.from({ length: 4 }, worker)));
    // One best for every size cut the pace round after round: 3.3x as long as unpaced.
    expect(time.clock.now()).toBeLessThanOrEqual(1.2 * unpacedMs);
  });
});

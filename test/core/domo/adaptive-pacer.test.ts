import { describe, expect, it } from 'vitest';
import { createAdaptivePacer } from '../../../functions/core/domo/adaptive-pacer.ts';
import { type FakeTime, fakeTime } from './support/fake-time.ts';
import { fetchPages, type VirtualTime, virtualClient, virtualTime } from './support/virtual-time.ts';

/** A stretch of time during which the server holds every request that arrives until its end. */
interface Stall {
  from: number;
  to: number;
}

/**
 * A Domo that allows `limit` requests per second (sliding window, token endpoint included), 429
 * above; requests arriving during `stall` are answered only after it ends (a hiccup of the server,
 * or of a client busy with what it read, as the pacer sees it).
 */
function throttlingDomo(time: VirtualTime, limit: number, latencyMs: number, stall?: Stall) {
  const accepted: number[] = [];
  const counts = { requests: 0, throttled: 0, pages: 0 };
  const fetch = async (url: string) => {
    counts.requests++;
    const arrived = time.clock.now();
    while (accepted.length > 0 && (accepted[0] as number) <= arrived - 1000) accepted.shift();
    const held = stall && arrived >= stall.from && arrived < stall.to ? stall.to - arrived : 0;
    await time.sleep(latencyMs + held);
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

/** Eight clean answers of `latencyMs` over a second: what a cut on latency needs first. */
function setBaseline(time: FakeTime, pacer: ReturnType<typeof createAdaptivePacer>, latencyMs: number): void {
  for (let i = 0; i < 8; i++) {
    pacer.record({ status: 200, sentAt: time.clock.now() - latencyMs, latencyMs });
    time.advance(1000 / 7);
  }
}

describe('createAdaptivePacer', () => {
  it('starts unpaced, cuts to 0.8x the rate sent on sustained pushback once per round, then grows by 1 req/s per second', async () => {
    const time = fakeTime({ start: 0, sleepMovesClock: false });
    const pacer = createAdaptivePacer(time);
    for (let i = 0; i < 20; i++) await pacer.acquire();
    expect(time.sleeps).toEqual([]);
    expect(pacer.rate()).toBe(Number.POSITIVE_INFINITY);
    time.advance(10);
    pacer.record({ status: 429, sentAt: 5, latencyMs: 5 });
    expect(pacer.rate()).toBe(Number.POSITIVE_INFINITY); // one answer of pushback is not yet sustained
    pacer.record({ status: 503, sentAt: 5, latencyMs: 5 });
    expect(pacer.rate()).toBe(16);
    pacer.record({ status: 503, sentAt: 6, latencyMs: 4 }); // sent before the cut: same round
    pacer.record({ status: 429, sentAt: 7, latencyMs: 3 });
    expect(pacer.rate()).toBe(16);
    for (let i = 0; i < 16; i++) pacer.record({ status: 200, sentAt: 20, latencyMs: 5 });
    expect(pacer.rate()).toBeCloseTo(17, 0);
    await pacer.acquire();
    await pacer.acquire();
    expect(time.sleeps.at(-1)).toBeGreaterThan(50);
  });

  it('keeps its pace through isolated 5xx and 429 answers among clean ones', async () => {
    const time = fakeTime({ start: 0, sleepMovesClock: false });
    const pacer = createAdaptivePacer(time);
    for (let i = 0; i < 40; i++) {
      await pacer.acquire();
      time.advance(20);
      // One answer in 20 is pushback: 5 % of the last second's answers, under the 10 % that cuts.
      const status = i % 20 === 10 ? (i < 20 ? 503 : 429) : 200;
      pacer.record({ status, sentAt: time.clock.now() - 5, latencyMs: 5 });
    }
    expect(pacer.rate()).toBe(Number.POSITIVE_INFINITY);
    // Two timeouts among the few answers of the next second are sustained.
    time.advance(900);
    await pacer.acquire();
    await pacer.acquire();
    pacer.record({ sentAt: time.clock.now() - 5, latencyMs: 30_000 });
    pacer.record({ sentAt: time.clock.now() - 5, latencyMs: 30_000 });
    expect(pacer.rate()).toBeLessThan(Number.POSITIVE_INFINITY);
  });

  it('backs off on rising latency, never above its ceiling', () => {
    const time = fakeTime({ start: 0 });
    const pacer = createAdaptivePacer({ ...time, maxRequestsPerSecond: 10 });
    setBaseline(time, pacer, 40);
    expect(pacer.rate()).toBe(10);
    time.advance(2000);
    pacer.record({ status: 200, sentAt: time.clock.now() - 2000, latencyMs: 2000 });
    expect(pacer.rate()).toBeLessThan(10);
    expect(() => createAdaptivePacer({ ...time, maxRequestsPerSecond: 0 })).toThrow(/requestsPerSecond/);
  });

  it('never cuts below its floor, however often the server pushes back', async () => {
    const time = fakeTime({ start: 0 });
    const pushBackEverySecond = async (pacer: ReturnType<typeof createAdaptivePacer>) => {
      for (let round = 1; round <= 30; round++) {
        time.advance(1000);
        await pacer.acquire();
        await pacer.acquire();
        pacer.record({ status: 503, sentAt: time.clock.now(), latencyMs: 5 });
        pacer.record({ status: 503, sentAt: time.clock.now(), latencyMs: 5 });
      }
      return pacer.rate();
    };
    expect(await pushBackEverySecond(createAdaptivePacer({ ...time, minRequestsPerSecond: 50 }))).toBe(50);
    expect(await pushBackEverySecond(createAdaptivePacer(time))).toBe(0.2);
    expect(() => createAdaptivePacer({ ...time, minRequestsPerSecond: 0 })).toThrow(/minRequestsPerSecond/);
  });
});

describe('createAdaptivePacer at its bounds', () => {
  const unpaced = () => fakeTime({ start: 0, sleepMovesClock: false });

  it('counts a 500 and an answer with no status (a network error) as pushback', async () => {
    for (const status of [500, undefined]) {
      const time = unpaced();
      const pacer = createAdaptivePacer(time);
      for (let i = 0; i < 10; i++) await pacer.acquire();
      time.advance(10);
      // A network error fails fast: its latency says nothing, its missing status does.
      const outcome = { sentAt: 5, latencyMs: 5, ...(status === undefined ? {} : { status }) };
      pacer.record(outcome);
      pacer.record(outcome);
      expect(pacer.rate(), String(status)).toBe(8);
    }
  });

  it('cuts on latency above 3x the best seen plus 250 ms, not at it', () => {
    const time = unpaced();
    const pacer = createAdaptivePacer({ ...time, maxRequestsPerSecond: 10 });
    setBaseline(time, pacer, 40);
    pacer.record({ status: 200, sentAt: time.clock.now(), latencyMs: 3 * 40 + 250 });
    expect(pacer.rate()).toBe(10);
    pacer.record({ status: 200, sentAt: time.clock.now(), latencyMs: 3 * 40 + 251 });
    expect(pacer.rate()).toBe(8);
  });

  it('judges latency only once eight clean answers over a second have set its baseline', () => {
    const slowAfter = (answers: number, spacingMs: number) => {
      const time = unpaced();
      const pacer = createAdaptivePacer({ ...time, maxRequestsPerSecond: 10 });
      for (let i = 0; i < answers; i++) {
        pacer.record({ status: 200, sentAt: time.clock.now(), latencyMs: 40 });
        time.advance(spacingMs);
      }
      pacer.record({ status: 200, sentAt: time.clock.now(), latencyMs: 2000 });
      return pacer.rate();
    };
    // A start-up's slow answers (a token answered fast, pages while the process loads) cut nothing.
    expect(slowAfter(1, 1000)).toBe(10);
    expect(slowAfter(7, 200)).toBe(10);
    expect(slowAfter(20, 40)).toBe(10);
    expect(slowAfter(8, 1000 / 7)).toBe(8);
  });

  it('cuts on latency once per round: slow answers to requests sent before the cut do not cut again', () => {
    const time = unpaced();
    const pacer = createAdaptivePacer({ ...time, maxRequestsPerSecond: 10 });
    setBaseline(time, pacer, 40);
    const cutAt = time.clock.now();
    pacer.record({ status: 200, sentAt: cutAt - 5, latencyMs: 2000 });
    pacer.record({ status: 200, sentAt: cutAt - 4, latencyMs: 2000 });
    expect(pacer.rate()).toBe(8);
    time.advance(1);
    pacer.record({ status: 200, sentAt: cutAt, latencyMs: 2000 });
    expect(pacer.rate()).toBeCloseTo(6.4, 9);
  });

  /** 25 requests in a second: 20 answered cleanly, then 429s (a cut that learns the server took 20). */
  /**
   * A first answer, then, from 200 ms on, `taken` of `taken + 5` requests answered cleanly over
   * 800 ms and 429s: a cut over a second after the first answer (a whole second's answers counted).
   */
  /** One second: `taken + 5` slots given out, `taken` of them answered cleanly, then three 429s. */
  const takenThenRefused = async (
    time: ReturnType<typeof unpaced>,
    pacer: ReturnType<typeof createAdaptivePacer>,
    taken: number,
  ) => {
    for (let i = 0; i < taken + 5; i++) await pacer.acquire();
    for (let i = 0; i < taken; i++) {
      time.advance(800 / taken);
      pacer.record({ status: 200, sentAt: time.clock.now() - 40, latencyMs: 40 });
    }
    time.advance(50);
    for (let i = 0; i < 3; i++) pacer.record({ status: 429, sentAt: time.clock.now() - 5, latencyMs: 5 });
  };

  const twentyTakenOfTwentyFive = async (taken = 20) => {
    const time = unpaced();
    const pacer = createAdaptivePacer(time);
    await pacer.acquire();
    pacer.record({ status: 200, sentAt: 0, latencyMs: 40 });
    time.advance(200);
    await takenThenRefused(time, pacer, taken);
    return { time, pacer };
  };

  /**
   * The same second twice, 2 s apart: the second cut learns the pace the first did, a limit is
   * confirmed (review R-PACE3 F1), and only then is the cut capped at the pace learnt.
   */
  const takenOfFiveMoreTwice = async (taken = 20) => {
    const { time, pacer } = await twentyTakenOfTwentyFive(taken);
    time.advance(2000);
    await takenThenRefused(time, pacer, taken);
    // The cut was 0.8x the pace sent (under the pace learnt); clean answers climb back to it.
    for (let i = 0; i < 3; i++) pacer.record({ status: 200, sentAt: time.clock.now(), latencyMs: 40 });
    return { time, pacer };
  };

  it('cuts 0.8x the pace sent, uncapped, on the first 429s: no limit is confirmed yet', async () => {
    // Random 429s at a low pace left 0-3 clean answers a second, and a pace capped at 0.9x them
    // never rose from 1 req/s (review R-PACE3 F1).
    const { pacer } = await twentyTakenOfTwentyFive(5);
    expect(pacer.rate()).toBeGreaterThan(5);
  });

  it('climbs back within a second to 1 req/s under the pace the server took before a 429 cut, then probes past it slowly', async () => {
    const { time, pacer } = await takenOfFiveMoreTwice();
    // No more than 1 req/s under the 20 the server took (a limit confirmed): a strict sliding
    // second refuses one request in 21 at any pace past 20.
    expect(pacer.rate()).toBe(19);
    // Later, pushback while the client sent little (3 in the last second, none answered cleanly):
    // the cut is from the 19 known, not to 0.8x those 3.
    time.advance(2000);
    for (let i = 0; i < 3; i++) await pacer.acquire();
    pacer.record({ status: 429, sentAt: time.clock.now(), latencyMs: 5 });
    pacer.record({ status: 429, sentAt: time.clock.now(), latencyMs: 5 });
    expect(pacer.rate()).toBeCloseTo(15.2, 9);
    // +1 req/s per clean answer back to those 19 (the additive increase took 4 s), then +0.475 a
    // second (2.5 % of it), and a twentieth of the gap to the pace refused (19 here: none).
    for (let i = 0; i < 4; i++) pacer.record({ status: 200, sentAt: time.clock.now(), latencyMs: 40 });
    expect(pacer.rate()).toBe(19);
    for (let i = 0; i < 19; i++) pacer.record({ status: 200, sentAt: time.clock.now(), latencyMs: 40 });
    expect(pacer.rate()).toBeCloseTo(19.47, 1);
  });

  it('climbs back to 0.9x the pace the server took at 10 req/s and under', async () => {
    // One request in L+1 refused past a limit L: a third at 2 req/s, so a tenth under it.
    const { pacer } = await takenOfFiveMoreTwice(5);
    // Back at 4.5 (not 4, nor 5), and a little past it from the slow probe.
    expect(pacer.rate()).toBeGreaterThanOrEqual(4.5);
    expect(pacer.rate()).toBeLessThan(4.75);
  });

  /** Two seconds of 30 clean answers a second, then a stall: few sent, one answer late (a cut on latency). */
  const thirtyASecondThenAStall = async () => {
    const time = unpaced();
    const pacer = createAdaptivePacer(time);
    for (let i = 0; i < 60; i++) {
      await pacer.acquire();
      time.advance(1000 / 30);
      pacer.record({ status: 200, sentAt: time.clock.now() - 30, latencyMs: 30 });
    }
    time.advance(900);
    await pacer.acquire();
    pacer.record({ status: 200, sentAt: time.clock.now() - 1, latencyMs: 900 });
    return { time, pacer };
  };

  it('after a cut on latency, climbs back fast to the most the server answered in a second before it', async () => {
    const { time, pacer } = await thirtyASecondThenAStall();
    // 0.8x the 30-31 a second the server answered, not 0.8x the few sent in the stall's second.
    expect(pacer.rate()).toBeGreaterThanOrEqual(24);
    expect(pacer.rate()).toBeLessThanOrEqual(0.8 * 31);
    for (let i = 0; i < 6; i++) pacer.record({ status: 200, sentAt: time.clock.now(), latencyMs: 30 });
    expect(pacer.rate()).toBeGreaterThanOrEqual(29);
  });

  it('takes a second cut on latency in a row as the server slow at the pace regained', async () => {
    const { time, pacer } = await thirtyASecondThenAStall();
    // Back at ~30 req/s at once, but the server now answers 10 a second, then slowly again.
    for (let i = 0; i < 10; i++) {
      time.advance(100);
      pacer.record({ status: 200, sentAt: time.clock.now() - 30, latencyMs: 30 });
    }
    expect(pacer.rate()).toBeGreaterThanOrEqual(29);
    await pacer.acquire();
    time.advance(100);
    // Sent after the answers of the 10 a second: the server was slow to it, not to one request.
    pacer.record({ status: 200, sentAt: time.clock.now() - 100, latencyMs: 900 });
    // 0.8x the 10-11 it answered since the first cut, and the climb back stops there.
    expect(pacer.rate()).toBeLessThanOrEqual(0.8 * 11);
    for (let i = 0; i < 10; i++) pacer.record({ status: 200, sentAt: time.clock.now(), latencyMs: 30 });
    expect(pacer.rate()).toBeLessThan(12);
  });

  it('measures the rate sent over exactly the last second when it cuts', async () => {
    const time = unpaced();
    const pacer = createAdaptivePacer(time);
    for (let i = 0; i < 10; i++) await pacer.acquire();
    time.advance(600);
    for (let i = 0; i < 5; i++) await pacer.acquire();
    // The first ten were sent exactly one second ago: they no longer count.
    time.advance(400);
    pacer.record({ status: 503, sentAt: 1000, latencyMs: 5 });
    pacer.record({ status: 503, sentAt: 1000, latencyMs: 5 });
    expect(pacer.rate()).toBe(4);
  });

  it('keeps the pace known from 429s through a single stall that cuts on latency', async () => {
    const { time, pacer } = await takenOfFiveMoreTwice();
    expect(pacer.rate()).toBe(19);
    for (let i = 0; i < 4; i++) {
      time.advance(250);
      await pacer.acquire();
      pacer.record({ status: 200, sentAt: time.clock.now() - 40, latencyMs: 40 });
    }
    time.advance(900);
    await pacer.acquire();
    pacer.record({ status: 200, sentAt: time.clock.now() - 1, latencyMs: 900 });
    expect(pacer.rate()).toBeLessThan(18);
    for (let i = 0; i < 6; i++) pacer.record({ status: 200, sentAt: time.clock.now(), latencyMs: 40 });
    expect(pacer.rate()).toBeGreaterThanOrEqual(19);
  });

  it('learns no pace from the token answer at a cut on 5xx: it climbs as with no pace known', async () => {
    // At an outage from the first second the token answer was the only clean one: the 1 req/s
    // learnt from it slowed the climb after (+0.5 req/s a second past it, not +1), and the pace
    // held ~1 page a second for the 30 s after (review R-PACE2 F3; R-PACE3 F6).
    const time = fakeTime({ start: 0, sleepMovesClock: false });
    const pacer = createAdaptivePacer(time);
    await pacer.acquire();
    time.advance(50);
    pacer.record({ status: 200, sentAt: time.clock.now() - 50, latencyMs: 50, judgeLatency: false });
    for (let i = 0; i < 4; i++) {
      await pacer.acquire();
      time.advance(50);
      pacer.record({ status: 503, sentAt: time.clock.now() - 50, latencyMs: 50 });
    }
    expect(pacer.rate()).toBeCloseTo(2.4, 9);
    for (let i = 0; i < 10; i++) {
      time.advance(500);
      pacer.record({ status: 200, sentAt: time.clock.now() - 50, latencyMs: 50 });
    }
    // +1 req/s a second: 5.15 req/s (4.03 with the token's 1 req/s learnt).
    expect(pacer.rate()).toBeGreaterThan(4.6);
  });

  it('does not take the few clean answers at the end of a 5xx burst for the pace the server takes', async () => {
    const time = fakeTime({ start: 0, sleepMovesClock: false });
    const pacer = createAdaptivePacer(time);
    const answer = async (status: number, gapMs: number) => {
      await pacer.acquire();
      time.advance(gapMs);
      pacer.record({ status, sentAt: time.clock.now() - 50, latencyMs: 50 });
    };
    for (let i = 0; i < 20; i++) await answer(200, 50);
    for (let i = 0; i < 3; i++) await answer(503, 50);
    for (let i = 0; i < 20; i++) await answer(503, 100);
    pacer.record({ status: 200, sentAt: time.clock.now() - 50, latencyMs: 50 });
    pacer.record({ status: 503, sentAt: time.clock.now() - 50, latencyMs: 50 });
    pacer.record({ status: 503, sentAt: time.clock.now() - 50, latencyMs: 50 });
    for (let i = 0; i < 40; i++) {
      time.advance(50);
      pacer.record({ status: 200, sentAt: time.clock.now() - 50, latencyMs: 50 });
    }
    expect(pacer.rate()).toBeGreaterThanOrEqual(15);
  });

  it('paces after a first cut that finds nothing sent in the last second', async () => {
    const time = unpaced();
    const pacer = createAdaptivePacer(time);
    for (let i = 0; i < 4; i++) await pacer.acquire();
    time.advance(30_000);
    for (let i = 0; i < 4; i++) pacer.record({ sentAt: 0, latencyMs: 30_000 });
    // Cut at the second timeout (two make pushback sustained), from the two answers of that second.
    expect(pacer.rate()).toBeCloseTo(1.6);
  });

  it('judges pages against pages: a quick answer marked not to judge sets no best latency', async () => {
    const time = unpaced();
    const pacer = createAdaptivePacer(time);
    // The token's answer in 10 ms, then pages of 300 ms for two seconds: 300 is over 3 x 10 + 250.
    time.advance(10);
    pacer.record({ status: 200, sentAt: 0, latencyMs: 10, judgeLatency: false });
    for (let i = 1; i <= 20; i++) {
      await pacer.acquire();
      time.advance(100);
      pacer.record({ status: 200, sentAt: time.clock.now() - 300, latencyMs: 300 });
    }
    expect(pacer.rate()).toBe(Number.POSITIVE_INFINITY);
  });

  it('keeps a ceiling below the default floor: pushback never raises the pace above it', () => {
    const time = unpaced();
    const pacer = createAdaptivePacer({ ...time, maxRequestsPerSecond: 0.1 });
    time.advance(10);
    pacer.record({ status: 429, sentAt: 5, latencyMs: 5 });
    pacer.record({ status: 429, sentAt: 5, latencyMs: 5 });
    expect(pacer.rate()).toBe(0.1);
  });
});

/** A Domo without a rate limit whose every answer is, at random, a 503 or a 429 with probability `share`. */
function flakyDomo(time: VirtualTime, share: number, latencyMs: number) {
  let seed = 7;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const counts = { requests: 0, faults: 0, pages: 0 };
  const fetch = async (url: string) => {
    counts.requests++;
    await time.sleep(latencyMs);
    const draw = random();
    if (draw < share) {
      counts.faults++;
      return draw < share / 2
        ? new Response('{"status":429}', { status: 429, headers: { 'Retry-After': '0' } })
        : new Response('{"status":503}', { status: 503 });
    }
    if (url.includes('/oauth/token')) return Response.json({ access_token: 'tok', expires_in: 3600 });
    counts.pages++;
    return new Response('[]');
  };
  return { fetch, counts };
}

describe('the audit client against a server with random isolated faults', () => {
  it('keeps the pace its concurrency allows instead of backing off on each fault', async () => {
    const time = virtualTime();
    const domo = flakyDomo(time, 0.05, 10);
    const client = virtualClient(time, domo.fetch, { baseDelayMs: 5, maxDelayMs: 50, maxRetryAfterMs: 50 });
    await time.run(fetchPages(client, 2000));
    const throughput = domo.counts.pages / (time.clock.now() / 1000);
    expect(domo.counts.faults).toBeGreaterThan(50);
    // 4 workers at 10 ms per answer allow ~400 pages a second; cutting on every fault kept ~10.
    expect(throughput).toBeGreaterThanOrEqual(200);
  });
});

describe('the audit client against a server allowing 20 req/s (issue 9, item 1)', () => {
  it('keeps >= 80 % of 20 req/s with <= 10 % of requests answered 429', async () => {
    const time = virtualTime();
    const domo = throttlingDomo(time, 20, 50);
    const client = virtualClient(time, domo.fetch, { maxAttempts: 10 });
    const pages = 600;
    await time.run(fetchPages(client, pages));
    const seconds = time.clock.now() / 1000;
    const throughput = domo.counts.pages / seconds;
    expect(domo.counts.pages).toBe(pages);
    expect(throughput).toBeGreaterThanOrEqual(0.8 * 20);
    expect(domo.counts.throttled / domo.counts.requests).toBeLessThanOrEqual(0.1);
  });
  // An early back-off: the answers held at start-up (a cut then came from the 4 requests sent), or
  // held 400 ms after the first 429s (a cut then came from the 8 sent during the stall). Climbing
  // back by 1 req/s a second, the run kept 82-85 % of 20 req/s; the hold itself costs ~3 %.
  it.each([
    { stall: { from: 60, to: 900 }, when: 'before the first pages are answered' },
    { stall: { from: 1500, to: 1900 }, when: 'after the first 429s' },
  ])('keeps >= 90 % of 20 req/s with <= 10 % 429s when the answers stall $when', async ({ stall }) => {
    const time = virtualTime();
    const domo = throttlingDomo(time, 20, 50, stall);
    const client = virtualClient(time, domo.fetch, { maxAttempts: 10 });
    const pages = 600;
    await time.run(fetchPages(client, pages));
    const throughput = domo.counts.pages / (time.clock.now() / 1000);
    expect(domo.counts.pages).toBe(pages);
    expect(throughput).toBeGreaterThanOrEqual(0.9 * 20);
    expect(domo.counts.throttled / domo.counts.requests).toBeLessThanOrEqual(0.1);
  });
});

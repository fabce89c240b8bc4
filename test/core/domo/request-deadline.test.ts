import { describe, expect, it } from 'vitest';
import type { AuditClientOptions } from '../../../functions/core/domo/audit-client.ts';
import type { AuditPage } from '../../../functions/core/domo/audit-source.ts';
import { DomoUnavailableError } from '../../../functions/core/domo/errors.ts';
import type { FetchLike } from '../../../functions/core/domo/http-request.ts';
import { virtualClient, virtualTime } from './support/virtual-time.ts';

/**
 * The time one page request may take (reviews R-HOSTILE 1 and R-DEADLINE2), on virtual time: the
 * waits are the client's own, not the test's. The limit, at the defaults, is the page's own retry
 * schedule at its longest (6 x 30 s + 5 x 120 s = 780 s): it cuts a token endpoint's retries run
 * inside every retry of the page, never a page Domo throttles honestly.
 */

const YEAR_S = 365 * 24 * 3600;
const MINUTE = 60_000;
const query = (offset = 0) => ({ start: 0, end: 3_599_999, limit: 1000, offset });

const throttled = (retryAfterS: number) =>
  new Response('{}', { status: 429, headers: { 'Retry-After': String(retryAfterS) } });
const token = (n: number, expiresInS: number) =>
  Response.json({ access_token: `tok-${n}`, expires_in: expiresInS });

interface Api {
  fetch: FetchLike;
  calls: { token: number; audit: number };
}

/** An API whose token endpoint answers `tokenAnswer(n, nowMs)` to its n-th call, and pages `page(offset, n)`. */
function api(
  now: () => number,
  tokenAnswer: (n: number, nowMs: number) => Response,
  page: (offset: number, n: number) => Response,
): Api {
  const calls = { token: 0, audit: 0 };
  const perOffset = new Map<number, number>();
  const fetch: FetchLike = async (url) => {
    if (url.endsWith('/oauth/token')) return tokenAnswer(++calls.token, now());
    calls.audit++;
    const offset = Number(new URL(url).searchParams.get('offset'));
    const n = (perOffset.get(offset) ?? 0) + 1;
    perOffset.set(offset, n);
    return page(offset, n);
  };
  return { fetch, calls };
}

/** Token endpoint of R-HOSTILE: 429 with a Retry-After of a year 5 times in 6, tokens of 1 s. */
const hostileTokens = (n: number) => (n % 6 === 0 ? token(n, 1) : throttled(YEAR_S));
/** An honest token endpoint: tokens of an hour. */
const hourTokens = (n: number) => token(n, 3600);

async function onePage(
  tokens: (n: number, nowMs: number) => Response,
  page: (offset: number, n: number) => Response,
  overrides: Partial<AuditClientOptions> = {},
) {
  const time = virtualTime();
  const { fetch, calls } = api(time.clock.now, tokens, page);
  const client = virtualClient(time, fetch, overrides);
  const outcome = await time.run(
    client.fetchPage(query()).then(
      (value): { value?: AuditPage; error?: unknown } => ({ value }),
      (error: unknown): { value?: AuditPage; error?: unknown } => ({ error }),
    ),
  );
  return { ...outcome, calls, seconds: time.clock.now() / 1000 };
}

describe('one page request against a hostile token endpoint (tokens of 1 s)', () => {
  it('ends within its first token and the 780 s of its own schedule, where it took 70 minutes', async () => {
    const { error, calls, seconds } = await onePage(hostileTokens, () => throttled(YEAR_S));
    expect(error).toBeInstanceOf(DomoUnavailableError);
    // Before: 70.2 minutes, 36 token calls and 6 page calls. Now the first token (5 waits of 120 s,
    // 600 s) is left out, and its page's 780 s hold a page attempt and the second token's 5 waits;
    // the third token's would end past them. At most 780 + 780 s.
    expect(seconds).toBeLessThanOrEqual(2 * 780);
    expect(seconds).toBe(1320);
    expect(calls).toEqual({ token: 12, audit: 2 });
  });

  it('says which wait would not fit, its own attempts and time, without the credentials', async () => {
    const secret = 'secret-value-0123456789';
    const { error } = await onePage(hostileTokens, () => throttled(YEAR_S), {
      credentials: { clientId: 'c', clientSecret: secret },
    });
    const message = (error as Error).message;
    expect(message).toBe(
      'GET /v1/audit gave up after 2 of its 6 attempts: the wait of 120 s before its next attempt ' +
        '(Retry-After) would end past the 780 s one GET /v1/audit request may take (its attempts, the ' +
        "waits between them and the access token requests of its retries; not its first token, nor its waits for this client's own rate limit), 720 s of which had passed; " +
        'last: HTTP 429. Domo is throttling this client: try again later. Domo asked to wait ' +
        '31,536,000 s before trying again (Retry-After), each retry waited 120 s at most: run again ' +
        'after that time.',
    );
    expect(message).not.toContain(secret);
    expect(message).not.toMatch(/--[a-z]/);
  });

  it('says a limit under a second in milliseconds, not as 0 s', async () => {
    const { error } = await onePage(hourTokens, () => throttled(2), { requestDeadlineMs: 500 });
    expect((error as Error).message).toMatch(
      /^GET \/v1\/audit gave up after 1 of its 6 attempts: the wait of 2 s before its next attempt \(Retry-After\) would end past the 500 ms one GET \/v1\/audit request may take \(.*\), 0 ms of which had passed; last: HTTP 429\./,
    );
  });

  it('ends within it when every page is refused 401 (a new token each time)', async () => {
    // Before: 40 minutes (four tokens, each 5 waits of 120 s). Now the first token (left out) and
    // its page fit, then one renewal, and the next renewal's token request would end past 780 s.
    const refused = () => new Response('{"message":"token expired"}', { status: 401 });
    const { error, calls, seconds } = await onePage(hostileTokens, refused);
    expect(error).toBeInstanceOf(DomoUnavailableError);
    expect(seconds).toBeLessThanOrEqual(2 * 780);
    expect(seconds).toBe(1320);
    expect(calls).toEqual({ token: 14, audit: 2 });
  });

  it('is held to requestDeadlineMs when one is set', async () => {
    const { error, seconds } = await onePage(hostileTokens, () => throttled(YEAR_S), {
      requestDeadlineMs: 5 * MINUTE,
    });
    expect(error).toBeInstanceOf(DomoUnavailableError);
    expect(seconds).toBe(240);
  });
});

describe('a page Domo throttles honestly gets through as before any limit (review R-DEADLINE2)', () => {
  const cases = [
    { retryAfterS: 120, times: 3 },
    { retryAfterS: 120, times: 4 },
    { retryAfterS: 100, times: 3 },
    { retryAfterS: 60, times: 5 },
  ];
  for (const { retryAfterS, times } of cases) {
    it(`429 with Retry-After ${retryAfterS} s ${times} times, then the page`, async () => {
      const { value, error, seconds, calls } = await onePage(hourTokens, (_, n) =>
        n <= times ? throttled(retryAfterS) : Response.json([]),
      );
      expect(error).toBeUndefined();
      expect(value?.entries).toEqual([]);
      expect(seconds).toBe(retryAfterS * times);
      expect(calls).toEqual({ token: 1, audit: times + 1 });
    });
  }

  it('and when its first token was throttled too: that token request is left out (review R-DEADLINE3)', async () => {
    for (const tokenTimes of [
      { retryAfterS: 120, times: 3 },
      { retryAfterS: 60, times: 5 },
    ]) {
      const { value, error, seconds } = await onePage(
        (n) => (n <= tokenTimes.times ? throttled(tokenTimes.retryAfterS) : token(n, 3600)),
        (_, n) => (n <= 4 ? throttled(120) : Response.json([])),
      );
      expect(error).toBeUndefined();
      expect(value?.entries).toEqual([]);
      expect(seconds).toBe(tokenTimes.retryAfterS * tokenTimes.times + 4 * 120);
    }
  });

  it('the same with tokens of 1 s: a token for every attempt, within the limit', async () => {
    const { error, calls } = await onePage(
      (n) => token(n, 1),
      (_, n) => (n <= 5 ? throttled(120) : Response.json([])),
    );
    expect(error).toBeUndefined();
    expect(calls).toEqual({ token: 6, audit: 6 });
  });
});

describe('a token request shared by pages', () => {
  it('runs to the latest deadline of the pages waiting: a page that joined with time to spare gets its token', async () => {
    const time = virtualTime();
    // The token endpoint throttles (Retry-After 120 s) from 600 s to 840 s; tokens last 1 s. Page A
    // is throttled at every attempt; its sixth, at 600 s, starts a token request. Page B starts at
    // 601 s and joins it, with until 1,381 s; A has until 780 s.
    const { fetch } = api(
      time.clock.now,
      (n, nowMs) => (nowMs >= 600_000 && nowMs < 840_000 ? throttled(120) : token(n, 1)),
      (offset) => (offset === 0 ? throttled(120) : Response.json([])),
    );
    const client = virtualClient(time, fetch, {});
    const settle = (page: Promise<unknown>) =>
      page.then(
        () => ({ ok: true as const, at: time.clock.now() }),
        (error: unknown) => ({ ok: false as const, at: time.clock.now(), error }),
      );
    const a = settle(client.fetchPage(query(0)));
    const b = settle(time.sleep(601_000).then(() => client.fetchPage(query(1))));
    const [pageA, pageB] = await time.run(Promise.all([a, b]));
    // B does not fail on A's deadline, nor is it told that A's time had passed.
    expect(pageB).toEqual({ ok: true, at: 840_000 });
    // A gives up on its own deadline, its own time measured.
    expect(pageA.ok).toBe(false);
    expect(pageA.at).toBe(840_000);
    expect(((pageA as { error: Error }).error as Error).message).toMatch(
      /^GET \/v1\/audit gave up after 5 of its 6 attempts: its access token came past the 780 s one GET \/v1\/audit request may take .*, 840 s of which had passed; last: HTTP 429\./,
    );
  });
});

describe("waits for the client's own rate limit", () => {
  it('are left out of the limit: 16 workers at 0.2 requests a second all get their throttled pages', async () => {
    const time = virtualTime();
    // Every page is throttled 5 times (Retry-After 120 s: its whole schedule of waits) and each
    // answer takes 25 s: 750 s of the page's own, within its 780 s. At 5 s a request, the 16th page
    // waits 75 s for the limiter before its first attempt: counted, it failed.
    const { fetch: answer, calls } = api(
      time.clock.now,
      (n) => token(n, 3600),
      (_, n) => (n <= 5 ? throttled(120) : Response.json([])),
    );
    const fetch: FetchLike = async (url, init) => {
      if (!url.endsWith('/oauth/token')) await time.sleep(25_000);
      return answer(url, init);
    };
    const client = virtualClient(time, fetch, { requestsPerSecond: 0.2 });
    // All 16 start at 0: a page's time is when it ends.
    const pages = Array.from({ length: 16 }, (_, offset) =>
      client.fetchPage(query(offset)).then(
        () => time.clock.now(),
        (error: unknown) => (error as Error).message,
      ),
    );
    const took = await time.run(Promise.all(pages));
    expect(took.every((t) => typeof t === 'number')).toBe(true);
    expect(calls.audit).toBe(16 * 6);
    // The limiter's waits made the slowest page longer than its limit: they were not counted.
    expect(took.at(-1)).toBeGreaterThan(780_000);
  });
});

describe('a page asked again for fewer entries', () => {
  it('gives each smaller ask a limit of its own', async () => {
    // The first ask is throttled 5 times (600 s) and then comes past the body cap; the ask for 500
    // entries is throttled twice (240 s) more: 840 s in all, each ask within its 780 s.
    const big = JSON.stringify(Array.from({ length: 50 }, (_, i) => ({ id: i, pad: 'x'.repeat(40) })));
    const { value, error, seconds } = await onePage(
      hourTokens,
      (_, n) =>
        n <= 5 || (n >= 7 && n <= 8) ? throttled(120) : n === 6 ? new Response(big) : Response.json([]),
      { maxBodyBytes: 1000 },
    );
    expect(error).toBeUndefined();
    expect(value?.limit).toBe(500);
    expect(seconds).toBe(840);
  });
});

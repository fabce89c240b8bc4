import { describe, expect, it } from 'vitest';
import type { AuditClientOptions } from '../../../functions/core/domo/audit-client.ts';
import { DomoUnavailableError } from '../../../functions/core/domo/errors.ts';
import type { FetchLike } from '../../../functions/core/domo/http-request.ts';
import { virtualClient, virtualTime } from './support/virtual-time.ts';

/**
 * A hostile API against the time one page request may take (review R-HOSTILE 1): a token endpoint
 * that answers 429 with a Retry-After of a year five times in six and issues tokens of 1 second,
 * so that every attempt of the page needs a token of its own, each with retries of its own.
 * Virtual time: the waits are the client's own, not the test's.
 */

const YEAR_S = 365 * 24 * 3600;
const query = { start: 0, end: 3_599_999, limit: 1000, offset: 0 };
const MINUTE = 60_000;

interface Calls {
  token: number;
  audit: number;
}

/**
 * The hostile API: of every `cycle` token requests, all but the last are answered 429 with a
 * Retry-After of a year, the last with a token of 1 second; `audit` answers every page request.
 */
function hostileApi(audit: () => Response, cycle: number): { fetch: FetchLike; calls: Calls } {
  const calls: Calls = { token: 0, audit: 0 };
  const fetch: FetchLike = async (url) => {
    if (url.endsWith('/oauth/token')) {
      calls.token++;
      if (calls.token % cycle !== 0) return throttled();
      return Response.json({ access_token: `tok-${calls.token}`, expires_in: 1 });
    }
    calls.audit++;
    return audit();
  };
  return { fetch, calls };
}

const throttled = () => new Response('{}', { status: 429, headers: { 'Retry-After': String(YEAR_S) } });
const refused = () => new Response('{"message":"token expired"}', { status: 401 });

/** Asks one page of a client on virtual time: the error, the calls, the virtual minutes it took. */
async function onePage(audit: () => Response, cycle: number, overrides: Partial<AuditClientOptions> = {}) {
  const time = virtualTime();
  const api = hostileApi(audit, cycle);
  const client = virtualClient(time, api.fetch, overrides);
  const error = await time.run(
    client.fetchPage(query).then(
      () => undefined,
      (e: unknown) => e,
    ),
  );
  return { error, calls: api.calls, minutes: time.clock.now() / MINUTE };
}

describe('one page request against a hostile token endpoint (tokens of 1 s)', () => {
  it('ends within its 5-minute limit where it took 70 minutes (token 429 5 times in 6, audit 429)', async () => {
    const { error, calls, minutes } = await onePage(throttled, 6);
    expect(error).toBeInstanceOf(DomoUnavailableError);
    // Before the limit: 70.2 minutes, 36 token calls and 6 audit calls.
    expect(minutes).toBeLessThanOrEqual(5);
    // The token request has what is left of the page's time, not a request's time of its own:
    // two waits of 120 s and the third would end past the limit, so it gives up at once.
    expect(calls).toEqual({ token: 3, audit: 0 });
    expect(minutes).toBe(4);
  });

  it("does not run the token endpoint's retries in full inside every retry of the page", async () => {
    // Each token costs one wait of 120 s: 6 page attempts, each with a new token, took 22 minutes.
    const { error, calls, minutes } = await onePage(throttled, 2);
    expect(error).toBeInstanceOf(DomoUnavailableError);
    expect(minutes).toBeLessThanOrEqual(5);
    expect(calls.audit).toBeGreaterThanOrEqual(1);
    expect(calls.audit).toBeLessThanOrEqual(2);
    expect((error as Error).message).toMatch(
      /^(GET \/v1\/audit|POST \/oauth\/token) gave up after \d attempts?: one GET \/v1\/audit request may take 300 s/,
    );
  });

  it('ends within its limit when every page is refused 401 (a new token each time)', async () => {
    // Four tokens (the first and three renewals) of 120 s each: 8 minutes before the limit; with
    // the review's token endpoint (5 in 6 throttled), 40.1 minutes.
    const { error, calls, minutes } = await onePage(refused, 2);
    expect(error).toBeInstanceOf(DomoUnavailableError);
    expect(minutes).toBeLessThanOrEqual(5);
    expect(calls.audit).toBe(2);
  });

  it('says what ran out, how much had passed and what to check, without the credentials', async () => {
    const { error } = await onePage(throttled, 6, {
      credentials: { clientId: 'c', clientSecret: 'secret-value-0123456789' },
    });
    expect((error as Error).message).toBe(
      'POST /oauth/token gave up after 3 attempts: one GET /v1/audit request may take 300 s, its ' +
        'attempts, the waits between them and the access token requests they make included, and 240 s ' +
        'of it had passed with no time left for another attempt; last: HTTP 429. Domo is throttling ' +
        'this client: try again later. Domo asked to wait 31,536,000 s before trying again ' +
        '(Retry-After), each retry waited 120 s at most: run again after that time.',
    );
  });

  it('takes the limit from the client options', async () => {
    const { minutes, calls } = await onePage(throttled, 6, { requestDeadlineMs: 30 * MINUTE });
    expect(minutes).toBeGreaterThan(5);
    expect(minutes).toBeLessThanOrEqual(30);
    expect(calls.token).toBeGreaterThan(6);
  });
});

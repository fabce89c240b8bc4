import { describe, expect, it } from 'vitest';
import { ingestStoppedMessage } from '../../../functions/cli/failure-message.ts';
import { createAuditClient } from '../../../functions/core/domo/audit-client.ts';
import { DomoUnavailableError } from '../../../functions/core/domo/errors.ts';
import { GIVEN_UP } from '../../../functions/core/domo/http-request.ts';
import { fakeTime } from './support/fake-time.ts';
import { type VirtualTime, virtualClient, virtualTime } from './support/virtual-time.ts';

const query = { start: 0, end: 1, limit: 1000, offset: 0 };

/** A Domo whose audit answer is `answer(n, t)` for its n-th audit request (from 1) arriving at t ms. */
function scriptedDomo(time: VirtualTime, answer: (n: number, t: number) => Response | undefined) {
  let audits = 0;
  const fetch = async (url: string) => {
    await time.sleep(50);
    if (url.includes('/oauth/token')) return Response.json({ access_token: 'tok', expires_in: 3600 });
    audits++;
    return answer(audits, time.clock.now() - 50) ?? new Response('[]');
  };
  return { fetch, audits: () => audits };
}

const throttled = () => new Response('{"status":429}', { status: 429, headers: { 'Retry-After': '1' } });

describe('retries of throttling answers (review R-PACE F1)', () => {
  it('do not use up the attempts: a page refused 10 times in a row by a 1 req/s server gets through', async () => {
    const time = virtualTime();
    const domo = scriptedDomo(time, (n) => (n <= 10 ? throttled() : undefined));
    const page = await time.run(virtualClient(time, domo.fetch, {}).fetchPage(query));
    expect(page.entries).toEqual([]);
    expect(domo.audits()).toBe(11);
  });

  it('still end once the time one request may take is up (its waits for the pace left out)', async () => {
    const time = virtualTime();
    const domo = scriptedDomo(time, () => throttled());
    const client = virtualClient(time, domo.fetch, { requestDeadlineMs: 60_000 });
    const error = await time.run(client.fetchPage(query).catch((e: unknown) => e));
    expect(error).toBeInstanceOf(DomoUnavailableError);
    // Its own waits (Retry-After: 1) fill the 60 s, or its waits for the pace the 429s cut to fill
    // the 150 s a throttled request may wait for it with no clean answer (review R-PACE2 F2).
    expect((error as Error).message).toMatch(
      /^GET \/v1\/audit (gave up|failed) after \d+ attempts.*HTTP 429/,
    );
    expect(domo.audits()).toBeGreaterThan(6);
    expect(domo.audits()).toBeLessThanOrEqual(60);
  });
});

// A Domo answering 429 to everything for minutes, as in an outage, is refusing everyone: the
// command line offered a lower --requests-per-second for it, blaming this client's pace (helper
// OUTAGE). A page refused while other requests are answered keeps the plain sentence.
describe('a throttled request given up with no request answered for minutes', () => {
  it('says every request was refused for that long, not that a slower pace helps', async () => {
    const time = virtualTime();
    const domo = scriptedDomo(time, () => throttled());
    const error = await time.run(
      virtualClient(time, domo.fetch, {})
        .fetchPage(query)
        .catch((e: unknown) => e),
    );
    const message = (error as Error).message;
    expect(message).toMatch(
      /Domo is throttling this client, answering every request with 429 for 1\d\d s: a slower pace would not help, try again later\.$/,
    );
    expect(message).not.toContain(GIVEN_UP.throttled);
    expect(ingestStoppedMessage([{ windowStartMs: 0, message }], 1, 0)).not.toContain(
      '--requests-per-second',
    );
  });
});

describe('retries of a server answering 5xx (review R-PACE F3)', () => {
  /** 503 without Retry-After from 0 to 12 s: six jittered attempts wait ~7.75 s. */
  const outage = (time: VirtualTime) =>
    scriptedDomo(time, (_, t) => (t < 12_000 ? new Response('busy', { status: 503 }) : undefined));

  it('outlast a 12 s outage: the attempts end only once a minute has passed', async () => {
    const time = virtualTime();
    const domo = outage(time);
    const page = await time.run(virtualClient(time, domo.fetch, {}).fetchPage(query));
    expect(page.entries).toEqual([]);
    expect(domo.audits()).toBeGreaterThan(6);
  });

  it('end after the attempts alone with no such window', async () => {
    const time = virtualTime();
    const domo = outage(time);
    const client = virtualClient(time, domo.fetch, { minRetryWindowMs: 0 });
    const error = await time.run(client.fetchPage(query).catch((e: unknown) => e));
    expect(error).toBeInstanceOf(DomoUnavailableError);
    expect(domo.audits()).toBe(6);
  });
});

describe('retries on a clock that does not move (sleeps that return at once)', () => {
  it('end after ten times the attempts, where the time budgets never end', async () => {
    const time = fakeTime({ start: 0, sleepMovesClock: false });
    let audits = 0;
    const fetch = async (url: string) => {
      if (url.includes('/oauth/token')) return Response.json({ access_token: 'tok', expires_in: 3600 });
      audits++;
      return audits % 2 ? throttled() : new Response('busy', { status: 503 });
    };
    const client = createAuditClient({
      apiBase: 'https://domo.test',
      credentials: { clientId: 'c', clientSecret: 's' },
      fetch,
      ...time,
    });
    const error = await client.fetchPage(query).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomoUnavailableError);
    expect(audits).toBe(60);
  });
});

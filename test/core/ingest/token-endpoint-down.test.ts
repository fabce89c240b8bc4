import { describe, expect, it } from 'vitest';
import { createAuditClient } from '../../../functions/core/domo/audit-client.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { realClientWaits } from '../../../functions/core/runtime.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

/*
 * OUTAGE4: Domo's token endpoint down alone (the simulator's `--outage-answers token`). Every hour
 * needs the same token, yet a failed span was read again hour by hour as in an outage of the read,
 * and each span in flight asked again: 20 token requests of 6 attempts each per run.
 */

const day0 = Date.parse('2026-10-01T00:00:00Z');
const hour = (h: number) => day0 + h * HOUR_MS;
const ATTEMPTS = 3;

/**
 * Domo whose audit API answers no entries, its token endpoint 503 once `down` (or never answers,
 * `silent`); its requests counted.
 */
function domo(down: boolean | 'silent', limits: { requestDeadlineMs?: number } = {}) {
  const asked = { token: 0, audit: 0 };
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    if (new URL(String(input)).pathname.endsWith('/oauth/token')) {
      asked.token++;
      if (!down) return Response.json({ access_token: 'tok', token_type: 'bearer', expires_in: 3600 });
      if (down === 'silent') {
        return new Promise((_, reject) =>
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
        );
      }
      return Response.json({ message: 'down' }, { status: 503 });
    }
    asked.audit++;
    return Response.json([]);
  };
  const source = createAuditClient({
    apiBase: 'https://domo.example',
    fetch,
    credentials: { clientId: 'c', clientSecret: 's' },
    ...realClientWaits,
    requestsPerSecond: Number.POSITIVE_INFINITY,
    maxAttempts: ATTEMPTS,
    minRetryWindowMs: 0,
    baseDelayMs: 1,
    maxDelayMs: 2,
    ...limits,
  });
  return { source, asked };
}

describe("a run whose token Domo's token endpoint will not give (OUTAGE4)", () => {
  it('asks for it once (its retries), reads no hour by hour, and fails naming the token endpoint', async () => {
    // Hour 0 stored, so the plan's spans are long from the start.
    const store = new MemoryObjectStore();
    const up = domo(false).source;
    const first = await runIngest(
      { ...quietIngestDeps(up, store, hour(50)), source: up },
      defaultIngestConfig('acme'),
      { range: { fromMs: hour(0), toMs: hour(1) } },
    );
    expect(first.failures).toEqual([]);

    const { source, asked } = domo(true);
    const summary = await runIngest(
      { ...quietIngestDeps(source, store, hour(50)), source },
      { ...defaultIngestConfig('acme'), concurrency: 4 },
      { range: { fromMs: hour(1), toMs: hour(49) }, spanSizing: { targetEvents: 100, maxHours: 6 } },
    );
    // Before: the spans' request, then one more for each span read again hour by hour (6 here).
    expect(asked).toEqual({ token: ATTEMPTS, audit: 0 });
    expect(summary).toMatchObject({ windowsDone: 0, stoppedEarly: 'fatal-error' });
    expect(summary.failures[0]?.message).toMatch(/^POST \/oauth\/token failed after 3 attempts/);
  });

  it('nor when a page ran out of its own time waiting for its token: the token request failed it', async () => {
    const store = new MemoryObjectStore();
    const up = domo(false).source;
    await runIngest({ ...quietIngestDeps(up, store, hour(50)), source: up }, defaultIngestConfig('acme'), {
      range: { fromMs: hour(0), toMs: hour(1) },
    });

    // A token endpoint that never answers: its request's one attempt takes all the page may take.
    const { source, asked } = domo('silent', { requestDeadlineMs: 200 });
    const summary = await runIngest(
      { ...quietIngestDeps(source, store, hour(50)), source },
      { ...defaultIngestConfig('acme'), concurrency: 4 },
      { range: { fromMs: hour(1), toMs: hour(49) }, spanSizing: { targetEvents: 100, maxHours: 6 } },
    );
    // Before: read again hour by hour as an outage of the read, a token request for each hour.
    expect(asked).toEqual({ token: 1, audit: 0 });
    expect(summary).toMatchObject({ windowsDone: 0, stoppedEarly: 'fatal-error' });
    expect(summary.failures[0]?.message).toMatch(
      /^GET \/v1\/audit gave up .*its access token request \(POST \/oauth\/token/,
    );
  });
});

// REVIEW89B: a token request that never started (the page's own slow answer took its time) was
// taken for the token endpoint failing: the run stopped instead of reading each hour alone.
describe('a page whose own answer took its time before its token request could start', () => {
  it('is read again hour by hour: the token endpoint was never asked, and answers then', async () => {
    const store = new MemoryObjectStore();
    const up = domo(false).source;
    await runIngest({ ...quietIngestDeps(up, store, hour(50)), source: up }, defaultIngestConfig('acme'), {
      range: { fromMs: hour(0), toMs: hour(1) },
    });

    const asked = { token: 0, audit: 0 };
    // The first page's answer (a 401: its token is refused) takes 299 of its 300 ms, on the
    // client's clock: its retry's new token request has no time to start.
    let taken = 0;
    const fetch = async (input: string | URL | Request): Promise<Response> => {
      if (new URL(String(input)).pathname.endsWith('/oauth/token')) {
        asked.token++;
        return Response.json({ access_token: `tok${asked.token}`, token_type: 'bearer', expires_in: 3600 });
      }
      asked.audit++;
      if (asked.audit > 1) return Response.json([]);
      taken += 299;
      return Response.json({ message: 'refused' }, { status: 401 });
    };
    const source = createAuditClient({
      apiBase: 'https://domo.example',
      fetch,
      credentials: { clientId: 'c', clientSecret: 's' },
      ...realClientWaits,
      pacingClock: { now: () => performance.now() + taken },
      requestsPerSecond: Number.POSITIVE_INFINITY,
      maxAttempts: ATTEMPTS,
      minRetryWindowMs: 0,
      baseDelayMs: 1,
      maxDelayMs: 2,
      requestDeadlineMs: 300,
    });
    const summary = await runIngest(
      { ...quietIngestDeps(source, store, hour(50)), source },
      { ...defaultIngestConfig('acme'), concurrency: 1 },
      { range: { fromMs: hour(1), toMs: hour(13) }, spanSizing: { targetEvents: 100, maxHours: 6 } },
    );
    // Before: stopped at the first span, `fatal-error`, no hour stored and the token asked once.
    expect(summary).toMatchObject({ windowsDone: 12, stoppedEarly: null, failures: [] });
    expect(asked.token).toBe(2);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DomoConfigError, DomoUnavailableError } from '../../../functions/core/domo/errors.ts';
import { type HttpDeps, sendRequest } from '../../../functions/core/domo/http-request.ts';
import { createRedactor } from '../../../functions/core/domo/redactor.ts';
import {
  createTokenProvider,
  type TokenProviderOptions,
  type TokenShelf,
} from '../../../functions/core/domo/token-provider.ts';
import { type Log, silentLog } from '../../../functions/core/ports.ts';
import { MINUTE_MS } from '../../../functions/core/time-units.ts';
import { type FakeDomo, startFakeDomo } from './support/fake-domo.ts';
import { type FakeTime, fakeTime } from './support/fake-time.ts';
import { noPacing } from './support/no-pacing.ts';

// A token kept from one provider (one Lambda run) for the next of the same credentials, and the
// current token used past its refresh time while Domo's token endpoint is down (review OUTAGE3).

const SECRET = 'client-secret-value';
const credentials = { clientId: 'client-abc', clientSecret: SECRET };
const HOUR_S = 3600;
const MARGIN_MS = 2 * MINUTE_MS;

let domo: FakeDomo;
let time: FakeTime;

beforeEach(async () => {
  domo = await startFakeDomo({ expiresIn: HOUR_S });
  time = fakeTime();
});
afterEach(() => domo.close());

/** A provider wired as the audit client wires it, with 3 attempts per token request. */
const provider = (overrides: Partial<TokenProviderOptions> = {}) => {
  const redactor = createRedactor([SECRET]);
  const deps: HttpDeps = {
    fetch: (url, init) => fetch(url, init),
    limiter: noPacing,
    clock: time.clock,
    sleep: time.sleep,
    backoff: { baseDelayMs: 10, maxDelayMs: 100, maxRetryAfterMs: 1000, random: () => 0.5 },
    requestTimeoutMs: 2000,
    maxAttempts: 3,
    userAgent: 'test',
    scrub: (text) => text,
  };
  const tokens = createTokenProvider({
    apiBase: domo.base,
    credentials,
    scope: 'audit',
    refreshMarginMs: MARGIN_MS,
    clock: time.clock,
    send: (request, options) => sendRequest(deps, request, options),
    onIssued: redactor.add,
    scrub: redactor.scrub,
    ...overrides,
  });
  return { tokens, scrub: redactor.scrub };
};

const tokenRequests = () => domo.requests.filter((request) => request.path === '/oauth/token');
const tokenEndpointDown = () => {
  for (let i = 0; i < 30; i++) domo.script('token', { status: 503, json: { message: 'down' } });
};

describe('a token kept for the next provider', () => {
  it('is handed out by the next provider while it lives, with no token request', async () => {
    const shelf: TokenShelf = {};
    expect(await provider({ shelf }).tokens.getToken()).toBe('tok-1');
    time.advance(45 * MINUTE_MS);

    const next = provider({ shelf });
    expect(await next.tokens.getToken()).toBe('tok-1');
    expect(tokenRequests()).toHaveLength(1);
    // Learnt by the next run's redactor too: a log line echoing it shows no token.
    expect(next.scrub('sent tok-1')).not.toContain('tok-1');
    time.advance(HOUR_S * 1000 - 45 * MINUTE_MS - MARGIN_MS);
    expect(await next.tokens.getToken()).toBe('tok-2');
    expect(shelf.kept?.token).toBe('tok-2');
  });

  it('serves the next run past a token endpoint that is down, and names the customer it was issued for', async () => {
    const shelf: TokenShelf = {};
    await provider({ shelf }).tokens.getToken();
    tokenEndpointDown();
    time.advance(15 * MINUTE_MS);

    const next = provider({ shelf }).tokens;
    expect(await next.getToken()).toBe('tok-1');
    expect(next.customer()).toBe('acme');
  });

  it('is logged as reused by the run that hands it out, once, not by one that asks for no token', async () => {
    const shelf: TokenShelf = {};
    await provider({ shelf }).tokens.getToken();
    const said: string[] = [];
    const log: Log = { ...silentLog, info: (message) => said.push(message) };

    provider({ shelf, log });
    expect(said).toEqual([]);
    const next = provider({ shelf, log }).tokens;
    await next.getToken();
    await next.getToken();
    expect(said).toEqual(['Domo access token of an earlier run reused']);
  });

  it('is logged as reused when handed out past its refresh, the token endpoint down', async () => {
    const shelf: TokenShelf = {};
    await provider({ shelf }).tokens.getToken();
    tokenEndpointDown();
    time.advance(HOUR_S * 1000 - MARGIN_MS);
    const said: string[] = [];
    const log: Log = { ...silentLog, info: (message) => said.push(message) };
    // A rotation's run on the old client's token: the log must say which token it ran on.
    expect(await provider({ shelf, log }).tokens.getToken()).toBe('tok-1');
    expect(said).toContain('Domo access token of an earlier run reused');
  });

  it('is not taken once expired, nor logged as reused', async () => {
    const shelf: TokenShelf = {};
    await provider({ shelf }).tokens.getToken();
    time.advance(HOUR_S * 1000);
    const said: string[] = [];
    const log: Log = { ...silentLog, info: (message) => said.push(message) };
    const next = provider({ shelf, log }).tokens;
    // Not even for the customer the lake is bound to: an expired token binds nothing.
    expect(next.customer()).toBeUndefined();
    expect(await next.getToken()).toBe('tok-2');
    expect(said).not.toContain('Domo access token of an earlier run reused');
  });

  it('is forgotten once Domo refused it (401), so the next provider asks for a new one', async () => {
    const shelf: TokenShelf = {};
    const first = provider({ shelf }).tokens;
    first.invalidate(await first.getToken());
    expect(shelf.kept).toBeUndefined();
    expect(await provider({ shelf }).tokens.getToken()).toBe('tok-2');
  });
});

describe('the current token while the token endpoint is down', () => {
  it('is used from its refresh time until it expires, asking again only then', async () => {
    const warnings: string[] = [];
    const log: Log = { ...silentLog, warn: (message) => warnings.push(message) };
    const { tokens } = provider({ log });
    expect(await tokens.getToken()).toBe('tok-1');
    tokenEndpointDown();
    time.advance(HOUR_S * 1000 - MARGIN_MS);

    expect(await tokens.getToken()).toBe('tok-1');
    const asked = tokenRequests().length;
    expect(asked).toBe(1 + 3);
    expect(warnings).toEqual([
      'Domo did not issue a new access token; the current one is used until it expires',
    ]);
    // Not asked for again for each page: each ask would wait its retries.
    expect(await tokens.getToken()).toBe('tok-1');
    expect(tokenRequests()).toHaveLength(asked);

    time.advance(MARGIN_MS);
    await expect(tokens.getToken()).rejects.toBeInstanceOf(DomoUnavailableError);
  });

  it('is not used when Domo refuses the credentials', async () => {
    const { tokens } = provider();
    await tokens.getToken();
    domo.script('token', { status: 401, json: { message: 'nope' } });
    time.advance(HOUR_S * 1000 - MARGIN_MS);
    await expect(tokens.getToken()).rejects.toBeInstanceOf(DomoConfigError);
  });
});

import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_API_BASE } from '../../../functions/core/domo/api-base.ts';
import {
  type AuditClientOptions,
  type AuditClientSettings,
  createAuditClient,
  decodeAuditPage,
} from '../../../functions/core/domo/audit-client.ts';
import { MAX_PAGE_SIZE } from '../../../functions/core/domo/audit-source.ts';
import { ResponseBody } from '../../../functions/core/domo/bounded-body.ts';
import { entryWeightOfText } from '../../../functions/core/domo/entry-weight.ts';
import { DomoConfigError, DomoUnavailableError } from '../../../functions/core/domo/errors.ts';
import type { RetryEvent } from '../../../functions/core/domo/http-request.ts';
import { realClientWaits } from '../../../functions/core/runtime.ts';
import { CODE_VERSION } from '../../../functions/core/version.ts';
import { type FakeDomo, startFakeDomo } from './support/fake-domo.ts';
import { type FakeTime, fakeTime } from './support/fake-time.ts';

const credentials = { clientId: 'client-abc', clientSecret: 'the-secret' };
const query = { start: 1_790_000_000_000, end: 1_790_003_599_999, limit: 1000, offset: 0 };

let domo: FakeDomo;
let time: FakeTime;

beforeEach(async () => {
  domo = await startFakeDomo({ expiresIn: 3600 });
  time = fakeTime();
});
afterEach(() => domo.close());

const client = (overrides: Partial<AuditClientSettings> = {}) =>
  createAuditClient({
    apiBase: domo.base,
    credentials,
    fetch: globalThis.fetch,
    clock: time.clock,
    sleep: time.sleep,
    pacingClock: time.clock,
    random: () => 0.5,
    requestsPerSecond: Number.POSITIVE_INFINITY,
    ...overrides,
  });

const auditRequests = () => domo.requests.filter((request) => request.path.endsWith('/v1/audit'));
const tokenRequests = () => domo.requests.filter((request) => request.path.endsWith('/oauth/token'));

describe('createAuditClient fetchPage', () => {
  it('sends GET /v1/audit with start, end, limit and offset and the bearer token', async () => {
    domo.script('audit', { json: [{ time: 1, userId: 7 }, { unknown: 'kept' }] });
    const page = await client().fetchPage({ ...query, limit: 500, offset: 1500 });
    expect(page).toEqual({
      entries: [{ time: 1, userId: 7 }, { unknown: 'kept' }],
      entryTexts: ['{"time":1,"userId":7}', '{"unknown":"kept"}'],
      entryWeights: [64 + 24, 64],
      entryBytes: [21, 18],
      bodyBytes: 42,
      requests: 2,
    });
    const [request] = auditRequests();
    expect(request?.method).toBe('GET');
    expect(request?.path).toBe('/v1/audit');
    expect(request?.rawQuery).toBe(`?start=${query.start}&end=${query.end}&limit=500&offset=1500`);
    expect(request?.headers.authorization).toBe('bearer tok-1');
    expect(request?.headers.accept).toBe('application/json');
    expect(request?.headers['user-agent']).toBe(`domo-activity-lake/${CODE_VERSION}`);
  });

  it('reuses the token: a later page takes one request', async () => {
    const audit = client();
    expect((await audit.fetchPage(query)).requests).toBe(2);
    expect((await audit.fetchPage({ ...query, offset: 1000 })).requests).toBe(1);
    expect(audit.stats()).toEqual({ requests: 3, retries: 0, tokenRefreshes: 1 });
  });

  it('fetches a new token once the old one is within the refresh margin', async () => {
    const audit = client({ tokenRefreshMarginMs: 60_000 });
    await audit.fetchPage(query);
    time.advance(3600_000 - 60_000);
    const page = await audit.fetchPage(query);
    expect(page.requests).toBe(2);
    expect(auditRequests()[1]?.headers.authorization).toBe('bearer tok-2');
    expect(audit.stats().tokenRefreshes).toBe(2);
  });

  it('on 401 gets a new token and retries once', async () => {
    domo.script('audit', {
      status: 401,
      json: { status: 401, statusReason: 'Unauthorized', message: 'expired' },
    });
    const retries: RetryEvent[] = [];
    const page = await client({ onRetry: (event) => retries.push(event) }).fetchPage(query);
    // token, 401, new token, page
    expect(page.requests).toBe(4);
    expect(auditRequests().map((request) => request.headers.authorization)).toEqual([
      'bearer tok-1',
      'bearer tok-2',
    ]);
    expect(retries).toEqual([expect.objectContaining({ status: 401, delayMs: 0 })]);
  });

  it('renews a token that expired during the backoff before the next attempt', async () => {
    await domo.close();
    domo = await startFakeDomo({ expiresIn: 1 });
    const unavailable = { status: 503, json: { status: 503, message: 'busy' } };
    domo.script('audit', unavailable, unavailable);
    const page = await client().fetchPage(query);
    // The waits after the two 503s carry the clock past the 1 s token's refresh time (500 ms).
    expect(time.sleeps.reduce((sum, ms) => sum + ms, 0)).toBeGreaterThan(500);
    expect(auditRequests().map((request) => request.headers.authorization)).toEqual([
      'bearer tok-1',
      'bearer tok-1',
      'bearer tok-2',
    ]);
    expect(page.requests).toBe(5);
  });

  it('counts the 401 retry and the second token in the stats', async () => {
    domo.script('audit', { status: 401 });
    const audit = client();
    await audit.fetchPage(query);
    expect(audit.stats()).toEqual({ requests: 4, retries: 1, tokenRefreshes: 2, lastRetry: { status: 401 } });
  });

  it('gives up with a configuration error when a fresh token is refused too', async () => {
    const refused = { status: 401, json: { status: 401, statusReason: 'Unauthorized', message: 'no audit' } };
    domo.script('audit', refused, refused);
    const error = await client()
      .fetchPage(query)
      .catch((e) => e);
    expect(error).toBeInstanceOf(DomoConfigError);
    expect(error.status).toBe(401);
    expect(error.message).toBe(
      'GET /v1/audit refused a freshly issued token (HTTP 401 Unauthorized: no audit): API client ' +
        "'client-abc' may lack the audit scope (granted: 'audit') or its owner may lack admin rights to the " +
        'activity log; grant both in Domo.',
    );
    expect(auditRequests()).toHaveLength(2);
    expect(tokenRequests()).toHaveLength(2);
  });

  /** A Domo whose 1 s tokens expire before each of the first `slowAnswers` audit answers arrives. */
  const slowDomo = (slowAnswers: number) => {
    const counts = { tokens: 0, audits: 0 };
    const fetch = async (url: string) => {
      if (url.endsWith('/oauth/token')) {
        counts.tokens++;
        return Response.json({ access_token: `tok-${counts.tokens}`, expires_in: 1, scope: 'audit' });
      }
      counts.audits++;
      if (counts.audits > slowAnswers) return new Response('[]');
      time.advance(1500);
      return Response.json({ status: 401, message: 'The access token has expired' }, { status: 401 });
    };
    return { fetch, counts };
  };

  it('renews a token that expired in flight instead of calling it refused', async () => {
    const domo = slowDomo(3);
    const page = await client({ fetch: domo.fetch }).fetchPage(query);
    expect(page.entries).toEqual([]);
    expect(domo.counts).toEqual({ tokens: 4, audits: 4 });
  });

  it('says tokens expire before use, not that rights are missing, when they always do', async () => {
    const domo = slowDomo(Number.POSITIVE_INFINITY);
    const error = await client({ fetch: domo.fetch })
      .fetchPage(query)
      .catch((e) => e);
    expect(error).toBeInstanceOf(DomoConfigError);
    expect(error.message).toMatch(
      /^GET \/v1\/audit: 4 access tokens in a row expired before Domo answered \(HTTP 401.*check this machine's clock and the token lifetime of API client 'client-abc'/,
    );
    expect(domo.counts).toEqual({ tokens: 4, audits: 4 });
  });

  it('retries a body that is JSON but not an array, like a 5xx', async () => {
    domo.script('audit', { json: { status: 'ok' } }, { status: 503 }, { json: [1, 2] });
    const audit = client();
    const page = await audit.fetchPage(query);
    expect(page).toEqual({
      entries: [1, 2],
      entryTexts: ['1', '2'],
      entryWeights: [1, 1],
      entryBytes: [1, 1],
      bodyBytes: 5,
      requests: 4,
    });
    expect(audit.stats().retries).toBe(2);
    expect(time.sleeps).toEqual([250, 500]);
  });

  it("gives each entry's text exactly as served: big integers, duplicate keys, escapes, nesting", async () => {
    const served = [
      '{"time":1790000000001,"objectId":12345678901234567890,"userId":1,"userId":2}',
      String.raw`{ "b" : "q\"uote \u00e9\ud83d\ude00 , ] }" , "a" : [ [1, {"x": [ ]}], -0.0e5 ] }`,
      '{"objectName":"Ünïcødé 😀","nested":{"deeper":{"list":[1,[2,[3]]]}}}',
    ];
    domo.script('audit', { text: `\n[ ${served.join(' ,\n  ')} ]\n` });
    const page = await client().fetchPage(query);
    expect(page.entryTexts).toEqual(served);
    expect(page.entries).toEqual(served.map((text) => JSON.parse(text)));
    // What JSON.parse alone keeps: the last duplicate and a rounded integer.
    expect(JSON.stringify(page.entries[0])).toBe(
      '{"time":1790000000001,"objectId":12345678901234567000,"userId":2}',
    );
  });

  it('treats a page with more entries than the limit as broken: retried, then unavailable', async () => {
    const entries = Array.from({ length: 5 }, (_, n) => ({ time: n }));
    domo.script('audit', { json: entries }, { json: entries }, { json: entries });
    const retries: RetryEvent[] = [];
    const error = await client({ maxAttempts: 3, onRetry: (event) => retries.push(event) })
      .fetchPage({ ...query, limit: 4 })
      .catch((e) => e);
    expect(error).toBeInstanceOf(DomoUnavailableError);
    expect(error.message).toContain('holds 5 entries, more than the limit of 4 asked for');
    expect(retries.map((r) => r.reason)).toEqual([
      expect.stringContaining('HTTP 200 body holds 5 entries'),
      expect.stringContaining('HTTP 200 body holds 5 entries'),
    ]);
    domo.script('audit', { json: entries });
    expect((await client().fetchPage({ ...query, limit: 5 })).entries).toHaveLength(5);
  });

  it('counts every request of a page that ends unavailable', async () => {
    domo.script('audit', { status: 500 }, { status: 500 }, { status: 500 });
    const audit = client({ maxAttempts: 3, minRetryWindowMs: 0 });
    const error = await audit.fetchPage(query).catch((e) => e);
    expect(error).toBeInstanceOf(DomoUnavailableError);
    expect(error.attempts).toBe(3);
    expect(audit.stats()).toEqual({ requests: 4, retries: 2, tokenRefreshes: 1, lastRetry: { status: 500 } });
  });

  it('counts the retries after a 429 and keeps the wait the last one asked for (review R-ONCALL M3)', async () => {
    domo.script('audit', { status: 429, headers: { 'Retry-After': '2' } }, { status: 503 }, { json: [] });
    const audit = client({ maxAttempts: 3, minRetryWindowMs: 0 });
    await audit.fetchPage(query);
    expect(audit.stats()).toMatchObject({ retries: 2, throttledRetries: 1, lastRetry: { status: 503 } });
    domo.script('audit', { status: 429, headers: { 'Retry-After': '2' } }, { json: [] });
    await audit.fetchPage(query);
    expect(audit.stats()).toMatchObject({
      retries: 3,
      throttledRetries: 2,
      lastRetry: { status: 429, retryAfterMs: 2000 },
    });
  });

  it.each([
    [403, "API client 'client-abc' may lack the audit scope"],
    [400, 'Domo rejected the query parameters'],
    [404, 'check apiBase'],
  ])('fails fast on %i with a fix in the message', async (status, fix) => {
    domo.script('audit', { status, json: { status, message: `domo says ${status}` } });
    const error = await client()
      .fetchPage(query)
      .catch((e) => e);
    expect(error).toBeInstanceOf(DomoConfigError);
    expect(error.message).toContain(`domo says ${status}`);
    expect(error.message).toContain(fix);
    expect(auditRequests()).toHaveLength(1);
  });

  it('asks a page too long for the body cap again for half as many entries, not again as is', async () => {
    const entry = (n: number) => ({ time: n, note: 'x'.repeat(200) });
    const served = (count: number) => ({ json: Array.from({ length: count }, (_, i) => entry(i)) });
    // ~2.2 KB for 10 entries, over a cap of 1,500 bytes; the 5 of the second answer fit.
    domo.script('audit', served(10), served(5));
    const retries: RetryEvent[] = [];
    const page = await client({ maxBodyBytes: 1_500, onRetry: (event) => retries.push(event) }).fetchPage({
      ...query,
      limit: 10,
      offset: 30,
    });
    expect(page.entries).toHaveLength(5);
    expect(page.limit).toBe(5);
    expect(page.requests).toBe(3);
    expect(auditRequests().map((r) => [r.query.get('limit'), r.query.get('offset')])).toEqual([
      ['10', '30'],
      ['5', '30'],
    ]);
    expect(retries).toEqual([]);
  });

  it('asks a page of 2 still too long one entry at a time, handing one too large alone on as a stand-in (review stop 90)', async () => {
    const small = { time: 1, note: 'x' };
    const giant = { time: 2, note: 'y'.repeat(2_000) };
    const big = { json: [small, giant] };
    domo.script('audit', ...Array.from({ length: 10 }, () => big), { json: [small] }, { json: [giant] });
    const page = await client({ maxBodyBytes: 1_000 }).fetchPage(query);
    expect(auditRequests().map((r) => [r.query.get('limit'), r.query.get('offset')])).toEqual([
      ...['1000', '500', '250', '125', '62', '31', '15', '7', '3', '2'].map((limit) => [limit, '0']),
      ['1', '0'],
      ['1', '1'],
    ]);
    expect(page.limit).toBe(2);
    expect(page.entries[0]).toEqual(small);
    expect(page.entryTexts[0]).toBe(JSON.stringify(small));
    // The giant's first 1,000 bytes named it: the same entry read again makes the same stand-in.
    const head = createHash('sha256')
      .update(Buffer.from(JSON.stringify([giant])).subarray(0, 1_000))
      .digest('hex');
    expect(page.entryTexts[1]).toBe(`entry too large to read, its first bytes' sha256 ${head}`);
    expect(page.entries[1]).toBe(page.entryTexts[1]);
    expect(page.tooLargeEntries).toEqual([
      {
        index: 1,
        reason:
          'entry is too large to read: asked for alone, at offset 1 of 2026-09-21T14:13:20.001Z..2026-09-21T15:13:19.999Z, ' +
          "Domo's answer was refused (HTTP 200 body is longer than maxBodyBytes (1000 bytes)); its text is not kept, " +
          'this record stands for it',
      },
    ]);
  });

  it('names an entry too large alone by its first bytes even when its length is declared past the cap', async () => {
    const small = { time: 1, note: 'x' };
    const giant = { time: 2, note: 'y'.repeat(2_000) };
    const big = { json: [small, giant] };
    const declared = { 'Content-Length': String(Buffer.byteLength(JSON.stringify([giant]))) };
    const lone = { json: [giant], headers: declared };
    domo.script('audit', ...Array.from({ length: 10 }, () => big), { json: [small] }, lone);
    const page = await client({ maxBodyBytes: 1_000, maxWireBytes: 1_000 }).fetchPage(query);
    // Refused unread, only its offset and range named it: read again at another, a second record.
    const head = createHash('sha256')
      .update(Buffer.from(JSON.stringify([giant])).subarray(0, 1_000))
      .digest('hex');
    expect(page.entryTexts[1]).toBe(`entry too large to read, its first bytes' sha256 ${head}`);
    expect(page.tooLargeEntries?.map((e) => e.index)).toEqual([1]);
  });

  it('ends a page asked one entry at a time where Domo has no more', async () => {
    const giant = { time: 2, note: 'y'.repeat(2_000) };
    const big = { json: [giant] };
    domo.script('audit', ...Array.from({ length: 10 }, () => big), big, { json: [] });
    const page = await client({ maxBodyBytes: 1_000 }).fetchPage({ ...query, offset: 40 });
    expect(page.entries).toHaveLength(1);
    expect(page.tooLargeEntries?.map((e) => e.index)).toEqual([0]);
    expect(page.tooLargeEntries?.[0]?.reason).toContain('at offset 40 of');
    expect(page.bodyBytes).toBe(Buffer.byteLength(page.entryTexts[0] as string) + 2);
  });

  it.each([0, MAX_PAGE_SIZE + 1, 1.5, Number.NaN])(
    'refuses limit %s before sending anything',
    async (limit) => {
      await expect(client().fetchPage({ ...query, limit })).rejects.toThrow(
        /audit page limit must be an integer from 1 to 1000/,
      );
      expect(domo.requests).toHaveLength(0);
    },
  );

  it('refuses a negative offset and a window that ends before it starts', async () => {
    await expect(client().fetchPage({ ...query, offset: -1 })).rejects.toThrow(RangeError);
    await expect(client().fetchPage({ ...query, end: query.start - 1 })).rejects.toThrow(/0 <= start <= end/);
    expect(domo.requests).toHaveLength(0);
  });

  it('accepts the smallest and largest page sizes', async () => {
    const audit = client();
    await audit.fetchPage({ ...query, limit: 1 });
    await audit.fetchPage({ ...query, limit: MAX_PAGE_SIZE });
    expect(auditRequests().map((request) => request.query.get('limit'))).toEqual(['1', '1000']);
  });

  it('spaces all requests, token requests included, by the client-wide rate limit', async () => {
    domo.script('audit', { status: 429, headers: { 'Retry-After': '0' } });
    domo.script('audit', { status: 429, headers: { 'Retry-After': '0' } });
    const audit = client({ requestsPerSecond: 2 });
    await audit.fetchPage(query);
    await audit.fetchPage(query);
    // token, 429, retry after 0 ms, 429, retry after 0 ms, second page: 500 ms apart under the
    // ceiling of 2 req/s, then 625 ms once the second 429 in a row has cut the pace to 0.8 x 2 req/s.
    expect(time.sleeps).toEqual([500, 0, 500, 0, 625, 625]);
  });

  it('shares one token request between pages fetched concurrently', async () => {
    const audit = client();
    const pages = await Promise.all([audit.fetchPage(query), audit.fetchPage({ ...query, offset: 1000 })]);
    expect(tokenRequests()).toHaveLength(1);
    expect(pages.map((page) => page.requests).sort()).toEqual([1, 2]);
  });

  it('stops with the abort reason when the caller aborts', async () => {
    const controller = new AbortController();
    controller.abort(new Error('out of time'));
    await expect(client().fetchPage(query, controller.signal)).rejects.toThrow('out of time');
  });

  it('logs retries and new tokens without secrets', async () => {
    const lines: [string, string, unknown][] = [];
    const log = {
      debug: (message: string, fields?: unknown) => lines.push(['debug', message, fields]),
      info: (message: string, fields?: unknown) => lines.push(['info', message, fields]),
      warn: (message: string, fields?: unknown) => lines.push(['warn', message, fields]),
      error: (message: string, fields?: unknown) => lines.push(['error', message, fields]),
    };
    domo.script('audit', { status: 503 });
    await client({ log }).fetchPage(query);
    expect(lines.map(([level, message]) => `${level} ${message}`)).toEqual([
      'info Domo access token obtained',
      'warn Domo request will be retried',
      'debug Domo audit page fetched',
    ]);
    expect(lines[0]?.[2]).toMatchObject({
      clientId: 'client-abc',
      expiresInS: 3600,
      scope: 'audit',
      role: 'Admin',
    });
    expect(lines[1]?.[2]).toMatchObject({ request: 'GET /v1/audit', status: 503, attempt: 1 });
    expect(JSON.stringify(lines)).not.toMatch(/the-secret|tok-1/);
  });
});

describe('createAuditClient options', () => {
  it('strips trailing slashes from apiBase and keeps a path prefix', async () => {
    await client({ apiBase: `${domo.base}/` }).fetchPage(query);
    await client({ apiBase: `${domo.base}/domo//` }).fetchPage(query);
    expect(domo.requests.map((request) => request.path)).toEqual([
      '/oauth/token',
      '/v1/audit',
      '/domo/oauth/token',
      '/domo/v1/audit',
    ]);
  });

  it('uses https://api.domo.com by default', () => {
    expect(DEFAULT_API_BASE).toBe('https://api.domo.com');
  });

  it('needs a fetch: without one it throws at once instead of reaching the network', () => {
    // A caller that is not type-checked (or casts) and forgets it: the global fetch was the default.
    expect(() => client({ fetch: undefined as never })).toThrow(
      new TypeError('createAuditClient needs a fetch: the entry point passes globalThis.fetch'),
    );
    expect(domo.requests).toEqual([]);
  });

  it.each([
    ['ftp://api.domo.com', /must be an http\(s\) URL/],
    ['api.domo.com', /is not a URL/],
    ['https://user:pw@api.domo.com', /must not carry a user name or password/],
    ['https://api.domo.com/?x=1', /without query or fragment/],
    ['http://api.domo.com', /would send the Domo client secret in cleartext: use https:\/\//],
  ])('refuses apiBase %s with a clear configuration error', (apiBase, message) => {
    expect(() => client({ apiBase })).toThrow(DomoConfigError);
    expect(() => client({ apiBase })).toThrow(message);
  });

  it('refuses empty or impossible credentials', () => {
    expect(() => client({ credentials: { clientId: ' ', clientSecret: 'x' } })).toThrow(/client id is empty/);
    expect(() => client({ credentials: { clientId: 'a:b', clientSecret: 'x' } })).toThrow(/contains ':'/);
    expect(() => client({ credentials: { clientId: 'a', clientSecret: '' } })).toThrow(
      /client secret for client 'a' is empty: set DOMO_CLIENT_ID\/DOMO_CLIENT_SECRET/,
    );
  });

  // Review R-LEAK M1: the last check before the redactor, whatever the credentials came from.
  it('refuses a client secret or id over 1 KiB, never repeating it', () => {
    const long = '0123456789abcdef'.repeat(175);
    for (const credentials of [
      { clientId: 'a', clientSecret: long },
      { clientId: long, clientSecret: 'x' },
    ]) {
      let message = '';
      try {
        client({ credentials });
      } catch (error) {
        expect(error).toBeInstanceOf(DomoConfigError);
        message = (error as Error).message;
      }
      expect(message).toMatch(/longer than 1024 characters/);
      expect(message).not.toContain('0123456789abcdef');
    }
  });

  it('never shows a client id holding a colon: it is most likely "id:secret" pasted whole', () => {
    const pasted = { clientId: 'client-abc:the-real-secret', clientSecret: 'x' };
    expect(() => client({ credentials: pasted })).toThrow(DomoConfigError);
    const message = (() => {
      try {
        client({ credentials: pasted });
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    expect(message).not.toContain('the-real-secret');
    expect(message).not.toContain('client-abc');
    expect(message).toMatch(/contains ':' \(character 11 of 26\)/);
    expect(message).toMatch(/"clientId" and "clientSecret" fields of the Secrets Manager secret/);
  });

  it.each([
    ['maxAttempts', 0],
    ['maxAttempts', 2.5],
    ['requestTimeoutMs', 0],
    // Never timing out is what the timeout exists to prevent.
    ['requestTimeoutMs', Number.POSITIVE_INFINITY],
    ['baseDelayMs', -1],
    ['maxDelayMs', Number.NaN],
    ['maxRetryAfterMs', Number.POSITIVE_INFINITY],
    // Past 2^31-1 ms Node's timers fire after 1 ms: the setting would mean the opposite.
    ['requestTimeoutMs', 2 ** 31],
    ['maxDelayMs', 2 ** 31],
    ['maxRetryAfterMs', 2 ** 31],
    ['tokenRefreshMarginMs', -5],
    ['requestsPerSecond', 0],
    ['maxWireBytes', 0],
    ['maxBodyBytes', 1.5],
  ])('refuses %s = %s', (name, value) => {
    expect(() => client({ [name]: value })).toThrow(new RegExp(name));
  });

  it('accepts the longest wait a timer can hold, and says the bound past it', () => {
    expect(() => client({ requestTimeoutMs: 2 ** 31 - 1, maxDelayMs: 2 ** 31 - 1 })).not.toThrow();
    expect(() => client({ requestTimeoutMs: 2 ** 31 })).toThrow(
      'requestTimeoutMs must be at most 2147483647 ms (about 24.8 days), got 2147483648',
    );
  });
});

describe('createAuditClient defaults that bound a stalled or throttling Domo', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('asks for the audit scope', async () => {
    await client().fetchPage(query);
    expect(tokenRequests()[0]?.body).toBe('grant_type=client_credentials&scope=audit');
  });

  it('gives up on an answer after 30 s, and on a page after 6 attempts', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const signals: AbortSignal[] = [];
    const silent: AuditClientOptions['fetch'] = async (url, init) => {
      if (url.includes('/oauth/token')) return Response.json({ access_token: 'tok', expires_in: 3600 });
      const signal = init.signal as AbortSignal;
      signals.push(signal);
      return new Promise<Response>((_resolve, reject) =>
        signal.addEventListener('abort', () => reject(signal.reason)),
      );
    };
    const pending = client({ fetch: silent })
      .fetchPage(query)
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(29_999);
    expect(signals.map((signal) => signal.aborted)).toEqual([false]);
    await vi.advanceTimersByTimeAsync(1);
    expect(signals[0]?.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(6 * 30_000);
    const error = await pending;
    expect(error).toBeInstanceOf(DomoUnavailableError);
    expect(error).toMatchObject({ attempts: 6 });
    expect((error as Error).message).toContain('no answer within 30000 ms');
    expect(signals).toHaveLength(6);
  });

  it('waits at most 2 minutes of a longer Retry-After, throttled for its 6 attempts with no answer', async () => {
    const throttled = { status: 429, headers: { 'Retry-After': '86400' } };
    domo.script('audit', ...Array.from({ length: 10 }, () => throttled));
    const error = await client()
      .fetchPage(query)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomoUnavailableError);
    // Past its 6 attempts with no clean answer for over 150 s, a throttled page ends: six waits of
    // 120 s (its 780 s) took a run 13 minutes, and a pacer's on top over 15 (review R-PACE3 F2).
    expect(time.sleeps.filter((ms) => ms > 10_000)).toEqual(Array.from({ length: 5 }, () => 120_000));
    expect((error as Error).message).toMatch(/^GET \/v1\/audit failed after 6 attempts; last: HTTP 429/);
    expect((error as Error).message).toMatch(/run again after that time/);
  });
});

describe('createAuditClient pacing with a simulated run clock', () => {
  it('paces by the clock its sleep moves, never by the run clock because a sleep was passed', async () => {
    // The run clock stands still; the waits run on time's clock. Paced by the run clock (which it
    // once was whenever a sleep was given), the slots piled up: 500, 1,000, 1,500 ms.
    const frozen = { now: () => 1_790_000_000_000 };
    const paced = createAuditClient({
      apiBase: domo.base,
      fetch: globalThis.fetch,
      credentials,
      clock: frozen,
      sleep: time.sleep,
      pacingClock: time.clock,
      random: () => 0,
      requestsPerSecond: 2,
    });
    for (let page = 0; page < 3; page++) await paced.fetchPage({ ...query, offset: page * 1000 });
    expect(domo.requests).toHaveLength(4);
    expect(time.sleeps).toEqual([500, 500, 500]);
  });

  it('takes a sleep only with the clock it moves (a type error otherwise)', () => {
    // @ts-expect-error a sleep without its pacingClock
    const options: AuditClientOptions = { credentials, fetch: globalThis.fetch, sleep: time.sleep };
    expect(options.pacingClock).toBeUndefined();
  });

  it('paces by real time when it sleeps for real, so a clock that stands still never stalls it', async () => {
    // Each 503 cuts the pace; measured on the frozen run clock every wait would grow without end.
    const frozen = { now: () => 1_790_000_000_000 };
    // The waits asked for, not the time they took: a loaded machine stretches the second, never the first.
    const waits: number[] = [];
    const flaky = createAuditClient({
      apiBase: domo.base,
      fetch: globalThis.fetch,
      credentials,
      ...realClientWaits,
      sleep: (ms, signal) => {
        waits.push(ms);
        return realClientWaits.sleep(ms, signal);
      },
      clock: frozen,
      random: () => 0,
      baseDelayMs: 0,
      maxDelayMs: 0,
      maxAttempts: 3,
      // Keeps the fixed pacer's real waits short (<= 10 ms each, ~0.25 s in all); a pacer reading
      // the frozen clock still piles them up (10 ms, 20 ms, 30 ms, ... ~3 s over these 24 requests).
      minRequestsPerSecond: 100,
    });
    for (let page = 0; page < 12; page++) {
      domo.script('audit', { status: 503, text: 'busy' }, { json: [] });
      await flaky.fetchPage({ ...query, offset: page * 1000 });
    }
    expect(auditRequests()).toHaveLength(24);
    expect(waits.length).toBeGreaterThan(0);
    expect(Math.max(...waits)).toBeLessThanOrEqual(10);
  });

  it('paces by a clock that never steps back, so a wall clock set back an hour stalls nothing', async () => {
    const paced = createAuditClient({
      apiBase: domo.base,
      fetch: globalThis.fetch,
      credentials,
      ...realClientWaits,
      random: () => 0,
    });
    domo.script('audit', { json: [] }, { json: [] });
    await paced.fetchPage(query);
    // NTP stepping the system clock back an hour (a laptop's clock that ran fast, a VM resumed): a
    // pacer on the wall clock then waited that hour for its next slot.
    const wall = Date.now();
    const setBack = vi.spyOn(Date, 'now').mockImplementation(() => wall - 3_600_000);
    try {
      const started = performance.now();
      const second = paced.fetchPage({ ...query, offset: 1000 });
      // A stall is an hour: 20 s tells it from the ~40 ms this takes, with room for a loaded machine.
      const stalled = new Promise<'stalled'>((resolve) => setTimeout(resolve, 20_000, 'stalled').unref());
      await expect(Promise.race([second, stalled])).resolves.toMatchObject({ entries: [] });
      expect(performance.now() - started).toBeLessThan(20_000);
    } finally {
      setBack.mockRestore();
    }
  });
});

describe('an empty result answered 204 No Content', () => {
  // Read as a body it was "not JSON (empty)": retried, then every quiet hour failed, every run.
  it('is a page of no entries, read at once', async () => {
    domo.script('audit', { status: 204 });
    const audit = client();
    const page = await audit.fetchPage(query);
    expect(page).toEqual({
      entries: [],
      entryTexts: [],
      entryWeights: [],
      entryBytes: [],
      bodyBytes: 0,
      requests: 2,
    });
    expect(audit.stats()).toEqual({ requests: 2, retries: 0, tokenRefreshes: 1 });
  });

  it('is that status alone: an empty 200 body is still broken, retried, then given up', async () => {
    domo.script('audit', { status: 200 }, { status: 200 });
    const error = await client({ maxAttempts: 2 })
      .fetchPage(query)
      .catch((e) => e);
    expect(error).toBeInstanceOf(DomoUnavailableError);
    expect(error.message).toContain('HTTP 200 body is not JSON (empty)');
  });

  it('is no token: a 204 from the token endpoint is still a broken answer', async () => {
    domo.script('token', { status: 204 }, { status: 204 });
    const error = await client({ maxAttempts: 2 })
      .fetchPage(query)
      .catch((e) => e);
    expect(error).toBeInstanceOf(DomoUnavailableError);
    expect(error.message).toContain('HTTP 204 body is not JSON (empty)');
  });
});

describe('decodeAuditPage', () => {
  const decode = (text: string, limit = 1000) =>
    decodeAuditPage(new ResponseBody(Buffer.from(text, 'utf8')), limit);

  it('gives the entries JSON.parse gives for the whole page, each with its text as served', () => {
    const texts = [
      '{"time":1,"userId":7,"a":1,"a":2}',
      '{"n":12345678901234567890}',
      '"x"',
      '[1, {"b": null}]',
    ];
    const page = `[\n  ${texts.join(',\n  ')}\n]`;
    const decoded = decode(page);
    expect(decoded).toEqual({
      ok: true,
      value: {
        entries: JSON.parse(page),
        entryTexts: texts,
        entryWeights: texts.map(entryWeightOfText),
        entryBytes: texts.map((text) => text.length),
        bodyBytes: page.length,
      },
    });
  });

  it('says why a body is not a page in the words it always used', () => {
    expect(decode('<html>Maintenance</html>')).toEqual({ ok: false, reason: 'is not JSON' });
    expect(decode('[{"time": 1, "userId"')).toEqual({ ok: false, reason: 'is not JSON' });
    // An array whose entry is not JSON is a page: the entry is listed (review R-DRIFT H1).
    expect(decode('[{"time": 1}, tru]')).toMatchObject({
      ok: true,
      value: { notJsonEntries: [{ index: 1 }] },
    });
    expect(decode('[1,\u00a02]')).toMatchObject({ ok: true, value: { notJsonEntries: [{ index: 1 }] } });
    expect(decode('{"entries":[]}')).toEqual({
      ok: false,
      reason: 'is not a JSON array (a JSON object with keys "entries")',
      seen: 'object',
    });
    expect(decode('[1,2,3]', 2)).toEqual({
      ok: false,
      reason: 'holds 3 entries, more than the limit of 2 asked for',
    });
    expect(decode(' [ ] ')).toEqual({
      ok: true,
      value: { entries: [], entryTexts: [], entryWeights: [], entryBytes: [], bodyBytes: 5 },
    });
  });
});

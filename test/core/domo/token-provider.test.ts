import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ResponseBody } from '../../../functions/core/domo/bounded-body.ts';
import { DomoConfigError, DomoUnavailableError } from '../../../functions/core/domo/errors.ts';
import { type FetchLike, type HttpDeps, sendRequest } from '../../../functions/core/domo/http-request.ts';
import { createRedactor } from '../../../functions/core/domo/redactor.ts';
import {
  createTokenProvider,
  MAX_CUSTOMER_CHARS,
  type Send,
  type TokenProviderOptions,
} from '../../../functions/core/domo/token-provider.ts';
import type { Sleep } from '../../../functions/core/ports.ts';
import { silentLog } from '../../../functions/core/ports.ts';
import { realSleep } from '../../../functions/core/runtime.ts';
import { type FakeDomo, startFakeDomo } from './support/fake-domo.ts';
import { type FakeTime, fakeTime } from './support/fake-time.ts';
import { noPacing } from './support/no-pacing.ts';

const SECRET = 'client-secret-value';
const credentials = { clientId: 'client-abc', clientSecret: SECRET };

let domo: FakeDomo;
let time: FakeTime;

beforeEach(async () => {
  domo = await startFakeDomo({ expiresIn: 3600 });
  time = fakeTime();
});
afterEach(() => domo.close());

const sendVia = (
  fetchImpl: FetchLike,
  maxAttempts = 3,
  sleep: Sleep = time.sleep,
  backoffMs = 10,
  more: Partial<HttpDeps> = {},
): Send => {
  const deps: HttpDeps = {
    fetch: fetchImpl,
    limiter: noPacing,
    clock: time.clock,
    sleep,
    backoff: { baseDelayMs: backoffMs, maxDelayMs: 10 * backoffMs, maxRetryAfterMs: 1000, random: () => 0.5 },
    requestTimeoutMs: 2000,
    maxAttempts,
    userAgent: 'test',
    scrub: (text) => text,
    ...more,
  };
  return (request, options) => sendRequest(deps, request, options);
};

/** A provider wired as the audit client wires it: a redactor that knows the secret learns each token. */
const provider = (overrides: Partial<TokenProviderOptions> = {}) => {
  const redactor = createRedactor([SECRET]);
  return createTokenProvider({
    apiBase: domo.base,
    credentials,
    scope: 'audit',
    refreshMarginMs: 120_000,
    clock: time.clock,
    send: sendVia((url, init) => fetch(url, init)),
    onIssued: redactor.add,
    scrub: redactor.scrub,
    ...overrides,
  });
};

const tokenRequests = () => domo.requests.filter((request) => request.path === '/oauth/token');

describe('createTokenProvider', () => {
  it('asks for a token with POST, a form body and HTTP Basic credentials', async () => {
    const token = await provider().getToken();
    expect(token).toBe('tok-1');
    const [request] = tokenRequests();
    expect(request?.method).toBe('POST');
    expect(request?.rawQuery).toBe('');
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.headers.accept).toBe('application/json');
    expect(request?.headers.authorization).toBe(
      `Basic ${Buffer.from(`client-abc:${SECRET}`).toString('base64')}`,
    );
    expect(request?.body).toBe('grant_type=client_credentials&scope=audit');
  });

  it("tells the pacer to count the token answer's status, not its latency", async () => {
    const recorded: unknown[] = [];
    const limiter = { acquire: async () => {}, record: (outcome: unknown) => void recorded.push(outcome) };
    const send = sendVia((url, init) => fetch(url, init), 3, time.sleep, 10, { limiter });
    await provider({ send }).getToken();
    expect(recorded).toEqual([expect.objectContaining({ status: 200, judgeLatency: false })]);
  });

  it('leaves the scope out when none is configured', async () => {
    await provider({ scope: '' }).getToken();
    expect(tokenRequests()[0]?.body).toBe('grant_type=client_credentials');
  });

  it('caches the token until the refresh margin before expiry, then fetches a new one', async () => {
    const tokens = provider();
    expect(await tokens.getToken()).toBe('tok-1');
    time.advance(3600_000 - 120_000 - 1);
    expect(await tokens.getToken()).toBe('tok-1');
    expect(tokenRequests()).toHaveLength(1);
    time.advance(1);
    expect(await tokens.getToken()).toBe('tok-2');
    expect(tokenRequests()).toHaveLength(2);
  });

  it('keeps a short-lived token for half its life when the margin exceeds it', async () => {
    await domo.close();
    domo = await startFakeDomo({ expiresIn: 60 });
    const tokens = provider();
    await tokens.getToken();
    time.advance(29_999);
    expect(await tokens.getToken()).toBe('tok-1');
    time.advance(1);
    expect(await tokens.getToken()).toBe('tok-2');
  });

  it('shares one in-flight token request between concurrent callers', async () => {
    let calls = 0;
    let answer: (response: Response) => void = () => {};
    const fetchImpl: FetchLike = () => {
      calls++;
      return new Promise((resolve) => {
        answer = resolve;
      });
    };
    const tokens = provider({ send: sendVia(fetchImpl) });
    const waiting = [tokens.getToken(), tokens.getToken(), tokens.getToken()];
    await new Promise((resolve) => setTimeout(resolve, 10));
    answer(Response.json({ access_token: 'shared', expires_in: 3600 }));
    expect(await Promise.all(waiting)).toEqual(['shared', 'shared', 'shared']);
    expect(calls).toBe(1);
  });

  it('lets one waiter give up without failing the others', async () => {
    let answer: (response: Response) => void = () => {};
    const fetchImpl: FetchLike = () =>
      new Promise((resolve) => {
        answer = resolve;
      });
    const tokens = provider({ send: sendVia(fetchImpl) });
    const quitter = new AbortController();
    const gaveUp = tokens.getToken({ signal: quitter.signal });
    const stays = tokens.getToken();
    quitter.abort(new Error('gave up'));
    await expect(gaveUp).rejects.toThrow('gave up');
    await new Promise((resolve) => setTimeout(resolve, 10));
    answer(Response.json({ access_token: 'late', expires_in: 3600 }));
    expect(await stays).toBe('late');
  });

  it('counts the token request for the caller that started it', async () => {
    let counted = 0;
    await provider().getToken({ onRequest: () => counted++ });
    expect(counted).toBe(1);
  });

  it('fetches again after invalidate, but not when a newer token already replaced the rejected one', async () => {
    const tokens = provider();
    const first = await tokens.getToken();
    tokens.invalidate(first);
    const second = await tokens.getToken();
    expect(second).toBe('tok-2');
    tokens.invalidate(first);
    expect(await tokens.getToken()).toBe('tok-2');
    expect(tokenRequests()).toHaveLength(2);
  });

  it('names the customer of the last token issued, even once a 401 made it forget the token', async () => {
    const tokens = provider();
    const token = await tokens.getToken();
    expect(tokens.customer()).toBe('acme');
    tokens.invalidate(token);
    expect(tokens.customer()).toBe('acme');
  });

  it('names no customer longer than the bound a lake records', async () => {
    const answer = (customer: string) => ({
      json: { access_token: 'tok-long', token_type: 'bearer', expires_in: 3600, customer },
    });
    domo.script('token', answer('c'.repeat(MAX_CUSTOMER_CHARS + 1)));
    const tokens = provider();
    tokens.invalidate(await tokens.getToken());
    expect(tokens.customer()).toBeUndefined();
    domo.script('token', answer('c'.repeat(MAX_CUSTOMER_CHARS)));
    await tokens.getToken();
    expect(tokens.customer()).toBe('c'.repeat(MAX_CUSTOMER_CHARS));
  });

  it('keeps the fields Domo sends beside the token and reports the granted scope', async () => {
    const seen: unknown[] = [];
    const tokens = provider({ onToken: (info) => seen.push(info) });
    await tokens.getToken();
    expect(seen).toEqual([
      { token_type: 'bearer', expires_in: 3600, scope: 'audit', role: 'Admin', customer: 'acme', jti: 'j-1' },
    ]);
    expect(tokens.grantedScope()).toBe('audit');
  });

  it('hands out the token when onToken throws, and logs a warning', async () => {
    const warnings: [string, unknown][] = [];
    const log = {
      ...silentLog,
      warn: (message: string, fields?: unknown) => warnings.push([message, fields]),
    };
    const tokens = provider({
      log,
      onToken: () => {
        throw new RangeError('Maximum call stack size exceeded');
      },
    });
    expect(await tokens.getToken()).toBe('tok-1');
    expect(tokens.grantedScope()).toBe('audit');
    expect(warnings).toEqual([
      [
        'Reporting a new Domo access token failed; the token is used',
        { error: 'Maximum call stack size exceeded' },
      ],
    ]);
    expect(await tokens.getToken()).toBe('tok-1');
    expect(tokenRequests()).toHaveLength(1);
  });

  it('scrubs the token and the secret from the warning about a failed onToken', async () => {
    const warnings: unknown[] = [];
    const log = { ...silentLog, warn: (_: string, fields?: unknown) => warnings.push(fields) };
    const tokens = provider({
      log,
      onToken: () => {
        // A logger refusing a line may quote it, and the line may hold what the answer echoed.
        throw new Error(`cannot write {"token":"tok-1","basic":"${SECRET}"}`);
      },
    });
    expect(await tokens.getToken()).toBe('tok-1');
    expect(warnings).toEqual([{ error: 'cannot write {"token":"[redacted]","basic":"[redacted]"}' }]);
  });

  it('scrubs the whole message before cutting it to 200 characters', async () => {
    const warnings: unknown[] = [];
    const log = { ...silentLog, warn: (_: string, fields?: unknown) => warnings.push(fields) };
    const tokens = provider({
      log,
      onToken: () => {
        // Cut first, the token would be left half, past what the redactor can recognise.
        throw new Error(`${'x'.repeat(197)}tok-1`);
      },
    });
    await tokens.getToken();
    expect(warnings).toEqual([{ error: `${'x'.repeat(197)}[r…` }]);
  });

  it('hands out the token even when the warning about onToken throws too', async () => {
    const broken = () => {
      throw new RangeError('Maximum call stack size exceeded');
    };
    const tokens = provider({ log: { ...silentLog, warn: broken }, onToken: broken });
    expect(await tokens.getToken()).toBe('tok-1');
  });

  it('turns rejected credentials (401) into a configuration error naming the client id', async () => {
    domo.script('token', {
      status: 401,
      json: { status: 401, statusReason: 'Unauthorized', message: 'Bad credentials', toe: 'TOE-7' },
    });
    const error = await provider()
      .getToken()
      .catch((e) => e);
    expect(error).toBeInstanceOf(DomoConfigError);
    expect(error.status).toBe(401);
    // The token endpoint's own message is never quoted: it may echo what the client sent.
    expect(error.message).toBe(
      "Domo rejected the credentials of API client 'client-abc' (POST /oauth/token: HTTP 401 Unauthorized " +
        '(Domo trace id TOE-7)): check DOMO_CLIENT_ID/DOMO_CLIENT_SECRET or the Secrets Manager secret holding them.',
    );
    expect(error.message).not.toContain('Bad credentials');
    expect(error.message).not.toContain(SECRET);
    expect(tokenRequests()).toHaveLength(1);
  });

  it('names where its caller says the credentials come from, in every credentials advice (review R-SRE L3)', async () => {
    const source = 'the Secrets Manager secret "acme/domo"';
    domo.script('token', { status: 401, json: { status: 401, statusReason: 'Unauthorized', toe: 'TOE-7' } });
    const rejected = await provider({ credentialsSource: source })
      .getToken()
      .catch((e) => e);
    expect(rejected.message).toMatch(
      /^Domo rejected the credentials of .*: check the Secrets Manager secret "acme\/domo"\.$/,
    );
    domo.script('token', { status: 400, json: { error: 'invalid_client' } });
    const refused = await provider({ credentialsSource: source })
      .getToken()
      .catch((e) => e);
    expect(refused.message).toContain(`: check ${source}.`);
    for (const message of [rejected.message, refused.message])
      expect(message).not.toContain('DOMO_CLIENT_ID');
  });

  it.each([
    ['OAuth invalid_scope', { error: 'invalid_scope', error_description: 'bad ask' }],
    [
      "the simulator's words",
      {
        status: 400,
        statusReason: 'Bad Request',
        message: 'scope audit is not granted to this client (it has: data user)',
        toe: 'TOE-7',
      },
    ],
  ])('gives the scope advice, not the credentials one, for a 400 blaming the scope (%s)', async (_, json) => {
    domo.script('token', { status: 400, json });
    const error = await provider()
      .getToken()
      .catch((e) => e);
    expect(error).toBeInstanceOf(DomoConfigError);
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/^POST \/oauth\/token failed: HTTP 400 /);
    expect(error.message).toContain(
      "The API client 'client-abc' may not request scope 'audit': grant it the audit scope where it was made (Admin → Authentication → API Clients, or developer.domo.com, My Account).",
    );
    expect(error.message).not.toContain('DOMO_CLIENT_SECRET');
    // The body picks the advice and is never quoted: only an OAuth error code is named.
    for (const quoted of ['bad ask', 'not granted', 'data user']) {
      expect(error.message).not.toContain(quoted);
    }
    expect(error.message.includes('Domo answered OAuth error invalid_scope. ')).toBe('error' in json);
    expect(tokenRequests()).toHaveLength(1);
  });

  it('says a plain 400 may be the scope or the credentials, without quoting its body', async () => {
    domo.script('token', {
      status: 400,
      json: { status: 400, statusReason: 'Bad Request', message: `invalid_client ${SECRET}`, toe: 'TOE-7' },
    });
    const error = await provider()
      .getToken()
      .catch((e) => e);
    expect(error).toBeInstanceOf(DomoConfigError);
    expect(error.status).toBe(400);
    expect(error.message).toBe(
      'POST /oauth/token failed: HTTP 400 Bad Request (Domo trace id TOE-7). Domo refused the token request: ' +
        "the API client 'client-abc' may lack the audit scope (grant it the audit scope where it was made " +
        '(Admin → Authentication → API Clients, or developer.domo.com, My Account)), or its id or secret is wrong (check DOMO_CLIENT_ID/DOMO_CLIENT_SECRET or the Secrets Manager ' +
        'secret holding them).',
    );
    expect(tokenRequests()).toHaveLength(1);
  });

  it('takes an OAuth error naming another fault at its word, whatever its description says of the scope', async () => {
    domo.script('token', {
      status: 400,
      json: {
        error: 'invalid_client',
        error_description: 'Client authentication failed; requested scope audit',
      },
    });
    const error = await provider()
      .getToken()
      .catch((e) => e);
    expect(error.message).toContain(
      "Domo answered OAuth error invalid_client. Domo did not accept the id or secret of the API client 'client-abc'",
    );
    expect(error.message).not.toContain('may not request scope');
    expect(error.message).not.toContain('requested scope');
  });

  it("reads a framework's error body ('Bad Request' beside a message) by its message", async () => {
    domo.script('token', {
      status: 400,
      json: {
        status: 400,
        error: 'Bad Request',
        message: 'scope audit is not granted to this client',
        path: '/x',
      },
    });
    const error = await provider()
      .getToken()
      .catch((e) => e);
    expect(error.message).toContain("may not request scope 'audit'");
  });

  it('a 400 body that is not JSON gets the plain advice', async () => {
    domo.script('token', { status: 400, text: '<html><title>scope trouble</title></html>' });
    const error = await provider()
      .getToken()
      .catch((e) => e);
    expect(error.message).toContain('Domo refused the token request');
    expect(error.message).not.toContain('scope trouble');
  });

  it('fails fast on 403 with a hint about the scope', async () => {
    domo.script('token', { status: 403, json: { message: 'scope not allowed' } });
    const error = await provider()
      .getToken()
      .catch((e) => e);
    expect(error).toBeInstanceOf(DomoConfigError);
    expect(error.message).toContain("may not request scope 'audit'");
  });

  it('retries a token answer without the required fields, without quoting it', async () => {
    domo.script(
      'token',
      { json: { access_token: 'half-a-token' } },
      { json: { access_token: 'x y', expires_in: 5 } },
    );
    const error = await provider({ send: sendVia((url, init) => fetch(url, init), 2) })
      .getToken()
      .catch((e) => e);
    expect(error).toBeInstanceOf(DomoUnavailableError);
    expect(error.attempts).toBe(2);
    expect(error.message).toContain(
      'last: HTTP 200 body is not an OAuth token answer: access_token is not printable ASCII without spaces (37 characters).',
    );
    expect(error.message).not.toContain('half-a-token');
    expect(error.message).not.toContain('x y');
  });

  describe('a token longer than any Domo issues (review R-HOSTILE2 H1)', () => {
    /** Serves `token` in every answer; counts the answers, the tokens learnt and the retry reasons. */
    const serving = async (token: string) => {
      const seen = { answers: 0, issued: 0, reasons: [] as string[] };
      const huge: FetchLike = async () => {
        seen.answers++;
        return Response.json({ access_token: token, expires_in: 1 });
      };
      const deps: Partial<HttpDeps> = { onRetry: (event) => seen.reasons.push(event.reason) };
      // The token, or what getToken threw.
      const error = await provider({
        send: sendVia(huge, 2, time.sleep, 10, deps),
        onIssued: () => seen.issued++,
      })
        .getToken()
        .catch((e) => e);
      return { error, seen };
    };

    it('refuses a 1 MiB answer at the cap on a token answer, before it is parsed or learnt', async () => {
      const token = 'T'.repeat(1024 * 1024);
      const { error, seen } = await serving(token);
      expect(error).toBeInstanceOf(DomoUnavailableError);
      expect(seen.answers).toBe(2);
      expect(seen.issued).toBe(0);
      expect(seen.reasons).toEqual(['HTTP 200 body is longer than the cap on a token answer (65536 bytes)']);
      expect(error.message).toContain(
        'last: HTTP 200 body is longer than the cap on a token answer (65536 bytes)',
      );
      expect(error.message).not.toContain('TTTTTTTT');
    });

    it('refuses a token over 16 KiB inside a small answer as a broken answer, by its length only', async () => {
      const token = 'T'.repeat(20_000);
      const { error, seen } = await serving(token);
      expect(error).toBeInstanceOf(DomoUnavailableError);
      expect(seen.issued).toBe(0);
      expect(error.message).toContain(
        'last: HTTP 200 body is not an OAuth token answer: access_token is 20000 characters long, more than the 16384 a token may have',
      );
      expect(error.message).not.toContain('TTTTTTTT');
    });

    it('takes a token of 16 KiB', async () => {
      const token = 'T'.repeat(16 * 1024);
      const { error: answer, seen } = await serving(token);
      expect(answer).toBe(token);
      expect(seen.issued).toBe(1);
    });
  });

  it('recovers after a failed token request: the next caller starts a new one', async () => {
    domo.script('token', { status: 401, json: { message: 'nope' } });
    const tokens = provider();
    await expect(tokens.getToken()).rejects.toBeInstanceOf(DomoConfigError);
    expect(await tokens.getToken()).toBe('tok-1');
  });

  it('refuses a token answer whose lifetime is not positive: it would be fetched again for every page', async () => {
    const answers = { count: 0 };
    const lifeless: FetchLike = async () => {
      answers.count++;
      return Response.json({ access_token: 'tok', expires_in: 0 });
    };
    const error = await provider({ send: sendVia(lifeless, 2) })
      .getToken()
      .catch((e) => e);
    expect(error).toBeInstanceOf(DomoUnavailableError);
    expect(error.message).toContain('body is not an OAuth token answer: expires_in is 0 s');
    expect(answers.count).toBe(2);
  });

  it.each([
    ['1e-9', 1e-9],
    ['0.001', 0.001],
    ['0.999', 0.999],
  ])(
    'refuses a lifetime under one second (%s s) as a broken answer, naming the field',
    async (shown, expiresIn) => {
      const retries: string[] = [];
      const answers = { count: 0 };
      const brief: FetchLike = async () => {
        answers.count++;
        return Response.json({ access_token: 'tok-brief', expires_in: expiresIn });
      };
      const deps: Partial<HttpDeps> = { onRetry: (event) => retries.push(event.reason) };
      const error = await provider({ send: sendVia(brief, 2, time.sleep, 10, deps) })
        .getToken()
        .catch((e) => e);
      expect(error).toBeInstanceOf(DomoUnavailableError);
      const reason = `HTTP 200 body is not an OAuth token answer: expires_in is ${shown} s, under the 1 s a token must last`;
      expect(retries).toEqual([
        expect.stringMatching(new RegExp(`^${reason.replaceAll('.', '\\.')} \\(\\d+ characters\\)$`)),
      ]);
      expect(error.message).toContain(`last: ${reason}`);
      expect(error.message).not.toContain('tok-brief');
      expect(answers.count).toBe(2);
    },
  );

  it('takes a lifetime of one second, the shortest a server can mean', async () => {
    const second: FetchLike = async () => Response.json({ access_token: 'tok-second', expires_in: 1 });
    const tokens = provider({ send: sendVia(second) });
    expect(await tokens.getToken()).toBe('tok-second');
    time.advance(499);
    expect(await tokens.getToken()).toBe('tok-second');
  });

  it.each([
    ['a missing lifetime', { access_token: 'tok-x' }, 'expires_in is missing'],
    [
      'a lifetime in words',
      { access_token: 'tok-x', expires_in: '3600' },
      'expires_in is not a number of seconds',
    ],
    ['a missing token', { expires_in: 3600 }, 'access_token is missing'],
    ['a token that is no string', { access_token: 7, expires_in: 3600 }, 'access_token is not a string'],
    [
      'a scope that is no string',
      { access_token: 'tok-x', expires_in: 3600, scope: ['audit'] },
      'scope is not a string',
    ],
    ['an array', [{ access_token: 'tok-x', expires_in: 3600 }], 'it is not a JSON object'],
  ])('names what is wrong with %s', async (_, answer, fault) => {
    const broken: FetchLike = async () => Response.json(answer);
    const error = await provider({ send: sendVia(broken, 1) })
      .getToken()
      .catch((e) => e);
    expect(error.message).toContain(`body is not an OAuth token answer: ${fault} (`);
    expect(error.message).not.toContain('tok-x');
  });

  it('counts a token as expired from the very millisecond its lifetime ends', async () => {
    const tokens = provider();
    const token = await tokens.getToken();
    time.advance(3600_000 - 1);
    expect(tokens.expired(token)).toBe(false);
    time.advance(1);
    expect(tokens.expired(token)).toBe(true);
  });

  it('sends no token request for a caller that has already given up', async () => {
    const quitter = new AbortController();
    quitter.abort(new Error('gave up first'));
    let calls = 0;
    const counting: FetchLike = (url, init) => {
      calls++;
      return fetch(url, init);
    };
    await expect(provider({ send: sendVia(counting) }).getToken({ signal: quitter.signal })).rejects.toThrow(
      'gave up first',
    );
    // A request started anyway would reach fetch within a few turns of the event loop.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toBe(0);
  });

  it("counts a token's lifetime from when it was asked for, not from when the answer came", async () => {
    let sent = 0;
    const slow: Send = async (request) => {
      sent++;
      // Domo starts the lifetime when it issues the token, somewhere within these 10 s.
      time.advance(10_000);
      const answer = JSON.stringify({ access_token: `tok-${sent}`, expires_in: 3600 });
      const decoded = request.decode(new ResponseBody(Buffer.from(answer)), 200);
      if (!decoded.ok) throw new Error(decoded.reason);
      return { ok: true, status: 200, value: decoded.value };
    };
    const tokens = provider({ send: slow });
    await tokens.getToken();
    time.advance(3600_000 - 120_000 - 10_000 - 1);
    expect(await tokens.getToken()).toBe('tok-1');
    time.advance(1);
    expect(await tokens.getToken()).toBe('tok-2');
  });

  it('remembers the lifetimes of its last 8 tokens only, so a long run holds no growing list', async () => {
    const tokens = provider();
    const issued: string[] = [];
    for (let i = 0; i < 9; i++) {
      const token = await tokens.getToken();
      issued.push(token);
      tokens.invalidate(token);
    }
    time.advance(3600_000);
    expect(tokens.expired(issued[0] as string)).toBe(false);
    expect(issued.slice(1).every((token) => tokens.expired(token))).toBe(true);
  });
});

/** A token endpoint that answers only when told to, and rejects like `fetch` when its request is aborted. */
function heldTokenEndpoint() {
  const held = {
    signals: [] as AbortSignal[],
    answer: (_token: string): void => {
      throw new Error('no token request was sent');
    },
  };
  const fetchImpl: FetchLike = (_url, init) =>
    new Promise((resolve, reject) => {
      const signal = init.signal as AbortSignal;
      held.signals.push(signal);
      held.answer = (token) => resolve(Response.json({ access_token: token, expires_in: 3600 }));
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  return { held, fetchImpl };
}

/** Lets the request reach `fetch` (a few promise turns behind the caller). */
const turns = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("the token request under its callers' signals (review 40, F1 item 1)", () => {
  it('aborts the request, its fetch included, when its only caller gives up', async () => {
    const { held, fetchImpl } = heldTokenEndpoint();
    const tokens = provider({ send: sendVia(fetchImpl) });
    const run = new AbortController();
    const waiting = tokens.getToken({ signal: run.signal });
    await turns();
    expect(held.signals[0]?.aborted).toBe(false);
    run.abort(new Error('deadline'));
    await expect(waiting).rejects.toThrow('deadline');
    expect(held.signals[0]?.aborted).toBe(true);
  });

  it('ends the backoff between token attempts as soon as every caller has gone', async () => {
    let calls = 0;
    const busy: FetchLike = async () => {
      calls++;
      return Response.json({ status: 503 }, { status: 503 });
    };
    const sleeps: string[] = [];
    // The real timer, 30 s long here (half the 60 s ceiling): left running, it would hold a run.
    const sleep: Sleep = (ms, signal) =>
      realSleep(ms, signal).then(
        () => void sleeps.push(`slept ${ms} ms`),
        (error: unknown) => {
          sleeps.push('woken by the abort');
          throw error;
        },
      );
    const tokens = provider({ send: sendVia(busy, 3, sleep, 60_000) });
    const run = new AbortController();
    const waiting = tokens.getToken({ signal: run.signal });
    await turns();
    expect(calls).toBe(1);
    run.abort(new Error('Ctrl-C'));
    await expect(waiting).rejects.toThrow('Ctrl-C');
    await turns();
    expect(sleeps).toEqual(['woken by the abort']);
    expect(calls).toBe(1);
  });

  it('keeps the request while one caller still waits, and aborts it when the last one gives up', async () => {
    const { held, fetchImpl } = heldTokenEndpoint();
    const tokens = provider({ send: sendVia(fetchImpl) });
    const first = new AbortController();
    const second = new AbortController();
    const waits = [first, second].map((caller) => tokens.getToken({ signal: caller.signal }));
    await turns();
    first.abort(new Error('first gave up'));
    await expect(waits[0]).rejects.toThrow('first gave up');
    expect(held.signals[0]?.aborted).toBe(false);
    second.abort(new Error('second gave up'));
    await expect(waits[1]).rejects.toThrow('second gave up');
    expect(held.signals[0]?.aborted).toBe(true);
    expect(held.signals).toHaveLength(1);
  });

  it('lets a caller arriving while the request is still wanted join it and keep it alive', async () => {
    const { held, fetchImpl } = heldTokenEndpoint();
    const tokens = provider({ send: sendVia(fetchImpl) });
    const early = new AbortController();
    const gaveUp = tokens.getToken({ signal: early.signal });
    await turns();
    const late = tokens.getToken({ signal: new AbortController().signal });
    early.abort(new Error('early gave up'));
    await expect(gaveUp).rejects.toThrow('early gave up');
    expect(held.signals[0]?.aborted).toBe(false);
    held.answer('joined');
    expect(await late).toBe('joined');
    expect(held.signals).toHaveLength(1);
  });

  it('never aborts a request a caller without a signal waits on', async () => {
    const { held, fetchImpl } = heldTokenEndpoint();
    const tokens = provider({ send: sendVia(fetchImpl) });
    const quitter = new AbortController();
    const gaveUp = tokens.getToken({ signal: quitter.signal });
    const stays = tokens.getToken();
    quitter.abort(new Error('gave up'));
    await expect(gaveUp).rejects.toThrow('gave up');
    await turns();
    expect(held.signals[0]?.aborted).toBe(false);
    held.answer('kept');
    expect(await stays).toBe('kept');
  });

  it('starts a fresh request for the next caller, and drops an abandoned answer that comes anyway', async () => {
    let calls = 0;
    const answers: ((response: Response) => void)[] = [];
    // Deaf to the abort: its answer comes after every caller gave up.
    const deaf: FetchLike = () => {
      calls++;
      return new Promise((resolve) => answers.push(resolve));
    };
    const reported: unknown[] = [];
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      const tokens = provider({ send: sendVia(deaf), onToken: (info) => reported.push(info) });
      const run = new AbortController();
      const gaveUp = tokens.getToken({ signal: run.signal });
      await turns();
      run.abort(new Error('deadline'));
      await expect(gaveUp).rejects.toThrow('deadline');
      const next = tokens.getToken();
      await turns();
      expect(calls).toBe(2);
      answers[0]?.(Response.json({ access_token: 'abandoned', expires_in: 3600 }));
      await turns();
      expect(reported).toEqual([]);
      answers[1]?.(Response.json({ access_token: 'fresh', expires_in: 3600 }));
      expect(await next).toBe('fresh');
      expect(await tokens.getToken()).toBe('fresh');
      expect(reported).toHaveLength(1);
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});

/** The message a refused token request ends in, the refusal's body as given. */
const refusal = async (status: number, json: unknown): Promise<string> => {
  domo.script('token', { status, json });
  const error = await provider()
    .getToken()
    .catch((e) => e);
  expect(error).toBeInstanceOf(DomoConfigError);
  return error.message;
};

const wrongSecret = /id or secret is wrong|did not accept the id or secret|DOMO_CLIENT_SECRET/;

describe("a token refusal's OAuth error code (RFC 6749 5.2)", () => {
  // Each of these said the client "may lack the audit scope ... or its id or secret is wrong", and a
  // reader rotated a correct secret.
  it.each(['unsupported_grant_type', 'invalid_request'])(
    "%s: the endpoint refused the request's form, maybe a change of Domo's, not the secret",
    async (code) => {
      const message = await refusal(400, { error: code, error_description: 'Missing grant type' });
      expect(message).toContain(
        `Domo answered OAuth error ${code}. The token endpoint refused the request's form (Domo may have ` +
          "changed its OAuth endpoint), not the id or secret of the API client 'client-abc': check that " +
          `apiBase (${domo.base}) is Domo's API, and look for a newer version of this tool.`,
      );
      expect(message).not.toMatch(wrongSecret);
      expect(message).not.toContain('audit scope');
    },
  );

  it('unauthorized_client: the client is not allowed the client-credentials grant', async () => {
    const message = await refusal(400, {
      error: 'unauthorized_client',
      error_description: 'Unauthorized grant type: client_credentials',
    });
    expect(message).toContain(
      "Domo answered OAuth error unauthorized_client. The API client 'client-abc' is not allowed the " +
        'client-credentials grant (its id and secret are not in question): allow it that grant in Domo, or ' +
        'use an API client that has it.',
    );
    expect(message).not.toMatch(wrongSecret);
    expect(message).not.toContain('Unauthorized grant type');
  });

  it('invalid_grant: named, with the advice a 400 without a code gets', async () => {
    const message = await refusal(400, { error: 'invalid_grant', error_description: 'nope' });
    expect(message).toContain(
      "Domo answered OAuth error invalid_grant. Domo refused the token request: the API client 'client-abc' may lack",
    );
  });

  it('names a code on a 403 too, with the scope advice', async () => {
    const message = await refusal(403, { error: 'invalid_scope' });
    expect(message).toContain(
      "Domo answered OAuth error invalid_scope. The API client 'client-abc' may not request scope 'audit'",
    );
  });

  it('names only the six codes, and never quotes the description, whatever it holds', async () => {
    const named = await refusal(400, { error: 'invalid_request', error_description: `bad ${SECRET}` });
    expect(named).not.toContain(SECRET);
    expect(named).not.toContain('[redacted]');
    for (const error of ['access_denied', 'server_error', SECRET, 'Invalid_Request', 'invalid_request ']) {
      const message = await refusal(400, { error, error_description: 'free text' });
      expect(message).not.toContain('OAuth error');
      expect(message).not.toContain(error);
      expect(message).not.toContain('free text');
      expect(message).toContain('Domo refused the token request');
    }
  });
});

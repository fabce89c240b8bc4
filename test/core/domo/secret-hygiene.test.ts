import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AuditClientOptions, createAuditClient } from '../../../functions/core/domo/audit-client.ts';
import { DomoConfigError, DomoUnavailableError } from '../../../functions/core/domo/errors.ts';
import type { RetryEvent } from '../../../functions/core/domo/http-request.ts';
import { recordingLog } from '../../support/recording-log.ts';
import { type FakeDomo, type Reply, refusedBase, startFakeDomo } from './support/fake-domo.ts';
import { fakeTime } from './support/fake-time.ts';

// Recognisable values, with characters that change under URL and Base64 encoding.
const SECRET = 'S3cr3t+Value/7f3a9c2e-zz';
const TOKEN = 'TOKEN-5d1e8b0c4a';
const UNREGISTERED_TOKEN = 'FRESH-token-never-accepted';
const credentials = { clientId: 'client-abc', clientSecret: SECRET };
const BASIC = Buffer.from(`client-abc:${SECRET}`).toString('base64');
const FORBIDDEN = [SECRET, encodeURIComponent(SECRET), BASIC, TOKEN, UNREGISTERED_TOKEN];
const query = { start: 0, end: 3_599_999, limit: 1000, offset: 0 };

let domo: FakeDomo;
beforeEach(async () => {
  domo = await startFakeDomo({ tokenValue: () => TOKEN });
});
afterEach(() => domo.close());

/** An error body quoting what the client sent; the token only once the client has been given one. */
const echo = (status: number, token = true) => ({
  status,
  json: {
    status,
    statusReason: 'Echo',
    message: `got ${SECRET} ${encodeURIComponent(SECRET)} ${BASIC}${token ? ` ${TOKEN}` : ''}`,
  },
});
const repeat = (reply: Reply, times = 3): Reply[] => Array.from({ length: times }, () => reply);

interface Case {
  name: string;
  script?: { token?: Reply[]; audit?: Reply[] };
  options?: () => Promise<Partial<AuditClientOptions>> | Partial<AuditClientOptions>;
  error: typeof DomoConfigError | typeof DomoUnavailableError;
  /** The path echoed a secret, so the scrub must have replaced something. */
  scrubbed?: boolean;
  /** The token endpoint's errors quote only status, reason and trace id, never the body's message. */
  quoted?: false;
}

const cases: Case[] = [
  {
    name: 'token endpoint 401 echoing the secret',
    script: { token: [echo(401, false)] },
    error: DomoConfigError,
    quoted: false,
  },
  {
    name: 'token endpoint 400 echoing the secret',
    script: { token: [echo(400, false)] },
    error: DomoConfigError,
    quoted: false,
  },
  {
    name: 'token endpoint 403 echoing the secret',
    script: { token: [echo(403, false)] },
    error: DomoConfigError,
    quoted: false,
  },
  {
    name: 'token endpoint 500 throughout',
    script: { token: repeat(echo(500, false), 40) },
    error: DomoUnavailableError,
    quoted: false,
  },
  {
    name: 'token answer without expires_in',
    script: { token: repeat({ json: { access_token: UNREGISTERED_TOKEN, note: SECRET } }) },
    error: DomoUnavailableError,
  },
  {
    name: 'audit 400 echoing the token',
    script: { audit: [echo(400)] },
    error: DomoConfigError,
    scrubbed: true,
  },
  {
    name: 'audit 403 echoing the token',
    script: { audit: [echo(403)] },
    error: DomoConfigError,
    scrubbed: true,
  },
  {
    name: 'audit 404 echoing the token',
    script: { audit: [echo(404)] },
    error: DomoConfigError,
    scrubbed: true,
  },
  {
    name: 'audit 401 twice',
    script: { audit: [echo(401), echo(401)] },
    error: DomoConfigError,
    scrubbed: true,
  },
  {
    name: 'audit 429 throughout',
    // Throttled requests are retried for the time a request may take, not three attempts.
    script: { audit: repeat(echo(429), 60) },
    error: DomoUnavailableError,
    scrubbed: true,
  },
  {
    name: 'audit HTML page with 200 quoting the token',
    script: { audit: repeat({ text: `<title>${TOKEN} ${SECRET}</title>` }) },
    error: DomoUnavailableError,
    // Not quoted at all: a broken 2xx body is said by its structure only (review R-ONCALL M2).
  },
  {
    name: 'audit redirect to a URL holding secrets',
    script: {
      audit: [
        {
          status: 302,
          headers: { Location: `https://x.example/?t=${TOKEN}&s=${encodeURIComponent(SECRET)}` },
        },
      ],
    },
    error: DomoConfigError,
    scrubbed: true,
  },
  {
    name: 'audit request timing out',
    script: { audit: repeat({ hang: true }) },
    options: () => ({ requestTimeoutMs: 50 }),
    error: DomoUnavailableError,
  },
  {
    name: 'connection refused',
    options: async () => ({ apiBase: await refusedBase() }),
    error: DomoUnavailableError,
  },
  {
    // No http(s) URL with a host is shown at all (review 36m, item 1): nothing left to scrub.
    name: 'apiBase that is not http(s) and holds the secret',
    options: () => ({ apiBase: `ftp://host/${SECRET}` }),
    error: DomoConfigError,
  },
  {
    name: 'apiBase that is not a URL and holds the secret',
    options: () => ({ apiBase: `nonsense ${SECRET}` }),
    error: DomoConfigError,
  },
  {
    name: 'apiBase that is an http URL to a remote host and holds the secret',
    options: () => ({ apiBase: `http://api.domo.com/${SECRET}` }),
    error: DomoConfigError,
    scrubbed: true,
  },
  {
    name: 'apiBase with credentials in it',
    options: () => ({ apiBase: `https://client-abc:${encodeURIComponent(SECRET)}@api.domo.com` }),
    error: DomoConfigError,
  },
];

describe('secrets never leave the client', () => {
  it.each(cases)('$name', async ({ script, options, error: errorClass, scrubbed, quoted }) => {
    domo.script('token', ...(script?.token ?? []));
    domo.script('audit', ...(script?.audit ?? []));
    const { log, logged } = recordingLog();
    const retries: RetryEvent[] = [];
    const time = fakeTime();

    const error = await Promise.resolve()
      .then(async () =>
        createAuditClient({
          apiBase: domo.base,
          fetch: globalThis.fetch,
          credentials,
          ...time,
          maxAttempts: 3,
          log,
          onRetry: (event) => retries.push(event),
          ...(await options?.()),
        }).fetchPage(query),
      )
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(errorClass);
    const { message } = error as Error;
    expect(message).not.toContain('\n');
    const said = [message, JSON.stringify(logged), JSON.stringify(retries)];
    for (const text of said) {
      for (const secret of FORBIDDEN) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/authorization|basic |bearer /i);
    }
    if (scrubbed) expect(said.join(' ')).toContain('[redacted]');
    if (quoted === false) {
      expect(said.join(' ')).not.toContain('got ');
      expect(message).toMatch(/HTTP \d{3} Echo/);
    }
  });
});

/** The longest run of `secret`'s characters (4 or more) that appears in `text`; 0 if none. */
function longestLeak(text: string, secret: string): number {
  for (let length = secret.length; length >= 4; length--) {
    for (let from = 0; from + length <= secret.length; from++) {
      if (text.includes(secret.slice(from, from + length))) return length;
    }
  }
  return 0;
}

describe('redaction before truncation and of encoded forms (issue 10, item 4)', () => {
  const SECRET_17 = 'Qx7-secret-Zk91vB';
  const TOKEN_40 = 'tokA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8s';
  const make = () =>
    createAuditClient({
      apiBase: domo.base,
      fetch: globalThis.fetch,
      credentials: { clientId: 'client-abc', clientSecret: SECRET_17 },
      ...fakeTime(),
      maxAttempts: 1,
    });

  it('leaves no part of a secret or token that an echo placed across the 200-character cut', async () => {
    expect(SECRET_17).toHaveLength(17);
    expect(TOKEN_40).toHaveLength(40);
    await domo.close();
    domo = await startFakeDomo({ tokenValue: () => TOKEN_40 });
    // Findings: 6 of 17 secret characters at offset 193, 22 of 40 token characters at offset 177.
    for (const [secret, offset] of [
      [SECRET_17, 193],
      [TOKEN_40, 177],
      [SECRET_17, 199],
      [TOKEN_40, 160],
    ] as const) {
      domo.script('audit', {
        status: 403,
        json: { statusReason: 'Forbidden', message: `${'x'.repeat(offset)}${secret}` },
      });
      const error = await make()
        .fetchPage(query)
        .catch((e: Error) => e);
      expect(error).toBeInstanceOf(DomoConfigError);
      expect(longestLeak((error as Error).message, secret), `${secret} at ${offset}`).toBe(0);
    }
  });

  it('leaves no part of a secret written with JSON escapes of plain letters, however it is cut', async () => {
    // `\u0051` is `Q`: no fixed encoded form matches it in the body; decoded, it is the secret.
    const escaped = `\\u0051${SECRET_17.slice(1)}`;
    for (const [field, padding] of [
      ['statusReason', 70],
      ['message', 190],
      // 70 + 1 + 17 characters: the secret straddles the trace id's 80-character cut.
      ['toe', 70],
      ['other', 190],
    ] as const) {
      domo.script('audit', {
        status: 403,
        text: `{"statusReason":"Forbidden","${field}":"${'p'.repeat(padding)} ${escaped}"}`,
      });
      const error = await make()
        .fetchPage(query)
        .catch((e: Error) => e);
      expect(error).toBeInstanceOf(DomoConfigError);
      expect(longestLeak((error as Error).message, SECRET_17), `${field} at ${padding}`).toBe(0);
    }
  });

  it("leaves no part of an escaped secret in a JSON error body that is not Domo's shape, however it is cut", async () => {
    // A message that is an object: the body is quoted re-serialised, its escapes undone.
    const escaped = `\\u0051${SECRET_17.slice(1)}`;
    const prefix = '{"statusReason":"Forbidden","message":{"echo":"';
    // The secret starts 9 characters before the 200-character cut of the re-serialised body.
    const padding = 200 - 9 - prefix.length - 1;
    domo.script('audit', { status: 403, text: `${prefix}${'p'.repeat(padding)} ${escaped}"}}` });
    const error = await make()
      .fetchPage(query)
      .catch((e: Error) => e);
    expect(error).toBeInstanceOf(DomoConfigError);
    expect((error as Error).message).toContain('ppp');
    expect(longestLeak((error as Error).message, SECRET_17)).toBe(0);
  });

  it('removes a secret holding a quote in its JSON-escaped form', async () => {
    const secret = 'se"cr\\et/9';
    domo.script(
      'audit',
      { status: 403, json: { message: { echo: `secret ${secret}` } } },
      {
        status: 403,
        text: `<p>${JSON.stringify(secret)} ${encodeURIComponent(secret).toLowerCase()}</p>`,
      },
    );
    for (let i = 0; i < 2; i++) {
      const error = await createAuditClient({
        apiBase: domo.base,
        fetch: globalThis.fetch,
        credentials: { clientId: 'client-abc', clientSecret: secret },
        ...fakeTime(),
        maxAttempts: 1,
      })
        .fetchPage(query)
        .catch((e: Error) => e);
      expect(error).toBeInstanceOf(DomoConfigError);
      expect((error as Error).message).toContain('[redacted]');
      expect(longestLeak((error as Error).message, JSON.stringify(secret).slice(1, -1))).toBe(0);
      expect(longestLeak((error as Error).message, secret)).toBe(0);
    }
  });
});

describe('a client id that does not look like one is never shown (review 36c, item 1)', () => {
  // Domo's shapes: the id is a UUID, the secret 64 hex digits. Swapped, the "id" is the secret.
  const HEX_SECRET = 'f3a9c1d2e4b5a6978812abcdef0123456789abcdef0123456789abcdef012345';
  const UUID_ID = '7c1e2d3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f';
  const failures: [string, { token?: Reply[]; audit?: Reply[] }][] = [
    ['token endpoint 401', { token: [{ status: 401, json: { statusReason: 'Unauthorized' } }] }],
    ['token endpoint 403', { token: [{ status: 403, json: { statusReason: 'Forbidden' } }] }],
    ['token endpoint 418', { token: [{ status: 418, json: { statusReason: 'Teapot' } }] }],
    ['audit 403', { audit: [{ status: 403, json: { statusReason: 'Forbidden' } }] }],
    ['audit 418', { audit: [{ status: 418, json: { statusReason: 'Teapot' } }] }],
    ['audit 401 twice', { audit: repeat({ status: 401, json: { statusReason: 'Unauthorized' } }, 2) }],
  ];

  const failWith = async (
    clientId: string,
    clientSecret: string,
    script: { token?: Reply[]; audit?: Reply[] },
  ) => {
    domo.script('token', ...(script.token ?? []));
    domo.script('audit', ...(script.audit ?? []));
    const logged: unknown[] = [];
    const record = (message: string, fields?: unknown) => logged.push([message, fields]);
    const error = await createAuditClient({
      apiBase: domo.base,
      fetch: globalThis.fetch,
      credentials: { clientId, clientSecret },
      ...fakeTime(),
      maxAttempts: 1,
      log: { debug: record, info: record, warn: record, error: record },
    })
      .fetchPage(query)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomoConfigError);
    return { message: (error as Error).message, logged: JSON.stringify(logged) };
  };

  it.each(failures)('says the id and secret look swapped, showing neither: %s', async (_name, script) => {
    const { message, logged } = await failWith(HEX_SECRET, UUID_ID, script);
    expect(message).toContain('the client id and secret look swapped');
    for (const text of [message, logged]) {
      expect(text).not.toContain(HEX_SECRET);
      expect(text).not.toContain(HEX_SECRET.slice(0, 16));
      expect(text).not.toContain(UUID_ID);
    }
  });

  it('logs the token obtained without the id when it looks like a secret', async () => {
    const { logged } = await failWith(HEX_SECRET, UUID_ID, failures[3]?.[1] ?? {});
    expect(logged).toContain('Domo access token obtained');
    expect(logged).toContain('look swapped');
  });

  it('names a client whose id is neither an id nor a secret without showing it', async () => {
    const pasted = 'my pass phrase, not an id!';
    const { message } = await failWith(pasted, 'secret', failures[0]?.[1] ?? {});
    expect(message).toContain('API client (id not shown: its 26 characters do not look like a client id)');
    expect(message).not.toContain('pass phrase');
  });

  it('shows a real id whole', async () => {
    const { message } = await failWith(UUID_ID, HEX_SECRET, failures[3]?.[1] ?? {});
    expect(message).toContain(`API client '${UUID_ID}'`);
  });
});

describe('the token answer is scrubbed like any text from Domo (review 36c, item 2)', () => {
  it('scrubs and shortens the scope, role and customer it logs and quotes', async () => {
    await domo.close();
    domo = await startFakeDomo({ tokenValue: () => TOKEN });
    const echoed = `${BASIC} ${TOKEN} ${encodeURIComponent(SECRET)}`;
    const answer = {
      json: {
        access_token: TOKEN,
        expires_in: 3600,
        scope: `audit ${echoed} ${'s'.repeat(300)}`,
        role: { echoed },
        customer: `acme ${echoed}`,
      },
    };
    // One answer for the first token, one for the token asked after the 401.
    domo.script('token', answer, answer);
    domo.script('audit', ...repeat({ status: 401, json: { statusReason: 'Unauthorized' } }, 2));
    const logged: [string, Record<string, unknown>][] = [];
    const record = (message: string, fields?: unknown) =>
      logged.push([message, (fields ?? {}) as Record<string, unknown>]);
    const error = await createAuditClient({
      apiBase: domo.base,
      fetch: globalThis.fetch,
      credentials,
      ...fakeTime(),
      maxAttempts: 1,
      log: { debug: record, info: record, warn: record, error: record },
    })
      .fetchPage(query)
      .catch((e: Error) => e);
    expect(error).toBeInstanceOf(DomoConfigError);
    const { message } = error as Error;
    const obtained = logged.find(([line]) => line === 'Domo access token obtained')?.[1];
    expect(obtained?.scope).toMatch(/^audit \[redacted\] \[redacted\] \[redacted\] s+…$/);
    expect(obtained?.role).toBe('{"echoed":"[redacted] [redacted] [redacted]"}');
    expect(obtained?.customer).toBe('acme [redacted] [redacted] [redacted]');
    for (const field of ['scope', 'role', 'customer'])
      expect(String(obtained?.[field]).length).toBeLessThanOrEqual(100);
    expect(message).toMatch(/\(granted: 'audit \[redacted\] \[redacted\] \[redacted\] s+…'\)/);
    for (const text of [message, JSON.stringify(logged)]) {
      for (const secret of FORBIDDEN) expect(text).not.toContain(secret);
    }
  });
});

describe('a 200 page holding a credential (review 36c, item 5)', () => {
  const entry = (extra: Record<string, unknown>) => ({ time: 1000, actionType: 'LOGIN', ...extra });
  /** One page fetched after Domo answers `reply`: a JSON value, or text as written. */
  const fetchScripted = async (reply: { json: unknown[] } | { text: string }, clientSecret = SECRET) => {
    domo.script(
      'audit',
      'json' in reply ? reply : { ...reply, headers: { 'content-type': 'application/json' } },
    );
    return createAuditClient({
      apiBase: domo.base,
      fetch: globalThis.fetch,
      credentials: { clientId: 'client-abc', clientSecret },
      ...fakeTime(),
      maxAttempts: 1,
    }).fetchPage(query);
  };
  const fetchWith = (page: unknown[], clientSecret = SECRET) => fetchScripted({ json: page }, clientSecret);

  it('scrubs and lists each entry holding the secret or the Basic credential', async () => {
    const page = await fetchWith([
      entry({ userName: 'clean' }),
      entry({ additionalComment: `debug: Basic ${BASIC}` }),
      entry({ nested: { echoed: `Basic ${BASIC}` } }),
      entry({ escaped: encodeURIComponent(SECRET) }),
      entry({ userName: 'clean too' }),
    ]);
    expect(page.credentialEntries).toEqual([1, 2, 3]);
    expect(page.entryTexts[1]).toBe(
      '{"time":1000,"actionType":"LOGIN","additionalComment":"debug: Basic [redacted]"}',
    );
    expect(page.entries[2]).toEqual(entry({ nested: { echoed: 'Basic [redacted]' } }));
    expect(page.entryTexts[4]).toBe(JSON.stringify(entry({ userName: 'clean too' })));
    const kept = JSON.stringify([page.entries, page.entryTexts]);
    for (const secret of FORBIDDEN) expect(kept).not.toContain(secret);
  });

  it("leaves an entry echoing an access token as served, this run's token included (review 36g, item 1)", async () => {
    // Only the run issued a token knows it: looking for tokens had that run quarantine an entry
    // every other run stores. Tokens expire within the hour; the secret is what must not be stored.
    const echoed = [entry({ additionalComment: `debug: bearer ${TOKEN}` }), entry({ userName: 'clean' })];
    const page = await fetchWith(echoed);
    expect(page).not.toHaveProperty('credentialEntries');
    expect(page.entryTexts).toEqual(echoed.map((item) => JSON.stringify(item)));
  });

  it('finds the Basic credential escaped with upper-case hex (review 36g, item 2)', async () => {
    // A JSON writer spelling `=` as `\u003D` (upper-case hex), not Gson's `\u003d`.
    const echoed = `Basic ${BASIC.replaceAll('=', '\\u003D')}`;
    const page = await fetchScripted({
      text: `[{"time":1000,"actionType":"LOGIN","additionalComment":"${echoed}"}]`,
    });
    expect(page.credentialEntries).toEqual([0]);
    expect(page.entries[0]).toEqual(entry({ additionalComment: 'Basic [redacted]' }));
  });

  it('finds the secret with a letter written as a \\u escape (review F-E)', async () => {
    // `\u0053` is `S`: the entry's note is the secret itself to any JSON reader.
    const escaped = `\\u0053${SECRET.slice(1)}`.replace('+', '\\u002B');
    const page = await fetchScripted({
      text: `[{"time":1000,"actionType":"LOGIN","note":"client secret ${escaped}"},{"time":1001}]`,
    });
    expect(page.credentialEntries).toEqual([0]);
    expect(page.entries[0]).toEqual(entry({ note: 'client secret [redacted]' }));
    expect(JSON.stringify(page.entries)).not.toContain(SECRET);
  });

  it('finds the Basic credential Gson wrote inside a JSON string field (review 36m, item 2)', async () => {
    // Gson's `\u003d` for `=`, escaped once more as the field's text: `\\u003d` on the page.
    const inner = JSON.stringify({ Authorization: `Basic ${BASIC}` }).replace('=', '\\u003d');
    const page = await fetchWith([entry({ additionalComment: inner }), entry({ userName: 'clean' })]);
    expect(page.credentialEntries).toEqual([0]);
    expect(JSON.stringify([page.entries, page.entryTexts])).not.toContain(BASIC.replace(/=+$/, ''));
  });

  it('lists nothing on a clean page, nor for forms too short to tell from text', async () => {
    // The secret 'abc' (and its Base64 'YWJj') occur in ordinary entries; only the Basic form is long enough.
    const page = await fetchWith([entry({ userName: 'abc YWJj' })], 'abc');
    expect(page).not.toHaveProperty('credentialEntries');
    expect(page.entryTexts).toEqual([JSON.stringify(entry({ userName: 'abc YWJj' }))]);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditClient } from '../../../functions/core/domo/audit-client.ts';
import { type FakeDomo, startFakeDomo } from './support/fake-domo.ts';
import { fakeTime } from './support/fake-time.ts';

const credentials = { clientId: 'client-abc', clientSecret: 'the-secret' };
const query = { start: 1_790_000_000_000, end: 1_790_003_599_999, limit: 1000, offset: 0 };

let domo: FakeDomo;
beforeEach(async () => {
  domo = await startFakeDomo({ expiresIn: 3600 });
});
afterEach(() => domo.close());

/** The fields the client logged with the new token, from a page read with `answer` as the token answer. */
async function loggedTokenFields(answer: string): Promise<Record<string, unknown> | undefined> {
  domo.script('token', { text: answer, headers: { 'content-type': 'application/json' } });
  const logged: [string, Record<string, unknown>][] = [];
  const record = (message: string, fields?: unknown) =>
    logged.push([message, (fields ?? {}) as Record<string, unknown>]);
  const page = await createAuditClient({
    apiBase: domo.base,
    fetch: globalThis.fetch,
    credentials,
    ...fakeTime(),
    maxAttempts: 1,
    log: { debug: record, info: record, warn: record, error: record },
  }).fetchPage(query);
  expect(page.requests).toBe(2);
  return logged.find(([line]) => line === 'Domo access token obtained')?.[1];
}

describe('a token answer field nested too deep to serialise (review 39, item 1)', () => {
  it('names a role nested 6,000 levels deep instead of failing the page with a stack error', async () => {
    // ~12 KB: V8's JSON.parse takes it, JSON.stringify overflows the stack on it.
    const role = `${'['.repeat(6000)}${']'.repeat(6000)}`;
    const customer = `{"a":${role}}`;
    const fields = await loggedTokenFields(
      `{"access_token":"tok-9","expires_in":3600,"scope":"audit","role":${role},"customer":${customer}}`,
    );
    expect(fields?.role).toBe('a JSON body nested too deep to quote');
    expect(fields?.customer).toBe('a JSON body nested too deep to quote');
    expect(fields?.scope).toBe('audit');
  });

  it('still shows a shallow object field as its JSON, scrubbed and cut to 100 characters', async () => {
    const fields = await loggedTokenFields(
      `{"access_token":"tok-9","expires_in":3600,"role":{"name":"Admin","note":"${'n'.repeat(300)}"}}`,
    );
    expect(fields?.role).toBe(`{"name":"Admin","note":"${'n'.repeat(100 - 25)}…`);
    expect(String(fields?.role)).toHaveLength(100);
  });
});

describe('logging a new token that fails', () => {
  it('leaves the token in use and says so in a warning', async () => {
    const logged: string[] = [];
    const page = await createAuditClient({
      apiBase: domo.base,
      fetch: globalThis.fetch,
      credentials,
      ...fakeTime(),
      maxAttempts: 1,
      log: {
        debug: () => {},
        info: (message) => {
          if (message === 'Domo access token obtained') throw new RangeError('the log is full');
        },
        warn: (message) => logged.push(message),
        error: () => {},
      },
    }).fetchPage(query);
    expect(page.requests).toBe(2);
    expect(logged).toEqual(['Reporting a new Domo access token failed; the token is used']);
  });

  it("scrubs the token and the credentials from the warning, with the client's own redactor", async () => {
    const warned: unknown[] = [];
    const basic = Buffer.from('client-abc:the-secret').toString('base64');
    await createAuditClient({
      apiBase: domo.base,
      fetch: globalThis.fetch,
      credentials,
      ...fakeTime(),
      maxAttempts: 1,
      log: {
        debug: () => {},
        info: (message) => {
          // A logger that quotes what it could not write, and what it wrote before.
          if (message === 'Domo access token obtained')
            throw new Error(`cannot write line; last request: bearer tok-1, Basic ${basic}, the-secret`);
        },
        warn: (_, fields) => warned.push(fields),
        error: () => {},
      },
    }).fetchPage(query);
    expect(warned).toEqual([
      { error: 'cannot write line; last request: bearer [redacted], Basic [redacted], [redacted]' },
    ]);
  });
});

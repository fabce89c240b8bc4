import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditClient } from '../../../functions/core/domo/audit-client.ts';
import {
  DomoAnswerShapeError,
  DomoConfigError,
  DomoUnavailableError,
} from '../../../functions/core/domo/errors.ts';
import { type FakeDomo, startFakeDomo } from './support/fake-domo.ts';
import { fakeTime } from './support/fake-time.ts';

const query = { start: 1_790_000_000_000, end: 1_790_003_599_999, limit: 1000, offset: 0 };
const ENTRY = '{"time":1790000000001,"userId":"7","actionType":"LOGIN"}';
const json = { 'content-type': 'application/json' };

let domo: FakeDomo;
beforeEach(async () => {
  domo = await startFakeDomo({ expiresIn: 3600 });
});
afterEach(() => domo.close());

const client = () =>
  createAuditClient({
    apiBase: domo.base,
    fetch: globalThis.fetch,
    credentials: { clientId: 'client-abc', clientSecret: 'the-secret' },
    ...fakeTime(),
    maxAttempts: 2,
  });

describe('a page that is a JSON object (review R-DRIFT M2)', () => {
  it('holding entries: says the answer shape changed, names its keys, and is not retried', async () => {
    const page = { text: `{"entries":[${ENTRY}],"total":1}`, headers: json };
    domo.script('audit', page, page);
    const error = await client()
      .fetchPage(query)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomoAnswerShapeError);
    expect(error).toBeInstanceOf(DomoConfigError);
    const { message } = error as Error;
    expect(message).toContain('a JSON object with keys "entries", "total"');
    expect(message).toContain('holding what look like entries under "entries"');
    expect(message).toContain("the Activity Log API's answer shape changed");
    expect(message).not.toMatch(/check/i);
    expect(domo.requests.filter((request) => request.path === '/v1/audit')).toHaveLength(1);
  });

  it('holding no entries: a broken answer as before, its keys named', async () => {
    const page = { text: '{"message":"Service Unavailable"}', headers: json };
    domo.script('audit', page, page);
    const error = await client()
      .fetchPage(query)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomoUnavailableError);
    expect((error as Error).message).toContain(
      'HTTP 200 body is not a JSON array (a JSON object with keys "message")',
    );
    // The sentence after says what was seen, not "an address that answers pages like these"
    // (review R-DRIFT, F-DRIFT's leftover); it quotes nothing of the body.
    expect((error as Error).message).toContain(
      "Domo's answers could not be read: they were a JSON object holding no entries, not the JSON array",
    );
    expect((error as Error).message).not.toContain('Service Unavailable');
    expect((error as Error).message).not.toContain('pages like these');
  });
});

describe('answers of a new shape without an entry wrapped in an object (review R-DRIFT M4)', () => {
  it.each([
    ['newline-delimited JSON', `${ENTRY}\n${ENTRY}\n`, 'newline-delimited JSON (one entry a line)'],
    [
      'a quiet hour wrapped, as items beside a total',
      '{"items":[],"total":0}',
      'an empty list under "items"',
    ],
    [
      'a quiet hour wrapped, as data beside a cursor',
      '{"data":[],"nextCursor":null}',
      'an empty list under "data"',
    ],
  ])('%s: says the answer shape changed, and is not retried', async (_, text, said) => {
    const page = { text, headers: json };
    domo.script('audit', page, page);
    const error = await client()
      .fetchPage(query)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomoAnswerShapeError);
    const { message } = error as Error;
    expect(message).toContain(said);
    expect(message).toContain("the Activity Log API's answer shape changed");
    expect(message).not.toMatch(/check|proxy/i);
    expect(domo.requests.filter((request) => request.path === '/v1/audit')).toHaveLength(1);
  });

  it.each([
    ['an object with an empty list and nothing that pages it', '{"items":[]}'],
    ['two lines of JSON that are not entries', '{"error":"busy"}\n{"error":"busy"}'],
  ])('%s: a broken answer as before', async (_, text) => {
    const page = { text, headers: json };
    domo.script('audit', page, page);
    const error = await client()
      .fetchPage(query)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomoUnavailableError);
  });
});

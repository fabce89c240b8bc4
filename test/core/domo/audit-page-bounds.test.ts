import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAuditClient, decodeAuditPage } from '../../../functions/core/domo/audit-client.ts';
import { ResponseBody } from '../../../functions/core/domo/bounded-body.ts';
import { DomoUnavailableError } from '../../../functions/core/domo/errors.ts';
import { type FakeDomo, startFakeDomo } from './support/fake-domo.ts';
import { fakeTime } from './support/fake-time.ts';

const credentials = { clientId: 'client-abc', clientSecret: 'the-secret' };
const query = { start: 1_790_000_000_000, end: 1_790_003_599_999, limit: 1000, offset: 0 };

let domo: FakeDomo;
beforeEach(async () => {
  domo = await startFakeDomo({ expiresIn: 3600 });
});
afterEach(async () => {
  vi.restoreAllMocks();
  await domo.close();
});

const body = (text: string) => new ResponseBody(Buffer.from(text, 'utf8'));

/** `decodeAuditPage` with JSON.parse counted. */
function decodeCounted(text: string, limit: number) {
  const parse = vi.spyOn(JSON, 'parse');
  const decoded = decodeAuditPage(body(text), limit);
  return { decoded, parses: parse.mock.calls.length };
}

describe('a page of more entries than asked is refused before they are parsed (review 39, item 2)', () => {
  it('refuses 300,000 `{}` for a limit of 1,000 in the words it always used, parsing none', () => {
    const { decoded, parses } = decodeCounted(`[${'{},'.repeat(299_999)}{}]`, 1000);
    expect(decoded).toEqual({
      ok: false,
      reason: 'holds 300000 entries, more than the limit of 1000 asked for',
    });
    expect(parses).toBeLessThanOrEqual(1001);
  });

  it('refuses 500,000 `0` for a limit of 2 the same way', () => {
    const { decoded, parses } = decodeCounted(`[${'0,'.repeat(499_999)}0]`, 2);
    expect(decoded).toEqual({
      ok: false,
      reason: 'holds 500000 entries, more than the limit of 2 asked for',
    });
    expect(parses).toBeLessThanOrEqual(3);
  });

  it('still parses every entry of a page within the limit, and lists a broken one', () => {
    const { decoded, parses } = decodeCounted(`[${'{"a":1},'.repeat(999)}{"a":1}]`, 1000);
    expect(decoded.ok && decoded.value.entries).toHaveLength(1000);
    expect(parses).toBe(1000);
    expect(decodeAuditPage(body('[{"a":1}, tru]'), 1000)).toMatchObject({
      ok: true,
      value: { notJsonEntries: [{ index: 1, error: 'Unexpected end of JSON input' }] },
    });
  });

  it('fails the page through the client with the same error as before, parsing at most limit + 1 a try', async () => {
    const page = { text: `[${'0,'.repeat(199_999)}0]` };
    domo.script('audit', page, page);
    const parse = vi.spyOn(JSON, 'parse');
    const error = await createAuditClient({
      apiBase: domo.base,
      fetch: globalThis.fetch,
      credentials,
      ...fakeTime(),
      maxAttempts: 2,
    })
      .fetchPage(query)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomoUnavailableError);
    expect((error as Error).message).toMatch(
      /^GET \/v1\/audit failed after 2 attempts; last: HTTP 200 body holds 200000 entries, more than the limit of 1000 asked for \([\d,]+ bytes, a JSON array\)/,
    );
    // The token answer once, and no entry of either try.
    expect(parse.mock.calls.length).toBeLessThanOrEqual(1 + 2 * 1001);
  });
});

describe('a broken page that opens like an array is not parsed whole to say so (review 39, item 2)', () => {
  it('says "is not JSON" for 300,000 `{}` never closed or followed by text, parsing nothing', () => {
    for (const text of [
      `[${'{},'.repeat(299_999)}{}`,
      ` \n[${'{},'.repeat(299_999)}{}] x`,
      '[1,,2]',
      '[1,]',
    ]) {
      const { decoded, parses } = decodeCounted(text, 1000);
      expect(decoded, text.slice(0, 20)).toEqual({ ok: false, reason: 'is not JSON' });
      expect(parses).toBe(0);
    }
  });

  it('still parses a text that does not open with [ to say whether it is JSON at all', () => {
    expect(decodeCounted('{"entries":[]}', 1000)).toEqual({
      decoded: {
        ok: false,
        reason: 'is not a JSON array (a JSON object with keys "entries")',
        seen: 'object',
      },
      parses: 1,
    });
    expect(decodeCounted('<html>Maintenance</html>', 1000).decoded).toEqual({
      ok: false,
      reason: 'is not JSON',
    });
  });
});

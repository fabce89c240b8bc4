import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditClient, decodeAuditPage } from '../../../functions/core/domo/audit-client.ts';
import { ResponseBody } from '../../../functions/core/domo/bounded-body.ts';
import { type FakeDomo, startFakeDomo } from './support/fake-domo.ts';
import { fakeTime } from './support/fake-time.ts';

const credentials = { clientId: 'client-abc', clientSecret: 'the-secret' };
const query = { start: 1_790_000_000_000, end: 1_790_003_599_999, limit: 1000, offset: 0 };
const ENTRY = '{"time":1790000000001,"userName":"Ada","actionType":"LOGIN"}';
const json = { 'content-type': 'application/json' };

let domo: FakeDomo;
beforeEach(async () => {
  domo = await startFakeDomo({ expiresIn: 3600 });
});
afterEach(() => domo.close());

describe('answers that start with a UTF-8 byte order mark (review R-HOSTILE2 L2)', () => {
  it('reads a token answer and a page that each start with one', async () => {
    domo.script('token', { text: '\ufeff{"access_token":"tok-bom","expires_in":3600}', headers: json });
    domo.script('audit', { text: `\ufeff[${ENTRY}]`, headers: json });
    const page = await createAuditClient({
      apiBase: domo.base,
      fetch: globalThis.fetch,
      credentials,
      ...fakeTime(),
      maxAttempts: 1,
    }).fetchPage(query);
    expect(page.entryTexts).toEqual([ENTRY]);
    expect(page.requests).toBe(2);
    const audit = domo.requests.find((request) => request.path === '/v1/audit');
    expect(audit?.headers.authorization).toBe('bearer tok-bom');
  });

  it('strips one mark only: a page after two is still not JSON', () => {
    const once = decodeAuditPage(new ResponseBody(Buffer.from(`\ufeff [${ENTRY}]`)), 1000);
    expect(once.ok && once.value.entryTexts).toEqual([ENTRY]);
    const twice = decodeAuditPage(new ResponseBody(Buffer.from(`\ufeff\ufeff[${ENTRY}]`)), 1000);
    expect(twice).toEqual({ ok: false, reason: 'is not JSON' });
  });
});

import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditClient, decodeAuditPage } from '../../../functions/core/domo/audit-client.ts';
import { ResponseBody } from '../../../functions/core/domo/bounded-body.ts';
import { type FakeDomo, startFakeDomo } from './support/fake-domo.ts';
import { fakeTime } from './support/fake-time.ts';

const PAGE = '[{"time":1790000000001,"userId":"7","actionType":"LOGIN"}]';

describe('a page of compressed data left packed (review R-DRIFT L1)', () => {
  it.each([
    ['gzip served without Content-Encoding', gzipSync(PAGE), 'gzip data left packed'],
    [
      'zstd',
      Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), Buffer.from('packed')]),
      'zstd data left packed',
    ],
  ])('%s: says what it is, not only "not JSON"', (_, bytes, said) => {
    const decoded = decodeAuditPage(new ResponseBody(bytes), 1000);
    expect(decoded).toMatchObject({ ok: false, reason: expect.stringContaining(said) });
  });
});

describe('the codings an audit request asks for', () => {
  let domo: FakeDomo;
  beforeEach(async () => {
    domo = await startFakeDomo({ expiresIn: 3600 });
  });
  afterEach(() => domo.close());

  it('are pinned, so every runtime asks for the same ones', async () => {
    domo.script('audit', { text: PAGE, headers: { 'content-type': 'application/json' } });
    const client = createAuditClient({
      apiBase: domo.base,
      fetch: globalThis.fetch,
      credentials: { clientId: 'client-abc', clientSecret: 'the-secret' },
      ...fakeTime(),
    });
    await client.fetchPage({ start: 1_790_000_000_000, end: 1_790_003_599_999, limit: 1000, offset: 0 });
    const audit = domo.requests.find((request) => request.path === '/v1/audit');
    expect(audit?.headers['accept-encoding']).toBe('gzip, deflate, br');
  });
});

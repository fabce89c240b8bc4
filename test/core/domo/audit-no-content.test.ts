import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditClient } from '../../../functions/core/domo/audit-client.ts';
import { DomoUnavailableError } from '../../../functions/core/domo/errors.ts';
import { type FakeDomo, startFakeDomo } from './support/fake-domo.ts';
import { type FakeTime, fakeTime } from './support/fake-time.ts';

const query = { start: 1_790_000_000_000, end: 1_790_003_599_999, limit: 1000, offset: 0 };

let domo: FakeDomo;
let time: FakeTime;

beforeEach(async () => {
  domo = await startFakeDomo({ expiresIn: 3600 });
  time = fakeTime();
});
afterEach(() => domo.close());

const client = (maxAttempts = 6) =>
  createAuditClient({
    apiBase: domo.base,
    credentials: { clientId: 'client-abc', clientSecret: 'the-secret' },
    clock: time.clock,
    sleep: time.sleep,
    random: () => 0.5,
    maxAttempts,
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
    const error = await client(2)
      .fetchPage(query)
      .catch((e) => e);
    expect(error).toBeInstanceOf(DomoUnavailableError);
    expect(error.message).toContain('HTTP 200 body is not JSON (empty)');
  });

  it('is no token: a 204 from the token endpoint is still a broken answer', async () => {
    domo.script('token', { status: 204 }, { status: 204 });
    const error = await client(2)
      .fetchPage(query)
      .catch((e) => e);
    expect(error).toBeInstanceOf(DomoUnavailableError);
    expect(error.message).toContain('HTTP 204 body is not JSON (empty)');
  });
});

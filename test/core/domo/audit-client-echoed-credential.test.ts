import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AuditClientOptions, createAuditClient } from '../../../functions/core/domo/audit-client.ts';
import { DomoConfigError } from '../../../functions/core/domo/errors.ts';
import { recordingLog } from '../../support/recording-log.ts';
import { type FakeDomo, startFakeDomo } from './support/fake-domo.ts';
import { fakeTime } from './support/fake-time.ts';

/**
 * A 403 of the audit request whose body echoes a credential in a form no fixed encoding of it
 * matches: what the error message and the log then show. The page scan is not involved (pages are
 * checked in credential-entries.ts); error bodies reach messages through the client's redactor.
 */

const query = { start: 0, end: 3_599_999, limit: 1000, offset: 0 };

let domo: FakeDomo;
beforeEach(async () => {
  domo = await startFakeDomo();
});
afterEach(() => domo.close());

/** The thrown error's message, and every line logged on the way, as one text. */
async function whatIsSaid(credentials: AuditClientOptions['credentials'], message: string) {
  domo.script('audit', { status: 403, json: { status: 403, statusReason: 'Forbidden', message } });
  const { log, logged } = recordingLog();
  const error = await createAuditClient({
    apiBase: domo.base,
    fetch: globalThis.fetch,
    credentials,
    ...fakeTime(),
    maxAttempts: 1,
    log,
  })
    .fetchPage(query)
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DomoConfigError);
  return { message: (error as Error).message, said: `${(error as Error).message} ${JSON.stringify(logged)}` };
}

describe('a 403 whose body echoes the Basic credential with `=` written as \\u003d', () => {
  it('shows no part of the credential, padded or not', async () => {
    const credentials = {
      clientId: '7c1e2d3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f',
      clientSecret: 'S3cr3t-value-for-test-0001x',
    };
    const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64');
    const unpadded = basic.replace(/=+$/, '');
    // 64 bytes: the credential ends in `==`, which is what the escaping changes.
    expect(basic).toBe(`${unpadded}==`);
    // Domo quoting the request's headers as JSON that Gson wrote (`=` as `\u003d`), inside a JSON
    // string of its message: once the body is decoded, the escape still has its backslash doubled.
    const gson = JSON.stringify({ Authorization: `Basic ${basic}` }).replace(/=/g, '\\u003d');
    const echoed = JSON.stringify({ headers: gson });
    expect(echoed).toContain(`${unpadded}\\\\u003d\\\\u003d`);

    const { message, said } = await whatIsSaid(credentials, echoed);
    expect(said).not.toContain(unpadded);
    expect(message).toContain('Forbidden: {"headers":"{\\"Authorization\\":\\"Basic [redacted]');
  });
});

describe('a 403 whose body echoes a client id that does not look like one', () => {
  it('does not show it: it may be the secret, pasted into the id field', async () => {
    const pastedSecret = 'Kp3vX9qL2mZ8rT5wY7nB4cD6';
    const { message, said } = await whatIsSaid(
      { clientId: pastedSecret, clientSecret: 'the-secret' },
      `client ${pastedSecret} has no audit scope`,
    );
    expect(said).not.toContain(pastedSecret);
    expect(message).toContain('client [redacted] has no audit scope');
  });
});

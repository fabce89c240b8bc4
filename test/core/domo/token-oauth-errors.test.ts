import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DomoConfigError } from '../../../functions/core/domo/errors.ts';
import { sendRequest } from '../../../functions/core/domo/http-request.ts';
import { createRateLimiter } from '../../../functions/core/domo/rate-limiter.ts';
import { createRedactor } from '../../../functions/core/domo/redactor.ts';
import { createTokenProvider } from '../../../functions/core/domo/token-provider.ts';
import { type FakeDomo, startFakeDomo } from './support/fake-domo.ts';
import { type FakeTime, fakeTime } from './support/fake-time.ts';

const SECRET = 'client-secret-value';

let domo: FakeDomo;
let time: FakeTime;

beforeEach(async () => {
  domo = await startFakeDomo({ expiresIn: 3600 });
  time = fakeTime();
});
afterEach(() => domo.close());

/** The message a refused token request ends in, the refusal's body as given. */
const refusal = async (status: number, json: unknown): Promise<string> => {
  domo.script('token', { status, json });
  const redactor = createRedactor([SECRET]);
  const tokens = createTokenProvider({
    apiBase: domo.base,
    credentials: { clientId: 'client-abc', clientSecret: SECRET },
    scope: 'audit',
    refreshMarginMs: 120_000,
    clock: time.clock,
    send: (request, options) =>
      sendRequest(
        {
          fetch: (url, init) => fetch(url, init),
          limiter: createRateLimiter({ requestsPerSecond: Number.POSITIVE_INFINITY, ...time }),
          clock: time.clock,
          sleep: time.sleep,
          backoff: { baseDelayMs: 10, maxDelayMs: 100, maxRetryAfterMs: 1000, random: () => 0.5 },
          requestTimeoutMs: 2000,
          maxAttempts: 2,
          userAgent: 'test',
          scrub: redactor.scrub,
        },
        request,
        options,
      ),
    onIssued: redactor.add,
    scrub: redactor.scrub,
  });
  const error = await tokens.getToken().catch((e) => e);
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

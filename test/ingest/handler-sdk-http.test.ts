import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { clearCache } from '@middy/util';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ingestEnvironment } from '../../functions/ingest/config.ts';
import { createIngestHandler } from '../../functions/ingest/handler.ts';
import { SAMPLE_INGEST_HANDLER_CONFIG } from '../support/ingest-handler-config.ts';
import { withoutConfiguredEndpoints } from '../support/no-configured-endpoint.ts';
import { failureOf, silentEndpoints } from '../support/silent-endpoint.ts';
import { withTestCredentials } from '../support/test-credentials.ts';

// The clients the ingest function builds itself (Secrets Manager through middy, S3) bound each
// attempt's wait: against an endpoint that never answers, the invocation fails with a timeout
// instead of hanging until the Lambda's own timeout. Short bounds here; the defaults are tested
// in test/adapters/sdk-http-timeouts.test.ts.

// Only the idle bound is met (the endpoint accepts at once): 50 ms, not 200, saves ~1.5 s of waiting.
const SHORT = { connectionMs: 200, idleMs: 50 };
/**
 * Up to three attempts of 50 ms per request, a few requests: ~0.5 s alone, 11 s once under a loaded
 * CI run. The default idle bound (15 s a try, three tries) would pass 45 s, so the figure still tells
 * the short bound from the default, with room for a busy machine.
 */
const WITHIN_MS = 30_000;

withoutConfiguredEndpoints();
const silentEndpoint = silentEndpoints();

const context = {
  awsRequestId: 'request',
  functionName: 'ingest-acme',
  getRemainingTimeInMillis: () => 600_000,
} as unknown as Context;

let seq = 0;
/** The handler with short bounds and no injected S3 client, every AWS endpoint silent. */
async function silentHandler() {
  const silent = await silentEndpoint();
  vi.stubEnv('AWS_ENDPOINT_URL', silent.endpoint);
  seq += 1;
  const secretId = `test/domo/silent-${seq}`;
  const handler = createIngestHandler({
    env: ingestEnvironment({ ...SAMPLE_INGEST_HANDLER_CONFIG, secretId }),
    sdkHttp: SHORT,
  });
  return { secretId, handler, silent };
}

withTestCredentials();
beforeEach(() => clearCache());

describe('ingest handler network bounds', () => {
  it('fails a secret read that is never answered, naming the timeout', async () => {
    const { handler, secretId } = await silentHandler();
    const { ms, error } = await failureOf(handler({}, context));
    expect(error.message).toContain(`could not read the Domo secret "${secretId}"`);
    expect(error.message).toMatch(/TimeoutError: .*timed out after 50 ms of inactivity/);
    expect(ms).toBeLessThan(WITHIN_MS);
  }, 40_000);

  it('fails a lake request that is never answered, once the secret is read', async () => {
    const { handler, secretId, silent } = await silentHandler();
    // Mocked here, not for the file: the test above needs the real client's request.
    const secrets = mockClient(SecretsManagerClient);
    try {
      secrets
        .on(GetSecretValueCommand, { SecretId: secretId })
        .resolves({ SecretString: JSON.stringify({ clientId: 'c', clientSecret: 's' }) });
      const { ms, error } = await failureOf(handler({}, context));
      expect(error.message).toMatch(/timed out after 50 ms of inactivity/);
      expect(ms).toBeLessThan(WITHIN_MS);
      expect(silent.connections()).toBeGreaterThanOrEqual(3);
    } finally {
      secrets.restore();
    }
  }, 40_000);
});

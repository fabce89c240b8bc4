import { ListWorkGroupsCommand } from '@aws-sdk/client-athena';
import { describe, expect, it, vi } from 'vitest';
import { createKmsClient, KmsDigestSigner } from '../../functions/adapters/kms-digest-signer.ts';
import { newS3Client } from '../../functions/adapters/lake-location.ts';
import { S3ObjectStore } from '../../functions/adapters/s3-store.ts';
import { CLI_S3_HTTP_BOUNDS, SDK_HTTP_BOUNDS, sdkRequestHandler } from '../../functions/adapters/sdk-http.ts';
import { newAthenaClient } from '../../functions/cli/engine-target.ts';
import { newSecretsClient, secretCredentials } from '../../functions/cli/secret-credentials.ts';
import { withoutConfiguredEndpoints } from '../support/no-configured-endpoint.ts';
import { failureOf, requestHandlerSettings, silentEndpoints } from '../support/silent-endpoint.ts';
import { withTestCredentials } from '../support/test-credentials.ts';

// The SDK's Node handler waits forever by default: a request to an endpoint that accepts and never
// answers must instead fail each attempt within the client's bounds (here short ones), be retried
// as transient, and end in an error that says it timed out.

// The idle bound is what these requests meet (the endpoint accepts at once): 50 ms keeps each
// test's wait at ~0.2 s (three attempts and the SDK's backoff), against ~0.7 s at 200 ms.
const SHORT = { connectionMs: 200, idleMs: 50 };
/**
 * Three attempts of 50 ms and the SDK's backoff between them: ~0.2 s alone, 20 times that on a
 * loaded CI run. The default idle bound (15 s a try, three tries) would pass 45 s, so the figure
 * still tells the short bound from the default.
 */
const WITHIN_MS = 30_000;

withoutConfiguredEndpoints();
const silentEndpoint = silentEndpoints();

/** Every client of the test talks to a fresh endpoint that never answers. */
async function silence() {
  const silent = await silentEndpoint();
  vi.stubEnv('AWS_ENDPOINT_URL', silent.endpoint);
  return silent;
}

withTestCredentials();

describe('bounded SDK requests', () => {
  it('shares one set of settings: 5 s to connect, 30 s idle, 120 s idle for the CLI S3 client', () => {
    expect(sdkRequestHandler()).toEqual({ connectionTimeout: 5_000, socketTimeout: 15_000 });
    expect(sdkRequestHandler(SDK_HTTP_BOUNDS)).toEqual(sdkRequestHandler());
    expect(sdkRequestHandler(CLI_S3_HTTP_BOUNDS)).toEqual({
      connectionTimeout: 5_000,
      socketTimeout: 120_000,
    });
  });

  it('the CLI S3 client: a GET that is never answered fails with a timeout, after the retries', async () => {
    const silent = await silence();
    const store = new S3ObjectStore({ client: await newS3Client(SHORT), bucket: 'lake', prefix: 'p/' });
    const { ms, error } = await failureOf(store.get('state/instance=main/checkpoint.json'));
    expect(error.message).toMatch(/GetObject.*timed out after 50 ms of inactivity/s);
    expect(ms).toBeLessThan(WITHIN_MS);
    expect(silent.connections()).toBe(3);
  }, 40_000);

  it('the CLI S3 client has the CLI bounds by default', async () => {
    expect(await requestHandlerSettings(await newS3Client())).toMatchObject({
      connectionTimeout: 5_000,
      socketTimeout: 120_000,
    });
  });

  it('the CLI Athena client: a request never answered fails with a timeout', async () => {
    await silence();
    const { ms, error } = await failureOf(
      newAthenaClient('eu-west-1', SHORT).send(new ListWorkGroupsCommand({})),
    );
    expect(error.name).toBe('TimeoutError');
    expect(ms).toBeLessThan(WITHIN_MS);
    const client = newAthenaClient('eu-west-2');
    expect(await client.config.region()).toBe('eu-west-2');
    expect(await requestHandlerSettings(client)).toMatchObject({
      connectionTimeout: 5_000,
      socketTimeout: 15_000,
    });
  }, 40_000);

  it('the CLI Secrets Manager client: an unanswered read of the secret fails, naming the timeout', async () => {
    await silence();
    const { ms, error } = await failureOf(
      secretCredentials('domo/acme', (region) => newSecretsClient(region, SHORT)),
    );
    expect(error.message).toMatch(
      /could not read the Domo secret "domo\/acme".*TimeoutError.*check the network/,
    );
    expect(ms).toBeLessThan(WITHIN_MS);
    const client = await newSecretsClient('us-east-1');
    expect(await client.config.region()).toBe('us-east-1');
    expect(await requestHandlerSettings(client)).toMatchObject({
      connectionTimeout: 5_000,
      socketTimeout: 15_000,
    });
  }, 40_000);

  it('the KMS client: its request bound is an error, not a logged warning', async () => {
    const silent = await silence();
    // The idle bound stays the default 30 s: only the 50 ms request bound can end this in time.
    const signer = new KmsDigestSigner(createKmsClient({ requestTimeoutMs: 50 }), 'key-1');
    const { ms, error } = await failureOf(signer.sign(new Uint8Array([1])));
    expect(error.message).toMatch(/KMS could not sign the digest with key key-1 \(TimeoutError/);
    expect(ms).toBeLessThan(WITHIN_MS);
    expect(silent.connections()).toBe(3);
    expect(await requestHandlerSettings(createKmsClient())).toMatchObject({
      connectionTimeout: 5_000,
      socketTimeout: 15_000,
      requestTimeout: 10_000,
      throwOnRequestTimeout: true,
    });
  }, 40_000);
});

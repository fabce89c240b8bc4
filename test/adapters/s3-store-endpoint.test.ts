import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  assertConditionalWrites,
  ConditionalWritesIgnoredError,
  S3ObjectStore,
} from '../../functions/adapters/s3-store.ts';
import { withoutConfiguredEndpoints } from '../support/no-configured-endpoint.ts';
import { type LocalS3, startLocalS3 } from './s3rver-harness.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 's3-endpoint-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Only what each test sets may name an endpoint: not the machine's environment or ~/.aws/config.
withoutConfiguredEndpoints();

/** A store over a client built as the CLI and the Lambdas build theirs: no endpoint in code. */
const storeOf = (options: S3ClientConfig = {}) => {
  const client = new S3Client({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    ...options,
  });
  return { client, store: new S3ObjectStore({ client, bucket: 'bkt', prefix: 'lake' }) };
};

describe('S3ObjectStore.endpoint() with an endpoint configured outside the code', () => {
  it('names AWS_ENDPOINT_URL_S3, which wins over AWS_ENDPOINT_URL', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL', 'http://127.0.0.1:4600');
    expect(await storeOf().store.endpoint()).toBe('http://127.0.0.1:4600');
    vi.stubEnv('AWS_ENDPOINT_URL_S3', 'http://127.0.0.1:4599/base');
    expect(await storeOf().store.endpoint()).toBe('http://127.0.0.1:4599/base');
  });

  it('names the endpoint_url of the shared config file, as the SDK reads it', async () => {
    const file = join(dir, 'config');
    await writeFile(file, '[default]\nendpoint_url = http://127.0.0.1:4601\n');
    vi.stubEnv('AWS_CONFIG_FILE', file);
    expect(await storeOf().store.endpoint()).toBe('http://127.0.0.1:4601');
  });

  it('prefers an endpoint set in code to the environment', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL_S3', 'http://127.0.0.1:4599');
    expect(await storeOf({ endpoint: 'http://localhost:9000' }).store.endpoint()).toBe(
      'http://localhost:9000',
    );
  });

  it('names Amazon S3 when the configured endpoints are ignored, as the SDK then does', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL_S3', 'http://127.0.0.1:4599');
    expect(await storeOf({ ignoreConfiguredEndpointUrls: true }).store.endpoint()).toBe(
      'Amazon S3 (eu-west-1)',
    );
    vi.stubEnv('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', 'true');
    expect(await storeOf().store.endpoint()).toBe('Amazon S3 (eu-west-1)');
  });

  it('never repeats user info or a query string of the URL', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL_S3', 'http://AKIAEXAMPLE:s3cr3t@127.0.0.1:4599/base?X-Amz-Signature=abc');
    const name = await storeOf().store.endpoint();
    expect(name).toBe('http://127.0.0.1:4599/base');
    vi.stubEnv('AWS_ENDPOINT_URL_S3', 'not a url s3cr3t');
    expect(await storeOf().store.endpoint()).not.toContain('s3cr3t');
  });
});

describe('conditional-write probe with AWS_ENDPOINT_URL_S3 pointing at s3rver', () => {
  let s3: LocalS3;
  let url: string;
  beforeAll(async () => {
    s3 = await startLocalS3('env-bucket');
    const { protocol, hostname, port } = await (s3.client.config.endpoint?.() ??
      Promise.reject(new Error('the s3rver client has no endpoint')));
    url = `${protocol}//${hostname}:${port}`;
  });
  afterAll(async () => s3.stop());

  it('names the endpoint the requests went to, not Amazon S3', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL_S3', url);
    const client = new S3Client({
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    try {
      const store = new S3ObjectStore({ client, bucket: 'env-bucket', prefix: 'lake' });
      const error = await assertConditionalWrites(store, 'acme').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConditionalWritesIgnoredError);
      expect((error as Error).message).toContain(`the object store at ${url} (s3://env-bucket/lake/)`);
    } finally {
      client.destroy();
    }
  });
});

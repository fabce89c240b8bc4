import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertConditionalWrites,
  ConditionalWritesIgnoredError,
  conditionalWriteProbeKey,
  S3ObjectStore,
} from '../../functions/adapters/s3-store.ts';
import { MemoryObjectStore } from '../support/memory-store.ts';
import { withoutConfiguredEndpoints } from '../support/no-configured-endpoint.ts';
import { s3Error } from '../support/s3-error.ts';
import { type LocalS3, startLocalS3 } from './s3rver-harness.ts';

describe('conditional-write probe on s3rver (which ignores If-None-Match)', () => {
  let s3: LocalS3;
  beforeAll(async () => {
    s3 = await startLocalS3('probe-bucket');
  });
  afterAll(async () => s3.stop());

  it('refuses the store, naming its endpoint and the unsafe option', async () => {
    const store = new S3ObjectStore({ client: s3.client, bucket: 'probe-bucket', prefix: 'lake' });
    const error = await assertConditionalWrites(store, 'acme').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConditionalWritesIgnoredError);
    const endpoint = await store.endpoint();
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((error as Error).message).toContain(`the object store at ${endpoint} (s3://probe-bucket/lake/)`);
    // The adapter serves the Lambda too, which has no command-line option: the CLI adds its own.
    expect((error as Error).message).not.toContain('--');
    // Refused again on the next run of the same process: a bad store never becomes acceptable.
    await expect(assertConditionalWrites(store, 'acme')).rejects.toBeInstanceOf(
      ConditionalWritesIgnoredError,
    );
  });

  it('lets a run go on only with the explicit unsafe option', async () => {
    const store = new S3ObjectStore({ client: s3.client, bucket: 'probe-bucket', prefix: 'other' });
    await expect(assertConditionalWrites(store, 'acme', { unsafeSkip: true })).resolves.toBeUndefined();
  });
});

describe('conditional-write probe on a store that answers 412 (mocked S3)', () => {
  // It names the store by its endpoint: AWS's, whatever this machine's AWS settings say.
  withoutConfiguredEndpoints();
  const client = new S3Client({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  const s3 = mockClient(client);

  it('accepts it after two create-only puts of the probe, once per process', async () => {
    s3.reset();
    s3.on(PutObjectCommand).resolvesOnce({ ETag: '"p"' }).rejects(s3Error('PreconditionFailed', 412));
    const store = new S3ObjectStore({ client, bucket: 'real-bucket', prefix: 'lake' });
    await assertConditionalWrites(store, 'acme');
    const calls = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    expect(calls).toHaveLength(2);
    for (const input of calls) {
      expect(input).toMatchObject({
        Bucket: 'real-bucket',
        Key: `lake/${conditionalWriteProbeKey('acme')}`,
        IfNoneMatch: '*',
      });
    }
    expect(conditionalWriteProbeKey('acme')).toBe('state/instance=acme/conditional-write-probe.json');
    await assertConditionalWrites(
      new S3ObjectStore({ client, bucket: 'real-bucket', prefix: 'lake' }),
      'acme',
    );
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(2);
    expect(await store.endpoint()).toBe('Amazon S3 (eu-west-1)');
  });

  it('accepts a probe object left by an earlier process (both puts answered 412)', async () => {
    s3.reset();
    s3.on(PutObjectCommand).rejects(s3Error('PreconditionFailed', 412));
    await assertConditionalWrites(
      new S3ObjectStore({ client, bucket: 'real-bucket', prefix: 'second' }),
      'acme',
    );
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(2);
  });

  it('stops on any other failure and probes again next time', async () => {
    s3.reset();
    s3.on(PutObjectCommand)
      .rejectsOnce(s3Error('AccessDenied', 403))
      .rejects(s3Error('PreconditionFailed', 412));
    const store = new S3ObjectStore({ client, bucket: 'real-bucket', prefix: 'third' });
    await expect(assertConditionalWrites(store, 'acme')).rejects.toThrow(/AccessDenied/);
    await expect(assertConditionalWrites(store, 'acme')).resolves.toBeUndefined();
  });

  it('leaves stores that implement the conditions themselves alone', async () => {
    const memory = new MemoryObjectStore();
    await assertConditionalWrites(memory, 'acme');
    expect(memory.puts).toHaveLength(0);
  });
});

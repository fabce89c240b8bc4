import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../functions/adapters/s3-store.ts';
import { s3Error } from '../support/s3-error.ts';

// The store's defaults for large bodies (16 MiB threshold, 8 MiB parts, 4 at a time, no parts left
// behind on failure) and its listing page size, on a client that only records what it is asked.
const MiB = 1024 * 1024;
const client = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const s3 = mockClient(client);
beforeEach(() => {
  s3.reset();
  s3.on(PutObjectCommand).resolves({ ETag: '"single"' });
  s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u-1' });
  s3.on(UploadPartCommand).resolves({ ETag: '"part"' });
  s3.on(CompleteMultipartUploadCommand).resolves({ ETag: '"multi"' });
  s3.on(AbortMultipartUploadCommand).resolves({});
});

const partSizes = () =>
  s3.commandCalls(UploadPartCommand).map((call) => (call.args[0].input.Body as Uint8Array).byteLength);

describe('S3ObjectStore large bodies', () => {
  it('puts up to 16 MiB in one request, and more in parts of 8 MiB', async () => {
    const store = new S3ObjectStore({ client, bucket: 'lake-bucket' });
    expect(await store.put('a.json', new Uint8Array(16 * MiB))).toEqual({ etag: '"single"' });
    expect(s3).not.toHaveReceivedCommand(CreateMultipartUploadCommand);
    expect(await store.put('b.json', new Uint8Array(16 * MiB + 1))).toEqual({ etag: '"multi"' });
    expect(partSizes().sort((x, y) => y - x)).toEqual([8 * MiB, 8 * MiB, 1]);
  });

  it('sends four parts at a time', async () => {
    let running = 0;
    let most = 0;
    s3.on(UploadPartCommand).callsFake(async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 20));
      running -= 1;
      return { ETag: '"part"' };
    });
    const store = new S3ObjectStore({
      client,
      bucket: 'lake-bucket',
      multipartThresholdBytes: 1,
      partSizeBytes: 5 * MiB,
    });
    await store.put('c.json', new Uint8Array(30 * MiB));
    expect(partSizes()).toHaveLength(6);
    expect(most).toBe(4);
  });

  it('aborts the upload when a part fails, leaving no parts to pay for', async () => {
    s3.on(UploadPartCommand).rejects(s3Error('InternalError', 500));
    const store = new S3ObjectStore({
      client,
      bucket: 'lake-bucket',
      multipartThresholdBytes: 1,
      partSizeBytes: 5 * MiB,
    });
    await expect(store.put('d.json', new Uint8Array(6 * MiB))).rejects.toThrow(/multipart upload/);
    expect(s3).toHaveReceivedCommandWith(AbortMultipartUploadCommand, { UploadId: 'u-1', Key: 'd.json' });
  });
});

describe('S3ObjectStore listing', () => {
  it('asks for pages of the size hinted, else leaves it to S3', async () => {
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'lake/a' }] });
    const store = new S3ObjectStore({ client, bucket: 'lake-bucket', prefix: 'lake' });
    for await (const _ of store.list('', { pageSize: 5 })) break;
    expect(s3).toHaveReceivedCommandWith(ListObjectsV2Command, { Prefix: 'lake/', MaxKeys: 5 });
    s3.resetHistory();
    for await (const _ of store.list('')) break;
    expect(s3.commandCalls(ListObjectsV2Command)[0]?.args[0].input.MaxKeys).toBeUndefined();
  });
});

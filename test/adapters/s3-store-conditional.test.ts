import {
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../functions/adapters/s3-store.ts';
import { PreconditionFailedError, WriteInFlightError } from '../../functions/core/ports.ts';
import { collect } from '../support/collect.ts';
import { s3Error } from '../support/s3-error.ts';

// s3rver ignores conditional headers; real S3 answers 412, or 409 while another put is in flight.
const client = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const s3 = mockClient(client);
const store = new S3ObjectStore({
  client,
  bucket: 'lake-bucket',
  prefix: 'lake',
  multipartThresholdBytes: 10,
  // A 409 is sent again after waits (s3-store-put-in-flight.test.ts): here they return at once.
  putAgainWaits: { sleep: async () => {}, random: () => 0 },
});
const body = new TextEncoder().encode('a body longer than the ten-byte multipart threshold');
const key = 'state/instance=acme/checkpoint.json';

beforeEach(() => {
  s3.reset();
});

describe('S3ObjectStore conditional writes (mocked S3)', () => {
  it('sends If-None-Match for create-only and maps 412 PreconditionFailed to PreconditionFailedError', async () => {
    s3.on(PutObjectCommand).rejects(s3Error('PreconditionFailed', 412));
    await expect(store.put(key, body, { ifNoneMatch: '*' })).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: 'lake-bucket',
      Key: `lake/${key}`,
      IfNoneMatch: '*',
    });
  });

  it('sends If-Match, and a 409 ConditionalRequestConflict is no lost race', async () => {
    s3.on(PutObjectCommand).rejects(s3Error('ConditionalRequestConflict', 409));
    await expect(store.put(key, body, { ifMatch: '"abc"' })).rejects.toBeInstanceOf(WriteInFlightError);
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, { Key: `lake/${key}`, IfMatch: '"abc"' });
  });

  it('treats If-Match on a key that has since disappeared (404) as a lost condition', async () => {
    s3.on(PutObjectCommand).rejects(s3Error('NoSuchKey', 404));
    await expect(store.put(key, body, { ifMatch: '"abc"' })).rejects.toBeInstanceOf(PreconditionFailedError);
  });

  it('returns the new ETag of a conditional put that wins, passing content type through', async () => {
    s3.on(PutObjectCommand).resolves({ ETag: '"new"' });
    await expect(
      store.put(key, body, { ifMatch: '"old"', contentType: 'application/json' }),
    ).resolves.toEqual({
      etag: '"new"',
    });
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      IfMatch: '"old"',
      ContentType: 'application/json',
    });
  });

  it('keeps conditional puts on a single PutObject even above the multipart threshold', async () => {
    s3.on(PutObjectCommand).resolves({ ETag: '"e"' });
    await store.put(key, body, { ifNoneMatch: '*' });
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 1);
    expect(s3).not.toHaveReceivedCommand(CreateMultipartUploadCommand);
  });

  it('does not mistake an unconditional 412 or other failures for a lost race', async () => {
    s3.on(PutObjectCommand).rejects(s3Error('PreconditionFailed', 412));
    const small = new S3ObjectStore({ client, bucket: 'lake-bucket' });
    const error: unknown = await small.put('k', new Uint8Array([1])).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(PreconditionFailedError);
    expect(String(error)).toMatch(
      /S3 PutObject of s3:\/\/lake-bucket\/k failed with PreconditionFailed \(HTTP 412\)/,
    );
  });

  it('names the missing IAM permission on AccessDenied', async () => {
    s3.on(PutObjectCommand).rejects(s3Error('AccessDenied', 403));
    s3.on(GetObjectCommand).rejects(s3Error('AccessDenied', 403));
    s3.on(ListObjectsV2Command).rejects(s3Error('AccessDenied', 403));
    await expect(store.put(key, body, { ifMatch: '"a"' })).rejects.toThrow(
      /S3 PutObject of s3:\/\/lake-bucket\/lake\/state\/instance=acme\/checkpoint\.json failed with AccessDenied \(HTTP 403\).*lacks s3:PutObject on arn:aws:s3:::lake-bucket\/lake\/state\/instance=acme\/checkpoint\.json/,
    );
    await expect(store.get(key)).rejects.toThrow(/GetObject .*lacks s3:GetObject.*s3:ListBucket/);
    await expect(collect(store.list('coverage/'))).rejects.toThrow(
      /lacks s3:ListBucket on arn:aws:s3:::lake-bucket/,
    );
  });

  it('refuses Content-Encoding gzip on .gz objects (clients would decompress them)', async () => {
    await expect(
      store.put('activity_log/x.ndjson.gz', body, {
        contentEncoding: 'gzip',
        contentType: 'application/x-ndjson',
      }),
    ).rejects.toThrow(/refusing Content-Encoding: gzip/);
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
  });
});

describe('S3ObjectStore listing (mocked S3)', () => {
  it('follows continuation tokens and returns keys relative to the prefix', async () => {
    s3.on(ListObjectsV2Command, { ContinuationToken: undefined }).resolves({
      IsTruncated: true,
      NextContinuationToken: 'page-2',
      Contents: [{ Key: 'lake/coverage/a.json' }, { Key: 'lake/coverage/b.json' }],
    });
    s3.on(ListObjectsV2Command, { ContinuationToken: 'page-2' }).resolves({
      IsTruncated: false,
      Contents: [{ Key: 'lake/coverage/c.json' }],
    });
    expect(await collect(store.list('coverage/'))).toEqual([
      'coverage/a.json',
      'coverage/b.json',
      'coverage/c.json',
    ]);
    expect(s3).toHaveReceivedCommandTimes(ListObjectsV2Command, 2);
    expect(s3).toHaveReceivedNthCommandWith(ListObjectsV2Command, 2, {
      Bucket: 'lake-bucket',
      Prefix: 'lake/coverage/',
      ContinuationToken: 'page-2',
    });
  });
});

describe('S3ObjectStore configuration', () => {
  it('rejects invalid bucket names and part sizes below the S3 minimum', () => {
    expect(() => new S3ObjectStore({ client, bucket: 'Upper_Case' })).toThrow(/not a valid S3 bucket name/);
    expect(() => new S3ObjectStore({ client, bucket: 'ok-bucket', partSizeBytes: 1024 })).toThrow(
      /5 MiB minimum/,
    );
  });
});

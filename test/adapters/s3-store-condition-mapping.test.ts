import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../functions/adapters/s3-store.ts';
import { PreconditionFailedError, WriteInFlightError } from '../../functions/core/ports.ts';
import { s3Error } from '../support/s3-error.ts';

// Which answers to a conditional put mean "another writer got there first" (the caller re-reads and
// retries, or stops) and which are failures to report: mixing them up either loses a race silently
// or hides a missing bucket behind an endless "someone else wrote it".
const client = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const s3 = mockClient(client);
// A 409 is sent again after waits (s3-store-put-in-flight.test.ts): here they return at once.
const putAgainWaits = { sleep: async () => {}, random: () => 0 };
const store = new S3ObjectStore({ client, bucket: 'lake-bucket', prefix: 'lake', putAgainWaits });
const key = 'state/instance=acme/checkpoint.json';
const body = new TextEncoder().encode('{}');

const failure = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

beforeEach(() => s3.reset());
afterAll(() => s3.restore());

describe('S3ObjectStore: answers to a conditional put', () => {
  it('takes an HTTP 412 as a lost condition even when the store names no PreconditionFailed code', async () => {
    // A 412 without an XML body (some S3-compatible stores, proxies) reaches the SDK with no code.
    s3.on(PutObjectCommand).rejects(s3Error('UnknownError', 412));
    await expect(store.put(key, body, { ifNoneMatch: '*' })).rejects.toBeInstanceOf(PreconditionFailedError);
  });

  it('takes a 409 OperationAborted (a conflicting write in flight) as no lost condition', async () => {
    s3.on(PutObjectCommand).rejects(s3Error('OperationAborted', 409));
    const error = await failure(store.put(key, body, { ifMatch: '"abc"' }));
    expect(error).toBeInstanceOf(WriteInFlightError);
    expect(error).not.toBeInstanceOf(PreconditionFailedError);
  });

  it('reports a missing bucket under If-Match as a missing bucket, not as a lost race', async () => {
    s3.on(PutObjectCommand).rejects(s3Error('NoSuchBucket', 404));
    const error = await failure(store.put(key, body, { ifMatch: '"abc"' }));
    expect(error).not.toBeInstanceOf(PreconditionFailedError);
    expect(String(error)).toMatch(/NoSuchBucket \(HTTP 404\).*Bucket lake-bucket does not exist/);
  });

  it('takes a 404 as a lost condition only under If-Match, where the key was read before', async () => {
    s3.on(PutObjectCommand).rejects(s3Error('NoSuchKey', 404));
    const error = await failure(store.put(key, body, { ifNoneMatch: '*' }));
    expect(error).not.toBeInstanceOf(PreconditionFailedError);
    expect(String(error)).toMatch(/S3 PutObject of s3:\/\/lake-bucket\/lake\/state.* failed with NoSuchKey/);
  });
});

import { GetObjectCommand, HeadObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../functions/adapters/s3-store.ts';
import { s3Error } from '../support/s3-error.ts';

const client = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const s3 = mockClient(client);
afterAll(() => s3.restore());
beforeEach(() => s3.reset());

/** A refused HEAD as the SDK raises it: the answer has no body, so no code and no message. */
const bodilessRefusal = () =>
  new S3ServiceException({
    name: 'Unknown',
    $fault: 'client',
    $metadata: { httpStatusCode: 403 },
    message: 'UnknownError',
  });

describe('a refused HeadObject is named as a refused GetObject is (review 36m, item 3)', () => {
  it('maps a bodiless 403 to AccessDenied with the s3:GetObject hint a GET gets', async () => {
    const store = new S3ObjectStore({ client, bucket: 'lake-bucket' });
    s3.on(HeadObjectCommand).rejects(bodilessRefusal());
    s3.on(GetObjectCommand).rejects(s3Error('AccessDenied', 403));
    const head = await store.exists('x/y').then(
      () => undefined,
      (error: unknown) => (error as Error).message,
    );
    const get = await store.get('x/y').then(
      () => undefined,
      (error: unknown) => (error as Error).message,
    );
    expect(head).toBe(
      "S3 HeadObject of s3://lake-bucket/x/y failed with AccessDenied (HTTP 403): The caller lacks s3:GetObject on arn:aws:s3:::lake-bucket/x/y (or kms:Decrypt on the bucket's KMS key, or a bucket policy denies it); without s3:ListBucket a missing key is also reported as AccessDenied instead of 404",
    );
    // The same hint, word for word, as the refused GET of the same key.
    expect(get).toContain(head?.slice(head.indexOf('The caller')));
  });

  it('still answers false for a 404', async () => {
    const store = new S3ObjectStore({ client, bucket: 'lake-bucket' });
    s3.on(HeadObjectCommand).rejects(s3Error('NotFound', 404));
    await expect(store.exists('x/y')).resolves.toBe(false);
  });
});

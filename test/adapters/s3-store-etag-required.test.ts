import { GetObjectCommand, type GetObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../functions/adapters/s3-store.ts';

// The ETag a read returns is what the next write sends as If-Match: a read without one would let
// that write go out unconditionally and overwrite a concurrent writer's object.
const client = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const s3 = mockClient(client);
const store = new S3ObjectStore({ client, bucket: 'lake-bucket', prefix: 'lake' });
// The one method of the SDK's stream body the store calls.
const bodyOf = (text: string) =>
  ({
    transformToByteArray: async () => new TextEncoder().encode(text),
  }) as unknown as GetObjectCommandOutput['Body'];

beforeEach(() => s3.reset());
afterAll(() => s3.restore());

describe('S3ObjectStore.get and the ETag', () => {
  it('refuses an object S3 returned without an ETag, naming it', async () => {
    s3.on(GetObjectCommand).resolves({ Body: bodyOf('{}') });
    await expect(store.get('state/instance=acme/checkpoint.json')).rejects.toThrow(
      /no ETag for s3:\/\/lake-bucket\/lake\/state\/instance=acme\/checkpoint\.json/,
    );
  });

  it('returns the body with the ETag it came with', async () => {
    s3.on(GetObjectCommand).resolves({ Body: bodyOf('{}'), ETag: '"e1"' });
    const object = await store.get('state/instance=acme/checkpoint.json');
    expect(object?.etag).toBe('"e1"');
    expect(new TextDecoder().decode(object?.body)).toBe('{}');
  });
});

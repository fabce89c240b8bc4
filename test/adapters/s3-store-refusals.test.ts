import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../functions/adapters/s3-store.ts';

const MIB = 1024 * 1024;
const client = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const s3 = mockClient(client);
afterAll(() => s3.restore());

describe('S3ObjectStore refuses what S3 or its readers would get wrong', () => {
  it('refuses a part size one byte below the S3 minimum of 5 MiB and accepts 5 MiB', () => {
    expect(() => new S3ObjectStore({ client, bucket: 'lake-bucket', partSizeBytes: 5 * MIB - 1 })).toThrow(
      /5 MiB minimum/,
    );
    expect(() => new S3ObjectStore({ client, bucket: 'lake-bucket', partSizeBytes: 5 * MIB })).not.toThrow();
  });

  it('refuses Content-Encoding gzip on a .gz key whatever its case', async () => {
    const store = new S3ObjectStore({ client, bucket: 'lake-bucket' });
    await expect(
      store.put('activity_log/x.ndjson.gz', new Uint8Array([1]), { contentEncoding: 'GZIP' }),
    ).rejects.toThrow(/refusing Content-Encoding: gzip/);
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
  });
});

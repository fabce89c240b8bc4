import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../functions/adapters/s3-store.ts';

// The digest chain's head is found by listing after a known digest: S3 must be asked to start
// there (StartAfter, under the store's prefix), not to page from the chain's first key.
const client = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const s3 = mockClient(client);
beforeEach(() => s3.reset());

describe('S3ObjectStore listing after a key', () => {
  it('asks S3 to start after the key, under the store prefix', async () => {
    s3.on(ListObjectsV2Command).resolves({
      Contents: [{ Key: 'lake/digest/instance=acme/0000000008.json' }],
    });
    const store = new S3ObjectStore({ client, bucket: 'lake-bucket', prefix: 'lake' });
    const keys: string[] = [];
    for await (const key of store.list('digest/instance=acme/', {
      startAfter: 'digest/instance=acme/0000000007.json',
    }))
      keys.push(key);
    expect(keys).toEqual(['digest/instance=acme/0000000008.json']);
    expect(s3).toHaveReceivedCommandWith(ListObjectsV2Command, {
      Prefix: 'lake/digest/instance=acme/',
      StartAfter: 'lake/digest/instance=acme/0000000007.json',
    });
  });

  it('leaves StartAfter out when not asked', async () => {
    s3.on(ListObjectsV2Command).resolves({ Contents: [] });
    const store = new S3ObjectStore({ client, bucket: 'lake-bucket', prefix: 'lake' });
    for await (const _ of store.list('digest/')) break;
    expect(s3.commandCalls(ListObjectsV2Command)[0]?.args[0].input.StartAfter).toBeUndefined();
  });
});

import { ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../functions/adapters/s3-store.ts';
import { versionListerOf } from '../../functions/core/ports.ts';
import { s3Error } from '../support/s3-error.ts';

// s3rver has no versions API (it answers NotImplemented), so the listing is checked against a mock
// that answers as S3 does: versions and delete markers apart, in pages with two markers.
const client = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const s3 = mockClient(client);
const store = new S3ObjectStore({ client, bucket: 'lake-bucket', prefix: 'lake' });
const digest = (n: number) => `lake/digest/instance=acme/${String(n).padStart(10, '0')}.json`;
const at = new Date('2026-12-01T10:00:00Z');

beforeEach(() => s3.reset());
afterAll(() => s3.restore());

describe('S3ObjectStore.listVersions', () => {
  it('lists every version and delete marker, page after page, relative to the lake', async () => {
    s3.on(ListObjectVersionsCommand, { Prefix: 'lake/digest/instance=acme/', KeyMarker: undefined })
      .resolves({
        IsTruncated: true,
        NextKeyMarker: digest(1),
        NextVersionIdMarker: 'b',
        Versions: [
          { Key: digest(0), VersionId: 'a', LastModified: at },
          { Key: digest(1), VersionId: 'b', LastModified: at },
        ],
        DeleteMarkers: [{ Key: digest(1), VersionId: 'c', LastModified: at }],
      })
      .on(ListObjectVersionsCommand, { KeyMarker: digest(1), VersionIdMarker: 'b' })
      .resolves({ IsTruncated: false, Versions: [{ Key: digest(1), VersionId: 'd' }] });
    expect(versionListerOf(store)).toBe(store);
    const versions = await store.listVersions('digest/instance=acme/');
    expect(versions).toEqual([
      {
        key: 'digest/instance=acme/0000000000.json',
        versionId: 'a',
        deleteMarker: false,
        lastModified: at.toISOString(),
      },
      {
        key: 'digest/instance=acme/0000000001.json',
        versionId: 'b',
        deleteMarker: false,
        lastModified: at.toISOString(),
      },
      {
        key: 'digest/instance=acme/0000000001.json',
        versionId: 'c',
        deleteMarker: true,
        lastModified: at.toISOString(),
      },
      { key: 'digest/instance=acme/0000000001.json', versionId: 'd', deleteMarker: false },
    ]);
    expect(s3.commandCalls(ListObjectVersionsCommand)).toHaveLength(2);
  });

  it('gives each version its ETag and size, which tell a copy in place from a second write', async () => {
    s3.on(ListObjectVersionsCommand).resolves({
      IsTruncated: false,
      Versions: [{ Key: digest(0), VersionId: 'a', ETag: '"e1"', Size: 12 }],
      DeleteMarkers: [{ Key: digest(0), VersionId: 'b' }],
    });
    expect(await store.listVersions('digest/instance=acme/')).toEqual([
      {
        key: 'digest/instance=acme/0000000000.json',
        versionId: 'a',
        deleteMarker: false,
        etag: '"e1"',
        size: 12,
      },
      { key: 'digest/instance=acme/0000000000.json', versionId: 'b', deleteMarker: true },
    ]);
  });

  it('answers undefined for a store without the versions API (NotImplemented, MethodNotAllowed)', async () => {
    s3.on(ListObjectVersionsCommand).rejects(s3Error('NotImplemented', 501));
    expect(await store.listVersions('digest/instance=acme/')).toBeUndefined();
    s3.on(ListObjectVersionsCommand).rejects(s3Error('MethodNotAllowed', 405));
    expect(await store.listVersions('digest/instance=acme/')).toBeUndefined();
  });

  it('names the permission a verifier lacks on AccessDenied', async () => {
    s3.on(ListObjectVersionsCommand).rejects(s3Error('AccessDenied', 403));
    await expect(store.listVersions('digest/instance=acme/')).rejects.toThrow(
      /ListObjectVersions of s3:\/\/lake-bucket\/lake\/digest\/instance=acme\/ failed with AccessDenied.*s3:ListBucketVersions on arn:aws:s3:::lake-bucket/,
    );
  });
});

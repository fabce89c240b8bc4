import { randomBytes } from 'node:crypto';
import {
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { S3ObjectStore } from '../../functions/adapters/s3-store.ts';
import { activityKey, checkpointKey, coverageKey } from '../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip, encodeNdjsonGzip } from '../../functions/core/lake/ndjson.ts';
import { collect } from '../support/collect.ts';
import { type LocalS3, startLocalS3 } from './s3rver-harness.ts';

// s3rver serves layout, gzip, listing and multipart; it ignores If-Match/If-None-Match, so the
// conditional writes are tested against mocked 412/409 answers in s3-store-conditional.test.ts.
const bucket = 'lake-test-bucket';
const tenAm = Date.parse('2026-10-01T10:00:00Z');
const HOUR = 3_600_000;
let s3: LocalS3;

beforeAll(async () => {
  s3 = await startLocalS3(bucket);
});

afterAll(async () => {
  await s3?.stop();
});

describe('S3ObjectStore on s3rver', () => {
  it('round-trips gzip NDJSON under the prefix, stored as gzip bytes without Content-Encoding', async () => {
    const store = new S3ObjectStore({ client: s3.client, bucket, prefix: 'lake' });
    expect(store.location).toBe(`s3://${bucket}/lake/`);
    const records = [
      { event_id: 'a', n: 1 },
      { event_id: 'b', n: 2 },
    ];
    const key = activityKey('acme', tenAm);
    const { etag } = await store.put(key, encodeNdjsonGzip(records), { contentType: 'application/gzip' });
    const got = await store.get(key);
    expect(got?.etag).toBe(etag);
    expect(got?.body).toBeInstanceOf(Uint8Array);
    expect(decodeNdjsonGzip(got?.body ?? new Uint8Array())).toEqual(records);

    const head = await s3.client.send(new HeadObjectCommand({ Bucket: bucket, Key: `lake/${key}` }));
    expect(head.ContentType).toBe('application/gzip');
    expect(head.ContentEncoding).toBeUndefined();
  });

  it('writes the layout keys under the prefix and lists them back relative to it, in order', async () => {
    const store = new S3ObjectStore({ client: s3.client, bucket, prefix: '/lake2/' });
    const keys = [
      activityKey('acme', tenAm + HOUR),
      activityKey('acme', tenAm),
      activityKey('acme', tenAm + 24 * HOUR),
      coverageKey('acme', tenAm),
      activityKey('globex', tenAm),
      checkpointKey('acme'),
    ];
    for (const key of keys)
      await store.put(key, new TextEncoder().encode(key), { contentType: 'text/plain' });
    await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: 'lake2-sibling/x', Body: 'x' }));

    const raw = await s3.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'lake2/' }));
    expect(raw.Contents?.map((c) => c.Key).sort()).toEqual(keys.map((k) => `lake2/${k}`).sort());

    expect(await collect(store.list('activity_log/instance=acme/'))).toEqual([
      activityKey('acme', tenAm),
      activityKey('acme', tenAm + HOUR),
      activityKey('acme', tenAm + 24 * HOUR),
    ]);
    expect(await collect(store.list('activity_log/instance=acme/dt=2026-10-01/'))).toHaveLength(2);
    expect(await collect(store.list(''))).toEqual([...keys].sort());
    expect(await collect(store.list('nothing/'))).toEqual([]);
  });

  it('works at the bucket root too', async () => {
    const store = new S3ObjectStore({ client: s3.client, bucket });
    expect(store.location).toBe(`s3://${bucket}/`);
    await store.put('root-test/k', new TextEncoder().encode('v'));
    expect(await collect(store.list('root-test/'))).toEqual(['root-test/k']);
  });

  it('returns undefined for a missing key', async () => {
    const store = new S3ObjectStore({ client: s3.client, bucket, prefix: 'lake' });
    expect(
      await store.get('activity_log/instance=acme/dt=1999-01-01/1999-01-01T00.ndjson.gz'),
    ).toBeUndefined();
  });

  it('tells whether a key is there without reading it, under the prefix', async () => {
    const store = new S3ObjectStore({ client: s3.client, bucket, prefix: 'lake' });
    await store.put('digest/instance=acme/0000000000.json', new TextEncoder().encode('{}'));
    expect(await store.exists('digest/instance=acme/0000000000.json')).toBe(true);
    expect(await store.exists('digest/instance=acme/0000000001.json')).toBe(false);
    const atRoot = new S3ObjectStore({ client: s3.client, bucket });
    expect(await atRoot.exists('digest/instance=acme/0000000000.json')).toBe(false);
  });

  it('uploads a body above the threshold as a multipart upload, and reads it back intact', async () => {
    const MiB = 1024 * 1024;
    const store = new S3ObjectStore({
      client: s3.client,
      bucket,
      prefix: 'lake',
      multipartThresholdBytes: 5 * MiB,
      partSizeBytes: 5 * MiB,
    });
    const body = new Uint8Array(randomBytes(6 * MiB));
    const send = vi.spyOn(s3.client, 'send');
    try {
      await store.put('big/object.bin', body);
      expect(send.mock.calls.some(([command]) => command instanceof CreateMultipartUploadCommand)).toBe(true);
      expect(send.mock.calls.some(([command]) => command instanceof PutObjectCommand)).toBe(false);
    } finally {
      send.mockRestore();
    }
    const got = await store.get('big/object.bin');
    expect(got?.body.length).toBe(body.length);
    expect(Buffer.from(got?.body ?? []).equals(Buffer.from(body))).toBe(true);
  });

  it('reports a missing bucket as an error naming bucket and key, not as a missing object', async () => {
    const store = new S3ObjectStore({ client: s3.client, bucket: 'no-such-bucket-here', prefix: 'lake' });
    await expect(store.get('state/instance=acme/checkpoint.json')).rejects.toThrow(
      /S3 GetObject of s3:\/\/no-such-bucket-here\/lake\/state\/instance=acme\/checkpoint\.json failed with NoSuchBucket.*does not exist/,
    );
    await expect(collect(store.list('state/'))).rejects.toThrow(/ListObjectsV2 .*NoSuchBucket/);
  });
});

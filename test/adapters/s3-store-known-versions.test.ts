import {
  GetObjectCommand,
  type GetObjectCommandInput,
  HeadObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandInput,
  ListObjectVersionsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../functions/adapters/s3-store.ts';
import { inDigestScope } from '../../functions/core/lake/digest.ts';
import type { KnownVersion } from '../../functions/core/lake/known-versions.ts';
import { walkDigestChain } from '../../functions/core/lake/verify-integrity.ts';
import { lakeAfterOneRun } from '../core/lake/support/one-run-lake.ts';
import { s3Error } from '../support/s3-error.ts';
import type { VersionedMemoryStore } from '../support/versioned-memory-store.ts';

// s3rver has no versions API, so the routine integrity check is proved on the S3 adapter against
// a mock answering from a versioned lake as S3 does (GetObject names the version it returns,
// ListObjectVersions says which version is the latest), by the requests it records.
const client = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const s3 = mockClient(client);
const store = new S3ObjectStore({ client, bucket: 'lake-bucket', prefix: 'lake' });
beforeEach(() => s3.reset());
afterAll(() => s3.restore());

const inLake = (key: string) => key.slice('lake/'.length);

/** The mock answers from `lake`, the way S3 answers on a versioned bucket. */
function answerFrom(lake: VersionedMemoryStore): void {
  s3.on(GetObjectCommand).callsFake(async ({ Key }: GetObjectCommandInput) => {
    const found = await lake.get(inLake(Key as string));
    if (!found) throw s3Error('NoSuchKey', 404);
    return {
      Body: { transformToByteArray: async () => found.body },
      ETag: found.etag,
      VersionId: found.versionId,
    };
  });
  s3.on(HeadObjectCommand).callsFake(({ Key }: { Key: string }) => {
    if (!lake.objects.has(inLake(Key))) throw s3Error('NotFound', 404);
    return {};
  });
  s3.on(ListObjectsV2Command).callsFake(async ({ Prefix, StartAfter }: ListObjectsV2CommandInput) => {
    const keys: string[] = [];
    const after = StartAfter === undefined ? undefined : inLake(StartAfter);
    for await (const key of lake.list(
      inLake(Prefix as string),
      after === undefined ? {} : { startAfter: after },
    ))
      keys.push(key);
    return { Contents: keys.map((key) => ({ Key: `lake/${key}` })), IsTruncated: false };
  });
  s3.on(ListObjectVersionsCommand).callsFake(async ({ Prefix }: { Prefix: string }) => {
    const versions = await lake.listVersions(inLake(Prefix));
    const of = (deleteMarker: boolean) =>
      versions
        .filter((v) => v.deleteMarker === deleteMarker)
        .map((v) => ({
          Key: `lake/${v.key}`,
          VersionId: v.versionId,
          ETag: v.etag,
          Size: v.size,
          IsLatest: v.isLatest,
        }));
    return { IsTruncated: false, Versions: of(false), DeleteMarkers: of(true) };
  });
}

const tableGets = () =>
  s3
    .commandCalls(GetObjectCommand)
    .map((call) => inLake(call.args[0].input.Key as string))
    .filter((key) => inDigestScope('acme', key));

async function check(known: ReadonlyMap<string, KnownVersion>) {
  const chain = await walkDigestChain(store, 'acme', { versions: store, knownVersions: known });
  const report = await chain.checkObjects();
  return { report, seen: new Map(chain.versionsSeen().map((v) => [v.key, v])) };
}

describe('the routine integrity check on S3', () => {
  it('GETs no table object whose current version an earlier check read; one LIST of versions a table', async () => {
    const { store: lake } = await lakeAfterOneRun();
    answerFrom(lake);
    const first = await check(new Map());
    expect(first.report.ok).toBe(true);
    expect(tableGets()).toHaveLength(first.report.objectsChecked);
    // The version each GET named is what the file keeps.
    const [key, version] = [...first.seen][0] as [string, KnownVersion];
    expect(version.versionId).toBe((await lake.get(key))?.versionId);

    s3.resetHistory();
    const second = await check(first.seen);
    expect(second.report.ok).toBe(true);
    expect(second.report.versionsTaken).toEqual({
      listing: 'listed',
      taken: first.report.objectsChecked,
      read: 0,
    });
    expect(tableGets()).toEqual([]);
    const listed = s3
      .commandCalls(ListObjectVersionsCommand)
      .map((c) => inLake(c.args[0].input.Prefix as string));
    expect(listed).toEqual(
      expect.arrayContaining(['activity_log/instance=acme/', 'coverage/instance=acme/']),
    );

    // A write outside the ingest makes a new version: that object alone is read, and found.
    lake.putNow(key, new TextEncoder().encode('forged'));
    s3.resetHistory();
    const third = await check(second.seen);
    expect(tableGets()).toEqual([key]);
    expect(third.report.problems.map((p) => p.kind)).toContain('changed');
  });
});

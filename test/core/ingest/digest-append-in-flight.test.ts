import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type PutObjectCommandInput,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../../functions/adapters/s3-store.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { readCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';
import { s3Error } from '../../support/s3-error.ts';

// A write waits for a digest listing it as about to be made (after the opening digest, one more
// append), and a checkpoint write appends the run's digest first. When S3 answers every put of that digest 409
// (another write of the number in flight), the S3 store gives up with WriteInFlightError for the
// digest's key: that is no race the run's last checkpoint write wins (the digest recorder appends
// nothing after a failed append), so the run must fail there and stop, as it did when the append
// gave up after its attempts, not pull on with a watermark that never moves.

const client = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const s3 = mockClient(client);
beforeEach(() => s3.reset());
afterAll(() => s3.restore());

const day0 = Date.parse('2026-10-01T00:00:00Z');
/** With backfillDays 1, a scheduled run plans the 24 hours of day0. */
const now = day0 + 24 * HOUR_MS + 30 * 60_000;

/** S3 over a map, honouring the conditions; every digest put after the first answered 409. */
function bucketAnswering409ToLaterDigests() {
  const objects = new Map<string, { body: Uint8Array; etag: string }>();
  let versions = 0;
  let digestsLanded = 0;
  s3.on(GetObjectCommand).callsFake(({ Key }: { Key: string }) => {
    const found = objects.get(Key);
    if (!found) throw s3Error('NoSuchKey', 404);
    return { Body: { transformToByteArray: async () => found.body }, ETag: found.etag };
  });
  s3.on(HeadObjectCommand).callsFake(({ Key }: { Key: string }) => {
    if (!objects.has(Key)) throw s3Error('NotFound', 404);
    return {};
  });
  s3.on(ListObjectsV2Command).callsFake(({ Prefix }: { Prefix: string }) => ({
    Contents: [...objects.keys()]
      .filter((key) => key.startsWith(Prefix))
      .sort()
      .map((Key) => ({ Key })),
    IsTruncated: false,
  }));
  s3.on(PutObjectCommand).callsFake((input: PutObjectCommandInput) => {
    const key = input.Key as string;
    const stored = objects.get(key);
    if (key.includes('/digest/') && digestsLanded > 0) throw s3Error('ConditionalRequestConflict', 409);
    if (input.IfNoneMatch === '*' && stored) throw s3Error('PreconditionFailed', 412);
    if (input.IfMatch !== undefined && input.IfMatch !== stored?.etag)
      throw s3Error('PreconditionFailed', 412);
    if (key.includes('/digest/')) digestsLanded++;
    const etag = `"v${++versions}"`;
    objects.set(key, { body: input.Body as Uint8Array, etag });
    return { ETag: etag };
  });
  return objects;
}

describe('an ingest whose digest append meets 409 on every try', () => {
  it('fails at its first write after the opening digest and stops, leaving the checkpoint unwritten', async () => {
    bucketAnswering409ToLaterDigests();
    const store = new S3ObjectStore({
      client,
      bucket: 'lake-bucket',
      prefix: 'lake',
      putAgainWaits: { sleep: async () => undefined, random: () => 0 },
    });
    const source = new MemoryAuditSource(
      Array.from({ length: 24 }, (_, i) => viewEntry(day0 + i * HOUR_MS, i)),
    );
    const config = { ...defaultIngestConfig('acme'), backfillDays: 1, concurrency: 1, repullAfterHours: 0 };
    const summary = await runIngest(quietIngestDeps(source, store, now), config, {
      spanSizing: { targetEvents: 1, maxHours: 1 },
    });
    expect(summary.stoppedEarly).toBe('fatal-error');
    // Reported at the first write after the opening digest (it waits for a digest listing its
    // bytes as about to be written), in the first hours, not at the run's end.
    expect(summary.failures[0]?.windowStartMs).toBeLessThanOrEqual(day0 + HOUR_MS);
    expect(summary.failures[0]?.message).toMatch(
      /^S3 answered 5 conditional puts of s3:\/\/lake-bucket\/lake\/digest\/instance=acme\/\d+\.json with 409 ConditionalRequestConflict/,
    );
    // Stopped: it did not go on storing the day's hours under a watermark that never moved.
    expect(summary.windowsDone).toBeLessThan(24);
    expect(await readCheckpoint(store, 'acme')).toBeUndefined();
  });
});

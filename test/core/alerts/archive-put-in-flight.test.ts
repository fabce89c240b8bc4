/**
 * An alert's archive object is put create-only, and a lost race there means the object is already
 * written (left as it is, forgotten from the archive list). S3's 409 (another put of the key in
 * flight) was taken for that lost race, so the alert was forgotten without its object: dropped from
 * the archive silently. The S3 store now waits a 409 out and puts again; one that never clears fails
 * the write, and the alert stays in the list for the next run.
 */
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type PutObjectCommandInput,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../../functions/adapters/s3-store.ts';
import {
  type AlertCheckpoint,
  newAlertCheckpoint,
  readAlertCheckpoint,
} from '../../../functions/core/alerts/alert-checkpoint.ts';
import { archiveWaiting } from '../../../functions/core/alerts/archive-alerts.ts';
import { alertKey, alertsPrefix, alertsStateKey } from '../../../functions/core/lake/layout.ts';
import { WriteInFlightError } from '../../../functions/core/ports.ts';
import { s3Error } from '../../support/s3-error.ts';
import { archiveContext, backlog } from './support/archive-backlog.ts';
import { INSTANCE, NOW } from './support/delivery-fixtures.ts';
import { START } from './support/synthetic-run.ts';
import { VirtualClock } from './support/timed-lambda.ts';

const client = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const s3 = mockClient(client);
beforeEach(() => s3.reset());
afterAll(() => s3.restore());

const isArchiveKey = (key: string): boolean => key.startsWith(`lake/${alertsPrefix(INSTANCE)}`);

/** S3 over a map, honouring conditions; the first `conflicts` archive puts answered 409. */
function bucket(conflicts: number) {
  const objects = new Map<string, { body: Uint8Array; etag: string }>();
  let left = conflicts;
  let versions = 0;
  s3.on(GetObjectCommand).callsFake(({ Key }: { Key: string }) => {
    const found = objects.get(Key);
    if (!found) throw s3Error('NoSuchKey', 404);
    return { Body: { transformToByteArray: async () => found.body }, ETag: found.etag };
  });
  s3.on(ListObjectsV2Command).callsFake(({ Prefix }: { Prefix: string }) => ({
    Contents: [...objects.keys()].filter((key) => key.startsWith(Prefix)).map((Key) => ({ Key })),
    IsTruncated: false,
  }));
  s3.on(PutObjectCommand).callsFake((input: PutObjectCommandInput) => {
    const key = input.Key as string;
    const stored = objects.get(key);
    if (isArchiveKey(key) && left > 0) {
      left -= 1;
      throw s3Error('ConditionalRequestConflict', 409);
    }
    if (input.IfNoneMatch === '*' && stored) throw s3Error('PreconditionFailed', 412);
    if (input.IfMatch !== undefined && input.IfMatch !== stored?.etag)
      throw s3Error('PreconditionFailed', 412);
    const etag = `"v${++versions}"`;
    objects.set(key, { body: input.Body as Uint8Array, etag });
    return { ETag: etag };
  });
  return objects;
}

/** The store, with the alerts checkpoint listing `alert` as waiting for its archive object. */
async function storeWaiting(alert: ReturnType<typeof backlog>[number]) {
  const store = new S3ObjectStore({
    client,
    bucket: 'lake-bucket',
    prefix: 'lake',
    putAgainWaits: { sleep: async () => undefined, random: () => 0 },
  });
  const checkpoint: AlertCheckpoint = {
    ...newAlertCheckpoint(INSTANCE, START),
    next_hour_ms: NOW,
    archive: [alert],
  };
  await store.put(
    alertsStateKey(INSTANCE, 'checkpoint.json'),
    new TextEncoder().encode(`${JSON.stringify(checkpoint)}\n`),
  );
  return store;
}

const waitingIds = async (store: S3ObjectStore): Promise<string[]> =>
  ((await readAlertCheckpoint(store, INSTANCE))?.checkpoint.archive ?? []).map((a) => a.id);

describe("an alert's archive object S3 answers 409 (another put of it in flight)", () => {
  it('is written once the put in flight clears, and only then forgotten from the archive list', async () => {
    const objects = bucket(2);
    const [alert] = backlog(1);
    if (!alert) throw new Error('no alert');
    const store = await storeWaiting(alert);
    expect(await archiveWaiting(archiveContext(store, new VirtualClock(NOW)), [alert])).toBe(0);
    expect(objects.has(`lake/${alertKey(INSTANCE, alert.event_time_ms, alert.id)}`)).toBe(true);
    expect(await waitingIds(store)).toEqual([]);
  });

  it('fails the write when it never clears, and keeps the alert waiting for the next run', async () => {
    const objects = bucket(Number.POSITIVE_INFINITY);
    const [alert] = backlog(1);
    if (!alert) throw new Error('no alert');
    const store = await storeWaiting(alert);
    await expect(
      archiveWaiting(archiveContext(store, new VirtualClock(NOW)), [alert]),
    ).rejects.toBeInstanceOf(WriteInFlightError);
    expect(objects.has(`lake/${alertKey(INSTANCE, alert.event_time_ms, alert.id)}`)).toBe(false);
    expect(await waitingIds(store)).toEqual([alert.id]);
  });
});

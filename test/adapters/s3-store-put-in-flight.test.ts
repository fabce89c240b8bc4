import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../functions/adapters/s3-store.ts';
import { newAlertCheckpoint, updateAlertCheckpoint } from '../../functions/core/alerts/alert-checkpoint.ts';
import { advanceStoredCheckpoint } from '../../functions/core/lake/checkpoint.ts';
import { bindCustomer } from '../../functions/core/lake/customer-binding.ts';
import { type LastRun, writeLastRun } from '../../functions/core/lake/last-run.ts';
import { mergeIntoObject } from '../../functions/core/lake/merge-write.ts';
import { PreconditionFailedError, WriteInFlightError } from '../../functions/core/ports.ts';
import { claimWeek, readWeekMarker } from '../../functions/core/report/week-claim.ts';
import { s3Error } from '../support/s3-error.ts';
import { sentMarker, settleDeps } from '../support/sent-marker-fixture.ts';

// s3rver ignores conditional headers, so it never answers 409: S3's answers are mocked here (and
// answered over HTTP in front of s3rver in s3-store-put-in-flight-s3rver.test.ts).
const client = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const s3 = mockClient(client);
const key = 'state/instance=acme/checkpoint.json';
const body = new TextEncoder().encode('{}');

/** A store whose waits return at once, recording each delay; `random` draws the jitter. */
function storeWith(random: () => number) {
  const slept: number[] = [];
  const putAgainWaits = {
    sleep: async (ms: number) => {
      slept.push(ms);
    },
    random,
  };
  const store = new S3ObjectStore({ client, bucket: 'lake-bucket', prefix: 'lake', putAgainWaits });
  return { store, slept };
}

const puts = () => s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);

beforeEach(() => s3.reset());
afterAll(() => s3.restore());

describe('S3ObjectStore: a conditional put answered 409 (another put of the key in flight)', () => {
  it('is sent again, unchanged, after each 409, each wait longer than the last', async () => {
    s3.on(PutObjectCommand)
      .rejectsOnce(s3Error('ConditionalRequestConflict', 409))
      .rejectsOnce(s3Error('OperationAborted', 409))
      .resolves({ ETag: '"landed"' });
    const { store, slept } = storeWith(() => 0);
    await expect(store.put(key, body, { ifMatch: '"read"' })).resolves.toEqual({ etag: '"landed"' });
    expect(slept).toEqual([25, 50]);
    expect(puts()).toHaveLength(3);
    for (const input of puts()) expect(input).toMatchObject({ IfMatch: '"read"', Body: body });
  });

  it('gives up after 5 tries, saying what raced and what to do, having waited 750 ms at most', async () => {
    s3.on(PutObjectCommand).rejects(s3Error('ConditionalRequestConflict', 409));
    const { store, slept } = storeWith(() => 0.999_999);
    const error = await store.put(key, body, { ifNoneMatch: '*' }).catch((e: unknown) => e);
    // Not a lost race: no caller re-reads and puts the same again at once.
    expect(error).toBeInstanceOf(WriteInFlightError);
    expect(error).not.toBeInstanceOf(PreconditionFailedError);
    expect(String(error)).toMatch(
      /S3 answered 5 conditional puts of s3:\/\/lake-bucket\/lake\/state\/instance=acme\/checkpoint\.json with 409 ConditionalRequestConflict, 750 ms of waits between them in all: another write of that object was in flight each time/,
    );
    expect(String(error)).toMatch(
      /should that recur on every run, look for another writer that keeps putting this object$/,
    );
    expect(puts()).toHaveLength(5);
    // A wait between tries, none after the last.
    expect(slept).toHaveLength(4);
    expect(slept.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(750);
  });

  it('keeps a 412 a lost race at once, before or after a 409', async () => {
    s3.on(PutObjectCommand).rejects(s3Error('PreconditionFailed', 412));
    const first = storeWith(() => 0);
    await expect(first.store.put(key, body, { ifMatch: '"read"' })).rejects.toBeInstanceOf(
      PreconditionFailedError,
    );
    expect(first.slept).toEqual([]);
    expect(puts()).toHaveLength(1);

    s3.reset();
    s3.on(PutObjectCommand)
      .rejectsOnce(s3Error('ConditionalRequestConflict', 409))
      .rejects(s3Error('PreconditionFailed', 412));
    const second = storeWith(() => 0);
    await expect(second.store.put(key, body, { ifMatch: '"read"' })).rejects.toBeInstanceOf(
      PreconditionFailedError,
    );
    expect(second.slept).toEqual([25]);
    expect(puts()).toHaveLength(2);
  });

  it('sends an unconditional put once, a 409 to it being a failure', async () => {
    s3.on(PutObjectCommand).rejects(s3Error('ConditionalRequestConflict', 409));
    const { store, slept } = storeWith(() => 0);
    await expect(store.put(key, body)).rejects.toThrow(
      /S3 PutObject of .* failed with ConditionalRequestConflict/,
    );
    expect(puts()).toHaveLength(1);
    expect(slept).toEqual([]);
  });
});

/**
 * A bucket in memory that answers the first `conflicts` conditional puts 409, storing nothing, as
 * S3 does while another put of the key is in flight; then checks conditions as S3 does.
 */
function bucketAnswering409(conflicts: number): void {
  const objects = new Map<string, { body: Uint8Array; etag: string }>();
  let left = conflicts;
  let written = 0;
  s3.on(GetObjectCommand).callsFake((input: { Key: string }) => {
    const found = objects.get(input.Key);
    if (!found) throw s3Error('NoSuchKey', 404);
    return { Body: { transformToByteArray: async () => found.body }, ETag: found.etag };
  });
  s3.on(PutObjectCommand).callsFake(
    (input: { Key: string; Body: Uint8Array; IfMatch?: string; IfNoneMatch?: string }) => {
      const stored = objects.get(input.Key);
      if ((input.IfMatch !== undefined || input.IfNoneMatch !== undefined) && left > 0) {
        left -= 1;
        throw s3Error('ConditionalRequestConflict', 409);
      }
      if (input.IfNoneMatch === '*' && stored) throw s3Error('PreconditionFailed', 412);
      if (input.IfMatch !== undefined && input.IfMatch !== stored?.etag) {
        throw s3Error('PreconditionFailed', 412);
      }
      const etag = `"v${++written}"`;
      objects.set(input.Key, { body: input.Body, etag });
      return { ETag: etag };
    },
  );
  // A first binding lists the other instances' bindings before it writes its own.
  s3.on(ListObjectsV2Command).callsFake((input: { Prefix?: string }) => ({
    Contents: [...objects.keys()].filter((k) => k.startsWith(input.Prefix ?? '')).map((Key) => ({ Key })),
    IsTruncated: false,
  }));
}

const lastRun: LastRun = {
  version: 1,
  instance: 'acme',
  run_id: 'run-1',
  mode: 'checkpoint',
  finished_at: '2026-12-01T00:00:00.000Z',
  finished_at_ms: Date.parse('2026-12-01T00:00:00Z'),
  outcome: 'ok',
  hours_done: 1,
  hours_failed: 0,
  events_written: 1,
  quarantined: 0,
  watermark_ms: null,
  first_failure: null,
};

const now = Date.parse('2026-12-01T00:00:00Z');

/** Each conditional object of the lake, written through the store. */
const writes: [string, (store: S3ObjectStore) => Promise<unknown>][] = [
  [
    'the ingest checkpoint',
    (store) =>
      advanceStoredCheckpoint(store, 'acme', { watermarkMs: now, runId: 'run-1', codeVersion: 'x', now }),
  ],
  ['the last-run record', (store) => writeLastRun(store, lastRun)],
  [
    'an hour of events',
    (store) =>
      mergeIntoObject(store, 'activity_log/instance=acme/dt=2026-12-01/h.ndjson.gz', [{ id: 'a' }], {
        idOf: (record) => record.id,
        compare: () => 0,
      }),
  ],
  [
    'the alert state',
    (store) =>
      updateAlertCheckpoint(
        store,
        'acme',
        () => newAlertCheckpoint('acme', now),
        (current) => current,
      ),
  ],
  [
    'the lake binding',
    (store) => bindCustomer(store, { instance: 'acme', customer: 'acme-co', runId: 'run-1', now }),
  ],
  [
    'the week claim',
    async (store) => {
      const week = { store, instance: 'acme', isoWeek: '2026-W47' };
      const claimed = await claimWeek(week, await readWeekMarker(week), sentMarker('sending'), settleDeps);
      if (!claimed.claimed) throw new Error('the week was not claimed');
    },
  ],
];

describe('every conditional object of the lake waits out a put in flight', () => {
  it.each(writes)('%s: answered 409 twice, it is written after two waits', async (_name, write) => {
    bucketAnswering409(2);
    const { store, slept } = storeWith(() => 0.5);
    await write(store);
    expect(slept).toEqual([37.5, 75]);
    // The last put landed: nothing is put again once one lands.
    expect(
      puts().filter((input) => input.IfMatch !== undefined || input.IfNoneMatch !== undefined),
    ).toHaveLength(3);
  });
});

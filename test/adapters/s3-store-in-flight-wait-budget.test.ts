import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../functions/adapters/s3-store.ts';
import { WriteInFlightError } from '../../functions/core/ports.ts';
import { s3Error } from '../support/s3-error.ts';

// ObjectStore.put takes no deadline, and a run's last writes come one after another, each of which
// may meet 409 on every try: the S3 store's waits for puts in flight are bounded over any 30 s (the
// time a run keeps for those writes), whatever the puts.

const client = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const s3 = mockClient(client);
beforeEach(() => s3.reset());
afterAll(() => s3.restore());

const body = new TextEncoder().encode('{}');
const key = (n: number) => `state/instance=acme/object-${n}.json`;

/** A store on a clock the test moves, whose waits return at once (each the longest drawn). */
function store() {
  const clock = { nowMs: Date.parse('2026-12-06T04:00:00Z') };
  const slept: number[] = [];
  const putAgainWaits = {
    sleep: async (ms: number) => void slept.push(ms),
    random: () => 0.999_999,
    now: () => clock.nowMs,
  };
  return {
    store: new S3ObjectStore({ client, bucket: 'lake-bucket', prefix: 'lake', putAgainWaits }),
    slept,
    clock,
  };
}

describe('S3ObjectStore: its waits for puts in flight', () => {
  it('come to at most 3 s in any 30 s: past that a 409 fails the put at once', async () => {
    s3.on(PutObjectCommand).rejects(s3Error('ConditionalRequestConflict', 409));
    const { store: s3Store, slept, clock } = store();
    const errors: unknown[] = [];
    for (let n = 0; n < 6; n++) {
      errors.push(await s3Store.put(key(n), body, { ifNoneMatch: '*' }).catch((e: unknown) => e));
      clock.nowMs += 1_000;
    }
    for (const error of errors) expect(error).toBeInstanceOf(WriteInFlightError);
    expect(slept.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(3_000);
    expect(String(errors[5])).toMatch(
      /S3 answered 1 conditional put of s3:\/\/lake-bucket\/lake\/state\/instance=acme\/object-5\.json with 409 ConditionalRequestConflict, not sent again, as the store waits at most 3 s in any 30 s for puts in flight and other puts had spent that: another write of that object was in flight/,
    );

    // Once the waits have left the window, a put waits its full course again.
    clock.nowMs += 30_000;
    const before = slept.length;
    await s3Store.put(key(6), body, { ifNoneMatch: '*' }).catch(() => undefined);
    expect(slept.length - before).toBe(4);
  });
});

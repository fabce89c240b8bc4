import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../functions/adapters/s3-store.ts';
import { WriteInFlightError } from '../../functions/core/ports.ts';
import { type LocalS3, startLocalS3 } from './s3rver-harness.ts';

// s3rver ignores conditional headers, so it never answers 409 itself. A front on loopback answers
// the next conditional PUTs 409 as S3 does (its XML error), and hands every other request to
// s3rver: the SDK parses a real 409 answer, and what lands is stored and read back from s3rver.
const BUCKET = 'lake-bucket';
const CONFLICT = `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>ConditionalRequestConflict</Code><Message>A conflicting conditional operation is currently in progress against this resource. Please try again.</Message><RequestId>r</RequestId></Error>`;

let s3: LocalS3;
let s3rverPort: number;
let front: Server;
let client: S3Client;
/** Conditional PUTs still to answer 409, and how many were. */
const conflicts = { left: 0, answered: 0 };

beforeAll(async () => {
  s3 = await startLocalS3(BUCKET);
  const endpoint = await s3.client.config.endpoint?.();
  s3rverPort = Number(endpoint?.port);
  front = createServer((req, res) => {
    const conditional = req.headers['if-match'] !== undefined || req.headers['if-none-match'] !== undefined;
    if (req.method === 'PUT' && conditional && conflicts.left > 0) {
      conflicts.left -= 1;
      conflicts.answered += 1;
      req.resume();
      res.writeHead(409, { 'content-type': 'application/xml' }).end(CONFLICT);
      return;
    }
    const upstream = request(
      { host: '127.0.0.1', port: s3rverPort, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  client = new S3Client({
    endpoint: `http://127.0.0.1:${(front.address() as AddressInfo).port}`,
    forcePathStyle: true,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
});

afterAll(async () => {
  client.destroy();
  await new Promise<void>((resolve) => front.close(() => resolve()));
  await s3.stop();
});

/** A store on the front whose waits return at once, recording each delay. */
function store() {
  const slept: number[] = [];
  const putAgainWaits = {
    sleep: async (ms: number) => {
      slept.push(ms);
    },
    random: () => 0,
  };
  return { store: new S3ObjectStore({ client, bucket: BUCKET, prefix: 'lake', putAgainWaits }), slept };
}

const text = (body: Uint8Array | undefined) => (body ? new TextDecoder().decode(body) : undefined);

describe('S3ObjectStore on s3rver behind a front answering 409', () => {
  it('stores a create-only put answered 409 twice, after two waits', async () => {
    conflicts.left = 2;
    conflicts.answered = 0;
    const { store: lake, slept } = store();
    const key = 'state/instance=acme/checkpoint.json';
    const { etag } = await lake.put(key, new TextEncoder().encode('{"a":1}\n'), { ifNoneMatch: '*' });
    expect(conflicts.answered).toBe(2);
    expect(slept).toEqual([25, 50]);
    const stored = await lake.get(key);
    expect(text(stored?.body)).toBe('{"a":1}\n');
    expect(stored?.etag).toBe(etag);
  });

  it('gives up after the fifth 409, naming the object, and stores nothing', async () => {
    conflicts.left = Number.POSITIVE_INFINITY;
    conflicts.answered = 0;
    const { store: lake, slept } = store();
    const key = 'state/instance=acme/last-run.json';
    const error = await lake.put(key, new TextEncoder().encode('{}\n'), { ifNoneMatch: '*' }).catch((e) => e);
    expect(error).toBeInstanceOf(WriteInFlightError);
    expect(String(error)).toContain(
      'S3 answered 5 conditional puts of s3://lake-bucket/lake/state/instance=acme/last-run.json',
    );
    expect(String(error)).toContain('with 409 ConditionalRequestConflict');
    // The SDK sends no 409 again itself: the store's five tries are all there were.
    expect(conflicts.answered).toBe(5);
    expect(slept).toHaveLength(4);
    conflicts.left = 0;
    expect(await lake.get(key)).toBeUndefined();
  });
});

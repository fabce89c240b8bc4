import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../../functions/adapters/fs-store.ts';
import { S3ObjectStore } from '../../../functions/adapters/s3-store.ts';
import { checkChainCut } from '../../../functions/core/lake/chain-cut-guard.ts';
import { type LastRun, writeLastRun } from '../../../functions/core/lake/last-run.ts';
import { digestKey } from '../../../functions/core/lake/layout.ts';
import type { ObjectStore } from '../../../functions/core/ports.ts';
import { type LocalS3, startLocalS3 } from '../../adapters/s3rver-harness.ts';

// The chain-cut guard on an honest lake of each store: it reads keys only (a probe of the recorded
// head, a listing after it), so a chain past one listing page (1,000 keys), a digest missing in
// the middle (verify's digest-deleted, not a cut) and a store with a lake prefix must not read as
// a chain ending before the recorded head.

const FINISHED_MS = Date.parse('2026-10-01T10:00:00Z');
const record = (digestHead: number): LastRun => ({
  version: 1,
  instance: 'acme',
  run_id: 'r1',
  mode: 'checkpoint',
  finished_at: new Date(FINISHED_MS).toISOString(),
  finished_at_ms: FINISHED_MS,
  outcome: 'ok',
  hours_done: 1,
  hours_failed: 0,
  events_written: 0,
  quarantined: 0,
  watermark_ms: null,
  first_failure: null,
  digest_head: digestHead,
});

/** Digest keys 0..count-1 but `missing` (bodies unread by the guard on a chain it finds whole). */
async function chain(store: ObjectStore, count: number, missing: number[] = []) {
  const body = new TextEncoder().encode('{}');
  const numbers = Array.from({ length: count }, (_, n) => n).filter((n) => !missing.includes(n));
  for (let at = 0; at < numbers.length; at += 50)
    await Promise.all(
      numbers.slice(at, at + 50).map((n) => store.put(digestKey('acme', n), body, { ifNoneMatch: '*' })),
    );
}

let dir: string;
let s3: LocalS3;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cut-guard-stores-'));
  s3 = await startLocalS3('lake-bucket');
});
afterAll(async () => {
  await s3.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('the chain-cut guard on the store on disk, past one listing page', () => {
  it('passes a chain of 2,500 digests that reaches the recorded head, or goes past it', async () => {
    const store = new FsObjectStore(join(dir, 'long'));
    await chain(store, 2500, [1200]);
    for (const head of [0, 999, 1000, 1199, 1200, 2000, 2499]) {
      await store.put(
        'state/instance=acme/last-run.json',
        new TextEncoder().encode(JSON.stringify(record(head))),
      );
      expect((await checkChainCut(store, 'acme')).refusal).toBeUndefined();
    }
    await store.put(
      'state/instance=acme/last-run.json',
      new TextEncoder().encode(JSON.stringify(record(2600))),
    );
    expect((await checkChainCut(store, 'acme')).refusal?.cut).toMatchObject({ recorded: 2600, endsAt: 2499 });
  });
});

describe('the chain-cut guard on S3 (s3rver), under a lake prefix', () => {
  it('passes a chain that reaches the recorded head; refuses one cut before it', async () => {
    const store = new S3ObjectStore({ client: s3.client, bucket: 'lake-bucket', prefix: 'lake' });
    await chain(store, 30);
    await writeLastRun(store, record(29));
    expect((await checkChainCut(store, 'acme')).refusal).toBeUndefined();
    await writeLastRun(store, { ...record(12), finished_at_ms: FINISHED_MS + 1 });
    expect((await checkChainCut(store, 'acme')).refusal).toBeUndefined();
    await writeLastRun(store, { ...record(31), finished_at_ms: FINISHED_MS + 2 });
    expect((await checkChainCut(store, 'acme')).refusal?.cut).toMatchObject({ recorded: 31, endsAt: 29 });
  });
});

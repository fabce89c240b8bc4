import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusCommand } from '../../functions/cli/commands/status.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { type LocalS3, startLocalS3 } from '../adapters/s3rver-harness.ts';
import { captureIo } from '../support/capture-io.ts';

/**
 * Review R-MIX L2: a typo in the last part of --lake (`s3://lakeb/lakke`) got the new stack's "no
 * ingest run has written here yet, set the secret" message, though the bucket's root held the lake.
 */
describe('--lake naming a place below a lake', () => {
  const bucket = 'lakeb';
  let s3: LocalS3;
  let dir: string;

  beforeAll(async () => {
    s3 = await startLocalS3(bucket);
    for (const key of [
      'state/instance=main/domo-customer.json',
      'team/state/instance=ops/domo-customer.json',
    ])
      await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: new Uint8Array() }));
    dir = await mkdtemp(join(tmpdir(), 'lake-above-'));
    await mkdir(join(dir, 'lake', 'state', 'instance=main'), { recursive: true });
  });
  afterAll(async () => {
    await s3.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const status = (lake: string) =>
    statusCommand(['--lake', lake], { ...captureIo().io, log: silentLog }, { s3Client: s3.client });

  it('names the lake at the bucket root for a prefix with nothing in it', async () => {
    const failure = status(`s3://${bucket}/lakke`);
    await expect(failure).rejects.toThrow(
      `there is no lake at s3://${bucket}/lakke, but s3://${bucket} is a lake (instance main): point --lake at s3://${bucket}, the lake's root`,
    );
    await expect(failure).rejects.not.toThrow('no ingest run has written');
  });

  it('names the nearest lake above, not the root', async () => {
    await expect(status(`s3://${bucket}/team/lakke/x`)).rejects.toThrow(
      `but s3://${bucket}/team is a lake (instance ops): point --lake at s3://${bucket}/team,`,
    );
  });

  it('names the lake above a missing directory, or a folder inside the lake', async () => {
    const lake = join(dir, 'lake');
    await expect(status(join(lake, 'lakke'))).rejects.toThrow(
      `there is no lake at ${join(lake, 'lakke')} (no such directory), but ${lake} is a lake (instance main): point --lake at ${lake}, the lake's root`,
    );
    await expect(status(join(lake, 'state'))).rejects.toThrow(`but ${lake} is a lake (instance main)`);
  });

  it('keeps its own message for an empty directory with no lake above it', async () => {
    const empty = join(dir, 'empty');
    await mkdir(empty);
    await expect(status(empty)).rejects.toThrow(`${empty} is empty: no ingest or demo has written`);
  });
});

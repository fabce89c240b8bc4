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
 * Review R-FIRST M1: on a new stack every run skips on the secret's placeholder and writes
 * nothing, and `status` called the empty bucket "not a lake", as if --lake named the wrong place.
 */
describe('status of a lake nothing has written to yet', () => {
  const bucket = 'new-stack-lake';
  let s3: LocalS3;
  let dir: string;

  beforeAll(async () => {
    s3 = await startLocalS3(bucket);
    dir = await mkdtemp(join(tmpdir(), 'status-empty-'));
  });
  afterAll(async () => {
    await s3.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const status = (lake: string) =>
    statusCommand(['--lake', lake], { ...captureIo().io, log: silentLog }, { s3Client: s3.client });

  it('says no run has written to a new bucket yet, and how to set the secret', async () => {
    const failure = status(`s3://${bucket}`);
    await expect(failure).rejects.toThrow(`no ingest run has written to the lake at s3://${bucket} yet`);
    await expect(failure).rejects.toThrow(
      "until the instance's secret holds the Domo client id and secret (README, step 4)",
    );
    await expect(failure).rejects.toThrow('SecretPlaceholder metric');
    await expect(failure).rejects.not.toThrow('is not a lake');
  });

  it('says the same when only the stack’s other functions wrote (no ingest run)', async () => {
    await s3.client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'alerts-state/instance=main/checkpoint.json',
        Body: new Uint8Array(),
      }),
    );
    await expect(status(`s3://${bucket}`)).rejects.toThrow('no ingest run has written to the lake');
  });

  it('keeps "not a lake" for a prefix holding something else', async () => {
    await s3.client.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'exports/2026.csv', Body: new Uint8Array() }),
    );
    await expect(status(`s3://${bucket}/exports`)).rejects.toThrow(
      'is not a lake: it holds no activity_log/',
    );
  });

  it('says an empty directory is empty, naming the ingest to run', async () => {
    const empty = join(dir, 'lake');
    await mkdir(empty);
    await expect(status(empty)).rejects.toThrow(
      `${empty} is empty: no ingest or demo has written a lake there yet. Run ingest --lake ${empty} (or the demo) first`,
    );
  });
});

import { ListObjectsV2Command, type PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../functions/adapters/s3-store.ts';
import { enrichCommand } from '../../functions/cli/commands/enrich.ts';
import { activityKey } from '../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip } from '../../functions/core/lake/ndjson.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { type LocalS3, startLocalS3 } from '../adapters/s3rver-harness.ts';
import { event, storeHour, withoutGeoColumns } from '../queries/support/lake-fixture.ts';
import { captureIo } from '../support/capture-io.ts';

/**
 * enrich on an S3 lake whose store ignores conditional writes (s3rver): every rewrite is an If-Match
 * put, and so is an ingest's merge of late events into the hour, so on such a store an enrich
 * beside an ingest writes over those events. It probes the store first, as ingest does.
 */
let s3: LocalS3;

const BUCKET = 'enrich-probe';
const HOUR = Date.parse('2026-10-01T10:00:00Z');
const RANGE = ['--from', '2026-10-01T10:00:00Z', '--to', '2026-10-01T11:00:00Z'];
const LAKE = ['--lake', `s3://${BUCKET}/lake`];

beforeAll(async () => {
  s3 = await startLocalS3(BUCKET);
  const store = new S3ObjectStore({ client: s3.client, bucket: BUCKET, prefix: 'lake' });
  const records = [withoutGeoColumns(event('2026-10-01 10:01:00', { ip_address: '8.8.8.8' }))];
  await storeHour(store, '2026-10-01 10:00', records);
});
afterAll(async () => {
  await s3.stop();
});

const storedCountry = async (): Promise<unknown> => {
  const store = new S3ObjectStore({ client: s3.client, bucket: BUCKET, prefix: 'lake' });
  const stored = await store.get(activityKey('default', HOUR));
  return (decodeNdjsonGzip(stored?.body ?? new Uint8Array()) as { ip_country?: unknown }[])[0]?.ip_country;
};

/**
 * s3rver's client, but for listings by folder (Delimiter), which s3rver answers here without the
 * folders: they name the lake's one instance, which is not what is tested.
 */
function lakeClient(): S3Client {
  const client = Object.create(s3.client) as S3Client;
  const send = (command: unknown) =>
    command instanceof ListObjectsV2Command && command.input.Delimiter === '/'
      ? Promise.resolve({ CommonPrefixes: [{ Prefix: `${command.input.Prefix ?? ''}instance=default/` }] })
      : s3.client.send(command as PutObjectCommand);
  client.send = send as S3Client['send'];
  return client;
}

const enrich = (args: string[], io = captureIo().io) =>
  enrichCommand(args, { ...io, log: silentLog }, { s3Client: lakeClient() });

describe('enrich on a store that ignores conditional writes', () => {
  it('refuses it before rewriting anything, naming the unsafe option', async () => {
    const refusal = enrich([...LAKE, ...RANGE]);
    await expect(refusal).rejects.toThrow('it ignores conditional writes');
    await expect(refusal).rejects.toThrow('--unsafe-skip-conditional-write-check');
    expect(await storedCountry()).toBeUndefined();
  });

  it('goes on only with --unsafe-skip-conditional-write-check', async () => {
    const run = captureIo();
    await enrich([...LAKE, ...RANGE, '--unsafe-skip-conditional-write-check'], run.io);
    expect(run.stdout()).toMatch(/1 rewritten \(1 record\(s\) enriched\)/);
    expect(await storedCountry()).toBe('US');
  });
});

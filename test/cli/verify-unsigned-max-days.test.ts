import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { TABLE_PREFIXES, windowStartFromKey } from '../../functions/core/lake/layout.ts';
import { DAY_MS, HOUR_MS } from '../../functions/core/time-units.ts';
import { digestSignerOf, fakeKmsKey } from '../support/fake-kms-signer.ts';
import { MemoryAuditSource, viewEntry } from '../support/memory-audit-source.ts';
import { quietIngestDeps } from '../support/quiet-ingest-deps.ts';
import { TODAY_INGESTED_AT, TODAY_START, verifyAt } from '../support/verify-today-lake.ts';

// Review F-EVID10 3: verify --integrity --public-key took the retention.maxDays of digests the key
// did not sign: whoever can write an unsigned digest stating a small one excused the hours deleted.

const NOW = TODAY_START + 30 * DAY_MS + 4 * HOUR_MS;
const CUTOFF = TODAY_START + 4 * HOUR_MS;
const key = fakeKmsKey('arn:aws:kms:eu-west-1:123456789012:key/unsigned-max-days');
const signer = digestSignerOf(key);

/** Instance `acme`'s day, its digests stating retention.maxDays 30, signed or not. */
async function lakeStating30(lake: string, signed: boolean): Promise<void> {
  const source = new MemoryAuditSource(
    Array.from({ length: 12 }, (_, i) => viewEntry(TODAY_START + i * HOUR_MS + 60_000, i)),
  );
  const deps = quietIngestDeps(source, new FsObjectStore(lake), TODAY_INGESTED_AT);
  const summary = await runIngest(
    signed ? { ...deps, digestSigner: signer } : deps,
    { ...defaultIngestConfig('acme'), backfillDays: 1 },
    { maxDays: 30 },
  );
  expect(summary.failures).toEqual([]);
}

/** Deletes every table object of an hour before `beforeMs`, as S3's expiry (or a deleter) does. */
async function deleteHoursBefore(root: string, beforeMs: number): Promise<void> {
  for (const table of Object.values(TABLE_PREFIXES)) {
    const files = await readdir(join(root, table), { recursive: true, withFileTypes: true }).catch(() => []);
    for (const file of files) {
      if (!file.isFile()) continue;
      const path = join(file.parentPath, file.name);
      const start = windowStartFromKey(relative(root, path).split(sep).join('/'));
      if (start !== undefined && start < beforeMs) await rm(path);
    }
  }
}

let dir: string;
let unsigned: string;
let signed: string;
let pub: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-unsigned-max-days-'));
  pub = join(dir, 'key.b64');
  await writeFile(pub, key.publicKeyBase64);
  unsigned = join(dir, 'unsigned');
  signed = join(dir, 'signed');
  await lakeStating30(unsigned, false);
  await lakeStating30(signed, true);
  for (const lake of [unsigned, signed]) await deleteHoursBefore(lake, CUTOFF);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('the retention bound of digests the public key did not sign', () => {
  it('excuses nothing when the key is given: the hours gone are found', async () => {
    const r = await verifyAt(unsigned, NOW, ['--integrity', '--public-key', pub, '--json']);
    const json = JSON.parse(r.stdout);
    expect(json.agedOut).toBeUndefined();
    expect(r.code, r.stdout).toBe(1);
  });

  it('is taken, and said unverified, without the key', async () => {
    const r = await verifyAt(unsigned, NOW, ['--integrity', '--json']);
    expect(JSON.parse(r.stdout).agedOut).toEqual({ beforeMs: CUTOFF, maxDays: 30, source: 'digests' });
    const text = (await verifyAt(unsigned, NOW, ['--integrity'])).stdout.replace(/\s+/g, ' ');
    expect(text).toContain('(30 days, as the digest chain states it, unverified: no signature was checked');
  });

  it('of a signed chain is taken with the key, and not said unverified', async () => {
    const r = await verifyAt(signed, NOW, ['--integrity', '--public-key', pub, '--json']);
    const json = JSON.parse(r.stdout);
    expect(json.agedOut).toEqual({ beforeMs: CUTOFF, maxDays: 30, source: 'digests' });
    expect(json.integrity.problems).toEqual([]);
    expect(JSON.stringify(json.check)).not.toContain('unverified');
  });

  it('is what --help says of --max-days', async () => {
    const help = (await verifyAt(signed, NOW, ['--help'])).stdout.replace(/\s+/g, ' ');
    expect(help).toContain('only signed ones with --public-key, else said unverified');
  });
});

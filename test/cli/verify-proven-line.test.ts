import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { main } from '../../functions/cli/main.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { activityKey } from '../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { captureIo } from '../support/capture-io.ts';
import { digestSignerOf, fakeKmsKey } from '../support/fake-kms-signer.ts';
import { MemoryAuditSource, viewEntry } from '../support/memory-audit-source.ts';
import { quietIngestDeps } from '../support/quiet-ingest-deps.ts';

// Review AUDITOR89: an auditor handed a lake read counts (hours covered, digests, objects
// "checked") and had to assemble from the docs what a pass proves. It now says so above its OK.

const day0 = Date.parse('2026-10-01T00:00:00Z');
const key = fakeKmsKey('arn:aws:kms:eu-west-1:123456789012:key/proven-line');

async function verify(lake: string, ...options: string[]) {
  const io = captureIo();
  const argv = ['verify', '--lake', lake, '--instance', 'acme', '--integrity', ...options];
  const code = await main(argv, { ...io.io, clock: { now: () => day0 + 6 * HOUR_MS } });
  return { code, stdout: io.stdout() };
}

let dir: string;
let lake: string;
let pub: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-proven-line-'));
  lake = join(dir, 'lake');
  pub = join(dir, 'key.b64');
  await writeFile(pub, key.publicKeyBase64);
  const source = new MemoryAuditSource(
    Array.from({ length: 8 }, (_, i) => viewEntry(day0 + i * 30 * 60_000, i)),
  );
  const deps = { ...quietIngestDeps(source, new FsObjectStore(lake), day0 + 4 * HOUR_MS + 20 * 60_000) };
  await runIngest(
    { ...deps, digestSigner: digestSignerOf(key) },
    { ...defaultIngestConfig('acme'), backfillDays: 1 },
  );
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const NOT_PROVEN =
  '  not proven by any check: that Domo served every event that happened, or anything before the genesis (docs/guarantees.md §6)\n';

describe('a passed verify --integrity says what it proves', () => {
  it('names the hours, the objects and the chain from its genesis, signed by the key checked', async () => {
    const { code, stdout } = await verify(lake, '--public-key', pub);
    expect(code, stdout).toBe(0);
    expect(stdout).toMatch(
      /\n {2}proven: every hour from 2026-09-30 04:00Z to 2026-10-01 04:00Z \(end excluded, 24 hours\) has its coverage manifest, and the hour's objects match it; every object held has the bytes a digest recorded for it, and every object the chain lists is there; the \d+ digest\(s\) link unbroken from the genesis \(created 2026-10-01T04:20:00.000Z\) to the head, each one signed by the key checked\n/,
    );
    expect(stdout).toContain(`${NOT_PROVEN}  OK (`);
  });

  it('says the signatures were not checked without a key, and the range it looked for objects in', async () => {
    const { stdout } = await verify(lake, '--from', '2026-10-01', '--to', '2026-10-01T04:00:00Z');
    expect(stdout).toContain("every object the chain lists for the range's days is there; the ");
    expect(stdout).toContain('to the head, their signatures not checked (give --public-key)\n');
  });

  it('counts the digests from before signing began apart from those the key signed', async () => {
    const upgraded = join(dir, 'upgraded');
    const source = new MemoryAuditSource(
      Array.from({ length: 8 }, (_, i) => viewEntry(day0 + i * 30 * 60_000, i)),
    );
    const config = { ...defaultIngestConfig('acme'), backfillDays: 1 };
    const store = new FsObjectStore(upgraded);
    await runIngest(quietIngestDeps(source, store, day0 + 2 * HOUR_MS + 20 * 60_000), config);
    const signed = quietIngestDeps(source, store, day0 + 4 * HOUR_MS + 20 * 60_000);
    await runIngest({ ...signed, digestSigner: digestSignerOf(key) }, config);
    const { code, stdout } = await verify(upgraded, '--public-key', pub);
    expect(code, stdout).toBe(0);
    expect(stdout).toMatch(
      / to the head, each one since signing began signed by the key checked \(\d+ unsigned from before\)\n/,
    );
  });

  it('proves nothing when the check fails', async () => {
    await rm(join(lake, activityKey('acme', day0 + 2 * HOUR_MS)));
    const { code, stdout } = await verify(lake, '--public-key', pub);
    expect(code).toBe(1);
    expect(stdout).not.toContain('proven:');
    expect(stdout).not.toContain('not proven by any check');
  });
});

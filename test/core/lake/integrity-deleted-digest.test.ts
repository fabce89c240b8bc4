import { describe, expect, it } from 'vitest';
import type { IngestDeps } from '../../../functions/core/ingest/ingest-types.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { listDigestKeys, sha256Hex } from '../../../functions/core/lake/digest.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { activityKey } from '../../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip, encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { silentLog } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { noWaits } from '../../support/no-waits.ts';
import { VersionedMemoryStore } from '../../support/versioned-memory-store.ts';
import { DAY0, lakeAfterOneRun, oneDayConfig } from './support/one-run-lake.ts';

const day0 = DAY0;
const config = oneDayConfig;

/**
 * An insider who may write and delete lake and digest objects, without the signing key: deletes the
 * last run's seal, forges an hour that run wrote, and lets the next scheduled run read the forgery
 * into the chain as a dead run's write.
 */
async function launderedThroughADeletedSeal() {
  const { store, deps, setClock } = await lakeAfterOneRun();
  const seal = (await listDigestKeys(store, 'acme')).at(-1) as string;
  const sealBytes = store.objects.get(seal)?.body as Uint8Array;
  store.delete(seal);
  const key = activityKey('acme', day0 + 2 * HOUR_MS);
  const records = decodeNdjsonGzip(store.objects.get(key)?.body as Uint8Array) as EventRecord[];
  store.putNow(key, encodeNdjsonGzip(records.map((r) => ({ ...r, user_name: 'Mallory' }))));
  setClock(day0 + 7 * HOUR_MS + 30 * 60_000);
  await runIngest(deps, config());
  return { store, seal, sealSha256: sha256Hex(sealBytes), key };
}

describe('verify --integrity, of a digest deleted at the end of the chain', () => {
  it('reports the deleted seal from the stored versions, though the next run wrote its number again', async () => {
    const { store, seal, key } = await launderedThroughADeletedSeal();
    // The chain alone shows a dead run whose hour a later run read, in bytes that run never listed
    // as about to be written: changed.
    expect(store.objects.has(seal)).toBe(true);
    const report = await verifyIntegrity(store, 'acme', { versions: store });
    expect(report.recordedOnRead.map((r) => r.key)).not.toContain(key);
    expect(report.digestVersions).toBe('checked');
    expect(report.problems.map((p) => `${p.kind} ${p.key}`)).toEqual([
      `changed ${key}`,
      `digest-deleted ${seal}`,
    ]);
    expect(report.problems[1]?.detail).toMatch(
      /1 delete marker.*deleted and written again outside the ingest/,
    );
    expect(report.ok).toBe(false);
  });

  it('without versions (a lake on disk) says it could not look, and gives the head to compare', async () => {
    const { store, seal, sealSha256 } = await launderedThroughADeletedSeal();
    const report = await verifyIntegrity(store, 'acme');
    expect(report.digestVersions).toBe('not-available');
    // The noted head (key and sha256) is what shows it then: same key, other bytes.
    expect(report.head?.key).toBe((await listDigestKeys(store, 'acme')).at(-1));
    const now = sha256Hex(store.objects.get(seal)?.body as Uint8Array);
    expect(now).not.toBe(sealSha256);
  });

  it('keeps the report when the versions cannot be listed, and fails on it', async () => {
    const { store } = await launderedThroughADeletedSeal();
    const denied = 'S3 ListObjectVersions of s3://lake/digest/instance=acme/ failed with AccessDenied';
    const report = await verifyIntegrity(store, 'acme', {
      versions: { listVersions: () => Promise.reject(new Error(denied)) },
    });
    expect(report.digestVersions).toBe('failed');
    expect(report.digests).toBeGreaterThan(0);
    expect(report.objectsChecked).toBeGreaterThan(0);
    expect(report.ok).toBe(false);
    const notChecked = report.problems.filter((p) => p.kind === 'versions-not-checked');
    expect(notChecked).toEqual([
      {
        kind: 'versions-not-checked',
        key: 'digest/instance=acme/',
        detail: expect.stringContaining(denied),
      },
    ]);
  });

  it('passes a chain whose digests each have one version', async () => {
    const store = new VersionedMemoryStore();
    const source = new MemoryAuditSource(
      Array.from({ length: 6 }, (_, i) => viewEntry(day0 + i * 20 * 60_000, i)),
    );
    const deps: IngestDeps = {
      ...noWaits,
      source,
      store,
      clock: { now: () => day0 + 3 * HOUR_MS },
      log: silentLog,
      metrics: { count() {} },
    };
    await runIngest(deps, config());
    await runIngest(deps, config());
    const report = await verifyIntegrity(store, 'acme', { versions: store });
    expect(report).toMatchObject({ ok: true, problems: [], digestVersions: 'checked' });
    const head = (await listDigestKeys(store, 'acme')).at(-1) as string;
    expect(report.head).toEqual({
      key: head,
      sha256: sha256Hex(store.objects.get(head)?.body as Uint8Array),
    });
  });

  it('takes a copy in place of a digest (same bytes, another version) as no second write', async () => {
    const store = new VersionedMemoryStore();
    const source = new MemoryAuditSource(
      Array.from({ length: 6 }, (_, i) => viewEntry(day0 + i * 20 * 60_000, i)),
    );
    await runIngest(
      {
        ...noWaits,
        source,
        store,
        clock: { now: () => day0 + 3 * HOUR_MS },
        log: silentLog,
        metrics: { count() {} },
      },
      config(),
    );
    const [first] = await listDigestKeys(store, 'acme');
    const key = first as string;
    const bytes = store.objects.get(key)?.body as Uint8Array;
    // S3 Batch Operations copying in place (to change the storage class) adds an identical version.
    store.putNow(key, bytes);
    const copied = await verifyIntegrity(store, 'acme', { versions: store });
    expect(copied).toMatchObject({ ok: true, problems: [], digestVersions: 'checked' });
    // Other bytes are a second write, whatever was copied before.
    store.putNow(key, new TextEncoder().encode('{}'));
    store.putNow(key, bytes);
    const rewritten = await verifyIntegrity(store, 'acme', { versions: store });
    expect(rewritten.problems.filter((p) => p.kind === 'digest-deleted')).toEqual([
      expect.objectContaining({ key, detail: expect.stringContaining('written 2 times outside the ingest') }),
    ]);
  });

  it('takes a bucket without versioning (every version null) as unversioned, not as checked', async () => {
    const store = new VersionedMemoryStore();
    const lister = {
      listVersions: async () => [
        { key: 'digest/instance=acme/0000000000.json', versionId: 'null', deleteMarker: false },
      ],
    };
    expect((await verifyIntegrity(store, 'acme', { versions: lister })).digestVersions).toBe('unversioned');
  });
});

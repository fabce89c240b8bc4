import { describe, expect, it, vi } from 'vitest';
import { inDigestScope } from '../../../functions/core/lake/digest.ts';
import type { KnownVersion } from '../../../functions/core/lake/known-versions.ts';
import { shareOf } from '../../../functions/core/lake/object-sha256-source.ts';
import { verifyIntegrity, walkDigestChain } from '../../../functions/core/lake/verify-integrity.ts';
import { verifyWithIntegrity } from '../../../functions/core/lake/verify-with-integrity.ts';
import type { ObjectStore } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import type { VersionedMemoryStore } from '../../support/versioned-memory-store.ts';
import { DAY0, lakeAfterOneRun } from './support/one-run-lake.ts';

/** Counts the GETs of the instance's table objects (digests are read every time, and are not these). */
function tableReads(store: ObjectStore): { count: () => number; keys: string[] } {
  const keys: string[] = [];
  const get = store.get.bind(store);
  vi.spyOn(store, 'get').mockImplementation(async (key) => {
    if (inDigestScope('acme', key)) keys.push(key);
    return get(key);
  });
  return { count: () => keys.length, keys };
}

/** One routine check: the report, and the versions it saw for the next one. */
async function routineCheck(store: VersionedMemoryStore, known: ReadonlyMap<string, KnownVersion>) {
  const chain = await walkDigestChain(store, 'acme', { versions: store, knownVersions: known });
  const report = await chain.checkObjects();
  return { report, seen: new Map(chain.versionsSeen().map((v) => [v.key, v])) };
}

describe('verify --integrity, the routine check by versions an earlier check read', () => {
  it('reads every object the first time, then none whose current version it read before', async () => {
    const { store } = await lakeAfterOneRun();
    const first = await routineCheck(store, new Map());
    const objects = first.report.objectsChecked;
    expect(objects).toBeGreaterThan(5);
    expect(first.report.ok).toBe(true);
    expect(first.report.versionsTaken).toEqual({ listing: 'listed', taken: 0, read: objects });
    expect(first.seen.size).toBe(objects);

    const reads = tableReads(store);
    const second = await routineCheck(store, first.seen);
    expect(second.report.ok).toBe(true);
    expect(second.report.objectsChecked).toBe(objects);
    expect(second.report.versionsTaken).toEqual({ listing: 'listed', taken: objects, read: 0 });
    expect(reads.count()).toBe(0);
    // What it took is known to the next check as well.
    expect(second.seen).toEqual(first.seen);
  });

  it('reads an object written since (a new version), and judges it: a forgery is still found', async () => {
    const { store } = await lakeAfterOneRun();
    const first = await routineCheck(store, new Map());
    const forged = [...first.seen.keys()].find((key) => key.startsWith('activity_log/')) as string;
    store.putNow(forged, new TextEncoder().encode('forged bytes'));

    const reads = tableReads(store);
    const second = await routineCheck(store, first.seen);
    expect(reads.keys).toEqual([forged]);
    expect(second.report.ok).toBe(false);
    expect(second.report.problems.map((p) => [p.kind, p.key])).toEqual([['changed', forged]]);
    expect(second.report.versionsTaken).toMatchObject({ read: 1 });
    // The forged version is known now, with its own bytes: the next check finds it the same.
    const third = await routineCheck(store, second.seen);
    expect(third.report.problems.map((p) => [p.kind, p.key])).toEqual([['changed', forged]]);
    expect(third.report.versionsTaken).toMatchObject({ read: 0 });
  });

  it('re-reads the share whose turn it is: a forged entry of the file is found within its turns (review revid4 L5)', async () => {
    const { store } = await lakeAfterOneRun();
    const first = await routineCheck(store, new Map());
    const forged = [...first.seen.keys()].find((key) => key.startsWith('activity_log/')) as string;
    store.putNow(forged, new TextEncoder().encode('forged bytes'));
    // The file edited to name the forged version with the old SHA-256: taken, that object passes.
    const now = (await store.listVersions('activity_log/')).find((v) => v.key === forged && v.isLatest);
    const entry = first.seen.get(forged) as KnownVersion;
    const known = new Map(first.seen).set(forged, {
      ...entry,
      versionId: now?.versionId as string,
      etag: now?.etag as string,
    });
    const check = async (turn: number) => {
      const chain = await walkDigestChain(store, 'acme', {
        versions: store,
        knownVersions: known,
        rereadShare: { of: 3, turn },
      });
      return chain.checkObjects();
    };
    const share = shareOf(forged, 3);
    const other = await check((share + 1) % 3);
    expect(other.ok).toBe(true);
    const inTurn = await check(share);
    expect(inTurn.problems.map((p) => [p.kind, p.key])).toEqual([['changed', forged]]);
    const objects = inTurn.objectsChecked;
    const keys = [...first.seen.keys()].filter((key) => shareOf(key, 3) === share);
    expect(inTurn.versionsTaken).toEqual({
      listing: 'listed',
      taken: objects - keys.length,
      read: keys.length,
      rereadInTurn: keys.length,
      rereadShare: { of: 3, turn: share },
    });
  });

  it('reads an object whose known version has another ETag than the listing says', async () => {
    const { store } = await lakeAfterOneRun();
    const first = await routineCheck(store, new Map());
    const [key, version] = [...first.seen][0] as [string, KnownVersion];
    const known = new Map(first.seen).set(key, { ...version, etag: '"another"' });
    const reads = tableReads(store);
    await routineCheck(store, known);
    expect(reads.keys).toEqual([key]);
  });

  it('without versions known reads every object and says nothing of versions (the full read)', async () => {
    const { store } = await lakeAfterOneRun();
    const reads = tableReads(store);
    const report = await verifyIntegrity(store, 'acme', { versions: store });
    expect(report.versionsTaken).toBeUndefined();
    expect(reads.count()).toBe(report.objectsChecked);
  });

  it('on a store that keeps no versions (a lake on disk) reads every object, and says why', async () => {
    const { store: versioned } = await lakeAfterOneRun();
    const store = new MemoryObjectStore();
    for (const [key, object] of versioned.objects) store.objects.set(key, object);
    const known = new Map([['x', { key: 'x', versionId: 'v1', etag: '"e"', sha256: '0'.repeat(64) }]]);
    const reads = tableReads(store);
    const chain = await walkDigestChain(store, 'acme', { knownVersions: known });
    const report = await chain.checkObjects();
    expect(report.versionsTaken).toEqual({ listing: 'not-available', taken: 0, read: report.objectsChecked });
    expect(reads.count()).toBe(report.objectsChecked);
    expect(chain.versionsSeen()).toEqual([]);
  });

  it('takes nothing from a bucket without versioning: its `null` version names no bytes', async () => {
    const { store } = await lakeAfterOneRun();
    const first = await routineCheck(store, new Map());
    const nulls = {
      listVersions: async (prefix: string) =>
        (await store.listVersions(prefix)).map((v) => ({ ...v, versionId: 'null' })),
    };
    const known = new Map([...first.seen].map(([k, v]) => [k, { ...v, versionId: 'null' }]));
    const reads = tableReads(store);
    const report = await (
      await walkDigestChain(store, 'acme', { versions: nulls, knownVersions: known })
    ).checkObjects();
    expect(report.versionsTaken).toMatchObject({ listing: 'unversioned', taken: 0 });
    expect(reads.count()).toBe(report.objectsChecked);
  });

  it("records no `null` version of the objects the lake's checks read (review revid4 L3)", async () => {
    const { store } = await lakeAfterOneRun();
    const get = store.get.bind(store);
    // As S3 answers a GET of an object written while versioning was suspended: x-amz-version-id null.
    vi.spyOn(store, 'get').mockImplementation(async (key) => {
      const found = await get(key);
      return found ? { ...found, versionId: 'null' } : found;
    });
    let seen: KnownVersion[] = [];
    await verifyWithIntegrity(store, 'acme', undefined, {
      versions: store,
      knownVersions: new Map(),
      onVersionsSeen: (versions) => {
        seen = versions;
      },
    });
    expect(seen.filter((v) => v.versionId === 'null')).toEqual([]);
  });

  it("with the lake's checks over some hours: those are read, the rest taken, every version kept", async () => {
    const { store } = await lakeAfterOneRun();
    const first = await routineCheck(store, new Map());
    let seen: KnownVersion[] = [];
    const reads = tableReads(store);
    const hour = { fromMs: DAY0 + 5 * HOUR_MS, toMs: DAY0 + 6 * HOUR_MS };
    const report = await verifyWithIntegrity(store, 'acme', hour, {
      versions: store,
      knownVersions: first.seen,
      onVersionsSeen: (versions) => {
        seen = versions;
      },
    });
    const taken = report.integrity?.versionsTaken;
    expect(report.integrity?.ok).toBe(true);
    // The hour checked is read by the lake's checks (its manifest and events), once; the rest taken.
    expect(new Set(reads.keys).size).toBe(reads.keys.length);
    expect(reads.keys.length).toBeGreaterThanOrEqual(2);
    expect(taken).toEqual({
      listing: 'listed',
      read: reads.keys.length,
      taken: (report.integrity?.objectsChecked ?? 0) - reads.keys.length,
    });
    expect(new Map(seen.map((v) => [v.key, v]))).toEqual(first.seen);
  });
});

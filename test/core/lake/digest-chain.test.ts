import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { enrichLake } from '../../../functions/core/geo/enrich-lake.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import type { IngestConfig, IngestDeps } from '../../../functions/core/ingest/ingest-types.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import {
  type DigestSigner,
  decodeDigest,
  listDigestKeys,
  sha256Hex,
} from '../../../functions/core/lake/digest.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { activityKey, checkpointKey, coverageKey, digestKey } from '../../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip, encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { silentLog } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { noWaits } from '../../support/no-waits.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const now = day0 + 6 * HOUR_MS + 30 * 60_000;
const config = (overrides: Partial<IngestConfig> = {}): IngestConfig => ({
  ...defaultIngestConfig('acme'),
  backfillDays: 1,
  // Without the later pull (later-pull.test.ts): the runs after this lake's first would also pull
  // once more, a day on, the backfill's hours it read less than a day after they ended.
  repullAfterHours: 0,
  ...overrides,
});

function setup(signer?: DigestSigner) {
  const source = new MemoryAuditSource(
    Array.from({ length: 18 }, (_, i) => viewEntry(day0 + i * 20 * 60_000, i)).concat([
      { timeMs: day0 + 5, entry: 'garbage' },
    ]),
  );
  const store = new MemoryObjectStore();
  let clock = now;
  const deps: IngestDeps = {
    ...noWaits,
    source,
    store,
    clock: { now: () => clock },
    log: silentLog,
    metrics: { count() {} },
    ...(signer ? { digestSigner: signer } : {}),
  };
  return { source, store, deps, setNow: (ms: number) => (clock = ms) };
}

const digestsOf = async (store: MemoryObjectStore) =>
  Promise.all(
    (await listDigestKeys(store, 'acme')).map(async (key) => ({
      key,
      body: (await store.get(key))?.body as Uint8Array,
      digest: decodeDigest(key, (await store.get(key))?.body as Uint8Array),
    })),
  );

const kinds = async (store: MemoryObjectStore) =>
  (await verifyIntegrity(store, 'acme')).problems.map((p) => `${p.kind} ${p.key}`);

describe('digest chain', () => {
  it('lists every object a run wrote (key, sha256, bytes, records), linked to the digest before', async () => {
    const { store, deps, source, setNow } = setup();
    await runIngest(deps, config());
    const first = await digestsOf(store);
    expect(first.length).toBeGreaterThan(0);
    expect(first[0]?.digest).toMatchObject({ sequence: 0, genesis: true, previous: null, instance: 'acme' });
    const listed = new Map(first.flatMap((d) => d.digest.objects).map((o) => [o.key, o]));
    const tables = [...store.objects.keys()].filter((k) => /^(activity_log|coverage|quarantine)\//.test(k));
    expect(tables.length).toBeGreaterThan(10);
    for (const key of tables) {
      const body = store.objects.get(key)?.body as Uint8Array;
      expect(listed.get(key), key).toMatchObject({
        sha256: sha256Hex(body),
        bytes: body.byteLength,
        how: 'write',
      });
    }
    expect(listed.get(activityKey('acme', day0))?.records).toBe(3);
    expect(listed.get(coverageKey('acme', day0))?.records).toBeNull();

    source.add(viewEntry(day0 + 5 * HOUR_MS + 1, 99));
    setNow(now + HOUR_MS);
    await runIngest(deps, config());
    const all = await digestsOf(store);
    for (let i = 1; i < all.length; i++) {
      expect(all[i]?.digest.previous).toEqual({
        key: all[i - 1]?.key,
        sha256: sha256Hex(all[i - 1]?.body as Uint8Array),
      });
    }
    const rewrite = all
      .slice(first.length)
      .flatMap((d) => d.digest.objects)
      .find((o) => o.key === activityKey('acme', day0 + 5 * HOUR_MS) && o.how === 'write');
    expect(rewrite).toMatchObject({ how: 'write', records: 4 });
    expect(rewrite?.replaced).toBe(listed.get(activityKey('acme', day0 + 5 * HOUR_MS))?.sha256);
    expect(await verifyIntegrity(store, 'acme')).toMatchObject({
      ok: true,
      problems: [],
      recordedOnRead: [],
    });
  });

  it('reports changed bytes, an object no digest lists, a listed object that is gone, and a rollback', async () => {
    const { store, deps, source, setNow } = setup();
    await runIngest(deps, config());
    const hour5 = activityKey('acme', day0 + 5 * HOUR_MS);
    const original = store.objects.get(hour5);
    source.add(viewEntry(day0 + 5 * HOUR_MS + 1, 99));
    setNow(now + HOUR_MS);
    await runIngest(deps, config());
    expect(await kinds(store)).toEqual([]);

    const tampered = new MemoryObjectStore();
    for (const [key, value] of store.objects) tampered.objects.set(key, value);
    tampered.putNow(activityKey('acme', day0), new Uint8Array([1, 2, 3]));
    tampered.putNow('quarantine/instance=acme/dt=2026-10-01/extra.ndjson.gz', new Uint8Array([4]));
    tampered.objects.delete(coverageKey('acme', day0 + HOUR_MS));
    if (original) tampered.objects.set(hour5, original);
    expect((await kinds(tampered)).sort()).toEqual(
      [
        `changed ${activityKey('acme', day0)}`,
        'unlisted quarantine/instance=acme/dt=2026-10-01/extra.ndjson.gz',
        `missing ${coverageKey('acme', day0 + HOUR_MS)}`,
        `rolled-back ${hour5}`,
      ].sort(),
    );
  });

  it('reports a broken link when a digest is altered, removed or replaced', async () => {
    const { store, deps, source, setNow } = setup();
    await runIngest(deps, config());
    source.add(viewEntry(day0 + 5 * HOUR_MS + 1, 99));
    setNow(now + HOUR_MS);
    await runIngest(deps, config());
    const keys = await listDigestKeys(store, 'acme');
    expect(keys.length).toBeGreaterThanOrEqual(2);
    const altered = new MemoryObjectStore();
    for (const [key, value] of store.objects) altered.objects.set(key, value);
    const first = decodeDigest(keys[0] as string, altered.objects.get(keys[0] as string)?.body as Uint8Array);
    altered.putNow(
      keys[0] as string,
      new TextEncoder().encode(`${JSON.stringify({ ...first, run_id: 'forged' })}\n`),
    );
    const problems = await kinds(altered);
    expect(problems).toContain(`broken-link ${keys[1]}`);

    // The first digest must say it starts the chain: one that does not starts in the middle of one.
    const headless = new MemoryObjectStore();
    for (const [key, value] of store.objects) headless.objects.set(key, value);
    headless.putNow(
      keys[0] as string,
      new TextEncoder().encode(`${JSON.stringify({ ...first, genesis: false, previous: null })}\n`),
    );
    expect(await kinds(headless)).toContain(`broken-link ${keys[0]}`);

    const removed = new MemoryObjectStore();
    for (const [key, value] of store.objects) if (key !== keys[0]) removed.objects.set(key, value);
    expect(await kinds(removed)).toContain(`broken-link ${digestKey('acme', 0)}`);

    // A digest gone from the middle is one missing number, not every number after it.
    const middle = new MemoryObjectStore();
    for (const [key, value] of store.objects) if (key !== keys[1]) middle.objects.set(key, value);
    const missing = (await verifyIntegrity(middle, 'acme')).problems.filter((p) => /missing$/.test(p.detail));
    expect(missing.map((p) => p.key)).toEqual([keys[1]]);
  });

  it('adopts the objects of a lake written before digests existed in a genesis digest', async () => {
    const { store, deps } = setup();
    await runIngest(deps, config());
    // The same lake as it was before this change: no digest at all, and manifests without
    // entries_read (a lake with it is one a recording version wrote: its run refuses, restarted-chain.test.ts).
    for (const key of await listDigestKeys(store, 'acme')) store.objects.delete(key);
    for (const [key, stored] of store.objects) {
      if (!key.startsWith('coverage/')) continue;
      const { entries_read: _, ...manifest } = JSON.parse(new TextDecoder().decode(stored.body));
      store.putNow(key, new TextEncoder().encode(JSON.stringify(manifest)));
    }
    // Nor did its checkpoint say that a chain held a digest.
    const checkpoint = JSON.parse(new TextDecoder().decode(store.objects.get(checkpointKey('acme'))?.body));
    delete checkpoint.digests_recorded;
    store.putNow(checkpointKey('acme'), new TextEncoder().encode(JSON.stringify(checkpoint)));
    expect((await verifyIntegrity(store, 'acme')).problems.every((p) => p.kind === 'unlisted')).toBe(true);
    await runIngest({ ...deps, clock: { now: () => now + HOUR_MS } }, config());
    const [genesis] = await digestsOf(store);
    expect(genesis?.digest.genesis).toBe(true);
    const report = await verifyIntegrity(store, 'acme');
    expect(report).toMatchObject({ ok: true, problems: [] });
    expect(report.adoptedAtGenesis).toBeGreaterThan(10);
  });

  it('records on read what a run that died before its digest wrote, so the chain converges', async () => {
    const { store, deps, source, setNow } = setup();
    await runIngest(deps, config());
    source.add(viewEntry(day0 + 5 * HOUR_MS + 1, 99));
    setNow(now + HOUR_MS);
    // The run dies right after rewriting the hour: no later write (digest, checkpoint) happens.
    let dead = false;
    store.beforePut = (key) => {
      if (dead) throw new Error('crash');
      if (key === activityKey('acme', day0 + 5 * HOUR_MS)) dead = true;
    };
    await runIngest(deps, config({ concurrency: 1 }));
    store.beforePut = undefined;
    expect(await kinds(store)).toContain(`changed ${activityKey('acme', day0 + 5 * HOUR_MS)}`);
    await runIngest(deps, config());
    const report = await verifyIntegrity(store, 'acme');
    expect(report).toMatchObject({ ok: true, problems: [] });
    expect(report.recordedOnRead.map((r) => r.key)).toContain(activityKey('acme', day0 + 5 * HOUR_MS));
  });

  it("says when the chain ends in an unsealed digest: what is in no digest may be that run's writes", async () => {
    const { store, deps, source, setNow } = setup();
    await runIngest(deps, config());
    for (let h = 6; h < 9; h++) source.add(viewEntry(day0 + h * HOUR_MS + 1, 100 + h));
    setNow(now + 3 * HOUR_MS);
    // The run dies writing its last hour, after a checkpoint (and the digest before it) for the others.
    const last = activityKey('acme', day0 + 8 * HOUR_MS);
    let dead = false;
    store.beforePut = (key) => {
      if (dead) throw new Error('crash');
      if (key === last) dead = true;
    };
    await runIngest(deps, config({ concurrency: 1, lookbackHours: 0 }));
    store.beforePut = undefined;
    // An hour before the dead run's first hour, changed: that run cannot have written it.
    const earlier = activityKey('acme', day0 + 2 * HOUR_MS);
    const records = decodeNdjsonGzip(store.objects.get(earlier)?.body as Uint8Array) as EventRecord[];
    store.putNow(earlier, encodeNdjsonGzip(records.map((r) => ({ ...r, user_name: 'Mallory' }))));
    const report = await verifyIntegrity(store, 'acme');
    const changed = report.problems.find((p) => p.key === earlier)?.detail;
    expect(changed).toMatch(/are in no digest; the chain last recorded /);
    expect(changed).not.toMatch(/not sealed/);
    expect(report.unsealedHead).toMatchObject({ runId: expect.any(String), key: expect.any(String) });
    const problem = report.problems.find((p) => p.key === last);
    expect(problem?.detail).toMatch(
      /; the last digest \(digests?\/.*, run .*\) is not sealed, so that run may have written it after its last digest$/,
    );

    await runIngest(deps, config());
    const after = await verifyIntegrity(store, 'acme');
    // The dead run's writes are recorded now; the changed earlier hour is all that is left.
    expect(after.unsealedHead).toBeNull();
    expect(after.problems.map((p) => `${p.kind} ${p.key}`)).toEqual([`changed ${earlier}`]);
  });

  it('still reports bytes changed outside the ingest after the next runs read them into the chain', async () => {
    const { store, deps, setNow } = setup();
    await runIngest(deps, config());
    // An hour in the next run's lookback, one name changed: valid gzip NDJSON, forged content.
    const hour5 = activityKey('acme', day0 + 5 * HOUR_MS);
    const records = decodeNdjsonGzip(store.objects.get(hour5)?.body as Uint8Array) as EventRecord[];
    store.putNow(
      hour5,
      encodeNdjsonGzip(records.map((r, i) => (i === 0 ? { ...r, user_name: 'Mallory' } : r))),
    );
    expect(await kinds(store)).toEqual([`changed ${hour5}`]);
    // The scheduled run reads the hour (nothing new in Domo: it keeps the bytes) and lists them as read.
    setNow(now + HOUR_MS);
    await runIngest(deps, config());
    const afterScheduled = await verifyIntegrity(store, 'acme');
    expect(afterScheduled.problems.map((p) => `${p.kind} ${p.key}`)).toEqual([`changed ${hour5}`]);
    expect(afterScheduled.problems[0]?.detail).toMatch(
      /first recorded when run .* read them .*, no digest lists them as written, and no run that could have written them had writes left unrecorded then/,
    );
    expect(afterScheduled.recordedOnRead).toEqual([]);
    // A re-pull of the range merges into the forged object and writes it again: still reported.
    await runIngest(deps, config(), { range: { fromMs: day0, toMs: day0 + 6 * HOUR_MS } });
    expect(await kinds(store)).toEqual([`changed ${hour5}`]);
  });

  it('keeps one linear chain when runs overlap', async () => {
    const { store, deps } = setup();
    await Promise.all([runIngest(deps, config()), runIngest(deps, config()), runIngest(deps, config())]);
    const all = await digestsOf(store);
    expect(all.map((d) => d.digest.sequence)).toEqual(all.map((_, i) => i));
    expect(await verifyIntegrity(store, 'acme')).toMatchObject({ ok: true, problems: [] });
  });

  it('reports a digest whose body names another number or instance than its key', async () => {
    const { store, deps } = setup();
    await runIngest(deps, config());
    const [last] = (await listDigestKeys(store, 'acme')).slice(-1);
    const digest = decodeDigest(last as string, store.objects.get(last as string)?.body as Uint8Array);
    store.putNow(
      last as string,
      new TextEncoder().encode(`${JSON.stringify({ ...digest, instance: 'other' })}\n`),
    );
    expect(await kinds(store)).toContain(`bad-digest ${last}`);
  });

  it('signs each digest; offline verification with the public key catches a forged one', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const signer: DigestSigner = {
      keyId: 'arn:aws:kms:eu-west-1:123456789012:key/test',
      sign: async (message) => sign('sha256', message, privateKey),
    };
    const publicDer = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    const { store, deps } = setup(signer);
    await runIngest(deps, config());
    const report = await verifyIntegrity(store, 'acme', { publicKey: publicDer });
    expect(report).toMatchObject({ ok: true, problems: [] });
    expect(report.signedDigests).toBe(report.digests);

    // Someone with write access rewrites the last digest (and re-links nothing after it): the
    // hashes alone would not notice a rewritten tip, the signature does.
    const [last] = (await listDigestKeys(store, 'acme')).slice(-1);
    const digest = decodeDigest(last as string, store.objects.get(last as string)?.body as Uint8Array);
    store.putNow(
      last as string,
      new TextEncoder().encode(`${JSON.stringify({ ...digest, run_id: 'forged' })}\n`),
    );
    const forged = await verifyIntegrity(store, 'acme', { publicKey: publicDer });
    expect(forged.problems.map((p) => p.kind)).toContain('bad-signature');

    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    const unsigned = setup();
    await runIngest(unsigned.deps, config());
    const withKey = await verifyIntegrity(unsigned.store, 'acme', {
      publicKey: other.export({ format: 'der', type: 'spki' }).toString('base64'),
    });
    expect(withKey.problems.map((p) => p.kind)).toContain('unsigned');
  });

  it('accepts unsigned history before the first signed digest, but no unsigned digest after it', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const signer: DigestSigner = { keyId: 'k', sign: async (message) => sign('sha256', message, privateKey) };
    const publicDer = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    const { store, deps, source, setNow } = setup();
    await runIngest(deps, config());
    source.add(viewEntry(day0 + 5 * HOUR_MS + 2, 98));
    setNow(now + HOUR_MS);
    await runIngest({ ...deps, digestSigner: signer }, config());
    const upgraded = await verifyIntegrity(store, 'acme', { publicKey: publicDer });
    expect(upgraded).toMatchObject({ ok: true, problems: [] });
    expect(upgraded.unsignedBeforeSigning).toBeGreaterThan(0);
    expect(upgraded.signedDigests).toBe(upgraded.digests - upgraded.unsignedBeforeSigning);

    source.add(viewEntry(day0 + 6 * HOUR_MS + 2, 97));
    setNow(now + 2 * HOUR_MS);
    await runIngest(deps, config());
    const later = await verifyIntegrity(store, 'acme', { publicKey: publicDer });
    expect(later.problems.map((p) => p.kind)).toContain('unsigned');
    expect(later.ok).toBe(false);
  });

  it('records the hours enrich rewrites, so verify --integrity passes after it', async () => {
    const { store, deps, source } = setup();
    source.add({
      timeMs: day0 + 2 * HOUR_MS + 5,
      entry: { ...(viewEntry(0).entry as object), time: day0 + 2 * HOUR_MS + 5, ipAddress: '8.8.8.8' },
    });
    await runIngest(deps, config());
    const hour2 = activityKey('acme', day0 + 2 * HOUR_MS);
    const before = sha256Hex(store.objects.get(hour2)?.body as Uint8Array);
    const summary = await enrichLake(
      {
        store,
        geo: {
          version: 'geo@2',
          lookup: (ip) => (ip === '8.8.8.8' ? { country: 'US', asn: 15169, org: 'Google' } : undefined),
        },
      },
      { instance: 'acme', fromMs: day0, toMs: day0 + 6 * HOUR_MS, nowIso: '2026-10-01T07:00:00.000Z' },
    );
    expect(summary.hoursRewritten).toBeGreaterThan(0);
    expect(sha256Hex(store.objects.get(hour2)?.body as Uint8Array)).not.toBe(before);
    expect(await verifyIntegrity(store, 'acme')).toMatchObject({
      ok: true,
      problems: [],
      recordedOnRead: [],
    });
    const last = (await digestsOf(store)).at(-1)?.digest;
    expect(last).toMatchObject({ sealed: true, run_id: expect.stringMatching(/^enrich-/) });
    // Its writes are listed before its seal too (each put waits for a digest listing its intent).
    const enriched = (await digestsOf(store))
      .filter((d) => d.digest.run_id === last?.run_id)
      .flatMap((d) => d.digest.objects);
    expect(enriched).toContainEqual(expect.objectContaining({ key: hour2, how: 'write', replaced: before }));
    expect(enriched.map((o) => o.key)).toContain(coverageKey('acme', day0 + 2 * HOUR_MS));
  });

  it('fails the run when a digest cannot be signed: nothing moves the watermark past unsigned hours', async () => {
    const refusing: DigestSigner = {
      keyId: 'k',
      sign: async () => {
        throw new Error('KMS could not sign the digest with key k (AccessDeniedException: denied)');
      },
    };
    const { store, deps } = setup(refusing);
    const summary = await runIngest(deps, config());
    expect(summary.windowsDone).toBe(0);
    expect(summary.failures.length).toBeGreaterThan(0);
    expect(summary.failures[0]?.message).toContain('KMS could not sign the digest');
    expect(await listDigestKeys(store, 'acme')).toEqual([]);
    expect(store.objects.has(checkpointKey('acme'))).toBe(false);
  });
});

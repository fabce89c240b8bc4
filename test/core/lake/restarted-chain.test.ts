import { describe, expect, it } from 'vitest';
import { compileCategoryRules } from '../../../functions/core/domo/category-rules.ts';
import { enrichLake } from '../../../functions/core/geo/enrich-lake.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import {
  appendDigest,
  type DigestEntry,
  decodeDigest,
  inDigestScope,
  listDigestKeys,
  sha256Hex,
} from '../../../functions/core/lake/digest.ts';
import { activityKey, checkpointKey, coverageKey, digestKey } from '../../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip, encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { verifyWithIntegrity } from '../../../functions/core/lake/verify-with-integrity.ts';
import type { ObjectStore } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const now = day0 + 6 * HOUR_MS + 30 * 60_000;
const config = { ...defaultIngestConfig('acme'), backfillDays: 1, repullAfterHours: 0 };
const later = now + HOUR_MS;

/** A lake of six hours, three views an hour, its digests deleted; `old`: manifests as versions before 2026-12-06 wrote them. */
async function lakeWithoutDigests(old: boolean) {
  const source = new MemoryAuditSource(
    Array.from({ length: 18 }, (_, i) => viewEntry(day0 + i * 20 * 60_000, i)),
  );
  const store = new MemoryObjectStore();
  await runIngest(quietIngestDeps(source, store, now), config);
  for (const key of await listDigestKeys(store, 'acme')) store.objects.delete(key);
  if (old) {
    // Nor did their checkpoints say a chain held a digest.
    const checkpoint = store.objects.get(checkpointKey('acme'));
    const { digests_recorded: _said, ...kept } = JSON.parse(new TextDecoder().decode(checkpoint?.body));
    store.putNow(checkpointKey('acme'), new TextEncoder().encode(JSON.stringify(kept)));
    for (const [key, stored] of store.objects) {
      if (!key.startsWith('coverage/')) continue;
      const manifest = JSON.parse(new TextDecoder().decode(stored.body));
      delete manifest.entries_read;
      delete manifest.missing_fields;
      delete manifest.unread_fields;
      store.putNow(key, new TextEncoder().encode(JSON.stringify(manifest)));
    }
  }
  return { source, store };
}

/** Hour 2 with one event dropped, its manifest made to agree (as the auditor's repro forges it). */
async function forgeHour2(store: MemoryObjectStore) {
  const hour = day0 + 2 * HOUR_MS;
  const key = activityKey('acme', hour);
  const events = decodeNdjsonGzip(store.objects.get(key)?.body as Uint8Array) as { event_id: string }[];
  const kept = events.slice(1);
  store.putNow(key, encodeNdjsonGzip(kept));
  const manifestKey = coverageKey('acme', hour);
  const manifest = JSON.parse(new TextDecoder().decode(store.objects.get(manifestKey)?.body));
  const { createHash } = await import('node:crypto');
  const ids = kept.map((e) => e.event_id).sort();
  manifest.event_count = kept.length;
  if (manifest.entries_read !== undefined) manifest.entries_read = kept.length;
  manifest.content_hash = createHash('sha256').update(ids.join('\n')).digest('hex');
  store.putNow(manifestKey, new TextEncoder().encode(JSON.stringify(manifest)));
}

/** A genesis adopting every object as a version without the ingest's refusal wrote it (before 2026-12-06). */
async function genesisOfOlderVersion(store: MemoryObjectStore) {
  const entries: DigestEntry[] = [];
  for (const [key, stored] of store.objects) {
    if (!inDigestScope('acme', key)) continue;
    entries.push({
      key,
      sha256: sha256Hex(stored.body),
      bytes: stored.body.byteLength,
      records: null,
      how: 'adopt',
    });
  }
  const createdAt = new Date(later).toISOString();
  const input = { instance: 'acme', runId: 'older', createdAt, objects: [], sealed: true, fromMs: null };
  await appendDigest(store, { ...input, adopt: async () => ({ entries }) });
}

describe('a chain begun anew over recorded data', () => {
  it('fails on objects adopted at genesis that a version recording every run wrote', async () => {
    const { store } = await lakeWithoutDigests(false);
    await forgeHour2(store);
    // A run of a version that did not refuse then started a new chain, adopting the forged hour.
    await genesisOfOlderVersion(store);
    const report = await verifyWithIntegrity(store, 'acme', undefined);
    const integrity = report.integrity;
    expect(integrity?.adoptedAtGenesis).toBeGreaterThan(10);
    expect(integrity?.genesis).toMatchObject({
      key: digestKey('acme', 0),
      createdAt: new Date(later).toISOString(),
    });
    expect(integrity?.adoptedWriters).toMatchObject({ runs: 1, byRecordingVersion: 24 });
    expect(integrity?.problems.map((p) => `${p.kind} ${p.key}`)).toEqual([
      `restarted-chain ${digestKey('acme', 0)}`,
    ]);
    expect(integrity?.problems[0]?.sha256).toBe(integrity?.genesis?.sha256);
    expect(report.ok).toBe(false);
  });

  it('passes the adoption of a lake its versions wrote before they recorded digests, naming its writers', async () => {
    const { source, store } = await lakeWithoutDigests(true);
    await runIngest(quietIngestDeps(source, store, later), config);
    const report = await verifyWithIntegrity(store, 'acme', undefined);
    expect(report.integrity?.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.integrity?.adoptedWriters).toMatchObject({ runs: 1, byRecordingVersion: 0 });
    expect(report.integrity?.adoptedWriters?.manifests).toBeGreaterThan(0);
  });
});

describe('an ingest run that finds no chain over hours a recording version wrote', () => {
  const range = { fromMs: day0 + 5 * HOUR_MS, toMs: day0 + 6 * HOUR_MS };

  it('refuses to begin one, writing nothing, and says how to restore the digests', async () => {
    const { source, store } = await lakeWithoutDigests(false);
    await forgeHour2(store);
    const before = new Map([...store.objects].map(([key, stored]) => [key, sha256Hex(stored.body)]));
    const summary = await runIngest(quietIngestDeps(source, store, later), config, { range });
    expect(summary.outcome).toBe('failed');
    expect(summary.stoppedEarly).toBe('fatal-error');
    const message = summary.failures[0]?.message ?? '';
    expect(message).toContain('the digest chain of "acme" is missing');
    expect(message).toContain('24 hour(s) written by a version that records every run');
    expect(message).toContain('Object Lock keeps their versions');
    expect(message).toContain('docs/operations.md');
    expect(await listDigestKeys(store, 'acme')).toEqual([]);
    for (const [key, sha256] of before) {
      if (inDigestScope('acme', key))
        expect(sha256Hex(store.objects.get(key)?.body as Uint8Array)).toBe(sha256);
    }
  });

  it('refuses too when the only such manifest is of the hour it re-pulls, which its genesis does not adopt', async () => {
    const { source, store } = await lakeWithoutDigests(true);
    const key = coverageKey('acme', range.fromMs);
    const manifest = JSON.parse(new TextDecoder().decode(store.objects.get(key)?.body));
    store.putNow(key, new TextEncoder().encode(JSON.stringify({ ...manifest, entries_read: 3 })));
    const summary = await runIngest(quietIngestDeps(source, store, later), config, { range });
    expect(summary.failures[0]?.message).toContain(
      `1 hour(s) written by a version that records every run in that chain (e.g. ${key}`,
    );
    expect(await listDigestKeys(store, 'acme')).toEqual([]);
  });

  it('begins one when told to restart, its genesis saying so; verify still fails, naming the restart', async () => {
    const { source, store } = await lakeWithoutDigests(false);
    await forgeHour2(store);
    const options = { range, restartDigestChain: true };
    const summary = await runIngest(quietIngestDeps(source, store, later), config, options);
    expect(summary.outcome).toBe('complete');
    const genesisKey = digestKey('acme', 0);
    const genesis = decodeDigest(genesisKey, store.objects.get(genesisKey)?.body as Uint8Array);
    expect(genesis).toMatchObject({ genesis: true, restarted: true, run_id: summary.runId });
    const report = await verifyWithIntegrity(store, 'acme', undefined);
    expect(report.integrity?.genesis).toMatchObject({ key: genesisKey, restarted: true });
    expect(report.integrity?.problems.map((p) => p.kind)).toEqual(['restarted-chain']);
    expect(report.integrity?.problems[0]?.detail).toContain(
      `says its run ${summary.runId} was told to begin the chain anew`,
    );
    expect(report.ok).toBe(false);
  });

  it('fails verify on a restart its genesis records even once the manifests say no recording version wrote them', async () => {
    const { source, store } = await lakeWithoutDigests(false);
    const options = { range, restartDigestChain: true };
    await runIngest(quietIngestDeps(source, store, later), config, options);
    // The manifests made to look as older versions wrote them: the genesis still says what it was.
    for (const [key, stored] of store.objects) {
      if (!key.startsWith('coverage/')) continue;
      const manifest = JSON.parse(new TextDecoder().decode(stored.body));
      delete manifest.entries_read;
      store.putNow(key, new TextEncoder().encode(JSON.stringify(manifest)));
    }
    const report = await verifyWithIntegrity(store, 'acme', undefined);
    expect(report.integrity?.adoptedWriters?.byRecordingVersion ?? 0).toBe(0);
    expect(report.integrity?.problems.map((p) => p.kind)).toContain('restarted-chain');
  });

  it('needs no telling on a lake its versions wrote before they recorded digests, nor on a new one', async () => {
    const { source, store } = await lakeWithoutDigests(true);
    const old = await runIngest(quietIngestDeps(source, store, later), config, { range });
    expect(old.outcome).toBe('complete');
    const fresh = new MemoryObjectStore();
    expect((await runIngest(quietIngestDeps(source, fresh, now), config)).outcome).toBe('complete');
    for (const lake of [store, fresh]) {
      const genesisKey = digestKey('acme', 0);
      const genesis = decodeDigest(genesisKey, lake.objects.get(genesisKey)?.body as Uint8Array);
      expect(genesis.genesis).toBe(true);
      expect(genesis.restarted).toBeUndefined();
      expect((await verifyWithIntegrity(lake, 'acme', undefined)).ok).toBe(true);
    }
  });
});

describe('an enrich that finds no chain under a checkpoint saying one existed', () => {
  it('refuses to begin one, though no manifest carries entries_read any more', async () => {
    const { store } = await lakeWithoutDigests(false);
    for (const [key, stored] of store.objects) {
      if (!key.startsWith('coverage/')) continue;
      const { entries_read: _read, ...manifest } = JSON.parse(new TextDecoder().decode(stored.body));
      store.putNow(key, new TextEncoder().encode(JSON.stringify(manifest)));
    }
    const enrich = enrichLake(
      { store, geo: { version: 'geo@1', lookup: () => undefined } },
      {
        instance: 'acme',
        fromMs: day0,
        toMs: day0 + 6 * HOUR_MS,
        categorize: compileCategoryRules([{ category: 'login', actionType: '.' }]),
        nowIso: new Date(later).toISOString(),
      },
    );
    await expect(enrich).rejects.toThrow(/says a run wrote it after the chain held a digest/);
    expect(await listDigestKeys(store, 'acme')).toEqual([]);
  });
});

describe('two first runs of a new lake side by side', () => {
  it('leaves the one that found no chain, while the other began it, to append after it', async () => {
    const source = new MemoryAuditSource(
      Array.from({ length: 18 }, (_, i) => viewEntry(day0 + i * 20 * 60_000, i)),
    );
    const store = new MemoryObjectStore();
    // This run finds no digest 0; the other run then begins the chain and stores every hour,
    // manifests with entries_read included, before this one lists what its genesis would adopt.
    let searched = false;
    let other: Promise<unknown> | undefined;
    const racing: ObjectStore = {
      location: store.location,
      get: async (key) => {
        const found = await store.get(key);
        if (key === digestKey('acme', 0) && !found) searched = true;
        return found;
      },
      put: (key, body, options) => store.put(key, body, options),
      list: async function* (prefix, options) {
        if (searched && other === undefined && prefix.startsWith('activity_log/'))
          other = runIngest(quietIngestDeps(source, store, now), config);
        await other;
        yield* store.list(prefix, options);
      },
    };
    const range = { fromMs: day0, toMs: day0 + 6 * HOUR_MS };
    const summary = await runIngest(quietIngestDeps(source, racing, now), config, { range });
    expect(other).toBeDefined();
    expect(summary.outcome, JSON.stringify(summary.failures)).toBe('complete');
    const report = await verifyWithIntegrity(store, 'acme', undefined);
    expect(report.integrity?.problems).toEqual([]);
    expect(report.integrity?.adoptedAtGenesis).toBe(0);
  });
});

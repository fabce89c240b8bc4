import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { listDigestKeys } from '../../../functions/core/lake/digest.ts';
import { activityKey, coverageKey, digestKey, HOUR_MS } from '../../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip, encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { verifyWithIntegrity } from '../../../functions/core/lake/verify-with-integrity.ts';
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

describe('a chain begun anew over recorded data', () => {
  it('fails on objects adopted at genesis that a version recording every run wrote', async () => {
    const { source, store } = await lakeWithoutDigests(false);
    await forgeHour2(store);
    // Any ordinary run then starts a new chain, adopting the forged hour with the others.
    const range = { fromMs: day0 + 5 * HOUR_MS, toMs: day0 + 6 * HOUR_MS };
    await runIngest(quietIngestDeps(source, store, later), config, { range });
    const report = await verifyWithIntegrity(store, 'acme', undefined);
    const integrity = report.integrity;
    expect(integrity?.adoptedAtGenesis).toBeGreaterThan(10);
    expect(integrity?.genesis).toMatchObject({
      key: digestKey('acme', 0),
      createdAt: new Date(later).toISOString(),
    });
    expect(integrity?.adoptedWriters).toMatchObject({ runs: 1, byRecordingVersion: 23 });
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

/**
 * Each write waits for a digest of its run listing its bytes. An hour stored writes its events,
 * then its manifest; the manifest is built before the events are written and listed with them, so
 * the hour costs one digest append, not two, and verify still finds every write listed before it.
 */
import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { decodeDigest, listDigestKeys, sha256Hex } from '../../../functions/core/lake/digest.ts';
import { activityKey, coverageKey } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const hour = (h: number) => day0 + h * HOUR_MS;
const now = hour(6) + 30 * 60_000;
const config = { ...defaultIngestConfig('acme'), backfillDays: 1, concurrency: 1 };

/** For each digest of the run: the keys its intents list. */
async function intentsByDigest(lake: MemoryObjectStore, runId: string): Promise<Set<string>[]> {
  const listed: Set<string>[] = [];
  for (const key of await listDigestKeys(lake, 'acme')) {
    const stored = await lake.get(key);
    if (!stored) continue;
    const digest = decodeDigest(key, stored.body);
    if (digest.run_id !== runId) continue;
    listed.push(
      new Set((digest.intents ?? []).flatMap((intent) => [intent.key, `${intent.key}\n${intent.sha256}`])),
    );
  }
  return listed;
}

describe('an hour stored by an ingest run', () => {
  it('lists its manifest in the digest that lists its events', async () => {
    const domo = new MemoryAuditSource(
      Array.from({ length: 36 }, (_, i) => viewEntry(day0 + i * 10 * 60_000, i)),
    );
    const lake = new MemoryObjectStore();
    await runIngest(quietIngestDeps(domo, lake, now), config, { runId: 'first' });
    // Late entries in three hours: a second run writes their events and manifests again.
    for (const h of [0, 1, 2]) domo.add(viewEntry(hour(h) + 7 * 60_000 + 3, 500 + h));
    await runIngest(quietIngestDeps(domo, lake, now + HOUR_MS), config, {
      runId: 'second',
      range: { fromMs: hour(0), toMs: hour(3) },
    });

    // The manifest it lists there is the one written: the latest run's, as stored now.
    for (const [runId, hours] of [
      ['first', [3, 4, 5]],
      ['second', [0, 1, 2]],
    ] as const) {
      const digests = await intentsByDigest(lake, runId);
      for (const h of hours) {
        const withEvents = digests.find((keys) => keys.has(activityKey('acme', hour(h))));
        const manifest = await lake.get(coverageKey('acme', hour(h)));
        const written = `${coverageKey('acme', hour(h))}\n${sha256Hex(manifest?.body ?? new Uint8Array())}`;
        expect(withEvents?.has(written), `${runId} ${h}`).toBe(true);
      }
    }
    const report = await verifyIntegrity(lake, 'acme');
    expect(report.problems).toEqual([]);
  });
});

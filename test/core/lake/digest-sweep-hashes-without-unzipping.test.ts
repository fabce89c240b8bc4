import { expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { type DigestEntry, decodeDigest, listDigestKeys } from '../../../functions/core/lake/digest.ts';
import { activityKey } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const hour = (h: number) => day0 + h * HOUR_MS;
const now = hour(6) + 30 * 60_000;
const config = { ...defaultIngestConfig('acme'), backfillDays: 1, concurrency: 1 };

/** Every entry of the digests of `runId`. */
async function entriesOf(lake: MemoryObjectStore, runId: string): Promise<DigestEntry[]> {
  const entries: DigestEntry[] = [];
  for (const key of await listDigestKeys(lake, 'acme')) {
    const digest = decodeDigest(key, lake.objects.get(key)?.body as Uint8Array);
    if (digest.run_id === runId) entries.push(...digest.objects);
  }
  return entries;
}

// Counting an hour's lines means unzipping it on the main thread (~7-12 ms a busy hour): a sweep of
// a year of hours would spend near two minutes of a run on counts no check uses.
it('records the objects a sweep read by their bytes, without counting their lines', async () => {
  const domo = new MemoryAuditSource(
    Array.from({ length: 36 }, (_, i) => viewEntry(day0 + i * 10 * 60_000, i)),
  );
  const lake = new MemoryObjectStore();
  await runIngest(quietIngestDeps(domo, lake, now), config);
  // A re-pull of 00:00-03:00 dies right after rewriting 01:00.
  domo.add(viewEntry(hour(1) + 1, 99));
  let dead = false;
  lake.beforePut = (key) => {
    if (dead) throw new Error('crash');
    if (key === activityKey('acme', hour(1))) dead = true;
  };
  await runIngest(quietIngestDeps(domo, lake, now), config, {
    range: { fromMs: hour(0), toMs: hour(3) },
  }).catch(() => undefined);
  lake.beforePut = undefined;

  domo.add(viewEntry(hour(6) + 60_000, 300));
  await runIngest(quietIngestDeps(domo, lake, now + HOUR_MS), config, { runId: 'next' });

  const entries = await entriesOf(lake, 'next');
  const swept = entries.filter((entry) => entry.key === activityKey('acme', hour(1)));
  expect(swept).toEqual([expect.objectContaining({ how: 'read', records: null })]);
  // What the run itself read and wrote is still counted.
  const written = entries.filter((entry) => entry.how === 'write' && entry.key.endsWith('.ndjson.gz'));
  expect(written.length).toBeGreaterThan(0);
  for (const entry of written) expect(entry.records).toBeGreaterThan(0);
  expect((await verifyIntegrity(lake, 'acme')).problems).toEqual([]);
});

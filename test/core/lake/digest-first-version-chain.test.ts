import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { decodeDigest, listDigestKeys, sha256Hex } from '../../../functions/core/lake/digest.ts';
import { HOUR_MS } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const now = day0 + 6 * HOUR_MS + 30 * 60_000;
const config = { ...defaultIngestConfig('acme'), backfillDays: 1 };

/**
 * The chain as its first version wrote it (2026-11-30): one digest per run, with neither `sealed`
 * nor `from_ms` (nor `began`, `to_ms`). Rewrites every digest of `lake` so, relinking each to the
 * bytes of the one before, as that version's own verify accepted it.
 */
async function asFirstVersion(lake: MemoryObjectStore): Promise<void> {
  let previous: { key: string; sha256: string } | null = null;
  for (const key of await listDigestKeys(lake, 'acme')) {
    const text = new TextDecoder().decode(lake.objects.get(key)?.body as Uint8Array);
    const { sealed: _s, from_ms: _f, to_ms: _t, began: _b, ...old } = JSON.parse(text);
    const body = new TextEncoder().encode(`${JSON.stringify({ ...old, previous })}\n`);
    await lake.put(key, body);
    previous = { key, sha256: sha256Hex(body) };
  }
}

describe('a digest chain written by the first version of the digests', () => {
  it('is read as sealed runs of unknown hours: the next ingest goes on and verify finds nothing', async () => {
    const domo = new MemoryAuditSource(
      Array.from({ length: 36 }, (_, i) => viewEntry(day0 + i * 10 * 60_000, i)),
    );
    const lake = new MemoryObjectStore();
    await runIngest(quietIngestDeps(domo, lake, now), config, { runId: 'old-code' });
    await asFirstVersion(lake);
    const [first] = await listDigestKeys(lake, 'acme');
    const decoded = decodeDigest(first as string, lake.objects.get(first as string)?.body as Uint8Array);
    expect([decoded.sealed, decoded.from_ms]).toEqual([true, null]);

    domo.add(viewEntry(now - HOUR_MS, 99));
    const summary = await runIngest(quietIngestDeps(domo, lake, now + HOUR_MS), config, {
      runId: 'new-code',
    });
    expect(summary.outcome).toBe('complete');
    const report = await verifyIntegrity(lake, 'acme');
    expect(report.problems).toEqual([]);
  });
});

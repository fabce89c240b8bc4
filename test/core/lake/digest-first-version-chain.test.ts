import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { decodeDigest, listDigestKeys } from '../../../functions/core/lake/digest.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { rewriteAsFirstVersion } from '../../support/first-version-chain.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const now = day0 + 6 * HOUR_MS + 30 * 60_000;
const config = { ...defaultIngestConfig('acme'), backfillDays: 1 };

describe('a digest chain written by the first version of the digests', () => {
  it('is read as sealed runs of unknown hours: the next ingest goes on and verify finds nothing', async () => {
    const domo = new MemoryAuditSource(
      Array.from({ length: 36 }, (_, i) => viewEntry(day0 + i * 10 * 60_000, i)),
    );
    const lake = new MemoryObjectStore();
    await runIngest(quietIngestDeps(domo, lake, now), config, { runId: 'old-code' });
    await rewriteAsFirstVersion(lake, 'acme');
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

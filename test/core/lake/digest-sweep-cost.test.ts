import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { appendDigest } from '../../../functions/core/lake/digest.ts';
import {
  activityKey,
  checkpointKey,
  coverageKey,
  DAY_MS,
  HOUR_MS,
} from '../../../functions/core/lake/layout.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';
import { VirtualLatencyStore } from '../../support/virtual-latency-store.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const now = day0 + 6 * HOUR_MS + 30 * 60_000;
const yearAgo = day0 - 365 * DAY_MS;
/** A GET of S3 from Lambda, roughly. */
const GET_MS = 30;
const LAMBDA_MS = 600_000;

/** A year of hours (events and manifest each), and a year-long re-pull killed after its opening digest. */
async function lakeAfterKilledRepull(): Promise<MemoryObjectStore> {
  const lake = new MemoryObjectStore();
  const tiny = new Uint8Array([1]);
  for (let hour = yearAgo; hour < day0 - 2 * HOUR_MS; hour += HOUR_MS) {
    lake.putNow(activityKey('acme', hour), tiny);
    lake.putNow(coverageKey('acme', hour), tiny);
  }
  const digest = { instance: 'acme', createdAt: new Date(day0).toISOString(), objects: [], fromMs: yearAgo };
  await appendDigest(lake, { ...digest, runId: 'scheduled', sealed: true, adopt: async () => [] });
  await appendDigest(lake, { ...digest, runId: 'repull-killed', sealed: false });
  const checkpoint = {
    version: 1,
    instance: 'acme',
    watermark_ms: day0,
    watermark: new Date(day0).toISOString(),
  };
  lake.putNow(
    checkpointKey('acme'),
    new TextEncoder().encode(
      JSON.stringify({ ...checkpoint, updated_at: 'x', run_id: 'scheduled', code_version: 'x' }),
    ),
  );
  return lake;
}

describe('the sweep after a year-long re-pull that died unsealed', () => {
  it('reads the year in parallel, well within the Lambda time', async () => {
    const timed = new VirtualLatencyStore(await lakeAfterKilledRepull(), GET_MS);
    const source = new MemoryAuditSource([viewEntry(day0 + 5 * HOUR_MS + 60_000, 1)]);
    const deps = {
      ...quietIngestDeps(source, timed, now),
      remainingTimeMs: () => LAMBDA_MS - timed.elapsedMs,
    };
    const summary = await runIngest(deps, { ...defaultIngestConfig('acme'), budgetMarginMs: 60_000 });

    expect(summary.outcome).toBe('complete');
    expect(timed.gets).toBeGreaterThan(2 * 365 * 24 - 10);
    expect(timed.mostInFlight).toBeGreaterThanOrEqual(16);
    // One after the other the GETs took 526 s of the 600.
    expect(timed.elapsedMs).toBeLessThan(60_000);
  });
});

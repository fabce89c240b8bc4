import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { appendDigest } from '../../../functions/core/lake/digest.ts';
import { activityKey, checkpointKey, coverageKey } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { DAY_MS, HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';
import { VirtualLatencyStore } from '../../support/virtual-latency-store.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const now = day0 + 6 * HOUR_MS + 30 * 60_000;
/** A GET of S3 from Lambda, roughly. */
const GET_MS = 30;
const LAMBDA_MS = 600_000;

/** `days` of hours (events and manifest each), and a re-pull of them all killed after its opening digest. */
async function lakeAfterKilledRepull(days: number): Promise<MemoryObjectStore> {
  const firstHour = day0 - days * DAY_MS;
  const lake = new MemoryObjectStore();
  const tiny = new Uint8Array([1]);
  for (let hour = firstHour; hour < day0 - 2 * HOUR_MS; hour += HOUR_MS) {
    lake.putNow(activityKey('acme', hour), tiny);
    lake.putNow(coverageKey('acme', hour), tiny);
  }
  const digest = {
    instance: 'acme',
    createdAt: new Date(day0).toISOString(),
    objects: [],
    fromMs: firstHour,
  };
  await appendDigest(lake, {
    ...digest,
    runId: 'scheduled',
    sealed: true,
    adopt: async () => ({ entries: [] }),
  });
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

/** Without the later pull: the lake's older hours are placeholders, not manifests a pull could merge into. */
const config = { ...defaultIngestConfig('acme'), repullAfterHours: 0 };

describe('the sweep after a year-long re-pull that died unsealed', () => {
  it('reads the year in parallel, well within the Lambda time', async () => {
    const timed = new VirtualLatencyStore(await lakeAfterKilledRepull(365), GET_MS);
    const source = new MemoryAuditSource([viewEntry(day0 + 5 * HOUR_MS + 60_000, 1)]);
    const deps = {
      ...quietIngestDeps(source, timed, now),
      remainingTimeMs: () => LAMBDA_MS - timed.elapsedMs,
    };
    const summary = await runIngest(deps, { ...config, budgetMarginMs: 60_000 });

    expect(summary.outcome).toBe('complete');
    expect(timed.gets).toBeGreaterThan(2 * 365 * 24 - 10);
    expect(timed.mostInFlight).toBeGreaterThanOrEqual(16);
    // One after the other the GETs took 526 s of the 600. Read 16 at a time, twice (the opening's
    // sweep, and again before the seal closes the dead run): ~66 s.
    expect(timed.gets).toBeLessThan(2 * (2 * 365 * 24) + 100);
    expect(timed.elapsedMs).toBeLessThan(90_000);
  });

  it('stops when the time of the run runs low, and leaves the chain unsealed for the next run', async () => {
    const lake = await lakeAfterKilledRepull(60);
    const timed = new VirtualLatencyStore(lake, GET_MS);
    const source = new MemoryAuditSource([viewEntry(day0 + 5 * HOUR_MS + 60_000, 1)]);
    // 5 s left, 1 s of them kept to stop in (half the 2 s margin): not enough for the
    // ~5.4 s of 60 days of GETs.
    const deps = { ...quietIngestDeps(source, timed, now), remainingTimeMs: () => 5_000 - timed.elapsedMs };
    const summary = await runIngest(deps, { ...config, budgetMarginMs: 2_000 });

    expect(timed.elapsedMs).toBeLessThan(5_000);
    // Every hour that waited on the opening failed with it (its first write could not start).
    const messages = summary.failures.map((failure) => failure.message);
    expect(messages.length).toBeGreaterThan(0);
    for (const message of messages)
      expect(message).toMatch(
        /reading what they may have left \(\d+ objects\) began with 5 s of this run left and stopped after \d+ of them/,
      );
    expect((await verifyIntegrity(lake, 'acme')).unsealedHead).toMatchObject({ runId: 'repull-killed' });

    // A run with the time it needs reads them all and seals.
    const next = await runIngest(quietIngestDeps(source, lake, now + 60_000), config);
    expect(next.outcome).toBe('complete');
    expect((await verifyIntegrity(lake, 'acme')).unsealedHead).toBeNull();
  });
});

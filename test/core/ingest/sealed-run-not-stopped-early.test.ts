/**
 * A run that did all it had to do, sealed included, does not say it stopped early for want of
 * time. The budget's watch (it aborts the hours in flight near the run's end) stayed on while a
 * run with nothing to pull read a dead run's hours and sealed; once that opening had swept, the
 * watch's threshold grew by the time kept for the re-read before the seal (at least 1 s), and with
 * less than that left it fired: `stoppedEarly: 'time-budget'` on a run that sealed (review
 * R-SECOND2 L4). No hour is in flight after the pool, so the watch now ends there.
 */
import { expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import type { ObjectStore } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { lakeAfterDeadRepull } from '../../support/lake-after-dead-repull.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const hour = (h: number) => day0 + h * HOUR_MS;
const now = hour(6) + 30 * 60_000;
const config = { ...defaultIngestConfig('acme'), backfillDays: 1, concurrency: 1, budgetMarginMs: 0 };

it('a run with nothing to pull that seals a dead run with half a second left ends complete', async () => {
  const domo = new MemoryAuditSource(
    Array.from({ length: 36 }, (_, i) => viewEntry(day0 + i * 10 * 60_000, i)),
  );
  const lake = await lakeAfterDeadRepull(domo, config, now, hour(2));
  // Each read of a table object waits 30 ms of real time: the watch (every 10 ms with no margin)
  // looks at least once during the re-read before the seal, as it would on a slow store.
  const slow: ObjectStore = {
    location: lake.location,
    get: async (key) => {
      if (key.startsWith('activity_log/')) await new Promise((resolve) => setTimeout(resolve, 30));
      return lake.get(key);
    },
    list: (prefix, options) => lake.list(prefix, options),
    put: (key, body, options) => lake.put(key, body, options),
  };
  // Half a second left throughout: enough for every read (they stop at the hard stop, 0 here), less
  // than the second kept for the re-read once the opening has swept.
  const deps = { ...quietIngestDeps(domo, slow, now), remainingTimeMs: () => 500 };
  const summary = await runIngest(deps, config, { runId: 'sealer' });

  expect(summary.windowsPlanned).toBe(0);
  expect(summary.failures).toEqual([]);
  expect(summary.closedRuns?.map((run) => run.runId)).toEqual(['dead-repull']);
  expect(summary.stoppedEarly).toBeNull();
  expect(summary.outcome).toBe('complete');
  expect((await verifyIntegrity(lake, 'acme')).unsealedHead).toBeNull();
});

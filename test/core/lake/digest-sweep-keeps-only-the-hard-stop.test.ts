import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { activityKey } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import type { ObjectStore } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const hour = (h: number) => day0 + h * HOUR_MS;
const now = hour(6) + 30 * 60_000;
// A margin of 60 s: no hour starts with less left; hours in flight are aborted at 30 s.
const config = { ...defaultIngestConfig('acme'), backfillDays: 1, concurrency: 1, budgetMarginMs: 60_000 };

/** A lake whose last run, a re-pull of 00:00, died right after rewriting the hour (head unsealed). */
async function lakeAfterDeadRepull(domo: MemoryAuditSource): Promise<MemoryObjectStore> {
  const lake = new MemoryObjectStore();
  await runIngest(quietIngestDeps(domo, lake, now), config);
  domo.add(viewEntry(hour(0) + 1, 99));
  let dead = false;
  lake.beforePut = (key) => {
    if (dead) throw new Error('crash');
    if (key === activityKey('acme', hour(0))) dead = true;
  };
  await runIngest(quietIngestDeps(domo, lake, now), config, {
    range: { fromMs: hour(0), toMs: hour(1) },
  }).catch(() => undefined);
  lake.beforePut = undefined;
  return lake;
}

/**
 * The next run: once it has begun to store its first hour (the hour's object is read to merge
 * into), only `leftMs` are left when it comes to write. An hour is not begun below the hard stop,
 * so this is how a first write comes that late.
 */
async function runWithFirstWriteLeaving(domo: MemoryAuditSource, lake: MemoryObjectStore, leftMs: number) {
  let remainingMs = 600_000;
  const slowToStore: ObjectStore = {
    location: lake.location,
    list: (prefix) => lake.list(prefix),
    put: (key, body, options) => lake.put(key, body, options),
    get: async (key) => {
      if (key.startsWith('activity_log/')) remainingMs = Math.min(remainingMs, leftMs);
      return lake.get(key);
    },
  };
  return runIngest(
    { ...quietIngestDeps(domo, slowToStore, now + HOUR_MS), remainingTimeMs: () => remainingMs },
    config,
  );
}

describe('the sweep at a first write that comes late', () => {
  it('still runs with less than the margin left, above the hard stop, and the hours read are written', async () => {
    const domo = new MemoryAuditSource(
      Array.from({ length: 36 }, (_, i) => viewEntry(day0 + i * 10 * 60_000, i)),
    );
    const lake = await lakeAfterDeadRepull(domo);

    const summary = await runWithFirstWriteLeaving(domo, lake, 45_000);

    expect(summary.failures).toEqual([]);
    expect(summary.windowsDone).toBeGreaterThan(0);
    expect((await verifyIntegrity(lake, 'acme')).unsealedHead).toBeNull();
  });

  it('below the hard stop, says how much time was left and how far the sweep got', async () => {
    const domo = new MemoryAuditSource(
      Array.from({ length: 36 }, (_, i) => viewEntry(day0 + i * 10 * 60_000, i)),
    );
    const lake = await lakeAfterDeadRepull(domo);

    const summary = await runWithFirstWriteLeaving(domo, lake, 10_000);

    expect(summary.windowsDone).toBe(0);
    expect(summary.failures.map((failure) => failure.message)).toContainEqual(
      expect.stringMatching(
        // Out of time already, it stops before it lists the hours' objects.
        /reading what they may have left began with 10 s of this run left and stopped while listing them, after 0 objects listed, 10 s before its end \(a run stops reading when less than 30 s is left\)/,
      ),
    );
  });
});

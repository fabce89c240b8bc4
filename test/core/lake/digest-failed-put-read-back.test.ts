/**
 * After a put that answers an error the run reads the key back, and lists its write only when the
 * key holds exactly what it sent. Other bytes there are not its put's: the old version after a 5xx
 * that did not land, the winner's after a lost race, or a version someone wrote in between.
 * Listing the put then would supersede a version still current, hide a rollback to the winner, or
 * attest a forgery the retry merges into.
 */
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
import { forgeFirstRecord } from '../../support/six-hour-lake.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const hour = (h: number) => day0 + h * HOUR_MS;
const now = hour(6) + 30 * 60_000;
const config = { ...defaultIngestConfig('acme'), backfillDays: 1, concurrency: 1 };
const hourX = activityKey('acme', hour(2));
const base = () => Array.from({ length: 36 }, (_, i) => viewEntry(day0 + i * 10 * 60_000, i));
const repull = { range: { fromMs: hour(2), toMs: hour(3) } };

/** The lake, but `before` runs once just before the first put of hour 2. */
function beforeFirstPut(lake: MemoryObjectStore, before: () => Promise<void>): ObjectStore {
  let done = false;
  return {
    location: lake.location,
    get: (key) => lake.get(key),
    list: (prefix) => lake.list(prefix),
    put: async (key, body, options) => {
      if (key === hourX && !done) {
        done = true;
        await before();
      }
      return lake.put(key, body, options);
    },
  };
}

async function ingestedLake() {
  const domo = new MemoryAuditSource(base());
  const lake = new MemoryObjectStore();
  await runIngest(quietIngestDeps(domo, lake, now), config, { runId: 'scheduled-1' });
  return { domo, lake };
}

describe('the read-back after a put that answered an error', () => {
  it('a 500 that did not land: the untouched hour is not reported rolled back', async () => {
    const { domo, lake } = await ingestedLake();
    domo.add(viewEntry(hour(2) + 7 * 60_000 + 3, 500));
    const store = beforeFirstPut(lake, async () => {
      throw new Error('S3 PutObject failed with InternalError (HTTP 500)');
    });
    await runIngest(quietIngestDeps(domo, store, now), config, { runId: 'run-a', ...repull });
    for (const later of [1, 2]) {
      await runIngest(quietIngestDeps(domo, lake, now + later * HOUR_MS), config, {
        runId: `scheduled-${later + 1}`,
      });
    }
    expect((await verifyIntegrity(lake, 'acme')).problems).toEqual([]);
  });

  it("a lost race: a later rollback to the winner's bytes is still reported", async () => {
    const { lake } = await ingestedLake();
    const domoA = new MemoryAuditSource([...base(), viewEntry(hour(2) + 7 * 60_000 + 3, 500)]);
    const domoB = new MemoryAuditSource([...base(), viewEntry(hour(2) + 9 * 60_000 + 3, 501)]);
    let winner = new Uint8Array();
    const store = beforeFirstPut(lake, async () => {
      await runIngest(quietIngestDeps(domoB, lake, now), config, { runId: 'run-b', ...repull });
      winner = new Uint8Array(lake.objects.get(hourX)?.body ?? []);
    });
    await runIngest(quietIngestDeps(domoA, store, now), config, { runId: 'run-a', ...repull });
    lake.putNow(hourX, winner); // run A's event dropped
    expect((await verifyIntegrity(lake, 'acme')).problems.map((p) => `${p.kind} ${p.key}`)).toEqual([
      `rolled-back ${hourX}`,
    ]);
  });

  it('a forgery written between the run reading the hour and its put is still reported', async () => {
    const { domo, lake } = await ingestedLake();
    domo.add(viewEntry(hour(2) + 7 * 60_000 + 3, 500));
    const store = beforeFirstPut(lake, async () => {
      forgeFirstRecord(lake, hourX);
    });
    await runIngest(quietIngestDeps(domo, store, now), config, { runId: 'run-a', ...repull });
    await runIngest(quietIngestDeps(domo, lake, now + HOUR_MS), config, { runId: 'scheduled-2' });
    const report = await verifyIntegrity(lake, 'acme');
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.key)).toContain(hourX);
  });
});

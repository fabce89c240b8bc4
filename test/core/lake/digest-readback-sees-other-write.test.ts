import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { activityKey, HOUR_MS } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import type { ObjectStore } from '../../../functions/core/ports.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const hour = (h: number) => day0 + h * HOUR_MS;
const now = hour(6) + 30 * 60_000;
const config = { ...defaultIngestConfig('acme'), backfillDays: 1, concurrency: 1 };
const hourX = activityKey('acme', hour(2));

/**
 * A put that lands but answers an error, written over by another run before the read-back: the
 * read-back finds other bytes. The run lists what it sent as its write (bytes no one stored excuse
 * nothing) and seals, rather than leave its own bytes in no digest.
 */
describe('a landed put written over by another run before its read-back', () => {
  it('lists what it sent as its write: no change reported', async () => {
    const domo = new MemoryAuditSource(
      Array.from({ length: 36 }, (_, i) => viewEntry(day0 + i * 10 * 60_000, i)),
    );
    const lake = new MemoryObjectStore();
    await runIngest(quietIngestDeps(domo, lake, now), config, { runId: 'scheduled-1' });
    domo.add(viewEntry(hour(2) + 7 * 60_000 + 3, 500));

    let hit = false;
    const storeOfA: ObjectStore = {
      location: lake.location,
      get: (key) => lake.get(key),
      list: (prefix) => lake.list(prefix),
      put: async (key, body, options) => {
        const put = await lake.put(key, body, options);
        if (key === hourX && !hit) {
          hit = true;
          // The answer is lost; B (a re-pull beside A) reads A's bytes and writes over them.
          domo.add(viewEntry(hour(2) + 9 * 60_000 + 3, 501));
          await runIngest(quietIngestDeps(domo, lake, now), config, {
            runId: 'run-b',
            range: { fromMs: hour(2), toMs: hour(3) },
          });
          throw new Error('S3 PutObject failed with InternalError (HTTP 500)');
        }
        return put;
      },
    };
    await runIngest(quietIngestDeps(domo, storeOfA, now), config, {
      runId: 'run-a',
      range: { fromMs: hour(2), toMs: hour(3) },
    });
    const report = await verifyIntegrity(lake, 'acme');
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
  });
});

import type { IngestConfig } from '../../functions/core/ingest/ingest-types.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { activityKey } from '../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { type MemoryAuditSource, viewEntry } from './memory-audit-source.ts';
import { MemoryObjectStore } from './memory-store.ts';
import { quietIngestDeps } from './quiet-ingest-deps.ts';

/**
 * A lake ingested at `nowMs` whose chain ends with a re-pull of the hour at `hourMs` (run
 * `dead-repull`) that died after writing that hour's events: its digest is left open.
 */
export async function lakeAfterDeadRepull(
  domo: MemoryAuditSource,
  config: IngestConfig,
  nowMs: number,
  hourMs: number,
): Promise<MemoryObjectStore> {
  const lake = new MemoryObjectStore();
  await runIngest(quietIngestDeps(domo, lake, nowMs), config, { runId: 'scheduled-1' });
  // A new entry, so the re-pull writes the hour (an unchanged hour is not written again).
  domo.add(viewEntry(hourMs + 7 * 60_000 + 3, 500));
  let dead = false;
  lake.beforePut = (key) => {
    if (dead) throw new Error('run killed');
    if (key === activityKey(config.instance, hourMs)) dead = true;
  };
  await runIngest(quietIngestDeps(domo, lake, nowMs), config, {
    runId: 'dead-repull',
    range: { fromMs: hourMs, toMs: hourMs + HOUR_MS },
  }).catch(() => undefined);
  lake.beforePut = undefined;
  return lake;
}

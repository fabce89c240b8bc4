import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { coverageKey } from '../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { killedAfterPut, rewriteAsFirstVersion } from './first-version-chain.ts';
import { MemoryAuditSource, type MemoryEntry, viewEntry } from './memory-audit-source.ts';
import { MemoryObjectStore } from './memory-store.ts';
import { quietIngestDeps } from './quiet-ingest-deps.ts';

/** The day the lake of {@link lakeWithUnvouchedManifest} starts, instance `acme`. */
export const day0 = Date.parse('2026-10-01T00:00:00Z');
const hour = (h: number) => day0 + h * HOUR_MS;
const config = { ...defaultIngestConfig('acme'), backfillDays: 1, concurrency: 1 };

/**
 * A lake whose chain is of the first digest version, where a re-pull of `repulled` was killed right
 * after it rewrote the hour's manifest (nothing new to store: its events object is the first run's),
 * and a later scheduled run read that manifest while sweeping the killed run's hours. `change`
 * edits the lake before that sweep, as a forger would; `extra`: more entries Domo serves.
 */
export async function lakeWithUnvouchedManifest(
  repulled: number,
  change?: (lake: MemoryObjectStore) => Promise<void>,
  extra: readonly MemoryEntry[] = [],
): Promise<MemoryObjectStore> {
  // Hour 2 holds no event: it has a manifest and no events object.
  const entries = Array.from({ length: 48 }, (_, i) => day0 + i * 10 * 60_000)
    .filter((ms) => ms < hour(2) || ms >= hour(3))
    .map((ms, i) => viewEntry(ms, i));
  const domo = new MemoryAuditSource([...entries, ...extra]);
  const lake = new MemoryObjectStore();
  const now = hour(6) + 30 * 60_000;
  await runIngest(quietIngestDeps(domo, lake, now), config, { runId: 'first' });
  const killed = killedAfterPut(lake, coverageKey('acme', repulled));
  await runIngest(quietIngestDeps(domo, killed, now), config, {
    runId: 'killed',
    range: { fromMs: repulled, toMs: repulled + HOUR_MS },
  }).catch(() => undefined);
  await change?.(lake);
  await runIngest(quietIngestDeps(domo, lake, hour(7) + 30 * 60_000), config, { runId: 'next' });
  await rewriteAsFirstVersion(lake, 'acme');
  return lake;
}

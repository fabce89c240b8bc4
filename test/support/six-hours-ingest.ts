import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import type { DigestSigner } from '../../functions/core/lake/digest.ts';
import { type ObjectStore, silentLog } from '../../functions/core/ports.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from './memory-audit-source.ts';
import { noWaits } from './no-waits.ts';

/** The day the lake of {@link ingestSixHours} starts. */
export const SIX_HOURS_DAY0 = Date.parse('2026-10-01T00:00:00Z');

/**
 * A first ingest of instance `acme` into `store`, its clock at 06:00 on {@link SIX_HOURS_DAY0}:
 * twelve card views half an hour apart, so hours 00-05 hold two each, sealed in one digest (signed
 * by `digestSigner` when given).
 */
export async function ingestSixHours(store: ObjectStore, digestSigner?: DigestSigner): Promise<void> {
  const source = new MemoryAuditSource(
    Array.from({ length: 12 }, (_, i) => viewEntry(SIX_HOURS_DAY0 + i * 30 * 60_000, i)),
  );
  const deps = {
    ...noWaits,
    source,
    store,
    clock: { now: () => SIX_HOURS_DAY0 + 6 * HOUR_MS + 1 },
    log: silentLog,
    metrics: { count() {} },
    ...(digestSigner ? { digestSigner } : {}),
  };
  await runIngest(deps, { ...defaultIngestConfig('acme'), backfillDays: 1 });
}

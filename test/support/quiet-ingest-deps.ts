import type { AuditSource } from '../../functions/core/domo/audit-source.ts';
import type { IngestDeps } from '../../functions/core/ingest/ingest-types.ts';
import { type ObjectStore, silentLog } from '../../functions/core/ports.ts';
import { noWaits } from './no-waits.ts';

/** What a core ingest test needs to run: its source and store, a fixed now, no log, no metrics. */
export const quietIngestDeps = (source: AuditSource, store: ObjectStore, nowMs: number): IngestDeps => ({
  ...noWaits,
  source,
  store,
  clock: { now: () => nowMs },
  log: silentLog,
  metrics: { count: () => {} },
});

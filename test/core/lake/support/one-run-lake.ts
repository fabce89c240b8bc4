import { defaultIngestConfig } from '../../../../functions/core/ingest/ingest-config.ts';
import type { IngestConfig, IngestDeps } from '../../../../functions/core/ingest/ingest-types.ts';
import { runIngest } from '../../../../functions/core/ingest/run-ingest.ts';
import { HOUR_MS } from '../../../../functions/core/lake/layout.ts';
import { silentLog } from '../../../../functions/core/ports.ts';
import { MemoryAuditSource, viewEntry } from '../../../support/memory-audit-source.ts';
import { VersionedMemoryStore } from '../../../support/versioned-memory-store.ts';

export const DAY0 = Date.parse('2026-10-01T00:00:00Z');
export const oneDayConfig = (): IngestConfig => ({ ...defaultIngestConfig('acme'), backfillDays: 1 });

/**
 * A versioned lake of instance `acme` after one scheduled run at 06:30 over 18 events (one every
 * 20 minutes from DAY0), and what the next runs need: the source, the deps, and a clock to move.
 */
export async function lakeAfterOneRun() {
  const source = new MemoryAuditSource(
    Array.from({ length: 18 }, (_, i) => viewEntry(DAY0 + i * 20 * 60_000, i)),
  );
  const store = new VersionedMemoryStore();
  let clock = DAY0 + 6 * HOUR_MS + 30 * 60_000;
  const deps: IngestDeps = {
    source,
    store,
    clock: { now: () => clock },
    log: silentLog,
    metrics: { count() {} },
  };
  await runIngest(deps, oneDayConfig());
  return {
    source,
    store,
    deps,
    /** Moves the clock to `nowMs`. */
    setClock: (nowMs: number) => {
      clock = nowMs;
    },
  };
}

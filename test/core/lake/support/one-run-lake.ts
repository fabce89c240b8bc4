import { defaultIngestConfig } from '../../../../functions/core/ingest/ingest-config.ts';
import type { IngestConfig, IngestDeps } from '../../../../functions/core/ingest/ingest-types.ts';
import { runIngest } from '../../../../functions/core/ingest/run-ingest.ts';
import { silentLog } from '../../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../../support/memory-audit-source.ts';
import { noWaits } from '../../../support/no-waits.ts';
import { VersionedMemoryStore } from '../../../support/versioned-memory-store.ts';

export const DAY0 = Date.parse('2026-10-01T00:00:00Z');
/**
 * Without the later pull (later-pull.test.ts): the runs after this lake's first would also pull
 * once more, a day on, the backfill's hours it read less than a day after they ended.
 */
export const oneDayConfig = (): IngestConfig => ({
  ...defaultIngestConfig('acme'),
  backfillDays: 1,
  repullAfterHours: 0,
});

/**
 * A versioned lake of instance `acme` after one scheduled run at 06:30 over 18 events (one every
 * 20 minutes from DAY0; none in `emptyHour`), and what the next runs need: the source, the deps, and a clock to move.
 */
export async function lakeAfterOneRun(options: { emptyHour?: number } = {}) {
  // `emptyHour`: that hour's three events left out, so the run writes no events object for it.
  const at = (i: number) => DAY0 + i * 20 * 60_000;
  const source = new MemoryAuditSource(
    Array.from({ length: 18 }, (_, i) => i)
      .filter((i) => options.emptyHour === undefined || Math.floor(i / 3) !== options.emptyHour)
      .map((i) => viewEntry(at(i), i)),
  );
  const store = new VersionedMemoryStore();
  let clock = DAY0 + 6 * HOUR_MS + 30 * 60_000;
  const deps: IngestDeps = {
    ...noWaits,
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

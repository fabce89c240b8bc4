import type { AuditSource } from '../../functions/core/domo/audit-source.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import type { IngestConfig } from '../../functions/core/ingest/ingest-types.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { readCoverage } from '../../functions/core/lake/coverage.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { MemoryObjectStore } from './memory-store.ts';
import { quietIngestDeps } from './quiet-ingest-deps.ts';

/** Run options that read each hour alone, so each query names the one hour it pulls. */
export const ONE_HOUR_SPANS = { spanSizing: { targetEvents: 1, maxHours: 1 } };

/** Instance `acme` backfilling a day, one span at a time: the later-pull tests' lake. */
export const oneDayAcme = (over: Partial<IngestConfig> = {}): IngestConfig => ({
  ...defaultIngestConfig('acme'),
  backfillDays: 1,
  concurrency: 1,
  ...over,
});

/**
 * Re-pulls `hours` whole hours from `fromMs` for instance `acme`, one range read at a time and
 * each hour alone (no span of several), two days later: how a paging test sees each hour's
 * reads. `eventsIn(h)` is what hour `h`'s coverage manifest counted.
 */
export async function ingestHourByHour(source: AuditSource, fromMs: number, hours: number) {
  const store = new MemoryObjectStore();
  const summary = await runIngest(
    quietIngestDeps(source, store, fromMs + 2 * 24 * HOUR_MS),
    { ...defaultIngestConfig('acme'), concurrency: 1 },
    { range: { fromMs, toMs: fromMs + hours * HOUR_MS }, ...ONE_HOUR_SPANS },
  );
  const eventsIn = async (hour: number) =>
    (await readCoverage(store, 'acme', fromMs + hour * HOUR_MS))?.event_count;
  return { summary, store, eventsIn };
}

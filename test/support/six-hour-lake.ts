import { compileCategoryRules } from '../../functions/core/domo/category-rules.ts';
import { enrichLake } from '../../functions/core/geo/enrich-lake.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import type { IngestConfig, IngestDeps } from '../../functions/core/ingest/ingest-types.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import { activityKey } from '../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip, encodeNdjsonGzip } from '../../functions/core/lake/ndjson.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from './memory-audit-source.ts';
import { MemoryObjectStore } from './memory-store.ts';
import { quietIngestDeps } from './quiet-ingest-deps.ts';

/** The first hour of the small lake the integrity tests tamper with. */
export const SIX_HOUR_LAKE_START = Date.parse('2026-10-01T00:00:00Z');
/** When its ingest ran: its six hours are settled. */
export const SIX_HOUR_LAKE_NOW = SIX_HOUR_LAKE_START + 6 * HOUR_MS + 30 * 60_000;

/** Instance `acme` ingested on the memory store: 18 views, one every 20 minutes, over six hours. */
export async function sixHourLake(): Promise<MemoryObjectStore> {
  const store = new MemoryObjectStore();
  await runIngest(quietIngestDeps(sixHourSource(), store, SIX_HOUR_LAKE_NOW), sixHourConfig());
  return store;
}

/**
 * Every event of the six hours re-categorised as a login by `enrich` (no geo data): a recorded
 * rewrite of every hour, made at `nowIso`.
 */
export const recategoriseAllAsLogins = (store: MemoryObjectStore, nowIso = '2026-10-01T07:00:00.000Z') =>
  enrichLake(
    { store, geo: { version: 'geo@1', lookup: () => undefined } },
    {
      instance: 'acme',
      fromMs: SIX_HOUR_LAKE_START,
      toMs: SIX_HOUR_LAKE_START + 6 * HOUR_MS,
      categorize: compileCategoryRules([{ category: 'login', actionType: '.' }]),
      nowIso,
    },
  );

/** Changes the user name of the first record of `key` outside the ingest; the forged bytes. */
export function forgeFirstRecord(store: MemoryObjectStore, key: string): Uint8Array {
  const records = decodeNdjsonGzip(store.objects.get(key)?.body as Uint8Array) as EventRecord[];
  const forged = encodeNdjsonGzip(records.map((r, i) => (i === 0 ? { ...r, user_name: 'Mallory' } : r)));
  store.putNow(key, forged);
  return forged;
}

/** The six-hour lake's audit entries, as a source the test can add late entries to. */
export const sixHourSource = (): MemoryAuditSource =>
  new MemoryAuditSource(
    Array.from({ length: 18 }, (_, i) => viewEntry(SIX_HOUR_LAKE_START + i * 20 * 60_000, i)),
  );

/** The six-hour lake's ingest settings, with `overrides`. */
export const sixHourConfig = (overrides: Partial<IngestConfig> = {}): IngestConfig => ({
  ...defaultIngestConfig('acme'),
  backfillDays: 1,
  // Without the later pull (later-pull.test.ts): the runs after this lake's first would also pull
  // once more, a day on, the backfill's hours it read less than a day after they ended.
  repullAfterHours: 0,
  ...overrides,
});

/**
 * A range run over hours 0-2 (which no scheduled run pulls again) that dies right after rewriting
 * hour 1 with a late event: what it wrote after its last digest is in no digest, and the chain
 * ends unsealed. Returns hour 1's key.
 */
export async function deadRangeRun(
  deps: IngestDeps,
  source: MemoryAuditSource,
  lake: MemoryObjectStore,
): Promise<string> {
  const hour1 = activityKey('acme', SIX_HOUR_LAKE_START + HOUR_MS);
  source.add(viewEntry(SIX_HOUR_LAKE_START + HOUR_MS + 1, 99));
  let dead = false;
  lake.beforePut = (key) => {
    if (dead) throw new Error('crash');
    if (key === hour1) dead = true;
  };
  await runIngest(deps, sixHourConfig({ concurrency: 1 }), {
    range: { fromMs: SIX_HOUR_LAKE_START, toMs: SIX_HOUR_LAKE_START + 3 * HOUR_MS },
  });
  lake.beforePut = undefined;
  return hour1;
}

import { compileCategoryRules } from '../../functions/core/domo/category-rules.ts';
import { enrichLake } from '../../functions/core/geo/enrich-lake.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import { HOUR_MS } from '../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip, encodeNdjsonGzip } from '../../functions/core/lake/ndjson.ts';
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
  const source = new MemoryAuditSource(
    Array.from({ length: 18 }, (_, i) => viewEntry(SIX_HOUR_LAKE_START + i * 20 * 60_000, i)),
  );
  await runIngest(quietIngestDeps(source, store, SIX_HOUR_LAKE_NOW), {
    ...defaultIngestConfig('acme'),
    backfillDays: 1,
  });
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

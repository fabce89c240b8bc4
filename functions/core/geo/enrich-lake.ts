import { type UpdateDecision, updateConditionally } from '../lake/conditional-update.ts';
import { COVERAGE_CONTENT_TYPE, encodeCoverage, readStoredCoverage } from '../lake/coverage.ts';
import type { DigestSigner } from '../lake/digest.ts';
import { withDigests } from '../lake/digest-recorder.ts';
import type { EventRecord } from '../lake/event-record.ts';
import { activityKey, coverageKey, HOUR_MS } from '../lake/layout.ts';
import { decodeNdjsonGzip, encodeNdjsonGzip } from '../lake/ndjson.ts';
import type { GeoLookup, ObjectStore } from '../ports.ts';
import { type GeoColumns, GeoEnricher } from './geo-enrichment.ts';

export interface EnrichOptions {
  instance: string;
  /** Whole UTC hours, `[fromMs, toMs)`. */
  fromMs: number;
  toMs: number;
  /** Look every address up again, even in records already enriched with this database version. */
  force?: boolean;
  /** ISO time recorded in the coverage manifest of each rewritten hour. */
  nowIso: string;
  onHour?: (done: number, total: number) => void;
}

/**
 * What became of each hour of the range: every hour is counted in exactly one of `hoursRewritten`,
 * `hoursUpToDate`, `hoursWithoutEvents` and `hoursOutsideLake`, which add up to `hours`.
 */
export interface EnrichSummary {
  /** Hours in the range asked. */
  hours: number;
  /** Hours whose object was rewritten with fresh geo columns. */
  hoursRewritten: number;
  /** Hours with events, none of which needed new geo columns (already enriched with this version). */
  hoursUpToDate: number;
  /**
   * Hours the lake covers that hold no events: the hour's coverage manifest says it was pulled, and
   * no object (or an empty one) is stored.
   */
  hoursWithoutEvents: number;
  /**
   * Hours the lake does not cover (no object, no manifest): never pulled. Hours before the
   * checkpoint's watermark count here too when they precede the first backfill: every pulled hour
   * has its manifest, so the manifest, not the watermark, tells the two apart.
   */
  hoursOutsideLake: number;
  /** Records whose geo columns were (re)computed. */
  recordsEnriched: number;
  geoDbVersion: string;
}

const MAX_ATTEMPTS = 5;
const GEO_KEYS = ['ip_country', 'ip_asn', 'ip_org', 'geo_db_version'] as const;

/** An hour's object: records rewritten (how many changed), or why it was left alone. */
type HourOutcome = number | 'no-object' | 'no-events' | 'up-to-date';

const sameGeo = (record: Partial<GeoColumns>, columns: GeoColumns): boolean =>
  GEO_KEYS.every((key) => (record[key] ?? null) === columns[key]);

/** The records with fresh geo columns, and how many changed (records of other versions or none). */
function enrichRecords(
  records: readonly EventRecord[],
  enricher: GeoEnricher,
  version: string,
  force: boolean,
): { records: EventRecord[]; changed: number } {
  let changed = 0;
  const out = records.map((record) => {
    if (!force && record.geo_db_version === version) return record;
    const columns = enricher.columns(record.ip_address ?? null);
    if (sameGeo(record, columns)) return record;
    changed++;
    return { ...record, ...columns };
  });
  return { records: out, changed };
}

/**
 * Re-enriches stored hours (see {@link enrichHours}) and records each rewrite in the instance's
 * digest chain, so `verify --integrity` still passes afterwards.
 */
export async function enrichLake(
  deps: { store: ObjectStore; geo: GeoLookup; digestSigner?: DigestSigner },
  options: EnrichOptions,
): Promise<EnrichSummary> {
  const nowMs = Date.parse(options.nowIso);
  const recording = {
    instance: options.instance,
    runId: `enrich-${options.nowIso.replace(/[-:.]/g, '')}`,
    clock: { now: () => nowMs },
    signer: deps.digestSigner,
    fromMs: options.fromMs,
  };
  return withDigests(deps.store, recording, (store) => enrichHours({ store, geo: deps.geo }, options));
}

/**
 * Re-enriches stored hours in place: each hour's object is read, the geo columns of its records are
 * recomputed with the current database, and the object is rewritten conditionally (If-Match), so an
 * ingest writing the same hour at the same time is never lost (the update is decided again on a
 * fresh read). Event ids, count and order are unchanged; the hour's coverage manifest records the
 * database version and when. Hours already enriched with this version are left alone.
 */
async function enrichHours(
  deps: { store: ObjectStore; geo: GeoLookup },
  options: EnrichOptions,
): Promise<EnrichSummary> {
  const { store, geo } = deps;
  const enricher = new GeoEnricher(geo);
  const summary: EnrichSummary = {
    hours: 0,
    hoursRewritten: 0,
    hoursUpToDate: 0,
    hoursWithoutEvents: 0,
    hoursOutsideLake: 0,
    recordsEnriched: 0,
    geoDbVersion: geo.version,
  };
  const total = Math.max(0, Math.ceil((options.toMs - options.fromMs) / HOUR_MS));
  for (let hour = options.fromMs; hour < options.toMs; hour += HOUR_MS) {
    summary.hours++;
    const key = activityKey(options.instance, hour);
    const outcome = await updateConditionally(store, key, {
      read: async () => {
        const stored = await store.get(key);
        const records = stored
          ? (decodeNdjsonGzip(stored.body, `${store.location} ${key}`) as EventRecord[])
          : null;
        return { state: records, etag: stored?.etag ?? null };
      },
      decide: ({ state }): UpdateDecision<HourOutcome> => {
        if (state === null) return { write: false, result: 'no-object' };
        if (state.length === 0) return { write: false, result: 'no-events' };
        const result = enrichRecords(state, enricher, geo.version, options.force ?? false);
        if (result.changed === 0) return { write: false, result: 'up-to-date' };
        return {
          write: true,
          body: encodeNdjsonGzip(result.records),
          contentType: 'application/gzip',
          result: () => result.changed,
        };
      },
      maxAttempts: MAX_ATTEMPTS,
      giveUp: (n) => `enrich: ${key} kept changing under ${n} attempts; run enrich again for this hour`,
    });
    if (typeof outcome === 'number') {
      summary.hoursRewritten++;
      summary.recordsEnriched += outcome;
      await recordInCoverage(store, options.instance, hour, geo.version, options.nowIso);
    } else if (outcome === 'up-to-date') {
      summary.hoursUpToDate++;
      // A run that died between rewriting the hour and recording it left the manifest behind.
      await recordInCoverage(store, options.instance, hour, geo.version, options.nowIso, true);
    } else if (
      outcome === 'no-events' ||
      (await store.get(coverageKey(options.instance, hour))) !== undefined
    ) {
      summary.hoursWithoutEvents++;
    } else {
      summary.hoursOutsideLake++;
    }
    options.onHour?.(summary.hours, total);
  }
  return summary;
}

/** Notes the re-enrichment in the hour's coverage manifest (if the hour has one). */
async function recordInCoverage(
  store: ObjectStore,
  instance: string,
  hour: number,
  version: string,
  nowIso: string,
  onlyIfOlder = false,
): Promise<void> {
  await updateConditionally(store, coverageKey(instance, hour), {
    read: async () => {
      const stored = await readStoredCoverage(store, instance, hour);
      return { state: stored?.manifest ?? null, etag: stored?.etag ?? null };
    },
    decide: ({ state }) =>
      state === null || (onlyIfOlder && state.geo_db_version === version)
        ? { write: false, result: undefined }
        : {
            write: true,
            body: encodeCoverage({ ...state, geo_db_version: version, enriched_at: nowIso }),
            contentType: COVERAGE_CONTENT_TYPE,
            result: () => undefined,
          },
    maxAttempts: MAX_ATTEMPTS,
    giveUp: (n) =>
      `enrich: the coverage manifest of ${new Date(hour).toISOString()} kept changing under ${n} attempts`,
  });
}

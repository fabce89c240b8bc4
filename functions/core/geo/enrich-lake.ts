import type { Categorizer } from '../domo/category-rules.ts';
import type { EventCategory } from '../domo/event-category.ts';
import { type UpdateDecision, updateConditionally } from '../lake/conditional-update.ts';
import { COVERAGE_CONTENT_TYPE, encodeCoverage, storedCoverageOf } from '../lake/coverage.ts';
import type { DigestSigner } from '../lake/digest.ts';
import { withDigests } from '../lake/digest-recorder.ts';
import type { DigestRunner } from '../lake/digest-runner.ts';
import type { EventRecord } from '../lake/event-record.ts';
import { activityKey, coverageKey, quarantineKey } from '../lake/layout.ts';
import { holdsLoneSurrogate, wellFormedRecord } from '../lake/lone-surrogates.ts';
import { decodeNdjsonGzip, encodeNdjsonGzipAsync } from '../lake/ndjson.ts';
import type { GeoLookup, ObjectStore } from '../ports.ts';
import { HOUR_MS } from '../time-units.ts';
import { hasNewerLookupRules, isNewerGeoVersion } from './geo-db-version.ts';
import { type GeoColumns, GeoEnricher } from './geo-enrichment.ts';

interface EnrichOptions {
  instance: string;
  /** Whole UTC hours, `[fromMs, toMs)`. */
  fromMs: number;
  toMs: number;
  /**
   * Look every address up again, even in records already enriched with this database version, and
   * let the answer win over a record placed by a newer database or one this database cannot place.
   */
  force?: boolean;
  /**
   * Derive every record's `category` again with these rules (from its action_type, event_text and
   * object_type, as ingest does). Absent, categories are left as stored: a run for the geo columns
   * must not undo the rules the lake was ingested with.
   */
  categorize?: Categorizer;
  /** ISO time recorded in the coverage manifest of each rewritten hour. */
  nowIso: string;
  onHour?: (done: number, total: number) => void;
  /**
   * Once aborted, the run stops before its next hour (the one in hand is finished): the hours done
   * stay, and the digest chain is sealed over them, so an interrupted run leaves a lake that
   * verifies, and the same run again finishes the rest.
   */
  interrupt?: AbortSignal;
}

/**
 * What became of each hour of the range: every hour is counted in exactly one of `hoursRewritten`,
 * `hoursUpToDate`, `hoursKept`, `hoursWithoutEvents` and `hoursOutsideLake`, which add up to `hours`.
 */
export interface EnrichSummary {
  /** Hours of the range the run went through: every one, unless it was interrupted. */
  hours: number;
  /** Interrupted: the first hour it did not reach; it and those after it are left as they were. */
  stoppedBeforeMs?: number;
  /** Hours whose object was rewritten with fresh geo columns or categories, or lone surrogates replaced. */
  hoursRewritten: number;
  /**
   * Hours with events, none of which needed new geo columns (already enriched with this version)
   * or, when rules were given, a new category, and none of which held a lone surrogate.
   */
  hoursUpToDate: number;
  /**
   * Hours with events left as they were although some of their records are not this database's
   * answer: kept (`recordsKeptPlaced`, `recordsLeftNewer`), the rest up to date. Not up to date:
   * an enrich from a stale checkout counted every hour newer data had placed as such (review R-GEO L5).
   */
  hoursKept: number;
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
  /** Records whose geo columns changed (and were rewritten). */
  recordsEnriched: number;
  /** Records whose category changed (and were rewritten); present only when rules were given. */
  recordsRecategorised?: number;
  /**
   * Records stored before the ingest replaced lone surrogates (half an emoji from a Domo string),
   * rewritten with U+FFFD for each: DuckDB refuses a whole file that holds one.
   */
  recordsRepaired: number;
  /**
   * Records with an address looked up in the database: those not enriched with this database
   * version yet or left unplaced by it, or (with `force`) every one. Those whose answer was the same are left as they were.
   */
  recordsLookedUp: number;
  /**
   * Records placed in a country by another database that this one leaves unplaced, kept as they
   * were (without `force`): a database that cannot place an address it once placed is more likely
   * damaged or partial than right, and a null would hide that the address was ever placed. Not
   * those placed by older lookup rules: their place may be the old rules' mistake.
   */
  recordsKeptPlaced: number;
  /**
   * Records placed by a database newer than this one (an enrich from a stale checkout), left as
   * they were unless `force`: rewriting them would roll their places back.
   */
  recordsLeftNewer: number;
  geoDbVersion: string;
}

const MAX_ATTEMPTS = 5;
const GEO_KEYS = ['ip_country', 'ip_asn', 'ip_org', 'geo_db_version'] as const;

/** Records of a rewritten hour whose geo columns, and whose category, changed. */
interface HourChanges {
  enriched: number;
  recategorised: number;
  repaired: number;
}

/** Records of an hour whose geo columns were left as they were, and why (see {@link EnrichSummary}). */
interface HourKept {
  keptPlaced: number;
  leftNewer: number;
}

/** Why a record's geo columns stay although they are not this database's (without `force`). */
type Kept = 'placed' | 'newer' | undefined;

/** An hour's object: rewritten (what changed), or why it was left alone. */
type HourOutcome = HourChanges | 'no-object' | 'no-events' | 'up-to-date' | 'kept';

/** What every hour of a run is enriched with. */
interface HourRun {
  store: ObjectStore;
  enricher: GeoEnricher;
  version: string;
  options: EnrichOptions;
  /** Whether a stored version is newer than this run's, by version: asked once a record otherwise. */
  newer: Map<string, boolean>;
}

function isNewer(run: HourRun, stored: string): boolean {
  let newer = run.newer.get(stored);
  if (newer === undefined) {
    newer = isNewerGeoVersion(stored, run.version);
    run.newer.set(stored, newer);
  }
  return newer;
}

const sameGeo = (record: Partial<GeoColumns>, columns: GeoColumns): boolean =>
  GEO_KEYS.every((key) => (record[key] ?? null) === columns[key]);

/**
 * Whether the record was placed with this database and needs no look-up. An address looked up and
 * left unplaced is looked up again: the rules that read an address grow (forwarded-for lists,
 * IPv4-mapped spellings), and a record an older version left unplaced with the same database is
 * placed by the current ones (a look-up cached per address, per run). Since the version names the
 * lookup rules (`+rules@N`), one placed by older rules is another version and is looked up again
 * too; one placed elsewhere by rules older than the tag with the same data (6to4 and Teredo at
 * their relay) is another version now as well.
 */
const placedWith = (record: EventRecord, version: string): boolean =>
  record.geo_db_version === version && (record.ip_country != null || record.ip_address == null);

/**
 * Whether the run's lookup rules are newer than those that placed the record: a place the current
 * lookup cannot make is then the old rules' answer (`[3001::1]:443, 104.16.0.1` placed at the
 * proxy by rules 1, its client now read and not in the data), not one a damaged database lost,
 * and it is taken away. Only for older rules: a place of older data under the same rules is kept,
 * as before. (The damaged database that rule guards against is the checksum's to catch now.)
 */
const placedByOlderRules = (record: EventRecord, run: HourRun): boolean =>
  hasNewerLookupRules(run.version, record.geo_db_version ?? '');

/**
 * The record's geo columns afresh, or undefined when they stay; `lookedUp` when an address was;
 * `kept` when they stay although they are not this database's answer (without `force`).
 */
function freshGeo(
  record: EventRecord,
  run: HourRun,
): { columns: GeoColumns | undefined; lookedUp: boolean; kept?: Kept } {
  const force = run.options.force === true;
  if (!force && placedWith(record, run.version)) return { columns: undefined, lookedUp: false };
  const stored = record.geo_db_version;
  if (!force && stored != null && isNewer(run, stored)) {
    return { columns: undefined, lookedUp: false, kept: 'newer' };
  }
  const address = record.ip_address ?? null;
  const columns = run.enricher.columns(address);
  const lookedUp = address !== null;
  if (
    !force &&
    record.ip_country != null &&
    columns.ip_country === null &&
    !placedByOlderRules(record, run)
  ) {
    return { columns: undefined, lookedUp, kept: 'placed' };
  }
  return { columns: sameGeo(record, columns) ? undefined : columns, lookedUp };
}

/** The record's category by the run's rules, or undefined when it stays (or no rules were given). */
function freshCategory(record: EventRecord, categorize: Categorizer | undefined): EventCategory | undefined {
  if (!categorize) return undefined;
  const category = categorize({
    actionType: record.action_type,
    eventText: record.event_text,
    objectType: record.object_type,
  });
  return category === record.category ? undefined : category;
}

function countKept(kept: HourKept, why: Kept): void {
  if (why === 'placed') kept.keptPlaced++;
  else if (why === 'newer') kept.leftNewer++;
}

/**
 * The records with fresh geo columns (and categories, when rules were given), how many changed
 * (geo: records of other versions or none), and how many addresses were looked up to know.
 */
function enrichRecords(
  records: readonly EventRecord[],
  run: HourRun,
): { records: EventRecord[]; changes: HourChanges; lookedUp: number; kept: HourKept } {
  const changes: HourChanges = { enriched: 0, recategorised: 0, repaired: 0 };
  const kept: HourKept = { keptPlaced: 0, leftNewer: 0 };
  let lookedUp = 0;
  const out = records.map((stored) => {
    // Not the ingest's hot path: every record is looked at, whatever its text.
    const repaired = holdsLoneSurrogate(stored);
    const record = repaired ? wellFormedRecord(stored) : stored;
    const geo = freshGeo(record, run);
    const category = freshCategory(record, run.options.categorize);
    if (geo.lookedUp) lookedUp++;
    countKept(kept, geo.kept);
    if (geo.columns) changes.enriched++;
    if (category) changes.recategorised++;
    if (repaired) changes.repaired++;
    if (!geo.columns && !category) return record;
    return { ...record, ...geo.columns, ...(category ? { category } : {}) };
  });
  return { records: out, changes, lookedUp, kept };
}

/**
 * Re-enriches stored hours (see {@link enrichHours}) and records each rewrite in the instance's
 * digest chain, so `verify --integrity` still passes afterwards.
 */
export async function enrichLake(
  deps: { store: ObjectStore; geo: GeoLookup; digestSigner?: DigestSigner; runner?: DigestRunner },
  options: EnrichOptions,
): Promise<EnrichSummary> {
  const nowMs = Date.parse(options.nowIso);
  const recording = {
    instance: options.instance,
    runId: `enrich-${options.nowIso.replace(/[-:.]/g, '')}`,
    clock: { now: () => nowMs },
    signer: deps.digestSigner,
    ...(deps.runner ? { runner: deps.runner } : {}),
    // The hours it rewrites (each hour's object and manifest, nothing else): should it die, the
    // next run reads these back, and no hour after them is excused as maybe its write.
    fromMs: options.fromMs,
    toMs: options.toMs,
  };
  return withDigests(deps.store, recording, (store) => enrichHours({ store, geo: deps.geo }, options));
}

/**
 * Re-enriches stored hours in place: each hour's object is read, the geo columns of its records are
 * recomputed with the current database (and their categories with the given rules, if any: a
 * re-pull cannot change them, since a stored record wins a merge), and the object is rewritten conditionally (If-Match), so an
 * ingest writing the same hour at the same time is never lost (the update is decided again on a
 * fresh read). Event ids, count and order are unchanged; the hour's coverage manifest records the
 * database version and when (a rewrite for categories alone notes it too: every rewrite is noted).
 * Hours whose records need no change (already enriched with this version, or with `force` looked up
 * again to the same answer, no category that differs, no lone surrogate) are left alone: nothing is written,
 * so a run that changes nothing adds nothing to the digest chain either.
 */
async function enrichHours(
  deps: { store: ObjectStore; geo: GeoLookup },
  options: EnrichOptions,
): Promise<EnrichSummary> {
  const { store, geo } = deps;
  const run: HourRun = {
    store,
    enricher: new GeoEnricher(geo),
    version: geo.version,
    options,
    newer: new Map(),
  };
  const summary: EnrichSummary = {
    hours: 0,
    hoursRewritten: 0,
    hoursUpToDate: 0,
    hoursKept: 0,
    hoursWithoutEvents: 0,
    hoursOutsideLake: 0,
    recordsEnriched: 0,
    recordsLookedUp: 0,
    recordsRepaired: 0,
    recordsKeptPlaced: 0,
    recordsLeftNewer: 0,
    ...(options.categorize ? { recordsRecategorised: 0 } : {}),
    geoDbVersion: geo.version,
  };
  const total = Math.max(0, Math.ceil((options.toMs - options.fromMs) / HOUR_MS));
  for (let hour = options.fromMs; hour < options.toMs; hour += HOUR_MS) {
    if (options.interrupt?.aborted) {
      summary.stoppedBeforeMs = hour;
      break;
    }
    summary.hours++;
    const { outcome, lookedUp, kept } = await enrichHour(run, hour);
    summary.recordsLookedUp += lookedUp;
    summary.recordsKeptPlaced += kept.keptPlaced;
    summary.recordsLeftNewer += kept.leftNewer;
    const quarantineRepaired = await repairQuarantine(run, hour);
    summary.recordsRepaired += quarantineRepaired;
    if (typeof outcome === 'object') addRewrite(summary, outcome);
    else if (quarantineRepaired > 0) summary.hoursRewritten++;
    else await countUnwritten(summary, outcome, () => store.get(coverageKey(options.instance, hour)));
    options.onHour?.(summary.hours, total);
  }
  return summary;
}

/**
 * Counts an hour nothing was written for, by why: its manifest is read only for an hour without an
 * object, to tell a pulled hour without events from one never pulled.
 */
async function countUnwritten(
  summary: EnrichSummary,
  outcome: Exclude<HourOutcome, HourChanges>,
  manifest: () => Promise<unknown>,
): Promise<void> {
  if (outcome === 'up-to-date') summary.hoursUpToDate++;
  else if (outcome === 'kept') summary.hoursKept++;
  else if (outcome === 'no-events' || (await manifest()) !== undefined) summary.hoursWithoutEvents++;
  else summary.hoursOutsideLake++;
}

/** Counts an hour whose event file was rewritten, with what changed in it. */
function addRewrite(summary: EnrichSummary, changes: HourChanges): void {
  summary.hoursRewritten++;
  summary.recordsEnriched += changes.enriched;
  summary.recordsRepaired += changes.repaired;
  if (summary.recordsRecategorised !== undefined) summary.recordsRecategorised += changes.recategorised;
}

/**
 * One hour: rewritten when a record's geo columns change, its coverage manifest noted first. In
 * that order, a run that dies between the two leaves a note on an hour not yet rewritten, which
 * the next run rewrites (and notes again); the other order would leave a rewritten hour that no
 * later run notes, since its records are then up to date.
 */
async function enrichHour(
  run: HourRun,
  hour: number,
): Promise<{ outcome: HourOutcome; lookedUp: number; kept: HourKept }> {
  const { store, options } = run;
  const key = activityKey(options.instance, hour);
  // Of the last decision: a rewrite decided again after a lost race looks the addresses up again.
  let lookedUp = 0;
  let kept: HourKept = { keptPlaced: 0, leftNewer: 0 };
  const outcome = await updateConditionally(store, key, {
    stateOf: (stored) =>
      stored ? (decodeNdjsonGzip(stored.body, `${store.location} ${key}`) as EventRecord[]) : null,
    decide: async ({ state }): Promise<UpdateDecision<HourOutcome>> => {
      if (state === null) return { write: false, result: 'no-object' };
      if (state.length === 0) return { write: false, result: 'no-events' };
      const result = enrichRecords(state, run);
      lookedUp = result.lookedUp;
      kept = result.kept;
      const { changes } = result;
      if (changes.enriched + changes.recategorised + changes.repaired === 0)
        return { write: false, result: kept.keptPlaced + kept.leftNewer > 0 ? 'kept' : 'up-to-date' };
      await recordInCoverage(store, options.instance, hour, run.version, options.nowIso);
      return {
        write: true,
        body: await encodeNdjsonGzipAsync(result.records),
        contentType: 'application/gzip',
        result: () => changes,
      };
    },
    maxAttempts: MAX_ATTEMPTS,
    giveUp: (n) => `enrich: ${key} kept changing under ${n} attempts; run enrich again for this hour`,
  });
  return { outcome, lookedUp, kept };
}

/**
 * The hour's quarantine object written again when a record holds a lone surrogate (as the ingest
 * wrote them before it stored U+FFFD, or quoted in a reason: DuckDB refuses the whole file); the
 * records repaired. Nothing else in it changes (no geo columns), and a re-pull never rewrites it.
 */
async function repairQuarantine(run: HourRun, hour: number): Promise<number> {
  const { store, options } = run;
  const key = quarantineKey(options.instance, hour);
  return updateConditionally(store, key, {
    stateOf: (stored) =>
      stored ? (decodeNdjsonGzip(stored.body, `${store.location} ${key}`) as object[]) : null,
    decide: async ({ state }): Promise<UpdateDecision<number>> => {
      const repaired = state?.filter(holdsLoneSurrogate).length ?? 0;
      if (state === null || repaired === 0) return { write: false, result: 0 };
      // Noted first, as every rewrite of enrich is.
      await recordInCoverage(store, options.instance, hour, run.version, options.nowIso);
      return {
        write: true,
        body: await encodeNdjsonGzipAsync(state.map(wellFormedRecord)),
        contentType: 'application/gzip',
        result: () => repaired,
      };
    },
    maxAttempts: MAX_ATTEMPTS,
    giveUp: (n) => `enrich: ${key} kept changing under ${n} attempts; run enrich again for this hour`,
  });
}

/**
 * Notes the re-enrichment in the hour's coverage manifest (if the hour has one), unless this run
 * already did (a rewrite decided again after a lost race).
 */
async function recordInCoverage(
  store: ObjectStore,
  instance: string,
  hour: number,
  version: string,
  nowIso: string,
): Promise<void> {
  await updateConditionally(store, coverageKey(instance, hour), {
    stateOf: (found) => storedCoverageOf(store, instance, hour, found)?.manifest ?? null,
    decide: ({ state }) =>
      state === null || (state.geo_db_version === version && state.enriched_at === nowIso)
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

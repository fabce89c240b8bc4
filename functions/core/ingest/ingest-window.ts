import { type AuditSource, MAX_PAGE_SIZE } from '../domo/audit-source.ts';
import type { Categorizer } from '../domo/category-rules.ts';
import { enricherFor } from '../geo/geo-enrichment.ts';
import { isNoAddress } from '../geo/ip-address.ts';
import { updateConditionally } from '../lake/conditional-update.ts';
import { contentHashOf } from '../lake/content-hash.ts';
import {
  COVERAGE_CONTENT_TYPE,
  encodeCoverage,
  readStoredCoverage,
  storedCoverageOf,
} from '../lake/coverage.ts';
import type { CoverageManifest } from '../lake/coverage-manifest.ts';
import { deleteGuardNote } from '../lake/delete-guard-note.ts';
import type { EventRecord } from '../lake/event-record.ts';
import { activityKey, coverageKey, lakeTimestamp, quarantineKey } from '../lake/layout.ts';
import { listAhead } from '../lake/lists-writes-ahead.ts';
import { type MergeOptions, type MergeResult, mergeIntoObject, plannedMerge } from '../lake/merge-write.ts';
import { decodeNdjsonGzip } from '../lake/ndjson.ts';
import { reasonKind } from '../lake/quarantine-reason-kind.ts';
import type { QuarantineRecord } from '../lake/quarantine-record.ts';
import { twinsOf, twinsWarned } from '../lake/twin-entries.ts';
import type { Clock, GeoLookup, Log, MetricSink, ObjectStore, StoredObject } from '../ports.ts';
import { HOUR_MS } from '../time-units.ts';
import { storedElsewhereAndChanged } from './changed-in-value.ts';
import type { EventBudget } from './event-budget.ts';
import { askedBounds } from './fetch-range.ts';
import { fetchSpanInParts, type HourEntries } from './fetch-span.ts';
import { type FieldGapCounts, shapeChangeNote } from './field-gaps.ts';
import { INGEST_METRICS } from './ingest-metrics.ts';
import type { IngestConfig } from './ingest-types.ts';
import {
  compareEvents,
  compareQuarantine,
  type HourWindow,
  type NormalisedWindow,
  normaliseWindow,
} from './normalise-window.ts';
import type { LargestPage } from './page-end.ts';
import type { JudgedGaps, QuietHoursBefore } from './quiet-hours-before.ts';
import { DEFAULT_SPAN_SIZING, type Span, type SpanSizing, spanHours, spanPageBudget } from './span-plan.ts';

const MAX_MANIFEST_ATTEMPTS = 5;

export interface WindowRun {
  source: AuditSource;
  store: ObjectStore;
  config: IngestConfig;
  categorize: Categorizer;
  /** IP -> country and network owner; each lookup's per-address cache lives as long as the lookup. */
  geo?: GeoLookup;
  runId: string;
  /** ISO time of the run, written as provenance. */
  nowIso: string;
  signal?: AbortSignal;
  /** The clock each read of Domo is timed on: it is given at most `config.maxReadMs` on it. */
  clock?: Clock;
  /**
   * Called before each hour is stored: throws when the time left is too short to store another
   * hour (the run's hard stop). Without it only an abort of `signal` already made stops the storing.
   */
  checkTime?: () => void;
  /** The largest page this client has been served, shared by every span of the run. */
  largestPage?: LargestPage;
  /**
   * Asked when a read's entries pass `config.maxHeldChars`: a larger ceiling it may go on to at
   * once (the span alone in the run's read room), else undefined and the read fails as too heavy.
   */
  widenRead?: () => number | undefined;
  /** Default DEFAULT_SPAN_SIZING. */
  spanSizing?: SpanSizing;
  /** The run's judge of its hours' shape, shared by its spans (quiet-hours-before.ts). */
  quietHoursBefore: QuietHoursBefore;
  /** Where ShapeChangedHours is counted, an hour as it is judged (the run's metrics). */
  metrics?: MetricSink;
  /** Where a shape change of Domo's entries is logged (field-gaps.ts). */
  log?: Log;
  /** Told of it too (IngestDeps.onShapeChange). */
  onShapeChange?: (note: string) => void;
  /**
   * Entries an hour is expected to hold when a span starts (the busiest hour seen so far), or
   * undefined: a busy hour is then split before its first page rather than once it proves full.
   */
  expectedPerHour?: () => number | undefined;
  /** Whether no hour of the run before `fromMs` is unfinished (see `FetchSpanOptions.oldestFirst`). */
  oldestFirst?: (fromMs: number) => boolean;
  /**
   * Whether the span starting at `startMs` is a later pull: its requests then wait for a slot of
   * Domo's pace until no read of the run's own hours does (see {@link servedLast}).
   */
  laterPull?: (startMs: number) => boolean;
  /**
   * Hours of all spans being stored at once (a share of 1 each); none: no limit. Storing an hour
   * holds its records, its NDJSON bytes and their gzip besides its entries, several times the
   * entries' memory for a busy hour, while the work itself only needs one hour per core.
   */
  hoursStoring?: EventBudget;
}

export interface WindowResult {
  windowStartMs: number;
  /** Events stored for the window after this pull. */
  eventCount: number;
  /** Events this pull added to the lake. */
  eventsAdded: number;
  /** Of those, events a previous complete pull of this window had not seen. */
  lateEvents: number;
  /**
   * When there are late events: how long after the hour's end Domo had still not served them, at
   * least (see {@link lateByAtLeastMs}); null when there are none.
   */
  lateByAtLeastMs: number | null;
  /**
   * Of those, events with an IP address stored without geo columns (the run had no geo lookup); a
   * text without a dot or a colon (`unknown`, `-`) names no address and is not counted.
   */
  unplaced: number;
  quarantinedAdded: number;
  outOfRange: number;
  pages: number;
  requests: number;
  /**
   * Events this pull stored again as Domo changed a value of theirs (changed-in-value.ts), and
   * entries it left out as events it stored in another shape of the hour (`reshaped`).
   */
  changedInValue: number;
  reshaped: number;
  /** Events the hour holds that are identical twins of another (ids ending `-k`: lake/twin-entries.ts). */
  twinEntries: number;
  /** Whether the hour's twins are many enough to warn of (lake/twin-entries.ts `twinsWarned`). */
  twinsWarned: boolean;
  /** What the hour's entries lacked (judged, a quiet hour's with others', by quiet-hours-before.ts). */
  fieldGaps: FieldGapCounts;
  /** Of the entries this pull quarantined, how many per kind of reason (`reasonKind`). */
  quarantineReasons: ReadonlyMap<string, number>;
}

/**
 * Pulls a span of hours completely (one paging sequence for all of them, see `fetchSpan`) and makes
 * the lake hold each hour: events merged into the hour's object, bad entries into its quarantine
 * object, then the coverage manifest that marks the hour complete, hour after hour in order;
 * `onHour` hears of each stored hour at once. Every step is idempotent, so a crash between any two
 * of them is repaired by pulling the hours again. The pages and requests of each part read (the
 * span, or each half a busy span was split into) are counted on the part's first hour (they cannot
 * be told apart per hour).
 *
 * Each part is stored before the next is read, and a stored hour's entries are let go at once;
 * `onHeld` hears how many fetched entries the span still holds, as each part arrives and after
 * each stored hour. `onRead` hears, once the span is read through and before its last part is
 * stored, the entries of its busiest hour and whether its times were zone-less strings: from then
 * on the span sends no request.
 *
 * Once the run is aborted no further hour is stored and the span returns without error: its hours
 * left are unfinished, not failed (see {@link RunAbortedBeforeHour}).
 */
/**
 * Pages a span of several hours may take before it proves too full and is read in pieces. The span
 * holding the run's oldest unfinished hour (when the run reads those first: `oldestFirst`) takes
 * {@link OLDEST_SPAN_PAGES}: its pages past them serve hours the watermark cannot pass yet, which
 * a run out of time leaves for the next run to read again (review R-ONCALL H1: each run spent 8
 * pages of a day's span before it read an hour that moved the watermark).
 */
function pagesPerSpan(run: WindowRun, span: Span): number {
  const budget = spanPageBudget(run.spanSizing ?? DEFAULT_SPAN_SIZING, MAX_PAGE_SIZE);
  return run.oldestFirst?.(span.startMs) === true ? Math.min(budget, OLDEST_SPAN_PAGES) : budget;
}

/** Pages of the span holding the oldest unfinished hour before it reads its hours oldest first. */
const OLDEST_SPAN_PAGES = 2;

export async function ingestSpan(
  run: WindowRun,
  span: Span,
  onHour: (result: WindowResult) => void,
  onHeld: (entries: number) => void = () => {},
  onRead: (busiestHour: number, zoneless: boolean) => void = () => {},
): Promise<void> {
  const { config } = run;
  const options = {
    docTimeZone: config.docTimeZone,
    maxPagesPerHour: config.maxPagesPerRange,
    maxHeldChars: config.maxHeldChars,
    ...(run.widenRead ? { widen: run.widenRead } : {}),
    maxPagesPerSpan: pagesPerSpan(run, span),
    expectedPerHour: run.expectedPerHour?.(),
    ...(run.largestPage ? { largestPage: run.largestPage } : {}),
    ...(run.clock ? { clock: run.clock } : {}),
    ...(config.maxReadMs ? { maxReadMs: config.maxReadMs } : {}),
    ...(run.oldestFirst ? { oldestFirst: run.oldestFirst } : {}),
    // A signal of the span's own that follows the run's: the span's waits (its token, pacer and
    // retry waits, requests) listen on it, not on the run's, where sixteen spans waiting for one
    // token request made Node warn of a leak in a healthy run. `any` adds no listener to the run's.
    ...(run.signal ? { signal: AbortSignal.any([run.signal]) } : {}),
  };
  let busiestHour = 0;
  let zoneless = false;
  let handedOver = 0;
  run.quietHoursBefore.pulls(span);
  // Each part read (the span, or the halves it was split into) is stored before the next is read.
  await untilRunAborted(
    fetchSpanInParts(servedLast(run, span), span, options, async (part) => {
      const hours = part.hours;
      let held = hours.reduce((sum, hour) => sum + hour.entries.length, 0);
      onHeld(held);
      for (const hour of hours) busiestHour = Math.max(busiestHour, hour.entries.length);
      zoneless ||= part.zoneless;
      // Parts come in any order (newest first after a span proved too full): the span is read
      // through once every hour of it was handed over.
      handedOver += hours.length;
      if (handedOver >= spanHours(span)) onRead(busiestHour, zoneless);
      for (let i = 0; i < hours.length; i++) {
        const entries = (hours[i] as HourEntries).entries.length;
        const traffic = i === 0 ? part : { pages: 0, requests: 0 };
        const slot = await run.hoursStoring?.take(1);
        let result: WindowResult;
        try {
          stopIfOutOfTime(run);
          result = await storeHour(run, normaliseTaken(run, hours, i), traffic);
        } finally {
          slot?.release();
        }
        held -= entries;
        onHeld(held);
        onHour(result);
      }
    }),
  ).finally(() => run.quietHoursBefore.ended(span));
}

/**
 * The source a span reads from: a later pull's requests come after every read of the run's own
 * hours waiting for a slot of Domo's pace. Its hours lie before the watermark and move none, but
 * asking for older times they came first (oldest-first-limiter.ts): a catch-up whose later pulls
 * fell due spent a short run's requests on them, and the watermark stood still for runs.
 */
function servedLast(run: WindowRun, span: Span): AuditSource {
  if (run.laterPull?.(span.startMs) !== true) return run.source;
  return { fetchPage: (query, signal) => run.source.fetchPage(query, signal, Number.POSITIVE_INFINITY) };
}

/**
 * Leaves a span once the run was aborted, before its next hour is stored. The abort's reason is
 * not this span's failure: the time budget or the caller stopped the run, or another part of it
 * failed and was recorded there (a checkpoint write, a configuration error). The hours of the
 * span read fine but not stored are unfinished, not failed: the next run pulls them again.
 */
class RunAbortedBeforeHour extends Error {}

async function untilRunAborted(pulling: Promise<void>): Promise<void> {
  try {
    await pulling;
  } catch (error) {
    if (!(error instanceof RunAbortedBeforeHour)) throw error;
  }
}

/**
 * Past the hard stop no further hour of a span is stored: a long span's hours, several writes
 * each, would otherwise carry the run past its deadline (the hard stop only aborted its requests).
 * They are not finished, so the watermark stops before them (and lookback hours stay in the next
 * run's lookback): the next run pulls them again. Throws the time budget's error, or
 * {@link RunAbortedBeforeHour} when the run was aborted (for whatever reason).
 */
function stopIfOutOfTime(run: WindowRun): void {
  run.checkTime?.();
  if (run.signal?.aborted) throw new RunAbortedBeforeHour('the run was aborted before this hour was stored');
}

/** An hour's entries turned into records, and the window they were judged for. */
interface NormalisedHour {
  window: HourWindow;
  normalised: NormalisedWindow;
}

/**
 * Normalises hour `i` of a part and takes its entries out of the part: from here on only its
 * records are held. The entries are the bulk of what the ingest holds (parsed, and their texts):
 * kept while the hour's writes wait on storage and gzip, every other span's work meanwhile moves
 * them into V8's old generation, to be copied and marked there.
 */
function normaliseTaken(run: WindowRun, hours: HourEntries[], i: number): NormalisedHour {
  const hour = hours[i] as HourEntries;
  hours[i] = { ...hour, entries: [] };
  const { config } = run;
  const window = { startMs: hour.startMs, endMs: hour.startMs + HOUR_MS };
  // The bounds fetchRange asked: one ms early and up to the end inclusive (Domo's bounds are
  // undocumented); neighbours' entries that come back are left to their own hour.
  const asked = askedBounds(hour.requested.startMs, hour.requested.endMs);
  const normalised = normaliseWindow(hour.entries, window, {
    categorize: run.categorize,
    docTimeZone: config.docTimeZone,
    ingestedAt: run.nowIso,
    runId: run.runId,
    requestedStartMs: asked.startMs,
    requestedEndMs: asked.endMs,
    ...(hour.unconfirmed ? { unconfirmed: hour.unconfirmed } : {}),
    ...(run.geo ? { geo: enricherFor(run.geo) } : {}),
  });
  return { window, normalised };
}

/** Stores one normalised hour of a fetched span: its events, its quarantined entries, then its manifest. */
async function storeHour(
  run: WindowRun,
  { window, normalised }: NormalisedHour,
  fetched: { pages: number; requests: number },
): Promise<WindowResult> {
  const { config, store } = run;

  const previous = await readStoredCoverage(store, config.instance, window.startMs);
  const eventsKey = activityKey(config.instance, window.startMs);
  // Events of this pull that are stored ones with a value Domo changed since: stored again, not
  // late (changed-in-value.ts). Set by the merge's latest plan (a lost race plans again).
  const shape = { changed: 0, reshaped: 0 };
  const eventOptions = {
    idOf: (record: EventRecord) => record.event_id,
    compare: compareEvents,
    storedElsewhere: (stored: readonly EventRecord[], incoming: readonly EventRecord[]) => {
      const found = storedElsewhereAndChanged(stored, incoming);
      shape.changed = found.changed;
      shape.reshaped = found.reshaped;
      return found.matched;
    },
  };
  // An entry quarantined by an earlier pull (a wrong docTimeZone, a limit since raised) and stored
  // as an event of this hour now has the same id in both: it is no longer set aside. So is one
  // whose event is stored under another id (Domo serves it in another shape now).
  const quarantineOptions = (eventIds: ReadonlySet<string>) => ({
    idOf: (record: QuarantineRecord) => record.quarantine_id,
    compare: compareQuarantine,
    drop: (record: QuarantineRecord) => eventIds.has(record.quarantine_id),
  });
  const quarantineAt = quarantineKey(config.instance, window.startMs);
  // Read before the events are written: with it the manifest is built, and listed in the digest
  // chain, before the events' write, which then carries both (one digest append an hour, not two).
  const quarantineRead = { found: await store.get(quarantineAt) };
  const pull = {
    window,
    fetched,
    outOfRange: normalised.outOfRange,
    fieldGaps: normalised.fieldGaps,
    shape,
    run,
  };
  let ahead: ManifestAhead | undefined;
  const events = await mergeIntoObject(store, eventsKey, normalised.records, {
    ...eventOptions,
    beforeWrite: (planned) => {
      ahead = manifestAhead(store, previous?.manifest, planned, quarantineRead.found, {
        ...pull,
        quarantined: normalised.quarantined,
        quarantineOptions,
      });
    },
  });
  // Checked before the quarantine is touched: a failed hour changes nothing but its events.
  if (previous && events.after < previous.manifest.event_count) {
    throw new HourShrunkError(eventsKey, previous.manifest, events.after, store.location);
  }
  // Always merged (an empty batch only reads): a quarantine object may exist from an interrupted pull.
  const quarantine = await mergeIntoObject(store, quarantineAt, normalised.quarantined, {
    ...quarantineOptions(servedAsEvents(events)),
    read: quarantineRead,
  });
  const lateEvents = lateEventsOf(previous?.manifest, events, quarantine, shape.changed);

  // The manifest describes what is stored, and another pull of this hour may be writing too: write
  // it conditionally, and on a lost race count the stored objects again and build on the winner's.
  const storedNow = async (found: StoredObject | undefined): Promise<StoredWindow> => {
    const nowEvents = await mergeIntoObject(store, eventsKey, [], eventOptions);
    const nowQuarantine = await mergeIntoObject(
      store,
      quarantineKey(config.instance, window.startMs),
      [],
      quarantineOptions(nowEvents.ids),
    );
    return {
      events: nowEvents.ids,
      eventCount: nowEvents.after,
      quarantined: nowQuarantine.after,
      previous: storedCoverageOf(store, config.instance, window.startMs, found)?.manifest,
    };
  };
  const initial: StoredWindow = {
    events: events.ids,
    eventCount: events.after,
    quarantined: quarantine.after,
    previous: previous?.manifest,
  };
  // The manifest listed ahead holds exactly this state (the same merges, the same counts): its
  // bytes, not built again (sorting the hour's ids for its content hash).
  const listed =
    ahead?.events === events && ahead.quarantined === quarantine.after && ahead.lateEvents === lateEvents
      ? ahead.body
      : undefined;
  await updateConditionally(store, coverageKey(config.instance, window.startMs), {
    maxAttempts: MAX_MANIFEST_ATTEMPTS,
    stateOf: storedNow,
    initial: { state: initial, etag: previous?.etag ?? null },
    decide: ({ state }) => ({
      write: true,
      body:
        state === initial && listed !== undefined
          ? listed
          : encodeCoverage(manifestOf(state, { ...pull, lateEvents })),
      contentType: COVERAGE_CONTENT_TYPE,
      result: () => undefined,
    }),
    giveUp: (attempts) =>
      `gave up writing the coverage manifest of ${lakeTimestamp(window.startMs)} after ${attempts} attempts: other pulls of this hour kept writing it. Rerun; if it persists, check that only one ingest runs per instance.`,
  });
  await run.quietHoursBefore.stored(window.startMs, normalised.fieldGaps, (judged) =>
    run.metrics?.count(INGEST_METRICS.shapeChangedHours, warnOfShapeChange(run, judged) ? 1 : 0),
  );

  const twins = twinsOf(events.ids);
  return {
    windowStartMs: window.startMs,
    eventCount: events.after,
    eventsAdded: events.added.length,
    lateEvents,
    lateByAtLeastMs:
      lateEvents > 0 && previous ? lateByAtLeastMs(previous.manifest, window, run.nowIso) : null,
    unplaced: run.geo ? 0 : events.added.filter(hasAddress).length,
    quarantinedAdded: quarantine.added.length,
    outOfRange: normalised.outOfRange,
    pages: fetched.pages,
    requests: fetched.requests,
    changedInValue: shape.changed,
    reshaped: shape.reshaped,
    twinEntries: twins,
    twinsWarned: twinsWarned(twins, events.after),
    fieldGaps: normalised.fieldGaps,
    quarantineReasons: reasonsOf(quarantine.added),
  };
}

/** Of the quarantined entries, how many per kind of reason. */
function reasonsOf(added: readonly QuarantineRecord[]): ReadonlyMap<string, number> {
  const kinds = new Map<string, number>();
  for (const record of added) {
    const kind = reasonKind(record.reason);
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  return kinds;
}

/**
 * How late, at least, Domo served the late events a pull found: they were not in the hour's last
 * complete pull, so Domo served them after that pull began (its `fetched_at`, the start of its
 * run), which is this long after the hour's end. Only a lower bound is known: when between that
 * pull and this one they appeared, nothing records (the hour is pulled again once an hour), and
 * this pull's time would overstate it by up to the time between the two pulls, days after an
 * outage. Measured from the hour's end, not its first pull, so that it reads as how late Domo was
 * and compares with the lookback's reach (the hour's end + settle + lookbackHours). When an
 * overlapping run's pull began after this one's and wrote the manifest, its start is a valid bound
 * too (that pull began no earlier and did not see the events); this run's own start is taken
 * instead because it is the earlier of the two: the more conservative bound.
 */
function lateByAtLeastMs(previous: CoverageManifest, window: HourWindow, nowIso: string): number | null {
  const pulledMs = Math.min(Date.parse(previous.fetched_at), Date.parse(nowIso));
  return Number.isFinite(pulledMs) ? Math.max(0, pulledMs - window.endMs) : null;
}

/**
 * Whether an event names an address a geo database could place: not `unknown`, `-` or `""`, which
 * name none (isNoAddress; data_health.sql counts them among the logins without an
 * address, not the unplaced ones), so that the summary asks no enrich that would place nothing.
 */
const hasAddress = (record: EventRecord): boolean =>
  record.ip_address !== null && !isNoAddress(record.ip_address);

/** The ids of the events this pull served and the hour holds: those stored, and those stored under another id. */
function servedAsEvents(events: MergeResult<EventRecord>): ReadonlySet<string> {
  if (events.storedElsewhere.length === 0) return events.ids;
  return new Set([...events.ids, ...events.storedElsewhere.map((record) => record.event_id)]);
}

/**
 * Late: events Domo had not served when the hour was last stored. Not late: entries taken out of
 * quarantine (in the lake all along, only set aside), nor events put back after they were removed
 * from the object (its manifest had counted them).
 */
function lateEventsOf(
  previous: CoverageManifest | undefined,
  events: MergeResult<EventRecord>,
  quarantine: MergeResult<QuarantineRecord>,
  changedInValue: number,
): number {
  if (!previous) return 0;
  const released = new Set(quarantine.dropped.map((record) => record.quarantine_id));
  return Math.max(
    0,
    Math.min(
      events.added.filter((record) => !released.has(record.event_id)).length,
      Math.max(0, events.after - previous.event_count),
    ) - changedInValue,
  );
}

/** An hour's manifest built before its events are written, and what it was built on. */
interface ManifestAhead {
  events: MergeResult<EventRecord>;
  quarantined: number;
  lateEvents: number;
  body: Uint8Array;
}

/**
 * Builds the manifest the hour will have once `events` (a write decided, not yet made) and its
 * quarantine's merge land, and lists it in the run's digest chain ahead of the events' write
 * ({@link listAhead}): the append that write waits for then lists both. Nothing for an hour that
 * will fail as shrunk. Should the quarantine be written, or a race change the merges, the manifest
 * written differs and is listed on its own.
 */
function manifestAhead(
  store: ObjectStore,
  previous: CoverageManifest | undefined,
  events: MergeResult<EventRecord>,
  quarantineFound: StoredObject | undefined,
  pull: Omit<ThisPull, 'lateEvents'> & {
    quarantined: readonly QuarantineRecord[];
    quarantineOptions: (eventIds: ReadonlySet<string>) => MergeOptions<QuarantineRecord>;
  },
): ManifestAhead | undefined {
  if (previous && events.after < previous.event_count) return undefined;
  let stored: QuarantineRecord[] = [];
  try {
    if (quarantineFound) stored = decodeNdjsonGzip(quarantineFound.body, '') as QuarantineRecord[];
  } catch {
    // The quarantine's own merge fails on it, after the events' write, as it always did.
    return undefined;
  }
  const quarantine = plannedMerge(stored, pull.quarantined, pull.quarantineOptions(servedAsEvents(events)));
  const state = { events: events.ids, eventCount: events.after, quarantined: quarantine.after, previous };
  const lateEvents = lateEventsOf(previous, events, quarantine, pull.shape.changed);
  const body = encodeCoverage(manifestOf(state, { ...pull, lateEvents }));
  listAhead(store, coverageKey(pull.run.config.instance, pull.window.startMs), body);
  return { events, quarantined: quarantine.after, lateEvents, body };
}

/**
 * An hour holds fewer events than its manifest counted: they were removed from the lake (merges
 * never remove), and Domo did not serve them all back. Rewriting the manifest would mark the hour
 * complete with less than it had, so the hour fails instead and the manifest keeps the count.
 */
class HourShrunkError extends Error {
  /** `location`: the lake's (on S3, removing the manifest takes a principal the delete guard names). */
  constructor(key: string, manifest: CoverageManifest, holds: number, location: string) {
    super(
      `${key} holds ${holds} events but its coverage manifest (run ${manifest.run_id}, ${manifest.fetched_at}) ` +
        `counted ${manifest.event_count}: events were removed from the lake since, and Domo no longer serves ` +
        'them all. The manifest is left as it was. If they were removed by mistake, restore the removed ' +
        'version of the object (it stays as a noncurrent version); if on purpose (stray copies of events), ' +
        `remove the coverage manifest too${deleteGuardNote(location)}, so that no version of it is ` +
        'current: an hour without one is stored afresh. Then pull the hour again.',
    );
    this.name = 'HourShrunkError';
  }
}

/** What the lake holds for a window, which its manifest describes. */
interface StoredWindow {
  events: ReadonlySet<string>;
  eventCount: number;
  quarantined: number;
  previous: CoverageManifest | undefined;
}

interface ThisPull {
  window: HourWindow;
  fetched: { pages: number; requests: number };
  outOfRange: number;
  fieldGaps: FieldGapCounts;
  /**
   * Events of this pull stored again as Domo changed a value of theirs, and those left out as
   * stored in another shape of the hour (changed-in-value.ts).
   */
  shape: { changed: number; reshaped: number };
  lateEvents: number;
  run: WindowRun;
}

function manifestOf(stored: StoredWindow, pull: ThisPull): CoverageManifest {
  const { window, fetched, run, lateEvents } = pull;
  const { previous } = stored;
  return {
    window_start_ms: window.startMs,
    window_end_ms: window.endMs,
    window_start: lakeTimestamp(window.startMs),
    event_count: stored.eventCount,
    quarantined_count: stored.quarantined,
    out_of_window_count: pull.outOfRange,
    pages: fetched.pages,
    requests: fetched.requests,
    content_hash: contentHashOf(stored.events),
    fetch_count: (previous?.fetch_count ?? 0) + 1,
    late_events: lateEvents,
    late_events_total: (previous?.late_events_total ?? 0) + lateEvents,
    first_fetched_at: previous?.first_fetched_at ?? run.nowIso,
    fetched_at: run.nowIso,
    code_version: run.config.codeVersion,
    run_id: run.runId,
    ...enrichNote(previous),
    ...pull.fieldGaps,
    ...(pull.shape.changed > 0 ? { changed_in_value: pull.shape.changed } : {}),
    ...(pull.shape.reshaped > 0 ? { reshaped: pull.shape.reshaped } : {}),
    ...twinsNote(stored.events),
  };
}

/** The hour's twins, when it holds any (`twin_entries`). */
function twinsNote(ids: ReadonlySet<string>): Partial<CoverageManifest> {
  const twins = twinsOf(ids);
  return twins > 0 ? { twin_entries: twins } : {};
}

/**
 * Runs that have said so already (by run id: each span has its own copy of the run's settings):
 * once a run, the manifests count every hour. A few ids a process, of runs that met a change.
 */
const warnedOfShape = new Set<string>();

/**
 * Warns, once a run, of an hour whose entries mostly lack a watched field (field-gaps.ts); whether
 * this hour's (or the quiet hours summed with it) do.
 */
function warnOfShapeChange(run: WindowRun, judged: JudgedGaps): boolean {
  const { label, windowStartMs, gaps } = judged;
  const note = shapeChangeNote(label, gaps);
  if (note === undefined) return false;
  if (warnedOfShape.has(run.runId)) return true;
  warnedOfShape.add(run.runId);
  run.log?.warn(note, { window: lakeTimestamp(windowStartMs), ...gaps });
  run.onShapeChange?.(note);
  return true;
}

/**
 * The note of the hour's last `enrich`, kept through later pulls: they keep the stored records as
 * they are (a stored record wins a merge), so it stays true. Dropped, the next `enrich` would find
 * the hour up to date and never note it again.
 */
function enrichNote(previous: CoverageManifest | undefined): Partial<CoverageManifest> {
  if (previous?.geo_db_version === undefined) return {};
  return {
    geo_db_version: previous.geo_db_version,
    ...(previous.enriched_at === undefined ? {} : { enriched_at: previous.enriched_at }),
  };
}

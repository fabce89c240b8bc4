import type { AgedOut } from './aged-out.ts';
import type { RunnerSeen } from './digest-runners-seen.ts';
import type { HoursNotFinal } from './hours-not-final.ts';
import type { IngestBehind } from './ingest-behind.ts';
import type { IntegrityReport } from './integrity-report.ts';
import type { RunInProgress, StoppedRun } from './runs-in-progress.ts';
import type { SigningKeySeen } from './signing-key-seen.ts';
import type { VerifyClip } from './verify-range.ts';
import type { LakeBegan } from './whole-lake-range.ts';

export interface VerifyReport {
  instance: string;
  fromMs: number | null;
  toMs: number | null;
  windowsExpected: number;
  windowsCovered: number;
  /**
   * Hours with no coverage manifest, merged into ranges `[fromMs, toMs)`; not those a run in
   * progress is pulling ({@link beingWritten}).
   */
  gaps: { fromMs: number; toMs: number }[];
  /**
   * Covered hours a scheduled run still pulls again (the lookback, the later pull, the hours from
   * the watermark on), which late events may still change: expected, not a failure. Absent: none.
   */
  notFinal?: HoursNotFinal;
  /** Hours before the checkpoint's watermark that are not covered: a broken promise, never expected. */
  uncoveredBelowWatermark: number;
  /**
   * Of {@link uncoveredBelowWatermark} (those in the lake, not before its first hour), the hours a
   * run following the checkpoint pulls again (its held hour, lookback or later pull: `status`'s
   * rule, hours-repulled.ts), and when the last of them is pulled at the latest: the first run
   * from `lastFromMs` on (the watermark: the next run). Still gaps. Absent: none.
   */
  repulledBelowWatermark?: { hourCount: number; lastFromMs: number };
  /**
   * Of {@link uncoveredBelowWatermark}, the hours no run goes back for that the operator's note
   * (`state/instance=<i>/skipped-hours.json`, skipped-hours.ts) names as skipped on purpose, with
   * its reasons: `status` names them and exits 0; still gaps here. Absent: none.
   */
  skippedBelowWatermark?: { hourCount: number; reasons: string[] };
  /**
   * Hours checked that the operator's note of hours skipped names but that have a manifest now
   * (skipped-hours.ts `skippedButCovered`): the note is stale or too wide, and a later loss in its
   * span would be taken for the skip. Told, not a failure. Absent: none.
   */
  skippedButCovered?: { hourCount: number; fromMs: number; toMs: number };
  /**
   * Of {@link uncoveredBelowWatermark}, the hours the operator's note names as skipped whose
   * manifest the digest chain lists (skipped-hours-stored.ts): stored once, so lost by a deletion,
   * not skipped, and not counted in {@link skippedBelowWatermark}. `hours`: the first 24 of them,
   * oldest first. Absent: none.
   */
  skippedButStored?: { hourCount: number; hours: number[] };
  /**
   * Of {@link uncoveredBelowWatermark}, the hours no run goes back for that a span of the
   * operator's note names but had not ended when it says it was written (`written_at`): lost
   * after it, so not the skip it records (`status`'s `hours.skippedAfterWritten`). `hours`: the
   * first 24 of them, oldest first. Absent: none.
   */
  skippedAfterWritten?: { hourCount: number; hours: number[] };
  /**
   * Hours of a range asked for that lie before the lake begins (its first covered hour, or the
   * earlier start its own records give: {@link wholeLakeRange}), merged into one span. They are
   * gaps all the same (in {@link gaps}, and they fail the check): a re-pull before the lake's
   * first run, deleted since, looks the same. Absent: none.
   */
  beforeLake?: { fromMs: number; toMs: number; lakeFromMs: number; hours: number };
  /**
   * Hours with an activity object but no manifest: an interrupted pull the next run repairs (those
   * of {@link beingWritten} are counted there instead).
   */
  interruptedWindows: number;
  /**
   * A verify without a range only: hours before the first hour it checks (the lake's start; every
   * hour when no hour is covered yet) whose events or quarantine object is listed but no manifest
   * lies anywhere before that start: a pull interrupted between its objects and its manifest (an
   * ingest of older history, or a first run), or one still running. Queries read them all the
   * same; a re-pull of those hours repairs them, so, as {@link interruptedWindows}, not a failure.
   * Absent: none. Counted from the listing the check makes anyway (no read more).
   */
  heldBeforeLake?: HeldBeforeLakeHours;
  /**
   * Hours in the span checked whose quarantine object is listed but neither a manifest nor an
   * events object: a pull interrupted between its quarantine object and its manifest (an hour whose
   * every entry was set aside writes no events object), or the object was planted. The hour is a
   * gap all the same; this says what it holds, and the range a re-pull takes. Not a failure, as
   * {@link interruptedWindows}; an hour a run in progress pulls ({@link beingWritten}) is not
   * counted. Absent: none. Counted from the listing the check makes anyway (no read more).
   */
  quarantineOnly?: QuarantineOnlyHours;
  /**
   * A verify without a range, given `nowMs`, only: hours after the last hour it checks (the later of
   * the last covered hour and the watermark) and before the first hour not begun, holding events
   * or quarantined entries but no manifest, that no ingest run in progress pulls: a pull
   * interrupted between its objects and their manifests, or objects planted. Queries read them all
   * the same; the next ingest repairs them, so, as {@link heldBeforeLake}, not a failure. Absent:
   * none. Counted from the listing the check makes anyway; the end of the digest chain and the
   * last-run record are read only when there are such hours (once, with {@link beingWritten}'s).
   */
  heldAfterLake?: HeldAfterLake;
  /**
   * Of the hours after the last hour checked holding objects but no manifest, those of the current
   * hour (begun, not ended): no ingest pulls an hour before it has closed, so their objects were put
   * there some other way (a copy, a restore, an ingest on a machine whose clock is ahead). Not in
   * {@link heldAfterLake}, nor taken for a run's; not a failure, as those are not. Absent: none.
   */
  heldNotEnded?: HeldBeforeLake;
  /**
   * Those hours that an ingest run in progress pulls ({@link runsInProgress}): it writes an hour's
   * objects before its manifest, so a run always leaves some while it runs. Not a failure.
   */
  afterLakeBeingWritten?: HeldBeforeLake & { runs: RunInProgress[] };
  /**
   * Set when hours that are not covered are ones an ingest run in progress pulls: the digest chain
   * ends in its open digest, written within 15 minutes of now, whose hours include them
   * (runs-in-progress.ts; before the watermark too: a re-pull of older history). A run reads
   * several spans of hours at once, so later hours get their manifests before earlier ones: those
   * hours are not gaps, and do not fail the check.
   * Only with `nowMs` (`VerifyLakeOptions`, verify-lake.ts).
   */
  beingWritten?: {
    /** The runs pulling them (their newest digest, and when they wrote it). */
    runs: RunInProgress[];
    /** The hours, merged into ranges `[fromMs, toMs)`. */
    hours: { fromMs: number; toMs: number }[];
    hourCount: number;
    /** Of those, hours that hold events but no manifest yet (the run's pull between its two writes). */
    withEventsOnly: number;
  };
  /**
   * Runs that would read as pulling hours not covered (in {@link gaps} or {@link heldAfterLake}),
   * but whose process is known to be gone (`VerifyLakeOptions.runProcesses`): they failed or
   * were killed without recording their end, so their hours are gaps. Absent: none.
   */
  stoppedRuns?: StoppedRun[];
  events: number;
  /**
   * Ids stored twice: in one hour's object, or in two hours' objects (see ACROSS_HOURS_MS,
   * recent-ids.ts).
   */
  duplicateIds: number;
  /** Of those, the ids also stored in another hour within a day: an entry placed in two hours. */
  duplicateIdsAcrossHours: number;
  /**
   * Where the first {@link MAX_LISTED} of those are: the hour of the further copy, its id, and the
   * other hour holding it (none: twice in the same hour).
   */
  duplicates: { windowStartMs: number; eventId: string; alsoAtMs?: number }[];
  /**
   * Ids stored in two hours whose times are exactly an hour apart, read from a zone-less time string:
   * identical entries in the two occurrences of the hour that repeats as clocks go back, which share
   * an id by design (docs/ingest.md). Not in `duplicateIds`, and not a failure.
   */
  repeatedHourTwins: number;
  /**
   * Events that say what another event of their hour says, at the same millisecond, from another
   * entry: one event Domo served in two shapes, stored twice by older code (see
   * copies-in-another-shape.ts). Informational: not a failure, as the ids differ.
   */
  copiesInAnotherShape: number;
  /**
   * Hours whose manifest counts a watched field missing from more than half of its entries, of 10
   * or more; a quiet hour counts when it and the hours before it, summed to 10 entries, do (`hours`:
   * how many, up to this one), as the ingest judged it (lake/hour-shape-judgement.ts): Domo's entry
   * shape may have changed, leaving
   * columns the tables read empty. `listed`: the first {@link MAX_LISTED}, with the fields and the
   * keys no column reads.
   * Informational, not a failure: the events are stored as served. Absent when no hour has one.
   */
  fieldGaps?: {
    count: number;
    listed: {
      windowStartMs: number;
      entriesRead: number;
      missing: { field: string; count: number }[];
      unread: Record<string, number>;
      hours?: number;
    }[];
  };
  /**
   * Hours whose manifest counts identical twins at more than a tenth of their events, at least 5
   * (`twin_entries`, lake/twin-entries.ts): Domo may be serving rows twice, which doubles every
   * count of the hour. `listed`: the first {@link MAX_LISTED}. Informational, not a failure: twins
   * are stored as distinct events by design. Absent when no hour has them.
   */
  twinHours?: { count: number; listed: { windowStartMs: number; twins: number; events: number }[] };
  /** Records stored under a window or date partition their time does not belong to. */
  misplacedRecords: number;
  /**
   * Events that disagree with their `raw` entry (event-from-raw.ts): the id is not its hash, or a
   * column read from it holds something else (`what`: `id`, `raw` when it is no entry, or the
   * column): the row was rewritten after the ingest stored it. `listed`: the first few, by hour.
   * Absent where no event disagrees.
   */
  rowsNotFromRaw?: { count: number; listed: { windowStartMs: number; eventId: string; what: string }[] };
  /**
   * Events stored before a column read from the entry existed (no key for it): not compared on it
   * (event-from-raw.ts); queries read NULL there, and the value is in `raw`. `columns`: those
   * columns. Not a failure: a key removed from a stored event changes its bytes, which the digest
   * chain checks. Absent when every event has every column.
   */
  eventsBeforeColumns?: { count: number; columns: string[] };
  /**
   * Hours whose manifest disagrees with the stored objects: the events' count or content hash, or
   * fewer quarantined entries than it counts, or any where it counts none (first {@link MAX_LISTED}).
   */
  manifestMismatches: { windowStartMs: number; detail: string }[];
  /**
   * Hours whose object holds the manifest's events and more, added by later pulls (whole pulls'
   * records, never the manifest's own run's): a pull in progress, or one interrupted before it
   * rewrote the manifest. Nothing is lost, so they do not fail the check (like `interruptedWindows`).
   */
  grownPastManifest: { windowStartMs: number; detail: string }[];
  quarantined: number;
  quarantineReasons: { reason: string; count: number }[];
  outOfWindow: number;
  lateEventsTotal: number;
  watermarkMs: number | null;
  /**
   * The hour the checkpoint keeps below the watermark for the next run (its `retry_from_ms`):
   * hours from it on that are not covered are pulled again by the next ingest. Null: none.
   */
  heldFromMs: number | null;
  /**
   * Set when the range asked for reached past the newest hour that can be pulled: the check
   * stopped at its end (`toMs`), and this holds the end asked for (see verify-range.ts).
   */
  clipped?: VerifyClip;
  /**
   * Set when a `retention.maxDays` the check took (the operator's, or the one the signed digests
   * state) left hours out: those before `beforeMs` may have aged out by that policy, and were not
   * checked (aged-out.ts).
   */
  agedOut?: AgedOut;
  /**
   * Set when the check failed, took no bound, the digests it walked (if any) state none, and the
   * lake's last scheduled run recorded a `retention.maxDays`: that unsigned record's value,
   * offered as a bound to check by, not taken.
   */
  agedOutHint?: number;
  /**
   * Set when the lake's last scheduled run recorded a `retention.maxDays` other than the latest one
   * the signed digests walked state: both values. The record is unsigned; it is never taken.
   */
  agedOutDisagreement?: { record: number; digests: number };
  /**
   * Set (and the check failed) when the watermark lies in the future, past the tolerance the ingest
   * and `status` allow: the checkpoint vouches for hours that cannot be in the lake, and the
   * scheduled ingest refuses to run. Hours past the current one's start are not checked.
   */
  watermarkAhead?: true;
  /**
   * Set when the check ran on to the lake's end and the watermark is late, or the range starts at
   * or after it: the hours no ingest has pulled are not checked (they do not fail it).
   */
  ingestBehind?: IngestBehind;
  /**
   * The hours' objects that were read but are not what they should be (not gzip, not JSON, a
   * manifest with a field missing), the first {@link MAX_LISTED}: each is reported and the check
   * goes on. An object that cannot be read at all (a GET refused) still ends the check.
   */
  unreadable: { key: string; detail: string }[];
  /** How many objects were unreadable, listed or not. */
  unreadableCount: number;
  /**
   * Keys in the instance's table folders (of any day when no range was asked for; else of the
   * range's days, of days holding an hour not begun, or of no day) that are no hour object of the
   * lake (another name, another suffix, a date not its folder's), the first {@link MAX_LISTED}: queries
   * may read them (Athena any name not starting "_" or ".", DuckDB any .ndjson.gz or .json), so their
   * rows would count beside the lake's.
   */
  foreignKeys: string[];
  /** How many such keys there are, listed or not. */
  foreignKeyCount: number;
  /**
   * The quarantine table's `instance=` folders of instances that have no events, manifest or
   * checkpoint folder (each also in {@link foreignKeys}): no instance's check reads them, while a
   * local query over every instance does. An instance's first ingest interrupted before its first
   * manifest, every entry of its first hours set aside, leaves one; so does a copy put there.
   * Absent: none.
   */
  quarantineOnlyInstances?: string[];
  /**
   * The quarantine table's `instance=` folders of instances with no events, manifest or checkpoint
   * folder, but a digest folder: an ingest of that instance ran (it writes its genesis digest
   * first), and its first run was interrupted before its first manifest, every entry of its first
   * hours set aside, or still runs. Its next ingest goes on from there. Not a failure, and not in
   * {@link foreignKeys}. Absent: none.
   */
  interruptedFirstIngests?: string[];
  /**
   * The lake's `digest/instance=<name>/` folders of names it holds no instance of (no events,
   * manifest or checkpoint), beyond {@link interruptedFirstIngests}: chains no check reads (a
   * copy of a chain, or a first ingest interrupted after its genesis digest). Not a failure.
   */
  chainsWithoutInstance?: string[];
  /**
   * Objects of the instance's tables (events, quarantine objects, manifests) keyed to an hour that
   * has not begun (`futureHoursFrom`, future-hours.ts), and other files there whose name names such an hour,
   * in any day folder, the first {@link MAX_LISTED}: no ingest writes an hour
   * before it has closed, and `enrich` only rewrites objects that exist, so each was put there some
   * other way (a copy of another hour, a restore from another lake, an ingest on a machine whose
   * clock was ahead). Queries read them all the same (DuckDB now, Athena once their date comes),
   * and the ingest that pulls their hour merges into them. Found by listing only: never read. Only
   * with `nowMs`; never accepted as known (docs/guarantees.md).
   */
  futureObjects: { key: string; windowStartMs: number }[];
  /** How many such objects there are, listed or not. */
  futureObjectCount: number;
  /** The first hour judged not begun (`futureHoursFrom`); absent without `nowMs`. */
  futureFromMs?: number;
  /**
   * The digest-chain check, when asked for (`verify --integrity`), with the key its signatures were
   * judged by and the key ids the digests name.
   */
  integrity?: IntegrityReport & {
    signingKey?: SigningKeySeen;
    /** Who the digests say ran their runs, grouped (digest-runners-seen.ts). */
    runners?: RunnerSeen[];
  };
  /**
   * Where a verify without a range began when the lake's own records, not its first covered hour,
   * set the start (`wholeLakeRange`, whole-lake-range.ts).
   */
  began?: LakeBegan;
  /**
   * A verify without a range: the key of the chain's first digest when it is gone while the next
   * is there, or the next digest names other bytes than its own (`wholeLakeRange`'s `startUnlinked`): the start it records cannot be trusted,
   * and one moved on hides the oldest hours deleted. A finding (`start-unlinked`). Absent: linked,
   * or not judged (a chain of one digest, a range asked for).
   */
  startUnlinked?: string;
  ok: boolean;
}

/**
 * Hours holding objects but no manifest, as a count and a span: before the lake's start
 * ({@link VerifyReport.heldBeforeLake}), after its end ({@link VerifyReport.heldAfterLake}), or in
 * the span checked holding quarantine objects only ({@link VerifyReport.quarantineOnly}).
 */
interface HeldBeforeLake {
  hourCount: number;
  /** The first such hour's start, and the last one's end: the range a re-pull takes. */
  fromMs: number;
  toMs: number;
}

/** The hours in the span holding quarantine objects only ({@link VerifyReport.quarantineOnly}). */
interface QuarantineOnlyHours extends HeldBeforeLake {
  /**
   * The re-pulls that mend them, in order: one per gap holding such hours, from its first such hour
   * to the end of its last. `fromMs`..`toMs` spans every covered hour between two gaps too (two
   * such hours 60 hours apart: 61 hours re-pulled for 2), while these re-pull no covered hour, and
   * the hours they take between two such hours are of the same gap, to be re-pulled anyway. A
   * verify of a range reaching past the lake's start (or end) runs the range before it on to the
   * lake's start (after it, from the lake's end), so that no hour between is left a gap.
   */
  ranges: { fromMs: number; toMs: number }[];
}

/** The hours before the lake's start holding objects but no manifest ({@link VerifyReport.heldBeforeLake}). */
interface HeldBeforeLakeHours extends HeldBeforeLake {
  /**
   * The range whose re-pull covers them and leaves no hour between a gap: from the first held hour
   * to the lake's first hour checked (a re-pull of the held hours alone moved the lake's start to
   * them, and the hours between were then a gap no scheduled run fills); their own span in a lake
   * that covers no hour. Absent in reports of older callers.
   */
  repull?: { fromMs: number; toMs: number };
}

/** The hours after the lake's end holding objects but no manifest ({@link VerifyReport.heldAfterLake}). */
export interface HeldAfterLake extends HeldBeforeLake {
  /**
   * The range whose re-pull covers them and leaves no hour between a gap: from the end of the last
   * hour checked (a re-pull of the held hours alone moved the lake's end past the hours before
   * them, which were then gaps) to the last held hour's end, clipped to the hours settled by now
   * (`VerifyLakeOptions.settleMinutes`: an ingest refuses a later end). Absent: none has.
   */
  repull?: { fromMs: number; toMs: number };
}

/** How many of each kind of finding a report lists; the counts take in the rest. */
export const MAX_LISTED = 20;

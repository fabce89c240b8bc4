import type { AuditSource } from '../domo/audit-source.ts';
import type { CategoryRule } from '../domo/category-rules.ts';
import type { DigestSigner } from '../lake/digest.ts';
import type { DigestRunner } from '../lake/digest-runner.ts';
import type { Clock, GeoLookup, Log, MetricSink, ObjectStore, Sleep } from '../ports.ts';
import type { DigestRestartOutcome } from './digest-restart.ts';
import type { SpanSizing } from './span-plan.ts';

/** How one instance is ingested. Defaults live in `defaultIngestConfig`. */
export interface IngestConfig {
  /** Instance name: a path segment and Athena enum value (see layout.assertInstanceName). */
  instance: string;
  /**
   * The Domo customer (as the OAuth token answer names it) this instance is meant for: credentials
   * of any other are refused before anything is stored, even on the first run, which would
   * otherwise bind the instance to whichever customer its secret names (review R-MSP H1).
   * Undefined: the first customer seen is bound, as before.
   */
  domoCustomer?: string;
  /** Only windows ending at least this long ago are pulled, so Domo has finished writing them. */
  settleMinutes: number;
  /** Completed hours re-pulled on every run to catch late events. */
  lookbackHours: number;
  /**
   * Hours after which a scheduled run pulls an hour once more, for events Domo serves later than
   * the lookback reaches (0: never). 0 or more than `lookbackHours`.
   */
  repullAfterHours: number;
  /** Where the first run starts, counted back from now. */
  backfillDays: number;
  /** Windows pulled at once. */
  concurrency: number;
  /** No new window starts when less than this much time budget is left. */
  budgetMarginMs: number;
  /** Zone of Domo's `yyyy-MM-dd hh:mm:ss a` time strings (IANA name). */
  docTimeZone: string;
  categoryRules: readonly CategoryRule[];
  /** Pages fetched for one time range before it is split in two, to keep offsets bounded. */
  maxPagesPerRange: number;
  /**
   * Characters of entries' JSON (about their bytes) one hour, or one span of hours, may hold while
   * it is read: past it the range fails with a message instead of the process running out of
   * memory. Adapters size it from the memory they run in ({@link heldCharsForMemory}).
   */
  maxHeldChars: number;
  /**
   * What a read past `maxHeldChars` may hold when it reads on, or again, alone, every other read
   * of the run waiting (read-room.ts): what one read may hold at a concurrency of 1 in the same
   * memory ({@link heldCharsForMemory}). Absent, or no more than `maxHeldChars`: such a read fails
   * at once, as before.
   */
  maxHeldCharsAlone?: number;
  /**
   * Time one read of Domo (an hour, or a span of hours) may take before it is given up; default
   * `DEFAULT_MAX_READ_MS`. A command-line run may raise it for an honest hour too slow to read in
   * that time; a Lambda run ends before it (15 minutes at most), so it never fires there.
   */
  maxReadMs?: number;
  codeVersion: string;
}

export interface IngestDeps {
  source: AuditSource;
  store: ObjectStore;
  clock: Clock;
  /**
   * The clock each read of Domo is timed on against `maxReadMs`: monotonic from the command line,
   * where a wall clock set forward would cut a read or one set back would let it run on. Default
   * `clock`.
   */
  readClock?: Clock;
  log: Log;
  /**
   * Told once a run when an hour's entries mostly lack a documented field: Domo's entry shape may
   * have changed (ingest/field-gaps.ts). The sentence names the hour, the fields and the keys no
   * column reads; it is logged as a warning too.
   */
  onShapeChange?: (note: string) => void;
  metrics: MetricSink;
  /** IP -> country and network owner for the geo columns; without it they are null. */
  geo?: GeoLookup;
  /**
   * Why there is no `geo`: the geo database could not be loaded (the adapter's message). The run
   * then counts the events it stores without geo columns (`eventsUnplaced`, metric EventsUnplaced)
   * and says so in its summary and log. Ignored when `geo` is given.
   */
  geoUnavailable?: string;
  /**
   * The waits of the run's own (the checkpoint's last write, tried again after losing to another
   * run's writes): the real timer of core/runtime.ts from an entry point. Not the Domo client's,
   * which has its own.
   */
  sleep: Sleep;
  /** Uniform in [0, 1), to spread those waits. */
  random: () => number;
  /** Milliseconds left in this invocation (Lambda context); absent means no limit. */
  remainingTimeMs?: () => number;
  /**
   * Aborted when the caller wants the run to stop (a user's Ctrl-C): no new hour starts, hours in
   * flight are dropped, and the run ends as it does out of time: the hours stored are kept, the
   * checkpoint and the digest chain record them, and the summary says `interrupted`.
   */
  interrupt?: AbortSignal;
  /** Called after every window, for terminal progress. */
  onProgress?: (progress: IngestProgress) => void;
  /** Signs each digest of the integrity chain (KMS in the stack); absent: digests are unsigned. */
  digestSigner?: DigestSigner;
  /**
   * Who runs this run and which API it reads, recorded in each of its digests for a recipient of
   * the evidence to check (digest-runner.ts); absent: the digests say nothing of it.
   */
  runner?: DigestRunner;
}

export interface IngestOptions {
  /** Pull exactly these whole UTC hours instead of following the checkpoint; the checkpoint is left alone. */
  range?: { fromMs: number; toMs: number };
  runId?: string;
  /** How many quiet hours are read together; default DEFAULT_SPAN_SIZING. */
  spanSizing?: SpanSizing;
  /** Entries the spans in flight may hold together (see event-budget.ts); default EVENTS_IN_FLIGHT. */
  eventsInFlight?: number;
  /**
   * Begin a new digest chain even where the lake holds hours a version recording every run wrote
   * (their digests gone): a deliberate restart, recorded in the genesis digest. Without it such a
   * run fails before its first write (chain-restart-guard.ts).
   */
  restartDigestChain?: boolean;
  /**
   * The deployment's `retention.maxDays` (null: none set), stated in the run's signed digests: what
   * `verify` takes aged-out hours by. Absent: the run does not know it (the command line's).
   */
  maxDays?: number | null;
}

export interface IngestProgress {
  windowsDone: number;
  windowsPlanned: number;
  eventsWritten: number;
  /**
   * Every planned hour before this one is stored (the run's first hour until that one is). Hours
   * finish in any order, several at once, so the hour last finished jumps back and forth; this only
   * moves forward, and is where a stopped run leaves an unbroken stretch of stored hours.
   */
  storedBeforeMs: number;
}

export interface WindowFailure {
  windowStartMs: number;
  message: string;
  /**
   * The configuration's failure (credentials rejected, a request Domo refuses as made): every run
   * fails the same way until what the message names is fixed. Absent for any other failure.
   */
  configuration?: true;
  /**
   * A later pull given up after its last try: no run pulls the hour again by itself, so running
   * again does not retry it; a range re-pull of the hour does. Absent for any other failure.
   */
  laterPullGivenUp?: true;
}

/**
 * How far a run got with its plan (IngestSummary.outcome); not the last-run record's `RunOutcome`
 * (ok | stopped-early | failed), which status reads.
 */
export type IngestProgressOutcome = 'complete' | 'partial' | 'no-progress' | 'failed';

/** A count over some hours of a run: the hours, the first and last (their starts), and a second count (`of`). */
export interface RunHours {
  events: number;
  hours: number;
  firstMs: number;
  lastMs: number;
  of: number;
}

export interface IngestSummary {
  instance: string;
  /**
   * The Domo customer whose activity the run read, so that a run's output and log say whose data
   * moved (review R-MSP): the customer its credentials' token named on a page that passed the
   * binding's checks (the instance's expected customer, the lake's binding), else the customer the
   * instance is configured for (`IngestConfig.domoCustomer`) when the run read no such page.
   * Absent when neither is known: no customer configured and no page read, or a token answer
   * naming none.
   */
  domoCustomer?: string;
  runId: string;
  mode: 'checkpoint' | 'range';
  /** The run's settle time (IngestConfig.settleMinutes), recorded for a verify run elsewhere. */
  settleMinutes: number;
  /** The run's lookback (IngestConfig.lookbackHours): with settleMinutes, what `lateByAtLeastMs` nears. */
  lookbackHours: number;
  /** The run's later pull (IngestConfig.repullAfterHours), recorded for a verify run elsewhere. */
  repullAfterHours: number;
  windowsPlanned: number;
  windowsDone: number;
  windowsFailed: number;
  /** Events new to the lake in this run. */
  eventsWritten: number;
  /** Of those, events found in windows that had been pulled completely before. */
  lateEvents: number;
  /**
   * How late, at least, Domo served the latest of the `lateEvents`: the longest time after its
   * hour's end that an earlier complete pull of the hour began and did not find it. A lower bound
   * (when the event appeared between the two pulls is not known); null when the run found none.
   * Events Domo serves later than the lookback reaches (settleMinutes + lookbackHours after their
   * hour's end) are never found by the schedule: this nearing that reach is the warning.
   */
  lateByAtLeastMs: number | null;
  /**
   * Of those, events with an IP address stored without geo columns because the geo database was
   * unavailable (`geoUnavailable` says why): the country and network checks cannot judge them until
   * the hours in `unplacedRange` are enriched. 0 when the database was loaded.
   */
  eventsUnplaced: number;
  /** Why the geo database was unavailable to this run; null when it was loaded or not asked for. */
  geoUnavailable: string | null;
  /** The whole UTC hours holding `eventsUnplaced` (`toMs` exclusive); null when there are none. */
  unplacedRange: { fromMs: number; toMs: number } | null;
  quarantined: number;
  /**
   * The most common kinds of reason (`reasonKind`) of the entries quarantined, when those are a
   * tenth or more of what the run newly read (events written and entries quarantined); absent
   * otherwise.
   */
  quarantineReasons?: { kind: string; count: number }[];
  /**
   * Events the run's hours stored again as Domo changed a value of theirs (changed_in_value), and
   * the hours; absent when none (drift-signals.ts).
   */
  storedAgain?: RunHours;
  /** Entries left out as events stored in another shape (reshaped), and the hours; absent when none. */
  reshaped?: RunHours;
  /**
   * Hours whose identical twins look like rows served twice (twin-entries.ts): their twins
   * (`events`) and the events they hold (`of`); absent when none.
   */
  twinHours?: RunHours;
  outOfWindow: number;
  /**
   * Events the hours this run saved hold after it (new or not): what `outOfWindow` is measured
   * against, since a re-pull of stored hours writes no new events but reads them all again.
   */
  eventsStored: number;
  requests: number;
  /**
   * Spans started: runs of whole hours read with one paging sequence each (a span that proves full
   * is split into more). Requests are at least one per span: the page that ends its sequence.
   */
  spans: number;
  watermarkBeforeMs: number | null;
  watermarkAfterMs: number | null;
  /**
   * Checkpoint mode, a run that began without a watermark (the first backfill, or one after the
   * checkpoint was reset): the first hour it planned, from which the watermark it sets is counted
   * as moved (catch-up-pace.ts). Absent otherwise.
   */
  backfillFromMs?: number;
  /**
   * Checkpoint mode: the hour the checkpoint kept for a re-pull when the run began (`retry_from_ms`:
   * hours a run did not finish, or that another run's watermark passed unread); the next run with a
   * closed hour pulls again from it. Null when it kept none.
   */
  retryFromBeforeMs: number | null;
  /** now − watermark after the run (checkpoint mode), how far the lake is behind. */
  behindByMs: number | null;
  /**
   * A run that stopped on its time budget after moving the watermark: roughly how many more runs
   * the lake needs to catch up at this run's pace (catch-up-pace.ts). Absent otherwise.
   */
  runsLeftEstimate?: number;
  /**
   * Range mode: where to re-pull from to finish the range (an ISO time, whole hour), when the run
   * left some of it unstored: every hour of the range before it was stored by this run. Hours
   * finish in any order, several at once, so the hours stored are not always the first
   * `windowsDone`. Null when every hour was stored, and in checkpoint mode (the next scheduled run
   * continues by itself).
   */
  resumeFrom: string | null;
  /**
   * Checkpoint mode: the watermark another run left before this run's first hour (`atMs`; two
   * first runs overlapping, the one with more backfill days stopped or killed before it caught up),
   * which this run did not move past: the hours between were read by neither run, and the next
   * run continues from it. Null when the run was not held so.
   */
  watermarkHeld: { atMs: number; runId: string; planFromMs: number } | null;
  /**
   * Checkpoint mode: the run found no checkpoint though the run record names an earlier run's
   * watermark (deleted or lost: lost-checkpoint.ts), and planned from the backfill again. Absent
   * otherwise.
   */
  checkpointMissing?: CheckpointMissing;
  /**
   * Checkpoint mode: another run moved the watermark (to `watermarkMs`) past hours this run had
   * not finished (two first runs overlapping, this one with more backfill days stopped before it
   * caught up): the checkpoint keeps this run's first unfinished hour as `retry_from_ms`
   * (`retryFromMs`), and the next run pulls again from it, so the hours before the other run's
   * first hour are not left unread. Null when the run was not passed so.
   */
  passedBy: { watermarkMs: number; runId: string; retryFromMs: number } | null;
  /** Why the run stopped before planning was exhausted, if it did. */
  stoppedEarly: 'time-budget' | 'fatal-error' | 'interrupted' | null;
  /**
   * The run's later pulls (later-pulls.ts; checkpoint mode): hours `planned`, `done`, `failed`
   * (of which `givenUp` failed their last try; the next runs try the others again), and `left`:
   * not pulled this run and still due (the time budget, or a failed later pull, stopped the rest).
   * `dueFromMs`: the first hour still due that is already `repullAfterHours` old as the run ends
   * (the next run with a new hour pulls it; with the setting 0, kept for a run with it on), null
   * when none is. `onlyLaterLeft`: every other hour the run planned is done or failed, so a run
   * stopped for its time left only later pulls (the next run pulls them). Null in range mode.
   */
  laterPulls: {
    planned: number;
    done: number;
    failed: number;
    givenUp: number;
    left: number;
    dueFromMs: number | null;
    onlyLaterLeft: boolean;
  } | null;
  /**
   * How the run went: `complete` (every planned hour saved), `partial` (stopped by the time budget
   * after saving progress, or interrupted, or held by another run's watermark before its first hour
   * (`watermarkHeld`): the next run continues), `no-progress` (the lake was behind and the run
   * moved it forward by nothing: a failure, listed in `failures`), `failed` (an hour or the
   * checkpoint failed).
   */
  outcome: IngestProgressOutcome;
  failures: WindowFailure[];
  /**
   * Other runs of the instance that appended to its digest chain while this one ran (see
   * DigestRecorder.otherRuns). Overlapping runs are safe (merged, never duplicated, and
   * the integrity check attributes each version to its writer); this says the run was not alone.
   */
  otherRuns: string[];
  /**
   * The digest chain's head as the run left it (its last digest, or the head it found); absent: none
   * read. A run refused over a cut chain keeps the head the record named (chain-cut-guard.ts).
   */
  digestHead?: number;
  /**
   * The runs this run's seal closed: left open at the chain's head (one killed, or that ended
   * unsure of a write), whose hours it read and recorded first (DigestRecorder.closedRuns), each
   * with its digests read and its hours (`[fromMs, toMs)`, null: no bound known). Absent when it
   * closed none.
   */
  closedRuns?: { runId: string; digests: number; fromMs: number | null; toMs: number | null }[];
  /**
   * Only when the run was told to restart the digest chain: what it did (digest-restart.ts):
   * `restarted` (it wrote the genesis), `chain-exists` (refused: the chain is there), `not-begun`
   * (it wrote no digest; the next run without the restart is refused again).
   */
  digestRestart?: DigestRestartOutcome;
}

/**
 * A checkpoint run that found no checkpoint although the lake's run record says an earlier run
 * left a watermark: the checkpoint was deleted (a reset) or lost, and the run plans from the
 * backfill again, as a first run does. Nothing is duplicated (every hour is merged into what is
 * stored), but the hours between the backfill's start and the old watermark are pulled from Domo
 * once more, and nothing else says why.
 */
export interface CheckpointMissing {
  /** The run the record names, and the watermark it left. */
  runId: string;
  watermarkMs: number;
  /**
   * This run's first hour. After the old watermark (a lake left behind for longer than the
   * backfill), the hours between are not pulled: only a range names them.
   */
  planFromMs: number;
}

/**
 * One alerts run for one instance: evaluate the hours the ingest completed since the last run
 * (and recent hours that changed), take the new alerts in, archive them, deliver them.
 *
 * Order of writes (each safe to crash after):
 * 1. the login profile (idempotent: folding an hour again replaces it);
 * 2. the checkpoint: `next_hour_ms` moves and the new alerts enter the archive list and every
 *    channel's outbox in one conditional write; an alert already taken in (same id) is skipped;
 * 3. one create-only object per alert under `alerts/` (an existing one is left as it is), the
 *    checkpoint forgetting them from the archive list a chunk at a time (archive-alerts.ts); with
 *    little time left the rest waits for the next run, and delivery goes ahead;
 * 4. per channel: claim, deliver, settle (deliver-alerts.ts).
 * Only hours before the ingest watermark are evaluated: they are complete. A caller whose writes
 * do not reach the lake may evaluate a lake without an ingest checkpoint over the hours its coverage
 * manifests cover ({@link AlertsRunConfig.coveredWithoutCheckpoint}).
 */
import { appendAll } from '../append-all.ts';
import { INGEST_SETTINGS } from '../ingest/ingest-settings.ts';
import { type Checkpoint, readCheckpoint } from '../lake/checkpoint.ts';
import { closedWindowsEnd } from '../lake/closed-hours.ts';
import { futureHoursFrom } from '../lake/future-hours.ts';
import { type Clock, type Log, type MetricSink, noMetrics, type ObjectStore } from '../ports.ts';
import type { AlertSettings } from '../queries/alert-settings.ts';
import { floorHour, HOUR_MS, MINUTE_MS } from '../time-units.ts';
import type { Alert } from './alert.ts';
import { withoutAddresses } from './alert-addresses.ts';
import type { AlertChannel } from './alert-channel.ts';
import {
  type AlertCheckpoint,
  capOutbox,
  emptyChannel,
  knownAlertIds,
  lateCutoff,
  newAlertCheckpoint,
  readAlertCheckpoint,
  updateAlertCheckpoint,
} from './alert-checkpoint.ts';
import { ALERT_METRICS } from './alert-metrics.ts';
import { archiveWaiting, notArchived } from './archive-alerts.ts';
import { holdsForBackfill } from './backfill-hold.ts';
import { type CoveredHours, coveredHours, type HourSpan, uncoveredSpans } from './covered-hours.ts';
import {
  type DeliveryContext,
  type DeliveryOutcome,
  deliverChannel,
  MIN_TIME_TO_DELIVER_MS,
  reportFolded,
} from './deliver-alerts.ts';
import type { Detector } from './detection.ts';
import type { DigFurther } from './dig-further.ts';
import { type Evaluation, evaluateHours } from './evaluate-hours.ts';
import type { ExpectedRule } from './expected-activity.ts';
import { firstLakeHour } from './lake-hours.ts';
import { droppedSpan, type LatePass, mergeLateHours, positionDue } from './pending-late-hours.ts';
import {
  type ExpiredRule,
  type QuietedByRule,
  type QuietOutcome,
  quietAlerts,
  quietedByText,
  type RefusedByRule,
} from './quiet-alerts.ts';
import { reportQuiet } from './quiet-report.ts';
import { boundQuietedArchive } from './quieted-archive-bound.ts';
import { addRaisedBurst, raisedBurstsFrom } from './raised-bursts.ts';
import { addRaisedExport } from './raised-exports.ts';
import { isMovedPlace, raisedPlacesIn, recordRaisedPlaces } from './raised-places.ts';
import { addRaisedSpray } from './raised-sprays.ts';
import { addRaisedTimes, raisedTimesFrom } from './raised-times.ts';
import type { UnlistedAlerts } from './unlisted-alerts.ts';

interface AlertsRunDeps {
  store: ObjectStore;
  clock: Clock;
  log: Log;
  metrics?: MetricSink;
  channels: readonly AlertChannel[];
  /** Milliseconds the caller has left (a Lambda's `getRemainingTimeMs`); unchecked without it. */
  remainingTimeMs?: () => number;
  /** The memory the run may use, in bytes: the login profile's size is warned of against it. */
  memoryBytes?: number;
  /** The process's peak memory so far, in bytes: warned of against `memoryBytes` too. */
  peakMemoryBytes?: () => number;
  detectors?: readonly Detector[];
  /**
   * What messages say of the alerts they only count: by default that the archive holds them, which
   * is true where the store is the lake; a caller whose writes do not reach the lake words it.
   */
  unlisted?: UnlistedAlerts;
  /** Where a message's query to dig further runs: Athena by default, likewise. */
  digFurther?: DigFurther;
  /**
   * False: messages do not mark alerts sent more than 2 hours after their event as late. For a
   * caller that evaluates a lake after the fact, whose message is written when asked, not when the
   * alerts could go out.
   */
  marksLate?: boolean;
}

export interface AlertsRunConfig {
  instance: string;
  settings: AlertSettings;
  runId: string;
  /** Where a first run (no checkpoint yet) starts evaluating; default the first hour of the lake. */
  startMs?: number;
  /**
   * Where the run stops (exclusive, UTC; an instant within an hour stops before that hour): the
   * hours from it on are neither evaluated nor checkpointed, so a later run without it takes them
   * up. Default: the ingest watermark, past which no hour is complete anyway.
   */
  endMs?: number;
  /**
   * Evaluate a lake without an ingest checkpoint (one only range pulls wrote) over the hours its
   * coverage manifests cover, up to the end of the last one, rather than not at all: each manifest
   * is proof that its hour was pulled whole. An hour between them without one (never pulled, or a
   * pull that did not finish) is not judged: no alert of its events is raised, and the summary
   * names it (`coverage.uncovered`). For a caller whose writes do not reach the lake (a local run
   * over an overlay): the alerts checkpoint such a run writes has no ingest watermark behind it,
   * and a scheduled run that read it later would take the uncovered hours as evaluated. The
   * deployed function never sets it: its ingest always writes a checkpoint.
   */
  coveredWithoutCheckpoint?: boolean;
  /**
   * The expected-activity list (expected-activity.ts): the alerts a rule in force matches are taken
   * in and archived, marked, but not sent (quiet-alerts.ts). Empty by default.
   */
  expected?: readonly ExpectedRule[];
  /**
   * The deployment's `retention.maxDays` (none: kept forever): the users seen deactivated are
   * kept no longer when it is shorter than their 90 days (user-states.ts).
   */
  maxDays?: number;
}

export interface AlertsRunSummary {
  instance: string;
  status: 'no-data' | 'evaluated';
  /** Hours evaluated in this run (new and re-checked). */
  hoursEvaluated: number;
  /** Every hour before this is evaluated. */
  nextHourMs?: number;
  /**
   * Every hour from `nextHourMs` up to this one had its lockouts and bursts evaluated while the
   * login profile was rebuilt; the other alerts wait for the profile. Unset when none waits.
   */
  earlyNextHourMs?: number;
  /** Where a first run started (`startMs`, not before the lake's first hour); unset when one continued. */
  fromMs?: number;
  /** A first run found no events object in the lake at all: there was nothing to evaluate. */
  lakeEmpty?: true;
  watermarkMs?: number;
  /** The hour `endMs` stopped the run at, when that was before the watermark: no later hour was evaluated. */
  endMs?: number;
  /**
   * Set when the lake had no ingest checkpoint and the run evaluated its covered hours
   * ({@link AlertsRunConfig.coveredWithoutCheckpoint}): `watermarkMs` is then the end of the last
   * covered hour, and `uncovered` the hours without a manifest within `asked`, oldest first, which
   * were not judged ({@link RangeOnlyCoverage}).
   */
  coverage?: RangeOnlyCoverage;
  /** Alerts taken in by this run (new ones only) to be sent: those the expected-activity list quieted are not among them. */
  raised: Alert[];
  /** Per rule of the expected-activity list, the alerts it quieted in this run (taken in, archived, not sent); unset when none. */
  quieted?: QuietedByRule[];
  /** The alerts the list quieted in this run, each with its `quieted_by`; unset when none. */
  quietedAlerts?: Alert[];
  /** Rules of the list past their `until`, which quieted nothing; unset when none. */
  expiredRules?: ExpiredRule[];
  /**
   * Per rule of the list, the alerts it matches but may not quiet, made acting as other users
   * (quiet-alerts.ts, RefusedByRule): sent; unset when none.
   */
  actingAsOthers?: RefusedByRule[];
  deliveries: DeliveryOutcome[];
}

/**
 * What a run over a lake without a checkpoint says of its hours. `asked`: the hours it was asked
 * about, each judged or named in `uncovered`: from the hour of `startMs` (the first covered hour
 * without it) up to the hour of `endMs` (the end of the last covered hour without it), so that
 * hours asked for before the first covered hour or after the last are named, not passed over;
 * of a run that continued an alerts checkpoint, its own hours. `notClosedFrom`: set when `endMs`
 * lay past the last hour an ingest may pull now (the hours from it on have not closed and
 * settled): `asked` ends there, and the hours after it are neither judged nor named.
 */
interface RangeOnlyCoverage {
  asked: HourSpan;
  uncovered: HourSpan[];
  notClosedFromMs?: number;
}

/** Stop starting hours with less than this left, to keep time for taking the alerts in, archiving and delivery. */
const EVALUATION_RESERVE_MS = MINUTE_MS;

/**
 * Stop starting archive writes with less than this left: delivery's own minimum, and time for the
 * writes in flight and the checkpoint write that forgets them. What is left waits for the next run.
 */
const ARCHIVE_RESERVE_MS = MIN_TIME_TO_DELIVER_MS + 15_000;

/**
 * The alerts of `candidates` (of `evaluation`) that `checkpoint` has not taken in: not known by
 * id, nor a place alert already sent that a late, earlier sign-in moved (raised-places.ts); with
 * how many of those unknown by id were left out as moved.
 */
function notTakenIn(
  checkpoint: AlertCheckpoint,
  evaluation: Evaluation,
  candidates: readonly Alert[],
): { alerts: Alert[]; moved: number } {
  const known = knownAlertIds(checkpoint);
  const recheck = {
    places: checkpoint.places,
    recent: checkpoint.recent,
    evaluated: evaluation.evaluated,
    found: new Set(evaluation.alerts.map((a) => a.id)),
  };
  const unknown = candidates.filter((a) => !known.has(a.id));
  const alerts = unknown.filter((a) => !isMovedPlace(a, recheck));
  return { alerts, moved: unknown.length - alerts.length };
}

/**
 * New alerts of the evaluation: not yet taken in ({@link notTakenIn}), and not archived by an
 * earlier incarnation of the state; with how many place alerts were left out as moved.
 */
async function unseen(
  store: ObjectStore,
  checkpoint: AlertCheckpoint,
  evaluation: Evaluation,
  alerts: readonly Alert[],
): Promise<{ fresh: Alert[]; moved: number }> {
  const { alerts: candidates, moved } = notTakenIn(checkpoint, evaluation, alerts);
  const byId = new Map(candidates.map((a) => [a.id, a]));
  return { fresh: await notArchived(store, [...byId.values()]), moved };
}

/**
 * Records in `checkpoint` what the evaluation's late pass found and looked at, and where it read
 * the digest chain to (pending-late-hours.ts); returns the hours dropped past the bound, or
 * undefined when it found none, the hours to look at are as they were and the place in the chain
 * is not due ({@link positionDue}), or it read no digest.
 */
function recordLatePass(checkpoint: AlertCheckpoint, pass: LatePass | undefined): number[] | undefined {
  if (pass === undefined) return undefined;
  const { hours, dropped } = mergeLateHours(checkpoint.late_hours, pass);
  const same =
    Object.keys(pass.found).length === 0 &&
    !positionDue(checkpoint.late_digest_next, pass) &&
    JSON.stringify(hours) === JSON.stringify(checkpoint.late_hours ?? {});
  checkpoint.late_digest_next = pass.digestNext;
  if (same) return undefined;
  if (Object.keys(hours).length > 0) checkpoint.late_hours = hours;
  else delete checkpoint.late_hours;
  return dropped;
}

/**
 * Records the bursts, sprays and bulk exports among `alerts` (taken in) in `checkpoint`, and forgets those
 * raised before `keepFrom`: a recheck that finds one shifted by a late failure knows it was sent.
 * A spray or bulk export the evaluation saw going on is kept as of its latest event
 * (raised-times.ts, GoingOn): forgotten while it lasted, it was sent again as a new one.
 */
function recordRaised(
  checkpoint: AlertCheckpoint,
  evaluation: Evaluation,
  alerts: readonly Alert[],
  keepFrom: number,
): void {
  for (const alert of alerts) {
    const burst = evaluation.bursts.get(alert.id);
    if (burst) addRaisedBurst(checkpoint.bursts, alert, burst);
    addRaisedSpray(checkpoint.sprays, alert);
    addRaisedExport(checkpoint.exports, alert);
  }
  addRaisedTimes(checkpoint.sprays, evaluation.goingOn?.sprays ?? {});
  addRaisedTimes(checkpoint.exports, evaluation.goingOn?.exports ?? {});
  checkpoint.bursts = raisedBurstsFrom(checkpoint.bursts, keepFrom);
  checkpoint.sprays = raisedTimesFrom(checkpoint.sprays, keepFrom);
  checkpoint.exports = raisedTimesFrom(checkpoint.exports, keepFrom);
}

/** Whether an early pass that stopped at `early` went past what `checkpoint` records. */
const movesEarly = (checkpoint: AlertCheckpoint, early: number | undefined): boolean =>
  early !== undefined && early > (checkpoint.early_next_hour_ms ?? checkpoint.next_hour_ms);

/**
 * The checkpoint after an evaluation: moved forward, with `alerts` (not taken in yet:
 * {@link notTakenIn}) taken in once, and the late pass recorded (its hours dropped past the bound
 * in `dropped`); each channel's outbox capped, how many folded in `folded`.
 */
function takeIn(
  checkpoint: AlertCheckpoint,
  evaluation: Evaluation,
  alerts: readonly Alert[],
  context: {
    settings: AlertSettings;
    channels: readonly string[];
    nowIso: string;
    runId: string;
    folded: Map<string, number>;
    dropped: number[];
    /** The alerts the expected-activity list quieted, by id: what the archive records of the rule. */
    quieted: ReadonlyMap<string, string>;
    /** Quieted alerts past their rule's archive bound (quieted-archive-bound.ts): taken in, not archived. */
    unarchived: ReadonlySet<string>;
  },
): AlertCheckpoint | undefined {
  const early = evaluation.earlyNextHourMs;
  const late = recordLatePass(checkpoint, evaluation.late?.pass);
  context.dropped.splice(0, context.dropped.length, ...(late ?? []));
  const moves = movesEarly(checkpoint, early) || late !== undefined;
  if (evaluation.evaluated.size === 0 && alerts.length === 0 && !moves) return undefined;
  checkpoint.next_hour_ms = Math.max(checkpoint.next_hour_ms, evaluation.nextHourMs);
  // The hours evaluated early keep their alerts in `recent` (kept from `next_hour_ms - ...` on)
  // until they are evaluated in full, which finds them again under the same ids.
  const earlyTo = Math.max(checkpoint.early_next_hour_ms ?? 0, early ?? 0);
  if (earlyTo > checkpoint.next_hour_ms) checkpoint.early_next_hour_ms = earlyTo;
  else delete checkpoint.early_next_hour_ms;
  for (const [hour, hash] of evaluation.evaluated) checkpoint.evaluated[String(hour)] = hash;
  const keepFrom = checkpoint.next_hour_ms - (context.settings.recheckHours + 2) * HOUR_MS;
  // A late alert's hour lies before the hours `recent` keeps: it is kept as of the first of them,
  // so that a run that overlapped this one and found it too does not take it in again.
  for (const alert of alerts)
    checkpoint.recent[alert.id] = Math.max(floorHour(alert.event_time_ms), keepFrom);
  checkpoint.evaluated = Object.fromEntries(
    Object.entries(checkpoint.evaluated).filter(([hour]) => Number(hour) >= keepFrom),
  );
  checkpoint.recent = Object.fromEntries(
    Object.entries(checkpoint.recent).filter(([, hour]) => hour >= keepFrom),
  );
  recordRaised(checkpoint, evaluation, alerts, keepFrom);
  recordRaisedPlaces(checkpoint.places, alerts, context.quieted);
  checkpoint.places = raisedPlacesIn(checkpoint.places, checkpoint.recent);
  // Stamped now: a later run may write their archive objects (a backlog, a run out of time), and
  // deliver them (a refusal, a run out of time), which must not make them read as found late.
  // Their addresses were for the expected-activity list, judged by now: not kept in the checkpoint.
  const stamped = alerts.map((alert) => ({
    ...withoutAddresses(alert),
    detected_at_ms: Date.parse(context.nowIso),
  }));
  appendAll(
    checkpoint.archive,
    stamped
      .filter((alert) => !context.unarchived.has(alert.id))
      .map((alert) => ({
        ...alert,
        detected_run_id: context.runId,
        ...quietMark(context.quieted, alert),
      })),
  );
  // Quieted alerts are taken in (their ids known: never raised again) and archived, not sent.
  const since = checkpoint.alerting_since_ms ?? Number.NEGATIVE_INFINITY;
  const sent = stamped
    .filter((alert) => !context.quieted.has(alert.id))
    .map((alert) => (alert.event_time_ms >= since ? { ...alert, since_alerting: true } : alert));
  for (const name of context.channels) {
    const channel = checkpoint.channels[name] ?? emptyChannel();
    appendAll(channel.outbox, sent);
    const lateBefore = lateCutoff(Date.parse(context.nowIso), context.settings.mailOlderThanHours);
    context.folded.set(name, capOutbox(channel, lateBefore));
    checkpoint.channels[name] = channel;
  }
  checkpoint.updated_at = context.nowIso;
  checkpoint.run_id = context.runId;
  return checkpoint;
}

/** What the archive records of the rule that quieted `alert`, if one did. */
const quietMark = (quieted: ReadonlyMap<string, string>, alert: Alert): { quieted_by?: string } => {
  const by = quieted.get(alert.id);
  return by === undefined ? {} : { quieted_by: by };
};

/** Writes the archive objects of the alerts waiting for them, as many as time allows. */
async function archive(
  deps: AlertsRunDeps,
  config: AlertsRunConfig,
  checkpoint: AlertCheckpoint,
  initial: () => AlertCheckpoint,
): Promise<void> {
  const timeLeft = () => deps.remainingTimeMs?.() ?? Number.POSITIVE_INFINITY;
  const left = await archiveWaiting(
    {
      store: deps.store,
      clock: deps.clock,
      instance: config.instance,
      runId: config.runId,
      initial,
      timeIsShort: () => timeLeft() < ARCHIVE_RESERVE_MS,
    },
    checkpoint.archive,
  );
  if (left > 0) {
    deps.log.warn('alerts left to archive by the next run: too little time left in this one', {
      instance: config.instance,
      alerts: left,
    });
  }
}

/**
 * Where a first run (no alerts checkpoint) starts: the hour of `config.startMs`, or the lake's first
 * hour, never before that (a start before it would only evaluate empty hours, two reads each); the
 * floor under which nothing is rechecked; and whether the lake holds no events at all.
 */
async function firstRunStart(
  store: ObjectStore,
  config: AlertsRunConfig,
  complete: Completeness,
): Promise<{ startMs: number; floorMs: number; lakeEmpty: boolean }> {
  const { watermarkMs } = complete;
  // A lake without a checkpoint starts at its first covered hour: one before it was not pulled whole.
  const firstHour = complete.covered?.fromMs ?? (await firstLakeHour(store, config.instance));
  const startMs = floorHour(
    Math.max(config.startMs ?? firstHour ?? watermarkMs, firstHour ?? Number.NEGATIVE_INFINITY),
  );
  return { startMs, floorMs: Math.min(startMs, firstHour ?? startMs), lakeEmpty: firstHour === undefined };
}

/**
 * Of a lake without a checkpoint only the covered hours are judged: the others are not read at all
 * (a stray manifest years back made the run read every hour since, ~190k GETs on S3).
 */
const judgesOf = (covered: CoveredHours | undefined): { judges?: (hourMs: number) => boolean } =>
  covered === undefined ? {} : { judges: (hour) => covered.hours.has(hour) };

/** What the run's caller may set of the evaluation: its detectors, its memory. */
const optionalEvaluation = (
  deps: AlertsRunDeps,
): { detectors?: readonly Detector[]; memoryBytes?: number; peakMemoryBytes?: () => number } => ({
  ...(deps.detectors ? { detectors: deps.detectors } : {}),
  ...(deps.memoryBytes === undefined ? {} : { memoryBytes: deps.memoryBytes }),
  ...(deps.peakMemoryBytes === undefined ? {} : { peakMemoryBytes: deps.peakMemoryBytes }),
});

/**
 * Takes `fresh` in, in one checkpoint update ({@link takeIn}), and says what each channel's cap
 * folded; the checkpoint written, and of the alerts that were new to it those to send and what the
 * expected-activity list quieted ({@link quietAlerts}).
 */
async function takeInFresh(
  deps: AlertsRunDeps,
  config: AlertsRunConfig,
  initial: () => AlertCheckpoint,
  evaluation: Evaluation,
  fresh: readonly Alert[],
): Promise<{ after: AlertCheckpoint; raised: Alert[]; quiet: QuietOutcome }> {
  const { instance, settings } = config;
  // One reading of the clock, at the take-in: the list is judged at the instant the alerts are
  // stamped detected, whatever the checkpoint write retries (review R-MUTE4 L).
  const nowMs = deps.clock.now();
  let quiet = quietAlerts([], config.expected ?? [], nowMs);
  const channels = deps.channels.map((c) => c.name);
  const nowIso = new Date(nowMs).toISOString();
  const folded = new Map<string, number>();
  const dropped: number[] = [];
  const after = await updateAlertCheckpoint(deps.store, instance, initial, (current) => {
    const taken = notTakenIn(current, evaluation, fresh).alerts;
    quiet = quietAlerts(taken, config.expected ?? [], nowMs);
    const quieted = new Map([...quiet.quietedBy].map(([id, rule]) => [id, quietedByText(rule)]));
    const unarchived = boundQuietedArchive(current, quiet, nowMs);
    folded.clear();
    const context = {
      ...{ settings, channels, nowIso, runId: config.runId, folded, dropped },
      ...{ quieted, unarchived },
    };
    return takeIn(current, evaluation, taken, context);
  });
  if (dropped.length > 0) {
    deps.log.warn(
      'old hours an ingest rewrote, past the most kept to look for late lockouts in: not looked at',
      {
        instance,
        hours: dropped.length,
        ...droppedSpan(dropped),
      },
    );
  }
  const report = { log: deps.log, metrics: deps.metrics ?? noMetrics, instance };
  for (const [name, count] of folded) {
    const channel = after.channels[name];
    if (channel) reportFolded(report, name, count, channel);
  }
  return { after, raised: quiet.send, quiet };
}

/**
 * Where the lake is complete until: the ingest watermark, or the hour the checkpoint keeps below it
 * (`retry_from_ms`) when that lies further back than the alerts look again (`recheckHours`).
 * Evaluated past it, hours the next ingest pulls again (two first runs overlapping, a catch-up that
 * stopped early) would be judged empty and not looked at again once filled; a lookback hour a run
 * left unfinished lies within the recheck, which looks at it again, and does not hold the alerts.
 */
function completeUntil(checkpoint: Checkpoint, recheckHours: number): number {
  const held = checkpoint.retry_from_ms;
  const rechecked = checkpoint.watermark_ms - recheckHours * HOUR_MS;
  return held !== undefined && held < rechecked ? held : checkpoint.watermark_ms;
}

/** What a run may judge: the hours before `watermarkMs`, and of a lake without a checkpoint the covered ones. */
interface Completeness {
  /** Every hour before it is complete: the ingest's (held) watermark, or the end of the last covered hour. */
  watermarkMs: number;
  /** The ingest's own watermark, which the lag is counted to (the end of the last covered hour without one). */
  lagToMs: number;
  /** Set for a lake without an ingest checkpoint: only these hours are judged. */
  covered?: CoveredHours;
}

/**
 * The hours the run may judge ({@link Completeness}): those before the ingest checkpoint's
 * watermark ({@link completeUntil}); without a checkpoint, the covered hours when the caller asked
 * for them, else none (undefined).
 */
async function completeness(
  store: ObjectStore,
  config: AlertsRunConfig,
  nowMs: number,
): Promise<Completeness | undefined> {
  const ingest = await readCheckpoint(store, config.instance);
  if (ingest) {
    const watermarkMs = completeUntil(ingest.checkpoint, config.settings.recheckHours);
    return { watermarkMs, lagToMs: ingest.checkpoint.watermark_ms };
  }
  if (config.coveredWithoutCheckpoint !== true) return undefined;
  const covered = await coveredHours(store, config.instance, futureHoursFrom(nowMs));
  return covered && { watermarkMs: covered.toMs, lagToMs: covered.toMs, covered };
}

/**
 * What the run may raise of `alerts`: those of events from `raiseFrom` on (all without it), and of
 * a lake without a checkpoint those of covered hours only (an uncovered hour may hold part of its
 * events: a pull that stopped before its manifest).
 */
function inScope(alerts: Alert[], raiseFrom: number | undefined, covered: CoveredHours | undefined): Alert[] {
  return alerts.filter(
    (a) =>
      (raiseFrom === undefined || a.event_time_ms >= raiseFrom) &&
      (covered === undefined || covered.hours.has(floorHour(a.event_time_ms))),
  );
}

/**
 * The hours a first run over a lake without a checkpoint was asked about
 * ({@link RangeOnlyCoverage}): an end past the last hour an ingest may pull now (by its default
 * settle time) stops there, since naming hours not closed yet as "not pulled" would send the
 * reader to pull what no ingest pulls; one within the covered hours stops where the run does.
 */
function askedSpan(
  config: AlertsRunConfig,
  covered: CoveredHours,
  nowMs: number,
): Pick<RangeOnlyCoverage, 'asked' | 'notClosedFromMs'> {
  const fromMs = config.startMs === undefined ? covered.fromMs : floorHour(config.startMs);
  if (config.endMs === undefined) return { asked: { fromMs, toMs: Math.max(fromMs, covered.toMs) } };
  const endMs = floorHour(config.endMs);
  // A manifest may end past the ingest's closed hours (a writer's clock ahead): never cut it off.
  const closedMs = Math.max(closedWindowsEnd(nowMs, INGEST_SETTINGS.settleMinutes.default), covered.toMs);
  const toMs = Math.max(fromMs, Math.min(endMs, closedMs));
  return { asked: { fromMs, toMs }, ...(endMs > closedMs ? { notClosedFromMs: toMs } : {}) };
}

/**
 * What the summary says of the uncovered hours of `span` of a lake without a checkpoint (not
 * judged), warned of too; nothing for a lake with one.
 */
function uncoveredOf(
  log: Log,
  instance: string,
  covered: CoveredHours | undefined,
  span: Pick<RangeOnlyCoverage, 'asked' | 'notClosedFromMs'>,
): { coverage?: RangeOnlyCoverage } {
  if (covered === undefined) return {};
  const { fromMs, toMs } = span.asked;
  const uncovered = uncoveredSpans(covered, fromMs, toMs);
  const hours = uncovered.reduce((sum, s) => sum + (s.toMs - s.fromMs) / HOUR_MS, 0);
  if (hours > 0) {
    log.warn('alerts: hours without a coverage manifest (not pulled whole) were not judged', {
      instance,
      hours,
      spans: uncovered.length,
      from: new Date(uncovered[0]?.fromMs ?? fromMs).toISOString(),
      to: new Date(uncovered.at(-1)?.toMs ?? toMs).toISOString(),
      fix: 'pull those hours whole, then evaluate again',
    });
  }
  return { coverage: { ...span, uncovered } };
}

/**
 * Where the run's evaluation stops: the watermark, or the hour of `config.endMs` when that is
 * earlier (hours are evaluated whole, so one that does not end by it is left out, as one past
 * the watermark is); `bound` is what the summary says of an end that stopped it.
 */
function evaluationEnd(
  config: AlertsRunConfig,
  watermarkMs: number,
): { evaluateTo: number; bound: { endMs?: number } } {
  if (config.endMs === undefined || floorHour(config.endMs) >= watermarkMs) {
    return { evaluateTo: watermarkMs, bound: {} };
  }
  const endMs = floorHour(config.endMs);
  return { evaluateTo: endMs, bound: { endMs } };
}

/**
 * Says what the run found of events stored after their hour was evaluated, older than the recheck
 * window: the alerts it raised for them late (a warning, and {@link ALERT_METRICS.raisedLate}), and
 * the old rewritten hours it left for the next run to look at.
 */
function reportLate(
  report: { log: Log; metrics: MetricSink; instance: string },
  evaluation: Evaluation,
  raised: readonly Alert[],
): void {
  const ids = evaluation.late?.ids;
  const late = ids === undefined ? 0 : raised.filter((a) => ids.has(a.id)).length;
  if (late > 0) {
    report.log.warn('security events stored after their hour was evaluated: alerted late', {
      instance: report.instance,
      alerts: late,
    });
    report.metrics.count(ALERT_METRICS.raisedLate, late);
  }
  const hoursLeft = evaluation.late?.hoursLeft ?? 0;
  if (hoursLeft > 0) {
    report.log.warn('old hours an ingest rewrote left for the next run to look for late lockouts in', {
      instance: report.instance,
      hours: hoursLeft,
    });
  }
}

/**
 * The hours a run over a lake without a checkpoint names as judged or not ({@link askedSpan}); a
 * run that continued an alerts checkpoint, its own: from where `before` stood up to where it stopped.
 */
function spanOf(
  config: AlertsRunConfig,
  complete: Completeness,
  run: { first: unknown; before: AlertCheckpoint; evaluateTo: number },
  nowMs: number,
): Pick<RangeOnlyCoverage, 'asked' | 'notClosedFromMs'> {
  if (run.first !== undefined && complete.covered) return askedSpan(config, complete.covered, nowMs);
  return { asked: { fromMs: run.before.next_hour_ms, toMs: run.evaluateTo } };
}

/**
 * What the summary says of the expected-activity list: the rules that quieted alerts, those that
 * matched alerts made acting as others they may not quiet, and those expired.
 */
const quietPart = (
  quiet: QuietOutcome,
): Pick<AlertsRunSummary, 'quieted' | 'quietedAlerts' | 'expiredRules' | 'actingAsOthers'> => ({
  ...(quiet.byRule.length > 0 ? { quieted: quiet.byRule, quietedAlerts: quiet.quieted } : {}),
  ...(quiet.actingAsOthers.length > 0 ? { actingAsOthers: quiet.actingAsOthers } : {}),
  ...(quiet.expired.length > 0 ? { expiredRules: quiet.expired } : {}),
});

/** What the summary says of the hours evaluated early ({@link AlertsRunSummary.earlyNextHourMs}). */
const earlyPart = (after: AlertCheckpoint): { earlyNextHourMs?: number } =>
  after.early_next_hour_ms === undefined ? {} : { earlyNextHourMs: after.early_next_hour_ms };

/** What delivery needs of the run: its store, clock and log, and how its messages word things. */
const deliveryContextOf = (
  deps: AlertsRunDeps,
  run: Pick<DeliveryContext, 'instance' | 'settings' | 'metrics' | 'initial'>,
): DeliveryContext => ({
  store: deps.store,
  clock: deps.clock,
  log: deps.log,
  metrics: run.metrics,
  instance: run.instance,
  settings: run.settings,
  initial: run.initial,
  ...(deps.remainingTimeMs ? { remainingTimeMs: deps.remainingTimeMs } : {}),
  ...(deps.unlisted ? { unlisted: deps.unlisted } : {}),
  ...(deps.digFurther ? { digFurther: deps.digFurther } : {}),
  ...(deps.marksLate === false ? { marksLate: false } : {}),
});

/**
 * Delivers each channel's message, but holds one of history alone while the ingest is still far
 * behind ({@link holdsForBackfill}). A run over a lake after the fact (`marksLate` false, the CLI)
 * holds nothing: its message is what it was asked for.
 */
async function deliverAll(
  deps: AlertsRunDeps,
  config: AlertsRunConfig,
  context: DeliveryContext,
  after: AlertCheckpoint,
  ingestBehindMs: number,
): Promise<DeliveryOutcome[]> {
  const deliveries: DeliveryOutcome[] = [];
  const { mailOlderThanHours } = config.settings;
  for (const channel of deps.channels) {
    const state = after.channels[channel.name];
    // A checkpoint without alerting_since_ms is an earlier release's: its first runs are past, and
    // the unmarked alerts it waits with count as since alerting began (render-alerts.ts), not history.
    const marks = deps.marksLate !== false && after.alerting_since_ms !== undefined;
    if (marks && holdsForBackfill(state, ingestBehindMs, mailOlderThanHours)) {
      deps.log.info('alerts about events before alerting began held while the ingest backfills', {
        instance: config.instance,
        channel: channel.name,
        waiting: (state?.outbox.length ?? 0) + (state?.folded?.count ?? 0),
        ingestBehindHours: Math.floor(ingestBehindMs / HOUR_MS),
        sentWhen: `the ingest is within mailOlderThanHours (${mailOlderThanHours}) of now: one summary then`,
      });
      deliveries.push({ channel: channel.name, status: 'held' });
    } else deliveries.push(await deliverChannel(context, channel));
  }
  return deliveries;
}

export async function runAlerts(deps: AlertsRunDeps, config: AlertsRunConfig): Promise<AlertsRunSummary> {
  const { store, clock, log } = deps;
  const { instance, settings } = config;
  const metrics = deps.metrics ?? noMetrics;
  const complete = await completeness(store, config, clock.now());
  if (!complete) {
    log.info('no ingest checkpoint yet: nothing to evaluate', { instance });
    return { instance, status: 'no-data', hoursEvaluated: 0, raised: [], deliveries: [] };
  }
  const { watermarkMs, covered } = complete;
  const { evaluateTo, bound } = evaluationEnd(config, watermarkMs);
  const stored = await readAlertCheckpoint(store, instance);
  const first = stored ? undefined : await firstRunStart(store, config, complete);
  const startMs = first?.startMs;
  // A first run also rechecks the last hours before the watermark, which may precede where it was
  // asked to start (`alerts --since` near the lake's end): alerts of those hours are not its to raise.
  // Nor are those of the start's own hour before the time asked: hours are evaluated whole (a burst
  // needs the minutes before it), but an alert before the asked time was not asked for. The
  // checkpoint keeps that bound for later runs: their rechecks, and old hours a re-pull rewrites
  // (late lockouts), may reach before it too.
  const asked = startMs === undefined ? undefined : Math.max(startMs, config.startMs ?? startMs);
  // Read once: every retry of the first write records the same start of alerting.
  const startedMs = clock.now();
  const initial = (): AlertCheckpoint => ({
    ...newAlertCheckpoint(instance, first?.startMs ?? watermarkMs),
    floor_ms: first?.floorMs ?? watermarkMs,
    alerting_since_ms: startedMs,
    ...(asked !== undefined && config.startMs !== undefined ? { raise_from_ms: asked } : {}),
  });
  const before = stored?.checkpoint ?? initial();
  const raiseFrom = asked ?? before.raise_from_ms;

  const mayContinue = () => (deps.remainingTimeMs?.() ?? Number.POSITIVE_INFINITY) >= EVALUATION_RESERVE_MS;
  const evaluation = await evaluateHours(
    {
      ...{ store, log, instance, settings, mayContinue },
      ...optionalEvaluation(deps),
      ...judgesOf(covered),
      ...(config.maxDays === undefined ? {} : { maxDays: config.maxDays }),
    },
    before,
    evaluateTo,
  );
  const judged = inScope(evaluation.alerts, raiseFrom, covered);
  const { fresh, moved } = await unseen(store, before, evaluation, judged);
  if (moved > 0) {
    log.info('place alerts a late sign-in moved: already sent under another id, not sent again', {
      instance,
      alerts: moved,
    });
  }
  const { after, raised, quiet } = await takeInFresh(deps, config, initial, evaluation, fresh);
  reportQuiet({ log, metrics, instance }, quiet);
  metrics.count(ALERT_METRICS.hoursEvaluated, evaluation.evaluated.size);
  // Against the ingest's own watermark, not the held one: alerts held behind a retried hour lag too.
  const lagMs = complete.lagToMs - after.next_hour_ms;
  metrics.count(ALERT_METRICS.lagHours, Math.max(0, Math.floor(lagMs / HOUR_MS)));
  reportLate({ log, metrics, instance }, evaluation, raised);
  if (raised.length > 0) {
    metrics.count(ALERT_METRICS.raised, raised.length);
    log.info('new security alerts', { instance, alerts: raised.length });
  }
  await archive(deps, config, after, initial);

  const context = deliveryContextOf(deps, { ...config, metrics, initial });
  const deliveries = await deliverAll(deps, config, context, after, clock.now() - complete.lagToMs);
  return {
    instance,
    status: 'evaluated',
    hoursEvaluated: evaluation.evaluated.size,
    nextHourMs: after.next_hour_ms,
    ...earlyPart(after),
    ...(startMs === undefined ? {} : { fromMs: startMs }),
    ...(first?.lakeEmpty ? { lakeEmpty: true as const } : {}),
    watermarkMs,
    ...bound,
    ...uncoveredOf(
      log,
      instance,
      covered,
      spanOf(config, complete, { first, before, evaluateTo }, clock.now()),
    ),
    raised,
    ...quietPart(quiet),
    deliveries,
  };
}

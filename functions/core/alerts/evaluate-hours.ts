/**
 * The detection half of an alerts run: which hours to evaluate, the login profile brought up to
 * each of them, and the alerts each hour yields. Reads the lake; writes only the login profile.
 *
 * Hours folded into the profile earlier may have been rewritten since (`enrich` filling their geo
 * columns, a re-pull finding late events): the digest chain says which ({@link lakeChangesSince}),
 * and the profile folds them again before any hour is judged against it. Those of the last
 * `recheckHours` evaluated ({@link recheckWindow}) are also evaluated again, with the hours after
 * them (their new alerts raised once); older ones only correct the history (docs/alerts.md,
 * "After enrich").
 */

import { appendAll } from '../append-all.ts';
import { deleteGuardNote } from '../lake/delete-guard-note.ts';
import { alertsStateKey } from '../lake/layout.ts';
import type { Log, ObjectStore } from '../ports.ts';
import type { AlertSettings } from '../queries/alert-settings.ts';
import { DAY_MS, HOUR_MS } from '../time-units.ts';
import type { Alert } from './alert.ts';
import type { AlertCheckpoint } from './alert-checkpoint.ts';
import type { AlertEvent } from './alert-event.ts';
import type { DeactivationInput } from './detect-activity-after-deactivation.ts';
import type { ExportInput } from './detect-bulk-exports.ts';
import {
  byAlertOrder,
  DETECTORS,
  detectAlerts,
  OLD_HOURS_DETECTORS,
  PROFILE_FREE_DETECTORS,
} from './detect-hour.ts';
import type { SprayInput } from './detect-password-spray.ts';
import type { Detector } from './detection.ts';
import { keptReadsOf } from './kept-events.ts';
import {
  DAMAGED_OBJECT,
  DamagedHourError,
  HourCache,
  hourContentHash,
  type LakeChanges,
  type LakeHour,
  lakeChangesSince,
  MAX_DIGESTS_PER_RUN,
} from './lake-hours.ts';
import { LoginProfile, type SignIn } from './login-profile.ts';
import { logProfileSize } from './login-profile-size.ts';
import { type LateHours, type LatePass, lateHoursOf } from './pending-late-hours.ts';
import type { RaisedBurst, RaisedBursts } from './raised-burst.ts';
import { recordRaisedBursts } from './raised-bursts.ts';
import { addRaisedExport } from './raised-exports.ts';
import { addRaisedSpray } from './raised-sprays.ts';
import { addRaisedTimes, type GoingOn } from './raised-times.ts';
import { userIdOf } from './user-id.ts';
import { loadUserStates, noteUserStates, saveUserStates, type UserStates } from './user-states.ts';

export interface EvaluationContext {
  store: ObjectStore;
  log: Log;
  instance: string;
  settings: AlertSettings;
  detectors?: readonly Detector[];
  /** Whether another hour may be started (the Lambda's time budget). */
  mayContinue: () => boolean;
  /** The memory the run may use, in bytes (unknown: the profile's size is logged without a warning). */
  memoryBytes?: number;
  /** The process's peak memory so far, in bytes (unknown: only the profile's estimate is judged). */
  peakMemoryBytes?: () => number;
  /**
   * Which hours may be judged (all without it): the others are not read, neither evaluated nor
   * rechecked, and fold into the login profile as without sign-ins (a lake without a checkpoint:
   * its hours without a coverage manifest, which may hold part of their events at most).
   */
  judges?: (hourMs: number) => boolean;
  /**
   * The deployment's `retention.maxDays` (none: kept forever): the user states end there when it
   * is shorter than their 90 days (user-states.ts).
   */
  maxDays?: number;
}

/** Whether the run judges (and reads) the hour starting at `hourMs`. */
const judged = (context: EvaluationContext, hourMs: number): boolean => context.judges?.(hourMs) ?? true;

/** The version an hour not judged is folded with: known, so it is not taken as stale and read. */
const NOT_JUDGED = 'not-judged';

export interface Evaluation {
  alerts: Alert[];
  /** Content hash of each evaluated hour, by hour start. */
  evaluated: Map<number, string>;
  /** Every hour before this has been evaluated (the checkpoint's next `next_hour_ms`). */
  nextHourMs: number;
  /** What the checkpoint records of each `failed_login_burst` alert, by alert id. */
  bursts: Map<string, RaisedBurst>;
  /**
   * The sprays and bulk exports recorded as raised that the evaluated hours saw going on, for the
   * checkpoint to keep while they last (raised-times.ts); absent when no hour was evaluated.
   */
  goingOn?: GoingOn;
  /**
   * Every hour from `nextHourMs` up to this one was evaluated early, by the detectors that need no
   * login profile only (the profile was being rebuilt): the checkpoint's `early_next_hour_ms`.
   */
  earlyNextHourMs?: number | undefined;
  /**
   * Alerts of events stored after their hour was evaluated, older than the recheck window (by
   * id), how many old rewritten hours are left for the next run to look at, and what the run
   * found and looked at, for the checkpoint to keep ({@link lookLate}); absent when the run read
   * no digest.
   */
  late?: { ids: ReadonlySet<string>; hoursLeft: number; pass: LatePass };
}

/**
 * What {@link evaluateEarly} adds to: the alerts found, the bursts raised and recorded, the
 * sprays and bulk exports recorded seen going on, and those raised so far ({@link recordRaisedTimes}).
 */
interface Found {
  alerts: Alert[];
  raisedBursts: RaisedBursts;
  bursts: Map<string, RaisedBurst>;
  goingOn: GoingOn;
  raised: GoingOn;
  /** The users seen deactivated, noted hour by hour (user-states.ts). */
  userStates: UserStates;
}

/**
 * Adds the sprays and bulk exports among `alerts` (an hour's), and those seen going on, to
 * `raised`: the records the next hours of the run read, the checkpoint's with what the run raised
 * so far, as `raisedBursts` are for bursts. With the checkpoint's alone, a run evaluating several
 * new hours (a catch-up) sent one pull twice: raised at 11:05, then at 12:03 again by the next
 * hour, whose view cut its window at 11:00 (run-long-pull.test.ts).
 */
function recordRaisedTimes(raised: GoingOn, alerts: readonly Alert[], goingOn: GoingOn): void {
  for (const alert of alerts) {
    addRaisedSpray(raised.sprays, alert);
    addRaisedExport(raised.exports, alert);
  }
  addRaisedTimes(raised.sprays, goingOn.sprays);
  addRaisedTimes(raised.exports, goingOn.exports);
}

/** The sign-ins of an hour's events: `login` events with a user id (user-id.ts), as the profile folds them. */
export const signInsOf = (events: readonly AlertEvent[]): SignIn[] =>
  events.flatMap((e) => {
    const userId = e.category === 'login' ? userIdOf(e) : null;
    return userId === null
      ? []
      : [
          {
            event_id: e.event_id,
            user_id: userId,
            event_time_ms: e.event_time_ms,
            ip_address: e.ip_address,
            ip_country: e.ip_country ?? null,
            ip_asn: e.ip_asn ?? null,
            geo_db_version: e.geo_db_version ?? null,
          },
        ];
  });

/**
 * The evaluated hours a run looks at again: the last `recheckHours` before where the evaluation
 * stopped (`next_hour_ms`), not before the watermark. Late events are stored by the ingest's
 * lookback, which re-pulls the hours before the watermark of each of its runs; every run since
 * the last evaluation started at or after `next_hour_ms`, so what they rewrote lies after
 * `next_hour_ms - lookback`, however far the watermark moved on while alerts runs were missed
 * (an ingest run with a failed window starts none; an alerts run may fail). Counting back from
 * the watermark instead lost the late events of the hours before `next_hour_ms` as soon as it had
 * moved more than `recheckHours - lookback` hours past it. A watermark behind `next_hour_ms` (a
 * reset ingest checkpoint) counts from the watermark: only hours before it are complete.
 */
function recheckWindow(
  context: EvaluationContext,
  checkpoint: AlertCheckpoint,
  watermarkMs: number,
): { from: number; to: number } {
  const to = Math.min(checkpoint.next_hour_ms, watermarkMs);
  return { from: Math.max(checkpoint.floor_ms, to - context.settings.recheckHours * HOUR_MS), to };
}

/** Hours of the recheck window ({@link recheckWindow}) whose content changed since they were evaluated. */
async function changedHours(
  context: EvaluationContext,
  checkpoint: AlertCheckpoint,
  watermarkMs: number,
): Promise<Map<number, string>> {
  const changed = new Map<number, string>();
  const { from, to } = recheckWindow(context, checkpoint, watermarkMs);
  for (let hour = from; hour < to; hour += HOUR_MS) {
    if (!judged(context, hour)) continue;
    const hash = await hourContentHash(context.store, context.instance, hour);
    if (checkpoint.evaluated[String(hour)] !== hash) changed.set(hour, hash);
  }
  return changed;
}

async function loadProfile(context: EvaluationContext): Promise<LoginProfile> {
  const { store, instance, settings } = context;
  const stored = await store.get(alertsStateKey(instance, 'login-profile.json.gz'));
  const profile = stored ? await LoginProfile.decode(stored.body, instance, settings.timeZone) : undefined;
  if (stored && !profile)
    context.log.warn('login profile unreadable or for another time zone: rebuilding it from the lake', {
      instance,
    });
  return profile ?? new LoginProfile(instance, settings.timeZone);
}

/**
 * Folds the hours the history of `hourMs` needs; rebuilds from the lake when the profile cannot
 * serve it, from `rebuildFromMs` (the history start of the earliest hour the run could evaluate, so
 * a rebuild stays reusable when a recheck moves the run's first hour back). Checks the time budget
 * before each hour: a rebuild reads the whole window (720 hours; minutes at 1M events a day), and
 * one that ran on past the budget was killed with the Lambda every run, never saved, so no hour was
 * ever evaluated again. One cut short returns what it folded, with the count of hours folded: the
 * caller saves it, and the next run carries on from its `foldedToMs` (it is `reusable` then).
 * `atLeastOne`: an hour is folded even out of time, so that the rebuild goes on ({@link mayRefold}).
 */
async function bringProfileTo(
  profile: LoginProfile,
  hourMs: number,
  window: { floorMs: number; rebuildFromMs: number },
  input: { context: EvaluationContext; cache: HourCache; userStates: UserStates },
  atLeastOne = false,
): Promise<{ profile: LoginProfile; folded: number; whole: boolean }> {
  const { context, cache } = input;
  const { settings, instance } = context;
  if (profile.covers(hourMs, settings.historyDays, window.floorMs))
    return { profile, folded: 0, whole: true };
  const from = Math.max(hourMs - settings.historyDays * DAY_MS, window.floorMs);
  const start = Math.min(from, Math.max(window.rebuildFromMs, window.floorMs));
  // A rebuild cut short before `from` is carried on too: it started at `start`, up to
  // `recheckHours` before `from`, and one that had to reach `from` to be reused began again at
  // `start` every run and stopped at the same hour for good.
  const reusable = !profile.empty && profile.foldedFromMs <= from && profile.foldedToMs >= start;
  const target = reusable ? profile : new LoginProfile(instance, settings.timeZone);
  let hour = reusable ? profile.foldedToMs : start;
  let folded = 0;
  for (; hour < hourMs; hour += HOUR_MS) {
    if (!context.mayContinue() && (folded > 0 || !atLeastOne)) break;
    if (!judged(context, hour)) {
      target.fold(hour, [], NOT_JUDGED);
      continue;
    }
    const read = await readFolded(context, cache, hour, input.userStates);
    target.fold(hour, signInsOf(read.events), read.version);
    folded++;
  }
  return { profile: target, folded, whole: hour >= hourMs };
}

/**
 * What the lake's digest chain says was rewritten since digest `from`, applied to the profile: the
 * folded hours whose object changed (all of them when the chain could not be read in full, or the
 * profile predates versions) lose their version, so they are folded again in this run or, if it
 * stops first, in the next one. Read before any hour of this run, so nothing written after it is
 * missed. Returns the changes read from `from` (the late pass's), those the profile went by
 * (`profileNext` the next digest it is to read) and the stale hours.
 *
 * More than {@link MAX_DIGESTS_PER_RUN} digests from `from`: the late pass carries on from where
 * the reading stopped in the next run (restarted at the chain's end, it dropped every hour named
 * after the first 500: a lockout re-pulled after a week's pause of the alerts was never sent).
 * The profile, which needs only the digests from its own place, reads from there when that is
 * later (a catch-up's later runs: the checkpoint behind, the profile at the chain's end); one
 * that too finds more than 500 is folded again from the lake, and goes on from the chain's end.
 */
async function lookForRewrites(
  profile: LoginProfile,
  context: EvaluationContext,
  from: number | undefined,
): Promise<{ changes: LakeChanges; forProfile: LakeChanges; stale: number[] }> {
  const { store, instance } = context;
  const changes = await lakeChangesSince(store, instance, from);
  const own = profile.digestNext;
  const forProfile =
    changes.readTo !== undefined && own !== undefined && from !== undefined && own > from
      ? await lakeChangesSince(store, instance, own)
      : changes;
  if (forProfile.incomplete !== undefined) {
    context.log.warn('alerts: could not read which hours were rewritten; folding the login history again', {
      instance,
      reason: forProfile.incomplete,
    });
    profile.forgetVersions();
  }
  const stale = profile.staleHours(forProfile.versions);
  profile.forgetVersions(stale);
  return { changes, forProfile, stale };
}

/**
 * Old hours (before the recheck window) an ingest run rewrote that one run looks at for late
 * lockouts at most: a re-pull of weeks would otherwise make the run unbounded. The rest wait in
 * the alerts checkpoint for the next runs (pending-late-hours.ts), the newest first.
 */
export const MAX_LATE_HOURS_PER_RUN = 48;

/** Marks an alert found in an hour already evaluated: its event was stored after that. */
const markedLate = (alert: Alert): Alert => ({
  ...alert,
  evidence: `${alert.evidence}; arrived late: stored after its hour had been evaluated`,
});

/**
 * Whether the digests `changes` read were all read from where they were asked: in full, or up to
 * {@link MAX_DIGESTS_PER_RUN} of more (`readTo`), which the next run carries on from.
 */
const readInFull = (changes: LakeChanges): boolean =>
  changes.incomplete === undefined || changes.readTo !== undefined;

/**
 * The old hours (before `beforeMs`, the recheck window's first) `changes` says an ingest run
 * rewrote, with the digest that said so; not those before the checkpoint's floor (never
 * evaluated) nor those ending by where the first run was asked to start (not asked for), nor
 * those last named before the checkpoint's place in the chain: the chain is read from the login
 * profile's place when that is earlier, and a run that found them then recorded them (else a
 * profile left behind, while no hour is evaluated, had every run find the same hours again, and
 * the oldest of more than 48 never looked at).
 */
function foundLate(checkpoint: AlertCheckpoint, changes: LakeChanges, beforeMs: number): LateHours {
  const from = Math.max(checkpoint.floor_ms, checkpoint.raise_from_ms ?? Number.NEGATIVE_INFINITY);
  const recorded = readInFull(changes) ? (checkpoint.late_digest_next ?? 0) : 0;
  const found: LateHours = {};
  for (const [hour, digest] of changes.pulledIn) {
    if (hour < beforeMs && hour + HOUR_MS > from && digest >= recorded) found[String(hour)] = digest;
  }
  return found;
}

/**
 * What `read` gives, or `fallback` when the hour's object it reads does not read: warned of as
 * `what`, with how to mend it (the one warning of the late pass and of the login profile's
 * reads). A failure to fetch the object is thrown: the run stops before its writes, and the next
 * one reads it again.
 */
async function unlessDamaged<T, F>(
  context: EvaluationContext,
  read: () => Promise<T>,
  what: string,
  fallback: F,
): Promise<T | F> {
  try {
    return await read();
  } catch (error) {
    if (!(error instanceof DamagedHourError)) throw error;
    context.log.warn(`alerts: ${what}`, {
      instance: context.instance,
      object: error.key,
      hour: new Date(error.hourMs).toISOString(),
      reason: error.message,
      fix: `delete the object with its hour’s coverage manifest${deleteGuardNote(context.store.location)} and pull that hour again from Domo (an ingest cannot merge into it): the next alerts run reads it then; an earlier version restored mends the lake but writes no digest, so the alerts do not read it again (for late lockouts, for the login history)`,
    });
    return fallback;
  }
}

/**
 * An hour the login profile folds (bringing it up, folding a rewritten hour again). A damaged
 * object is warned of and folds as without sign-ins, under {@link DAMAGED_OBJECT}: thrown, it
 * failed every run, and no alert went out until the object was mended. The profile folds it once
 * (the chain names it again only when it is rewritten), so this warns once. The user states it
 * holds are noted in `userStates`: a deactivation in an hour only the profile reads (the history of
 * a rebuild after an upgrade or a lost state, an hour rewritten since) was missed otherwise.
 */
async function readFolded(
  context: EvaluationContext,
  cache: HourCache,
  hour: number,
  userStates: UserStates,
): Promise<LakeHour> {
  const read = await unlessDamaged(
    context,
    () => cache.read(hour),
    'an hour of the login history does not read: folded as without sign-ins',
    { events: [], version: DAMAGED_OBJECT },
  );
  noteUserStates(userStates, read.events);
  return read;
}

/**
 * The events of old rewritten hour `hour` and of the hour before, or undefined when the hour's
 * object is damaged (warned of, naming it). A damaged hour before it reads as empty (warned of):
 * it holds only the evidence of failures before a lockout.
 */
async function readLate(
  context: EvaluationContext,
  cache: HourCache,
  hour: number,
): Promise<{ events: AlertEvent[]; before: AlertEvent[] } | undefined> {
  const read = await unlessDamaged(
    context,
    () => cache.read(hour),
    'an old hour an ingest rewrote does not read: not looked at for late lockouts',
    undefined,
  );
  if (read === undefined) return undefined;
  const before = await unlessDamaged(
    context,
    () => cache.get(hour - HOUR_MS),
    'the hour before an old rewritten hour does not read: taken as empty',
    [],
  );
  return { events: read.events, before };
}

/**
 * The lockouts of the old hours an ingest run rewrote (those found now, and those the checkpoint
 * kept), at most {@link MAX_LATE_HOURS_PER_RUN}, the newest first: their new events (Domo serving
 * them hours late, a re-pull) were never evaluated. Those already raised come again with the same
 * ids and are not taken in twice (the archive knows them). Lockouts only: a lockout's id is its
 * event's, while a burst's is its window's failures', which a late failure changes, and the
 * record that keeps a moved burst from going out again covers the recheck window's hours only (a
 * second alert for an attack already alerted, review R-ALERTS2); a burst of late failures alone is
 * not raised. Needs no login profile, so a rebuild does not hold it.
 */
async function lookLate(
  input: { context: EvaluationContext; profile: LoginProfile; cache: HourCache; userStates: UserStates },
  checkpoint: AlertCheckpoint,
  changes: LakeChanges,
  beforeMs: number,
): Promise<{ alerts: Alert[]; left: number; pass: LatePass }> {
  const { context, profile, cache } = input;
  const { instance, settings } = context;
  const found = foundLate(checkpoint, changes, beforeMs);
  const view: LateHours = { ...checkpoint.late_hours };
  for (const [hour, digest] of Object.entries(found)) view[hour] = Math.max(view[hour] ?? -1, digest);
  const detectors = (context.detectors ?? DETECTORS).filter((d) => OLD_HOURS_DETECTORS.has(d));
  const hours = lateHoursOf(view).reverse();
  const looked: LateHours = {};
  const alerts: Alert[] = [];
  for (const hour of hours.slice(0, MAX_LATE_HOURS_PER_RUN)) {
    if (!context.mayContinue()) break;
    const read = await readLate(context, cache, hour);
    if (read) {
      // A deactivation served late is noted too: no other pass reads its hour again.
      noteUserStates(input.userStates, read.events);
      const period = { instance, fromMs: hour, toMs: hour + HOUR_MS, ...read, settings, profile };
      appendAll(alerts, detectAlerts(period, detectors).map(markedLate));
    }
    // A damaged hour is dropped too: read again it stays damaged, and kept it would stop every run
    // or take a place of the 48 for good; pulled again once deleted, a new digest names it.
    looked[String(hour)] = view[String(hour)] ?? -1;
  }
  const left = hours.length - Object.keys(looked).length;
  return {
    alerts,
    left,
    pass: { found, looked, digestNext: changes.readTo ?? changes.next, restarted: !readInFull(changes) },
  };
}

/** The profile's hours of unknown version the run folds again: all but those it evaluates (folded then). */
const toRefold = (profile: LoginProfile, queued: ReadonlySet<number>): number[] =>
  profile.staleHours(new Map()).filter((hour) => !queued.has(hour));

/**
 * Folds again the profile's hours of unknown version, except those the run evaluates (folded then),
 * while there is time, and one at least: the early pass goes first and re-reads the recheck window
 * every run, so a budget it took whole left the refold none, run after run, and the profile's
 * alerts were held for good (review R-ALFIX2 L6). One hour's read past the budget is a few seconds
 * of the minute kept for taking the alerts in and delivering them. Returns how many it folded.
 */
async function refoldStale(
  profile: LoginProfile,
  queued: ReadonlySet<number>,
  input: { context: EvaluationContext; cache: HourCache; userStates: UserStates },
): Promise<number> {
  const { context, cache, userStates } = input;
  let refolded = 0;
  for (const hour of toRefold(profile, queued)) {
    if (!context.mayContinue() && refolded > 0) break;
    const read = await readFolded(context, cache, hour, userStates);
    profile.fold(hour, signInsOf(read.events), read.version);
    refolded++;
  }
  return refolded;
}

/**
 * Whether the run folds hours again ({@link refoldStale}), the login profile brought up to `first`
 * (the run's first hour) while there is time. Out of time after the early pass, a profile that
 * covers it already is folded again all the same (an hour), and one being rebuilt is brought an
 * hour further, then not folded again in this run: the early pass starved the rebuild as it did
 * the refold (review R-ALFIX2 L6).
 */
async function mayRefold(
  context: EvaluationContext,
  span: { first: number | undefined; floorMs: number },
  profile: LoginProfile,
  ready: (hour: number, atLeastOne: boolean) => Promise<boolean>,
): Promise<boolean> {
  const { first, floorMs } = span;
  if (first === undefined) return false;
  const going = context.mayContinue();
  if (profile.covers(first, context.settings.historyDays, floorMs)) return true;
  const whole = await ready(first, true);
  return going && whole;
}

/**
 * The hours still to be folded again that hours of the run wait for: none with no hour queued (the
 * refold goes on with the next new hour, and nothing waits for it).
 */
const refoldWaiting = (profile: LoginProfile, queued: ReadonlySet<number>): number =>
  queued.size === 0 ? 0 : toRefold(profile, queued).length;

/** What {@link reportRefold} tells of the refold: hours folded again, and stale hours left. */
interface RefoldProgress {
  refolded: number;
  /** Hours still to fold again that the run's hours waited for ({@link refoldWaiting}). */
  waiting: number;
  /** Stale hours of the profile at the end of the run, and as the last run stored it. */
  left: number;
  leftAfterLastRun: number;
}

/**
 * Says what the run folded again, and whether hours wait to be: then the new hours wait for the
 * next run (their lockouts, bursts and sprays went ahead: {@link evaluateEarly}), a warning, since
 * the other alerts are held a run or more (a whole window after `enrich` of it, a missing digest, a
 * week's pause). Whenever hours wait, not only when the refold ran out of time: the early pass can
 * take the whole budget before the refold starts (review R-ALFIX L6). With the hours left and
 * whether they fell since the last run: the warning repeats each run of the refold, and only those
 * tell one that progresses from one that does not (review R-ALFIX2 L6).
 */
function reportRefold(context: EvaluationContext, progress: RefoldProgress): void {
  const { refolded, left, leftAfterLastRun } = progress;
  const fields = {
    instance: context.instance,
    hours: refolded,
    hoursLeft: left,
    hoursLeftAfterLastRun: leftAfterLastRun,
    falling: left < leftAfterLastRun,
  };
  if (progress.waiting > 0) {
    context.log.warn(
      'login profile: hours rewritten since (enrich, a re-pull, an unreadable digest chain) are still being folded again, at least one a run: the new hours wait for it (their lockouts, bursts and sprays went ahead); hoursLeft says how many are left, falling whether fewer than after the last run',
      fields,
    );
  } else if (refolded > 0) {
    context.log.info('login profile: folded again the hours rewritten since (enrich, re-pull)', fields);
  }
}

/**
 * The hours before `next_hour_ms` to evaluate again, ascending: from the first of the recheck
 * window whose content changed or that was rewritten, every hour up to `next_hour_ms`. An hour's
 * alerts depend on the hours before it (a burst counted across the boundary, a lockout's evidence
 * of the hour before, the history and previous place of a sign-in), so late events in one hour
 * can raise an alert in the next one; the alerts those hours had raised already come again with
 * the same ids and are not taken in twice.
 */
function recheckQueue(
  context: EvaluationContext,
  checkpoint: AlertCheckpoint,
  watermarkMs: number,
  changed: ReadonlyMap<number, string>,
  rewritten: readonly number[],
): number[] {
  const { from, to } = recheckWindow(context, checkpoint, watermarkMs);
  const first = Math.min(...changed.keys(), ...rewritten.filter((hour) => hour >= from && hour < to));
  const queue: number[] = [];
  for (let hour = first; hour < to; hour += HOUR_MS) queue.push(hour);
  return queue;
}

/**
 * The content hashes an evaluation records. A recheck cut short (out of time) records none of
 * its hours: a changed hour recorded as evaluated would not be looked at again, and the hours
 * after it that were not evaluated again would never be.
 */
function recordable(evaluated: Map<number, string>, rechecks: readonly number[]): Map<number, string> {
  if (rechecks.every((hour) => evaluated.has(hour))) return evaluated;
  for (const hour of rechecks) evaluated.delete(hour);
  return evaluated;
}

/**
 * Why the run evaluates early from `firstMs` ({@link evaluateEarly}): the profile does not cover it
 * (`rebuilt`), or it has hours to fold again first (`refolding`); undefined when neither, or there
 * is no history to fold (a first run from the lake's first hour): the hours are evaluated in full
 * at once.
 */
function whyEarly(
  context: EvaluationContext,
  floorMs: number,
  firstMs: number,
  input: { profile: LoginProfile; stale: number },
): 'rebuilt' | 'refolding' | undefined {
  const { historyDays } = context.settings;
  if (Math.max(firstMs - historyDays * DAY_MS, floorMs) >= firstMs) return undefined;
  if (!input.profile.covers(firstMs, historyDays, floorMs)) return 'rebuilt';
  return input.stale > 0 ? 'refolding' : undefined;
}

/**
 * While the login profile is rebuilt (deleted or unreadable, the report's zone changed, a format
 * upgrade), or has hours to fold again first (`stale`: rewritten since, by `enrich` over the window
 * or a re-pull; all of them when the digest chain is unreadable or too long, or the profile predates
 * versions), either of which can take several runs, evaluates the hours from `firstMs` (the run's
 * first hour) with the detectors that need no profile: lockouts, bursts and sprays then go out when
 * they would have, not after the rebuild or the folding. Until 2026-12-05 only a rebuild had it, and
 * a profile folded again in full held them a run or more (review R-ALERTSTIME, item 1). It starts again `recheckHours` before where the last early
 * pass stopped (late events), and reads at most `maxHoursPerRun` hours past that. The profile's detectors
 * judge these hours once it is whole, with the others again: what those find again has the same
 * ids and is not taken in twice. Returns where it stopped, undefined when it evaluated nothing.
 */
async function evaluateEarly(
  context: EvaluationContext,
  checkpoint: AlertCheckpoint,
  span: { firstMs: number | undefined; watermarkMs: number; floorMs: number },
  input: { profile: LoginProfile; stale: number; cache: HourCache },
  found: Found,
): Promise<number | undefined> {
  const { instance, settings } = context;
  const { profile, cache } = input;
  const { firstMs } = span;
  const why = firstMs === undefined ? undefined : whyEarly(context, span.floorMs, firstMs, input);
  if (firstMs === undefined || why === undefined) return undefined;
  const rebuilt = why === 'rebuilt';
  const detectors = (context.detectors ?? DETECTORS).filter((d) => PROFILE_FREE_DETECTORS.has(d));
  if (detectors.length === 0) return undefined;
  const lastEarly = checkpoint.early_next_hour_ms ?? firstMs;
  const from = Math.max(firstMs, lastEarly - settings.recheckHours * HOUR_MS);
  // New hours counted from where the last early pass stopped, not from `from`: with
  // `maxHoursPerRun` at most `recheckHours`, it never got past that hour again.
  const to = Math.min(span.watermarkMs, lastEarly + settings.maxHoursPerRun * HOUR_MS);
  let next: number | undefined;
  for (let hour = from; hour < to && context.mayContinue(); hour += HOUR_MS) {
    if (!judged(context, hour)) continue;
    const { events } = await cache.read(hour);
    const before = await cache.get(hour - HOUR_MS);
    const input: SprayInput & ExportInput & DeactivationInput = {
      ...{ instance, fromMs: hour, toMs: hour + HOUR_MS, events, before, profile, settings },
      raisedBursts: found.raisedBursts,
      raisedSprays: found.raised.sprays,
      raisedExports: found.raised.exports,
      goingOn: found.goingOn,
      userStates: found.userStates,
      maxDays: context.maxDays,
    };
    const alerts = detectAlerts(input, detectors);
    noteUserStates(found.userStates, events);
    recordRaisedBursts(found.raisedBursts, alerts, [...before, ...events], found.bursts);
    recordRaisedTimes(found.raised, alerts, found.goingOn);
    appendAll(found.alerts, alerts);
    next = hour + HOUR_MS;
  }
  if (next !== undefined) {
    context.log.info(
      rebuilt
        ? 'login profile rebuilt: lockouts and bursts evaluated ahead of the other alerts'
        : 'login profile folded again: lockouts and bursts evaluated ahead of the other alerts',
      { instance, hours: (next - from) / HOUR_MS, ...(rebuilt ? {} : { staleHours: input.stale }) },
    );
  }
  return next;
}

/** Whether the checkpoint keeps old rewritten hours to look at for late lockouts. */
const hasLateHours = (checkpoint: AlertCheckpoint): boolean =>
  Object.keys(checkpoint.late_hours ?? {}).length > 0;

/**
 * Where this run reads the digest chain from: the earlier of where the login profile and the
 * alerts checkpoint stopped reading. The profile is written before the checkpoint, so a run that
 * died between them left the checkpoint behind: reading from it finds the old rewritten hours
 * again (the profile folds a few hours again, no more); a lost profile reads from the checkpoint.
 */
function chainFrom(profileNext: number | undefined, checkpointNext: number | undefined): number | undefined {
  if (profileNext === undefined) return checkpointNext;
  return checkpointNext === undefined ? profileNext : Math.min(profileNext, checkpointNext);
}

/** Stores the login profile, pruned to what later runs need, to read the chain from `digestNext` next. */
async function saveProfile(
  context: EvaluationContext,
  profile: LoginProfile,
  nextHourMs: number,
  digestNext: number | undefined,
): Promise<void> {
  const { store, instance, settings } = context;
  profile.digestNext = digestNext;
  profile.prune(nextHourMs - (settings.recheckHours + 1) * HOUR_MS - settings.historyDays * DAY_MS);
  const body = profile.encode();
  logProfileSize(
    context.log,
    instance,
    profile,
    body.byteLength,
    context.memoryBytes,
    context.peakMemoryBytes,
  );
  await store.put(alertsStateKey(instance, 'login-profile.json.gz'), body, {
    contentType: 'application/gzip',
  });
}

/**
 * The alerts of the early pass and of the full one, each once: an hour the profile was brought
 * up to in the same run is evaluated by both, and an alert found twice has the same id. Listed in
 * the order the full pass alone lists them.
 */
function withEarly(early: readonly Alert[], full: Alert[]): Alert[] {
  if (early.length === 0) return full;
  const byId = new Map([...early, ...full].map((a) => [a.id, a]));
  return [...byId.values()].sort(byAlertOrder);
}

/** The hours from `fromMs` up to `toMs` the run judges, ascending. */
function judgedHours(context: EvaluationContext, fromMs: number, toMs: number): number[] {
  const hours: number[] = [];
  for (let hour = fromMs; hour < toMs; hour += HOUR_MS) {
    if (judged(context, hour)) hours.push(hour);
  }
  return hours;
}

/**
 * Evaluates the hours changed since they were evaluated, then the new hours up to the watermark
 * (at most `maxHoursPerRun`, and only while `mayContinue`), and saves the login profile.
 */
export async function evaluateHours(
  context: EvaluationContext,
  checkpoint: AlertCheckpoint,
  watermarkMs: number,
): Promise<Evaluation> {
  const { store, instance, settings } = context;
  const cache = new HourCache(store, instance, keptReadsOf(settings));
  const hours = await changedHours(context, checkpoint, watermarkMs);
  const end = Math.min(watermarkMs, checkpoint.next_hour_ms + settings.maxHoursPerRun * HOUR_MS);
  let nextHourMs = checkpoint.next_hour_ms;
  const alerts: Alert[] = [];
  const evaluated = new Map<number, string>();
  const bursts = new Map<string, RaisedBurst>();
  if (hours.size === 0 && nextHourMs >= end && !hasLateHours(checkpoint)) {
    return { alerts, evaluated, nextHourMs, bursts };
  }
  // The bursts taken in, and those the hours of this run raise before the next one is evaluated.
  const raisedBursts = structuredClone(checkpoint.bursts);
  const goingOn: GoingOn = { sprays: {}, exports: {} };
  // The sprays and bulk exports recorded, and those the hours of this run raise or see going on.
  const raised: GoingOn = {
    sprays: structuredClone(checkpoint.sprays),
    exports: structuredClone(checkpoint.exports),
  };
  // The users seen deactivated before, and those the hours of this run see (user-states.ts).
  const userStatesRead = await loadUserStates(store, instance);
  const userStates = structuredClone(userStatesRead);
  let profile = await loadProfile(context);
  const leftAfterLastRun = profile.staleHours(new Map()).length;
  const readFrom = chainFrom(profile.digestNext, checkpoint.late_digest_next);
  const { changes, forProfile, stale } = await lookForRewrites(profile, context, readFrom);
  const rechecks = recheckQueue(context, checkpoint, watermarkMs, hours, stale);
  const queue = [...rechecks, ...judgedHours(context, checkpoint.next_hour_ms, end)];
  const window = {
    floorMs: checkpoint.floor_ms,
    rebuildFromMs: recheckWindow(context, checkpoint, watermarkMs).from - settings.historyDays * DAY_MS,
  };
  let folded = 0;
  // Brings the profile to `hour`; whether it got there (false: out of time while rebuilding).
  const ready = async (hour: number, atLeastOne = false): Promise<boolean> => {
    const brought = await bringProfileTo(profile, hour, window, { context, cache, userStates }, atLeastOne);
    profile = brought.profile;
    folded += brought.folded;
    return brought.whole;
  };
  let refolded = 0;
  const late = await lookLate(
    { context, profile, cache, userStates },
    checkpoint,
    changes,
    recheckWindow(context, checkpoint, watermarkMs).from,
  );
  const [first] = queue;
  const queued = new Set(queue);
  const early: Alert[] = [];
  // Whenever hours wait to be folded again the run may not reach the new ones: the early pass goes
  // first. Its alerts keep their ids, so the full pass finds them again without a second send.
  const earlyNextHourMs = await evaluateEarly(
    context,
    checkpoint,
    { firstMs: first, watermarkMs, floorMs: window.floorMs },
    { profile, stale: toRefold(profile, queued).length, cache },
    { alerts: early, raisedBursts, bursts, goingOn, raised, userStates },
  );
  if (await mayRefold(context, { first, floorMs: window.floorMs }, profile, ready)) {
    refolded = await refoldStale(profile, queued, { context, cache, userStates });
  }
  const waiting = refoldWaiting(profile, queued);
  for (const hour of queue) {
    // A rebuild cut short holds part of the window: judged against it, a user's sign-ins would be
    // new places and hours (and the profile cannot fold an hour past its end). The next run goes on.
    if (!context.mayContinue() || !(await ready(hour))) break;
    const { events, version } = await cache.read(hour);
    const before = await cache.get(hour - HOUR_MS);
    const input: SprayInput & ExportInput & DeactivationInput = {
      ...{ instance, fromMs: hour, toMs: hour + HOUR_MS, events, before, profile, settings },
      raisedBursts,
      raisedSprays: raised.sprays,
      raisedExports: raised.exports,
      goingOn,
      userStates,
      maxDays: context.maxDays,
    };
    const found = detectAlerts(input, context.detectors ?? DETECTORS);
    noteUserStates(userStates, events);
    recordRaisedBursts(raisedBursts, found, [...before, ...events], bursts);
    recordRaisedTimes(raised, found, goingOn);
    appendAll(alerts, found);
    profile.fold(hour, signInsOf(events), version);
    evaluated.set(hour, hours.get(hour) ?? (await hourContentHash(store, instance, hour)));
    if (hour >= nextHourMs) nextHourMs = hour + HOUR_MS;
  }
  const left = profile.staleHours(new Map()).length;
  reportRefold(context, { refolded, waiting, left, leftAfterLastRun });
  // Every hour queued evaluated: the hours after the last that the run does not judge are passed too.
  if (evaluated.size === queue.length) nextHourMs = Math.max(nextHourMs, end);
  // A rebuild cut short is saved too: the next run carries on from where it stopped. The old
  // rewritten hours left to look at are the checkpoint's to keep (the evaluation's `late`).
  if (evaluated.size > 0 || refolded > 0 || folded > 0) {
    await saveProfile(context, profile, nextHourMs, forProfile.next);
  }
  await saveUserStates(store, instance, userStates, userStatesRead, nextHourMs, context.maxDays);
  return {
    alerts: withEarly([...early, ...late.alerts], alerts),
    late: { ids: new Set(late.alerts.map((a) => a.id)), hoursLeft: late.left, pass: late.pass },
    evaluated: recordable(evaluated, rechecks),
    nextHourMs,
    bursts,
    goingOn,
    earlyNextHourMs,
  };
}

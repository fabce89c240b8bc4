/**
 * `alerts-state/instance=<i>/checkpoint.json`: everything that makes alerts go out once. One object
 * per instance, always replaced with a conditional put on the ETag that was read
 * ({@link updateAlertCheckpoint}), so concurrent runs serialise on it and nothing is lost:
 * - `next_hour_ms`: every hour before it has been evaluated;
 * - `early_next_hour_ms`: the hours from `next_hour_ms` up to it had their lockouts and bursts
 *   taken in while the login profile was rebuilt or folded again; evaluated in full once it is whole, their alerts
 *   come again with the same ids, which `recent` (kept from `next_hour_ms` on) knows;
 * - `evaluated`: the content hash each recent hour had when evaluated (a changed hash, from late
 *   events the ingest's lookback found, gets the hour evaluated again);
 * - `recent`: ids of the alerts of recent hours already taken in, so evaluating an hour again never
 *   takes the same alert twice;
 * - `bursts`: the failed-login bursts taken in for the same recent hours, by user (when raised, the
 *   addresses of their window: raised-bursts.ts), so a recheck does not send a burst a late failure
 *   shifted again under another id;
 * - `sprays`: the password sprays taken in for the same recent hours, by address (when raised:
 *   raised-sprays.ts), so a recheck does not send a spray a late failure shifted again;
 * - `exports`: the bulk exports taken in for the same recent hours, by who did them (when raised:
 *   raised-exports.ts), so a recheck does not send a bulk export a late export shifted again;
 * - `places`: the place alerts taken in for the same recent hours, by id (the country, owner or
 *   journey each named: raised-places.ts), so a recheck does not send a place a late, earlier
 *   sign-in moved again under another id;
 * - `late_hours`, `late_digest_next`: old hours an ingest rewrote, still to be looked at for late
 *   lockouts, and where the digest chain is read from next (pending-late-hours.ts);
 * - `raise_from_ms`: where the first run was asked to start; nothing before it is raised;
 * - `archive`: alerts taken in but not yet written under `alerts/`, each with when and by which
 *   run it was taken in;
 * - `quieted_archived`: how many quieted alerts each expected-activity rule archived today (UTC);
 * - `channels`: per delivery channel, the `outbox` (alerts waiting, each with when it was taken
 *   in), the `sending` claim of the run
 *   delivering them, and what ended `unknown` (a delivery that may or may not have arrived: its
 *   alerts go back to the outbox marked `unconfirmed` and out again as a possible repeat, until
 *   they have gone out {@link MAX_UNCONFIRMED} times over {@link GIVE_UP_UNCONFIRMED_MS}), with
 *   what the next message is to tell of those that had gone out that long (`unknown_notices`).
 * Taking an alert in (outbox) happens in the same write that moves `next_hour_ms`, so a crash can
 * neither lose it nor take it twice.
 */
import * as z from 'zod';
import { updateConditionally } from '../lake/conditional-update.ts';
import { deleteGuardNote } from '../lake/delete-guard-note.ts';
import { alertsStateKey } from '../lake/layout.ts';
import { storedJsonOf } from '../lake/stored-json.ts';
import { NewerVersionError, newerVersionIn, newerVersionReason } from '../lake/stored-version.ts';
import type { ObjectStore, StoredObject } from '../ports.ts';
import { floorHour, HOUR_MS } from '../time-units.ts';
import { ALERT_KINDS, type Alert, withBoundedAddressTexts } from './alert.ts';
import { eventSpan } from './event-span.ts';
import { rowOrder } from './listed-alerts.ts';
import { changeKindOf } from './privileged-change-order.ts';
import { namedAtMost, unknownKindsIn } from './unknown-kinds.ts';

/**
 * Loose, as the checkpoint and its channels: a field a later release adds to an alert (as
 * `ip_addresses` was) survives this one's rewrite of the alerts waiting in the archive and outboxes,
 * so a rollback does not take it from an alert the later release then delivers. Typed as an Alert:
 * the fields it does not know are carried, not read.
 */
const alertFields = {
  id: z.string(),
  instance: z.string(),
  kind: z.enum(ALERT_KINDS),
  user_id: z.string().nullable(),
  user_name: z.string().nullable(),
  event_time: z.string(),
  event_time_ms: z.number(),
  evidence: z.string(),
  ip_address: z.string().nullable(),
  event_ids: z.array(z.string()),
  geo_db_version: z.string().optional(),
  departure_geo_db_version: z.string().optional(),
  user_names: z.array(z.string()).optional(),
  ip_addresses: z.array(z.string()).optional(),
  ip_addresses_partial: z.boolean().optional(),
  actor_id: z.string().optional(),
  actor_name: z.string().optional(),
};

/**
 * An alert waiting in a channel's outbox (or claimed from it), with when it was taken in: that
 * tells a late message whether its oldest alert was found late or waited for a refusing channel
 * (deliver-alerts.ts). Until 2026-12-05 it was judged when the first refused attempt that carried
 * it was claimed, and an alert taken in on time but first attempted a run later read as found late
 * (review R-ALFIX3 L1). Absent from alerts taken in before, or by an older release after a
 * rollback: the claim stands in for it then.
 */
export type OutboxAlert = Alert & {
  detected_at_ms?: number;
  since_alerting?: boolean;
  unconfirmed?: number;
  unconfirmed_since_ms?: number;
};

// Address texts bounded as the detector bounds them: an earlier release kept up to 20 texts of any
// length, and rejecting them would leave the checkpoint unreadable.
const outboxAlertSchema: z.ZodType<OutboxAlert> = z
  .looseObject({
    ...alertFields,
    detected_at_ms: z.number().optional(),
    /**
     * True for an alert about an event from when alerting began on (`alerting_since_ms`): one
     * sent long after its event was then held by an outage (of the ingest, Domo, the alerts or the
     * channel), and the message lists it, the gravest first, rather than only counting it as it
     * does the lake's history (render-alerts.ts). Absent: the lake's history, or taken in by a
     * release before it.
     */
    since_alerting: z.boolean().optional(),
    /**
     * Deliveries of the channel that carried it and ended without a confirmed outcome (a timeout,
     * a server error, a run that stopped while sending): it goes out again, its message marked as
     * a possible repeat, until one is confirmed or it has gone out {@link MAX_UNCONFIRMED} times
     * over {@link GIVE_UP_UNCONFIRMED_MS} (deliver-alerts.ts). Absent: none.
     */
    unconfirmed: z.number().int().optional(),
    /**
     * When the first of those deliveries was claimed: an alert stops going out only once that is
     * {@link GIVE_UP_UNCONFIRMED_MS} old too. Absent: none, or counted by a release before it (the
     * next unknown outcome starts the clock then).
     */
    unconfirmed_since_ms: z.number().optional(),
  })
  .transform(withBoundedAddressTexts);

/**
 * An alert waiting in the checkpoint's `archive` list, with when it was taken in and by which run:
 * the archive's `detected_at` and `run_id`, which the run that writes its object (a later one,
 * for a backlog or a run out of time) gave instead until 2026-12-05 (review R-ALFIX2 L7). Absent
 * from entries written before: that run's then.
 */
export type ArchivedAlert = Alert & { detected_at_ms?: number; detected_run_id?: string };

const archivedAlertSchema: z.ZodType<ArchivedAlert> = z
  .looseObject({
    ...alertFields,
    detected_at_ms: z.number().optional(),
    detected_run_id: z.string().optional(),
  })
  .transform(withBoundedAddressTexts);

/**
 * Alerts folded out of an outbox that passed {@link MAX_OUTBOX}: only their number, by kind, and
 * the span of their events stay; the message counts them, and the archive holds each one.
 */
const foldedSchema = z.object({
  count: z.number().int(),
  kinds: z.partialRecord(z.enum(ALERT_KINDS), z.number().int()),
  /**
   * Of the privileged changes among them, how many of each kind of change (`change_kind`, an
   * unknown one as `other`), so the message still names the gravest (a role raise folded under a
   * flood); keys any text, so a later release's kind does not make the checkpoint unreadable.
   * Absent: none, or a record written before it (2026-12-07), whose changes are counted unnamed.
   */
  change_kinds: z.record(z.string(), z.number().int()).optional(),
  /**
   * How many of them were marked `since_alerting` (raised after alerting began), and the newest
   * event among those: a message counts them as late, held by an outage, when that event is before
   * its cutoff (render-alerts.ts `HeldRows`); folded, they lost the mark, and the subject's `late`
   * tag and the late line left them out (review R2ALERT, 2026-12-07). Absent: none, or a record
   * written before it, whose alerts are counted as not held. A release before it drops both keys.
   */
  since_alerting: z.number().int().optional(),
  since_alerting_newest_ms: z.number().optional(),
  /**
   * Of those marked, how many were about events before the cutoff of the run that folded them (its
   * time less `mailOlderThanHours`): late for every message after it, whose cutoff is later. The
   * others by the hour of their event (its start, as a string), moved into this count once a later
   * fold's cutoff passes the hour's end: a message counts an hour late when it ends by its cutoff.
   * With the newest alone, a record spanning the cutoff counted none of them late (2026-12-07).
   * Absent: a record written before them, whose marked alerts go by the newest alone.
   */
  since_alerting_late: z.number().int().optional(),
  since_alerting_hours: z.record(z.string(), z.number().int()).optional(),
  oldest_ms: z.number(),
  newest_ms: z.number(),
  /**
   * When the alerts of the oldest event were taken in (the latest of them), if each of them says:
   * the outbox folds its oldest events first, so in a backlog the one a late message is judged by
   * would otherwise lose its take-in time (review R-LAST3 L1). Absent in older records.
   */
  oldest_detected_at_ms: z.number().optional(),
  /** How many of them were in a delivery whose outcome is unknown, and go out again; absent: none. */
  unconfirmed: z.number().int().optional(),
  /**
   * The record's own deliveries of unknown outcome and when the first was claimed, as an alert's
   * `unconfirmed` and `unconfirmed_since_ms`: it is given up by its own, not with the whole alerts
   * beside it (review R-ALERT6 F3/F4). Absent in older records: their clock starts at the next.
   */
  unconfirmed_sends: z.number().int().optional(),
  unconfirmed_since_ms: z.number().optional(),
});

const sendingSchema = z.object({
  attempt_id: z.string(),
  claimed_at_ms: z.number(),
  alerts: z.array(outboxAlertSchema),
  /**
   * When the claiming run ends at the latest (its Lambda's timeout), so that a claim it left is
   * known stale soon after; absent from claims of runs without a deadline, and of older releases.
   */
  until_ms: z.number().optional(),
  /** The outbox's count record, claimed with its alerts; absent: none folded. */
  folded: foldedSchema.optional(),
});

const unknownSchema = z.object({
  at: z.string(),
  error: z.string(),
  alert_ids: z.array(z.string()),
  /** How many alerts it carried by id, when more than `alert_ids` keeps; absent: those. */
  ids_count: z.number().int().optional(),
  /** Alerts of that delivery only counted (folded), not named in `alert_ids`. */
  folded: z.number().int().optional(),
  /** How many of its alerts were put back to be sent again (the rest had gone out too often). */
  resent: z.number().int().optional(),
});

/**
 * A delivery whose outcome is unknown and whose alerts had gone out as long as they may
 * (or any such delivery, recorded before 2026-12-05), still to be told to the channel's recipients:
 * the next message delivered on the channel says it may not have arrived and how to find its
 * alerts in the archive (they are not sent again), and the notice is dropped once that message is
 * delivered. Apart from `unknown` (the operators' record): an entry of it written before notices
 * were is never told, so an upgrade does not tell of old outcomes. Loose, as the channel.
 */
const unknownNoticeSchema = z.looseObject({
  at: z.string(),
  /**
   * The first ids of the alerts it carried, at most 11 (deliver-alerts.ts): the message names them
   * only up to 10, and 20 notices of 1,000 ids doubled the worst-case checkpoint (700 KB more).
   */
  alert_ids: z.array(z.string()),
  /** How many alerts it carried by id, when more than `alert_ids` keeps; absent: those. */
  ids_count: z.number().int().optional(),
  /** Alerts of that delivery only counted (folded), not named in `alert_ids`. */
  folded: z.number().int().optional(),
  kinds: z.partialRecord(z.enum(ALERT_KINDS), z.number().int()),
  /** The span of the events of those alerts (the archive's partitions to read). */
  oldest_ms: z.number(),
  newest_ms: z.number(),
});

// Loose, as the checkpoint: a field a later release adds to a channel survives this one's rewrite.
const channelSchema = z.looseObject({
  outbox: z.array(outboxAlertSchema),
  sending: sendingSchema.nullable(),
  /** Failed attempts in a row, refused or of unknown outcome (reset by a delivery that works). */
  failures: z.number().int(),
  last_error: z.string().nullable(),
  /**
   * The refusals in a row that put the alerts now waiting back in the outbox, and the oldest event
   * of the last refused attempt (its alerts and those it only counted): a message says its alerts
   * waited for the channel only then, and only when its oldest alert was among those and was still
   * on time when it was first refused (`oldest_on_time`). Absent when
   * the last failure was not a refusal (an unknown outcome's alerts go again as a marked repeat, which says why), after
   * a delivery that works, and in checkpoints written before it.
   */
  // `since_ms`: when the row's first refused attempt was claimed; `oldest_on_time`: whether the
  // alert of `oldest_ms` was within 2 hours of its event when the attempt that first carried it
  // in the row was claimed (one taken in late during the row was not: review R-LAST L1);
  // `delivered` and `failures`: the channel's counts when the record was made (a record beside
  // other counts is stale: an older release delivered, or failed, without clearing it); each
  // absent in records written before it. Loose: a later release's fields in it survive.
  refused: z
    .looseObject({
      in_row: z.number().int(),
      oldest_ms: z.number(),
      since_ms: z.number().optional(),
      oldest_on_time: z.boolean().optional(),
      delivered: z.number().int().optional(),
      failures: z.number().int().optional(),
    })
    .optional(),
  delivered: z.number().int(),
  /** The latest deliveries whose outcome is unknown (kept for operators; at most {@link MAX_UNKNOWN}). */
  unknown: z.array(unknownSchema),
  /** Absent from checkpoints written before it: none folded. */
  folded: foldedSchema.nullable().default(null),
  /**
   * Deliveries of unknown outcome the recipients have not been told of yet (at most
   * {@link MAX_UNKNOWN}); absent when none waits, and from checkpoints written before it.
   */
  unknown_notices: z.array(unknownNoticeSchema).optional(),
});

/** The alerts checkpoint's version this code reads and writes. */
const ALERT_CHECKPOINT_VERSION = 1;

/**
 * Loose: fields this code does not know (a later release's, read after a rollback to this one) are
 * kept and written back as they were, since every update changes the checkpoint as read. A strict
 * schema dropped them: `bursts` and `places` were lost that way to releases before them, and the
 * alerts they recorded could go out again after the next upgrade.
 */
const checkpointSchema = z.looseObject({
  version: z.literal(ALERT_CHECKPOINT_VERSION),
  instance: z.string(),
  /** Oldest hour any history reaches back to (the first hour of the lake when alerting began). */
  floor_ms: z.number().int(),
  next_hour_ms: z.number().int(),
  /**
   * Every hour from `next_hour_ms` up to this one was evaluated by the detectors that need no login
   * profile (lockouts, bursts) while the profile was being rebuilt; absent when none was.
   */
  early_next_hour_ms: z.number().int().optional(),
  evaluated: z.record(z.string(), z.string()),
  recent: z.record(z.string(), z.number()),
  /** Absent from checkpoints written before it: none recorded yet. */
  bursts: z.record(z.string(), z.array(z.tuple([z.number()], z.string().nullable()))).default({}),
  /** Absent from checkpoints written before it: none recorded yet. */
  places: z.record(z.string(), z.string()).default({}),
  /** Password sprays taken in, by address (raised-sprays.ts); absent from checkpoints written before it. */
  sprays: z.record(z.string(), z.array(z.number())).default({}),
  /** Bulk exports taken in, by who did them (raised-exports.ts); absent from checkpoints written before it. */
  exports: z.record(z.string(), z.array(z.number())).default({}),
  /**
   * Old hours (before the recheck window) an ingest run rewrote, still to be looked at for late
   * lockouts, each with the last digest that listed it (pending-late-hours.ts); absent: none.
   */
  late_hours: z.record(z.string(), z.number().int()).optional(),
  /**
   * The next digest of the chain to read for old rewritten hours; absent from checkpoints written
   * before it (the login profile's position is read from then).
   */
  late_digest_next: z.number().int().optional(),
  /**
   * Where the first run was asked to start (`startMs`): no alert of an event before it is raised,
   * however its hour comes to be evaluated (a recheck, a re-pull). Absent from checkpoints written
   * before it: no such bound.
   */
  raise_from_ms: z.number().optional(),
  /**
   * When the first run began (its clock): the events before it are the lake's history, which the
   * first runs catch up; an alert about a later event is taken in marked `since_alerting`. Absent
   * from checkpoints written before it: every alert is marked (their first runs are past).
   */
  alerting_since_ms: z.number().optional(),
  archive: z.array(archivedAlertSchema),
  /**
   * How many quieted alerts each rule (by a hash of the rule) archived on the UTC day `day`
   * (quieted-archive-bound.ts); only that day is kept. Absent: none archived yet.
   */
  quieted_archived: z.object({ day: z.string(), rules: z.record(z.string(), z.number().int()) }).optional(),
  channels: z.record(z.string(), channelSchema),
  updated_at: z.string(),
  run_id: z.string(),
});

export type AlertCheckpoint = z.infer<typeof checkpointSchema>;
export type ChannelState = z.infer<typeof channelSchema>;
export type Sending = z.infer<typeof sendingSchema>;
export type FoldedAlerts = z.infer<typeof foldedSchema>;
export type UnknownNotice = z.infer<typeof unknownNoticeSchema>;

export const MAX_UNKNOWN = 20;

/**
 * Fewest deliveries of unknown outcome an alert goes out in before it is recorded unknown and told
 * of (`unknown_notices`) rather than sent again, once the first of them is also
 * {@link GIVE_UP_UNCONFIRMED_MS} old. A channel timing out on every publish would otherwise resend
 * its alerts with every run for as long as it fails.
 */
export const MAX_UNCONFIRMED = 4;

/**
 * How long after its first delivery of unknown outcome an alert keeps going out again: bounded by
 * count alone, a failed run's two Lambda retries (1 and 3 minutes later) spent three of the four
 * tries, and a 16-minute outage lost a lockout (review R-ALERT5 1). Two hours: an alert older than
 * that is late anyway (the messages' mark), the notice then points at the archive, and a channel
 * that times out while delivering sends at most about 24 marked copies (4 runs an hour, each tried
 * 3 times) before it stops (decided 2026-12-05).
 */
export const GIVE_UP_UNCONFIRMED_MS = 2 * HOUR_MS;

/**
 * Most alerts an outbox keeps whole; the oldest beyond are folded into a count
 * ({@link capOutbox}). A channel that keeps refusing (sending paused, a deleted topic) would
 * otherwise keep every alert since the first refusal, and the checkpoint every run reads and
 * rewrites grew by megabytes a week, slowing the channel that works too. The message lists the
 * newest 50 only and the archive holds every alert, so nothing a reader sees is lost; 1,000 leaves
 * room for a day of an attack's alerts whole (the query to dig further reads them).
 */
export const MAX_OUTBOX = 1_000;

export const emptyChannel = (): ChannelState => ({
  outbox: [],
  sending: null,
  failures: 0,
  last_error: null,
  delivered: 0,
  unknown: [],
  folded: null,
});

/**
 * The count record of `alerts` (at least one). `lateBefore`: the cutoff of the run folding them
 * ({@link lateCutoff}), before which a marked alert is late for every later message.
 */
export function foldOf(alerts: readonly OutboxAlert[], lateBefore?: number): FoldedAlerts {
  const kinds: FoldedAlerts['kinds'] = {};
  const changes: Record<string, number> = {};
  let unconfirmed = 0;
  const sends: UnconfirmedSends = {};
  const marked: SinceAlerting = {};
  for (const alert of alerts) {
    kinds[alert.kind] = (kinds[alert.kind] ?? 0) + 1;
    if (alert.since_alerting === true) mergeMarked(marked, markedOne(alert.event_time_ms, lateBefore));
    if (alert.kind === 'privileged_change') {
      const change = changeKindOf(alert);
      changes[change] = (changes[change] ?? 0) + 1;
    }
    if ((alert.unconfirmed ?? 0) > 0) unconfirmed += 1;
    mergeSends(sends, {
      unconfirmed_sends: alert.unconfirmed,
      unconfirmed_since_ms: alert.unconfirmed_since_ms,
    });
  }
  const { oldestMs, newestMs } = eventSpan(alerts);
  const takenIn = latestTakeIn(alerts, oldestMs);
  return {
    count: alerts.length,
    kinds,
    ...(Object.keys(changes).length > 0 ? { change_kinds: changes } : {}),
    oldest_ms: oldestMs,
    newest_ms: newestMs,
    ...marked,
    ...(takenIn === undefined ? {} : { oldest_detected_at_ms: takenIn }),
    ...(unconfirmed > 0 ? { unconfirmed } : {}),
    ...sends,
  };
}

type SinceAlerting = Pick<
  FoldedAlerts,
  'since_alerting' | 'since_alerting_newest_ms' | 'since_alerting_late' | 'since_alerting_hours'
>;

/** When a message's alerts are late: `mailOlderThanHours` before `nowMs`. */
export const lateCutoff = (nowMs: number, mailOlderThanHours: number): number =>
  nowMs - mailOlderThanHours * HOUR_MS;

/** One marked alert of event `eventMs`, late when before `lateBefore`, else by its hour. */
function markedOne(eventMs: number, lateBefore: number | undefined): SinceAlerting {
  const late = lateBefore !== undefined && eventMs < lateBefore;
  const hour = String(floorHour(eventMs));
  return {
    since_alerting: 1,
    since_alerting_newest_ms: eventMs,
    ...(late ? { since_alerting_late: 1 } : { since_alerting_hours: { [hour]: 1 } }),
  };
}

/**
 * Takes `more`'s marked alerts into `into`: their sum and the newest event of them, those late and
 * those by hour summed.
 */
function mergeMarked(into: SinceAlerting, more: SinceAlerting): void {
  const marked = more.since_alerting ?? 0;
  if (marked <= 0 || more.since_alerting_newest_ms === undefined) return;
  into.since_alerting = (into.since_alerting ?? 0) + marked;
  into.since_alerting_newest_ms = Math.max(
    into.since_alerting_newest_ms ?? more.since_alerting_newest_ms,
    more.since_alerting_newest_ms,
  );
  if (more.since_alerting_late !== undefined)
    into.since_alerting_late = (into.since_alerting_late ?? 0) + more.since_alerting_late;
  if (more.since_alerting_hours === undefined) return;
  const hours = { ...into.since_alerting_hours };
  for (const [hour, n] of Object.entries(more.since_alerting_hours)) hours[hour] = (hours[hour] ?? 0) + n;
  into.since_alerting_hours = hours;
}

/**
 * Moves the hours of `record`'s marked alerts that end by `lateBefore` into its late count: they
 * are late for every later message, and the hours it keeps stay within `mailOlderThanHours`.
 */
function settleLateHours(record: FoldedAlerts, lateBefore: number): void {
  const hours = record.since_alerting_hours;
  if (hours === undefined) return;
  for (const [hour, n] of Object.entries(hours)) {
    if (Number(hour) + HOUR_MS > lateBefore) continue;
    record.since_alerting_late = (record.since_alerting_late ?? 0) + n;
    delete hours[hour];
  }
}

/**
 * How many of the marked alerts of `record` are about events before `cutoff`: every one when the
 * newest is; else those late when folded and those of the hours that end by it; none of a record
 * written before it kept those (the hour the cutoff falls in is not counted: it is not known which
 * side its alerts are on).
 */
export function markedBefore(record: FoldedAlerts, cutoff: number): number {
  const newest = record.since_alerting_newest_ms;
  if (newest === undefined) return 0;
  if (newest < cutoff) return record.since_alerting ?? 0;
  let late = record.since_alerting_late ?? 0;
  for (const [hour, n] of Object.entries(record.since_alerting_hours ?? {}))
    if (Number(hour) + HOUR_MS <= cutoff) late += n;
  return late;
}

type UnconfirmedSends = Pick<FoldedAlerts, 'unconfirmed_sends' | 'unconfirmed_since_ms'>;

/**
 * Takes `more`'s unconfirmed sends into `into`: the most sends and the earliest first one, so a
 * record that keeps taking in newly folded alerts is still bounded by its oldest sends.
 */
function mergeSends(into: UnconfirmedSends, more: UnconfirmedSends): void {
  if ((more.unconfirmed_sends ?? 0) > (into.unconfirmed_sends ?? 0))
    into.unconfirmed_sends = more.unconfirmed_sends;
  if (more.unconfirmed_since_ms !== undefined)
    into.unconfirmed_since_ms = Math.min(
      into.unconfirmed_since_ms ?? more.unconfirmed_since_ms,
      more.unconfirmed_since_ms,
    );
}

/**
 * When the alerts of event `eventMs` among `alerts` were taken in (the latest of them), or
 * undefined when one of them does not say or none is of that event.
 */
export function latestTakeIn(alerts: readonly OutboxAlert[], eventMs: number): number | undefined {
  let latest: number | undefined;
  for (const alert of alerts) {
    if (alert.event_time_ms !== eventMs) continue;
    if (alert.detected_at_ms === undefined) return undefined;
    latest = Math.max(latest ?? alert.detected_at_ms, alert.detected_at_ms);
  }
  return latest;
}

/** The take-in time of the oldest event of `a` and `b` merged: the older's, or both's latest when tied. */
function mergedTakeIn(a: FoldedAlerts, b: FoldedAlerts): number | undefined {
  if (a.oldest_ms !== b.oldest_ms)
    return a.oldest_ms < b.oldest_ms ? a.oldest_detected_at_ms : b.oldest_detected_at_ms;
  if (a.oldest_detected_at_ms === undefined || b.oldest_detected_at_ms === undefined) return undefined;
  return Math.max(a.oldest_detected_at_ms, b.oldest_detected_at_ms);
}

/** Both count records as one. */
export function mergeFolded(a: FoldedAlerts | null, b: FoldedAlerts | null): FoldedAlerts | null {
  if (!a || !b) return a ?? b;
  const kinds: FoldedAlerts['kinds'] = { ...a.kinds };
  for (const kind of ALERT_KINDS) {
    const n = b.kinds[kind];
    if (n !== undefined) kinds[kind] = (kinds[kind] ?? 0) + n;
  }
  const changes: Record<string, number> = { ...a.change_kinds };
  for (const [change, n] of Object.entries(b.change_kinds ?? {}))
    changes[change] = (changes[change] ?? 0) + n;
  const takenIn = mergedTakeIn(a, b);
  const unconfirmed = (a.unconfirmed ?? 0) + (b.unconfirmed ?? 0);
  const sends: UnconfirmedSends = {};
  mergeSends(sends, a);
  mergeSends(sends, b);
  const marked: SinceAlerting = {};
  mergeMarked(marked, a);
  mergeMarked(marked, b);
  return {
    count: a.count + b.count,
    kinds,
    ...(Object.keys(changes).length > 0 ? { change_kinds: changes } : {}),
    oldest_ms: Math.min(a.oldest_ms, b.oldest_ms),
    newest_ms: Math.max(a.newest_ms, b.newest_ms),
    ...marked,
    ...(takenIn === undefined ? {} : { oldest_detected_at_ms: takenIn }),
    ...(unconfirmed > 0 ? { unconfirmed } : {}),
    ...sends,
  };
}

/**
 * The alerts of each kind an outbox keeps whole when it folds: as many as a message lists
 * (render-alerts.ts `MAX_LISTED_ALERTS`), the most rows a kind can be given.
 */
export const KEPT_PER_KIND = 50;

/**
 * The late alerts of each kind an outbox keeps whole besides: as many as a message lists at least
 * of the alerts an outage held (render-alerts.ts `MIN_HELD_ROWS`), when newer ones take the rest.
 */
export const KEPT_LATE_PER_KIND = 10;

/** An alert of an outbox, with its index there. */
interface Indexed {
  alert: OutboxAlert;
  index: number;
}

/** The first `n` of `entries` (newest first, all of `kind`) in a message's row order ({@link rowOrder}). */
function firstRows(kind: Alert['kind'], entries: readonly Indexed[], n: number): number[] {
  // Each alert's indexes, in that order: the row order gives back the alerts, not where they are.
  const indexes = new Map<OutboxAlert, number[]>();
  for (const { alert, index } of entries) indexes.set(alert, [...(indexes.get(alert) ?? []), index]);
  const rows = rowOrder(
    kind,
    entries.map((entry) => entry.alert),
  ).slice(0, n);
  return rows.map((alert) => indexes.get(alert)?.shift()).filter((index) => index !== undefined);
}

/**
 * Indexes in `outbox` of the {@link KEPT_PER_KIND} alerts of each kind a message would list first
 * ({@link rowOrder}): the newest, but of the privileged changes the gravest. Newest alone, a flood
 * of over 1,000 routine changes (a directory sync, an insider's group edits) folded the role raise
 * made before it into a count, though the message lists privileged changes gravest first. And of
 * the alerts an outage held past `lateBefore` ({@link lateCutoff}), late for every later message,
 * the first {@link KEPT_LATE_PER_KIND} of each kind: folded under 50 newer or graver of their kind,
 * the message had none of them to list among the late ones (2026-12-07).
 */
function keptOfEachKind(outbox: readonly OutboxAlert[], lateBefore: number | undefined): Set<number> {
  const newestFirst = outbox
    .map((alert, index) => ({ alert, index }))
    .sort((x, y) => y.alert.event_time_ms - x.alert.event_time_ms || y.index - x.index);
  const late = (entry: Indexed): boolean =>
    lateBefore !== undefined && entry.alert.since_alerting === true && entry.alert.event_time_ms < lateBefore;
  const kept = new Set<number>();
  for (const kind of ALERT_KINDS) {
    const ofKind = newestFirst.filter((entry) => entry.alert.kind === kind);
    for (const index of firstRows(kind, ofKind, KEPT_PER_KIND)) kept.add(index);
    for (const index of firstRows(kind, ofKind.filter(late), KEPT_LATE_PER_KIND)) kept.add(index);
  }
  return kept;
}

/**
 * Folds the alerts of `channel`'s outbox beyond {@link MAX_OUTBOX}, the oldest events first, into
 * its count record, but each kind's first {@link KEPT_PER_KIND} rows and first
 * {@link KEPT_LATE_PER_KIND} late ones ({@link keptOfEachKind}); the rest keep their order.
 * Oldest first whatever the kind, a large attack's sprays (which come early) were all folded under
 * its thousands of bursts, and the message, which gives every kind rows, had none to list (review
 * R-ALERT5 2). All kept so are at most 600 alerts (10 kinds), well under the cap. `lateBefore`: the
 * cutoff of the run folding ({@link lateCutoff}); the record counts the late ones it folds by it.
 * Returns how many it folded.
 */
export function capOutbox(channel: ChannelState, lateBefore?: number): number {
  if (channel.folded && lateBefore !== undefined) settleLateHours(channel.folded, lateBefore);
  const over = channel.outbox.length - MAX_OUTBOX;
  if (over <= 0) return 0;
  const kept = keptOfEachKind(channel.outbox, lateBefore);
  const oldestFirst = channel.outbox
    .map((alert, index) => ({ at: alert.event_time_ms, index }))
    .filter((entry) => !kept.has(entry.index))
    .sort((x, y) => x.at - y.at || x.index - y.index);
  const fold = new Set(oldestFirst.slice(0, over).map((entry) => entry.index));
  const folded = channel.outbox.filter((_, index) => fold.has(index));
  channel.outbox = channel.outbox.filter((_, index) => !fold.has(index));
  channel.folded = mergeFolded(channel.folded, foldOf(folded, lateBefore));
  return over;
}

export function newAlertCheckpoint(instance: string, startMs: number): AlertCheckpoint {
  return {
    version: ALERT_CHECKPOINT_VERSION,
    instance,
    floor_ms: startMs,
    next_hour_ms: startMs,
    evaluated: {},
    recent: {},
    bursts: {},
    sprays: {},
    exports: {},
    places: {},
    archive: [],
    channels: {},
    updated_at: new Date(0).toISOString(),
    run_id: '',
  };
}

interface StoredAlertCheckpoint {
  checkpoint: AlertCheckpoint;
  etag: string;
}

export async function readAlertCheckpoint(
  store: ObjectStore,
  instance: string,
): Promise<StoredAlertCheckpoint | undefined> {
  return alertCheckpointOf(store, instance, await store.get(alertsStateKey(instance, 'checkpoint.json')));
}

/** {@link readAlertCheckpoint} of the object as read from `store` (undefined: there was none). */
function alertCheckpointOf(
  store: ObjectStore,
  instance: string,
  found: StoredObject | undefined,
): StoredAlertCheckpoint | undefined {
  const key = alertsStateKey(instance, 'checkpoint.json');
  // Not corrupt, and not to be deleted: the alerts still waiting in it are the newer release's to send.
  const newer = found && newerVersionIn(found.body, ALERT_CHECKPOINT_VERSION);
  if (newer !== undefined) {
    throw new NewerVersionError(
      `the alerts checkpoint ${key} at ${store.location} was ${newerVersionReason('alerts checkpoint', newer, ALERT_CHECKPOINT_VERSION)}; alerts are paused for ${instance} until then. Do not delete it: the alerts waiting in it would be lost`,
    );
  }
  const stored = storedJsonOf(found, checkpointSchema, (schemaReason) => {
    const kinds = found ? unknownKindsIn(found.body, checkpointSchema) : undefined;
    if (kinds !== undefined && 'newer' in kinds)
      return kinds.read.instance === instance
        ? newerKindsError(key, store.location, kinds.newer, instance)
        : otherInstanceError(key, store.location, kinds.read.instance, instance);
    const reason = kinds?.corrupt ?? schemaReason;
    return new Error(
      `the alerts checkpoint ${key} at ${store.location} is corrupt (${reason}); alerts are paused for ${instance}. Delete it${deleteGuardNote(store.location)} to start again: alerts already archived under alerts/ are not sent again, alerts still waiting in it are lost`,
    );
  });
  if (!stored) return undefined;
  if (stored.value.instance !== instance)
    throw otherInstanceError(key, store.location, stored.value.instance, instance);
  return { checkpoint: stored.value, etag: stored.etag };
}

/**
 * A checkpoint of instance `owner` found in `instance`'s folder: said before any alert kind it holds
 * that this version does not know, since deploying the version that raises them would not help.
 */
const otherInstanceError = (key: string, location: string, owner: string, instance: string): Error =>
  new Error(
    `the alerts checkpoint ${key} belongs to instance "${owner}", not "${instance}": it was copied or moved from that instance's folder, and alerts are paused for ${instance}. Move it back where it came from (a copy there and a delete here), or delete it to start again${deleteGuardNote(location)}: alerts already archived under alerts/ are not sent again, alerts still waiting in it are lost`,
  );

/**
 * A checkpoint holding alerts of `kinds`, which a version that raises them wrote: not corrupt, and
 * not to be deleted, as a newer checkpoint version is not. This version cannot send, count or list
 * them, so it reads none of the checkpoint, rather than rewrite it without them. That version may
 * be a newer release or another build (a fork's, a branch's): `git pull` brings only the first, so
 * the message names both, and what deleting it costs when neither is to be had.
 */
const newerKindsError = (
  key: string,
  location: string,
  kinds: readonly string[],
  instance: string,
): NewerVersionError =>
  new NewerVersionError(
    `the alerts checkpoint ${key} at ${location} holds alerts of ${kinds.length === 1 ? 'a kind' : 'kinds'} this version does not know (${namedAtMost(kinds)}): written by a version that raises them (a newer release or another build). Deploy that version again (a newer release: git pull && npm ci); alerts are paused for ${instance} until then. Do not delete it: the alerts waiting in it would be lost (only if no such version is to be had, delete it${deleteGuardNote(location)} to start again)`,
  );

const MAX_ATTEMPTS = 8;

/**
 * Read-modify-write of the checkpoint with a conditional put; on a lost race it re-reads and
 * applies `change` again to what the other run wrote. `change` returns the next checkpoint, or
 * undefined to leave it as it is. `initial` is used when none is stored yet.
 */
export async function updateAlertCheckpoint(
  store: ObjectStore,
  instance: string,
  initial: () => AlertCheckpoint,
  change: (current: AlertCheckpoint) => AlertCheckpoint | undefined,
): Promise<AlertCheckpoint> {
  const key = alertsStateKey(instance, 'checkpoint.json');
  return updateConditionally<AlertCheckpoint, AlertCheckpoint>(store, key, {
    stateOf: (found) => alertCheckpointOf(store, instance, found)?.checkpoint ?? initial(),
    decide: ({ state }) => {
      const next = change(structuredClone(state));
      if (next === undefined) return { write: false, result: state };
      const body = new TextEncoder().encode(`${JSON.stringify(next)}\n`);
      return { write: true, body, contentType: 'application/json', result: () => next };
    },
    maxAttempts: MAX_ATTEMPTS,
    giveUp: (attempts) =>
      `could not update the alerts checkpoint ${key} at ${store.location} after ${attempts} attempts: other runs kept writing it`,
  });
}

/** Ids of the alerts a checkpoint has already taken in (waiting, being sent or recently handled). */
export function knownAlertIds(checkpoint: AlertCheckpoint): Set<string> {
  const ids = new Set(Object.keys(checkpoint.recent));
  for (const alert of checkpoint.archive) ids.add(alert.id);
  for (const channel of Object.values(checkpoint.channels)) {
    for (const alert of channel.outbox) ids.add(alert.id);
    for (const alert of channel.sending?.alerts ?? []) ids.add(alert.id);
  }
  return ids;
}

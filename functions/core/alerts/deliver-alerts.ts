/**
 * The delivery half of an alerts run, once per channel, with the weekly report's send-once rules
 * applied to the channel's outbox in the alerts checkpoint:
 * 1. claim: move the outbox into `sending` (conditional write; a run that loses does nothing);
 * 2. render one message of every claimed alert and deliver it;
 * 3. settle: delivered -> done; refused by the service (nothing was delivered) -> back to the
 *    outbox, the next run retries; any other error -> `unknown` (it may have arrived): back to
 *    the outbox too, and the next message that carries them is marked as a possible repeat
 *    ({@link recordUnknown}), reported.
 * A run that crashed between claim and settle leaves `sending`; once it is stale ({@link staleAtMs})
 * the next run records it as unknown and sends it again. Unlike the weekly report (one mail a
 * week, which a person can resend), issue 13 wants an alert never lost: a marked repeat is
 * recognisable, a lost alert is not (decided 2026-12-05, review R-ALERT4 F1).
 */
import { randomUUID } from 'node:crypto';
import { errorMessage } from '../error-message.ts';
import { MailRejectedError } from '../mail/mail-errors.ts';
import type { Clock, Log, MetricSink, ObjectStore } from '../ports.ts';
import type { AlertSettings } from '../queries/alert-settings.ts';
import { MINUTE_MS } from '../time-units.ts';
import { type AlertChannel, DeliveryRefusedError } from './alert-channel.ts';
import {
  type AlertCheckpoint,
  type ChannelState,
  capOutbox,
  emptyChannel,
  foldOf,
  GIVE_UP_UNCONFIRMED_MS,
  lateCutoff,
  latestTakeIn,
  MAX_OUTBOX,
  MAX_UNCONFIRMED,
  MAX_UNKNOWN,
  mergeFolded,
  type OutboxAlert,
  type Sending,
  type UnknownNotice,
  updateAlertCheckpoint,
} from './alert-checkpoint.ts';
import type { AlertMessageOptions, PossibleRepeat } from './alert-message-options.ts';
import { ALERT_METRICS } from './alert-metrics.ts';
import type { DigFurther } from './dig-further.ts';
import { renderAlertMessage } from './render-alerts.ts';
import { SENT_LATE_AFTER_MS } from './sent-late.ts';
import { MAX_NOTICE_IDS } from './unknown-note.ts';
import type { UnlistedAlerts } from './unlisted-alerts.ts';

/**
 * A `sending` claim older than this belongs to a run that stopped (the Lambda's longest run is 15
 * min), when the claim does not say when its run ends ({@link staleAtMs}).
 */
export const STALE_SENDING_MS = 20 * MINUTE_MS;

/**
 * How long after its run's deadline a claim is stale: the deadline is the claiming Lambda's own
 * (its timeout, 5 minutes by default), and the margin covers the clocks of two Lambdas disagreeing.
 * Taken over early, a live run's alerts would be recorded unknown and sent again, marked as a
 * possible repeat, while that run may still deliver them: the margin keeps that to clocks far off.
 */
export const STALE_AFTER_DEADLINE_MS = MINUTE_MS;

/**
 * When a claim is stale: a minute after its run's deadline, or without one {@link STALE_SENDING_MS}
 * after it was made. Tied to the deadline, a run that stopped holds the alerts after it back until
 * the next scheduled run (15 min) with the default 5-minute timeout, not for two (20 min).
 */
const staleAtMs = (sending: Sending): number =>
  sending.until_ms === undefined
    ? sending.claimed_at_ms + STALE_SENDING_MS
    : Math.min(sending.until_ms + STALE_AFTER_DEADLINE_MS, sending.claimed_at_ms + STALE_SENDING_MS);

/** Least time left at which a channel's outbox is claimed: one delivery and the settle write. */
export const MIN_TIME_TO_DELIVER_MS = 30_000;

export interface DeliveryContext {
  store: ObjectStore;
  clock: Clock;
  log: Log;
  metrics: MetricSink;
  instance: string;
  settings: AlertSettings;
  initial: () => AlertCheckpoint;
  remainingTimeMs?: () => number;
  /** What a message says of the alerts it only counts; the archive's wording by default. */
  unlisted?: UnlistedAlerts;
  /** Where a message's query to dig further runs; Athena by default. */
  digFurther?: DigFurther;
  /** False: a message does not mark the alerts it sends late (a run over a lake after the fact). */
  marksLate?: boolean;
}

export type DeliveryOutcome =
  | { channel: string; status: 'idle' | 'busy' | 'no-time' | 'held' }
  | { channel: string; status: 'delivered'; alerts: number; messageId: string; subject: string }
  | { channel: string; status: 'refused' | 'unknown'; alerts: number; error: string };

/** Before when a message sent now calls alerts late: what an outbox folding now keeps and counts by. */
const lateBeforeOf = (context: Pick<DeliveryContext, 'clock' | 'settings'>): number =>
  lateCutoff(context.clock.now(), context.settings.mailOlderThanHours);

const channelOf = (checkpoint: AlertCheckpoint, name: string): ChannelState => {
  const existing = checkpoint.channels[name];
  if (existing) return existing;
  const created = emptyChannel();
  checkpoint.channels[name] = created;
  return created;
};

/** Alerts of a claim: those it carries and those it only counts. */
const alertsOf = (sending: Sending): number => sending.alerts.length + (sending.folded?.count ?? 0);

/**
 * Says that `folded` alerts of channel `name` (state `channel`, after folding) were folded into its
 * count record, in the log and the metric. Not an alarm of its own: a catch-up folds too, and a
 * channel that keeps failing already fires the delivery alarm every run.
 */
export function reportFolded(
  context: Pick<DeliveryContext, 'log' | 'metrics' | 'instance'>,
  name: string,
  folded: number,
  channel: ChannelState,
): void {
  if (folded === 0) return;
  context.metrics.count(ALERT_METRICS.outboxFolded, folded);
  context.log.warn(
    `alerts waiting for a channel passed ${MAX_OUTBOX}: the oldest are only counted in its next message, the archive holds each. A catch-up of a long lake does this; otherwise the channel has been failing (see last_error)`,
    {
      instance: context.instance,
      channel: name,
      folded,
      foldedInAll: channel.folded?.count ?? folded,
      waiting: channel.outbox.length,
      failures: channel.failures,
      lastError: channel.last_error,
    },
  );
}

/**
 * Ids a notice keeps: one more than a message names, so that a release before `ids_count`, rolled
 * back to, still finds them too many to name and gives the span of their events instead of a query
 * of some of them as if all.
 */
const NOTICE_IDS_KEPT = MAX_NOTICE_IDS + 1;

/** What the recipients are told of `sending`, whose outcome is unknown ({@link UnknownNotice}). */
function noticeOf(sending: Sending, at: string): UnknownNotice | undefined {
  const fold = sending.alerts.length > 0 ? foldOf(sending.alerts) : null;
  const all = mergeFolded(fold, sending.folded ?? null);
  if (!all) return undefined;
  const ids = sending.alerts.map((a) => a.id);
  return {
    at,
    alert_ids: ids.slice(0, NOTICE_IDS_KEPT),
    ...(ids.length > NOTICE_IDS_KEPT ? { ids_count: ids.length } : {}),
    ...(sending.folded ? { folded: sending.folded.count } : {}),
    kinds: all.kinds,
    oldest_ms: all.oldest_ms,
    newest_ms: all.newest_ms,
  };
}

/**
 * The alerts of `sending` that go out again after a delivery of unknown outcome, counted once
 * more, and those that stop here: those that have now gone out {@link MAX_UNCONFIRMED} times, the
 * first of them at least {@link GIVE_UP_UNCONFIRMED_MS} before this one. Its count record goes
 * back or stops by the same rule, by its own sends.
 */
function splitUnconfirmed(sending: Sending): { again: Sending; stop: Sending } {
  const again: OutboxAlert[] = [];
  const stop: OutboxAlert[] = [];
  for (const alert of sending.alerts) {
    const unconfirmed = (alert.unconfirmed ?? 0) + 1;
    // Absent (none yet, or counted by a release before it): the clock starts with this delivery.
    const since = alert.unconfirmed_since_ms ?? sending.claimed_at_ms;
    const old = sending.claimed_at_ms - since >= GIVE_UP_UNCONFIRMED_MS;
    if (unconfirmed >= MAX_UNCONFIRMED && old) stop.push(alert);
    else again.push({ ...alert, unconfirmed, unconfirmed_since_ms: since });
  }
  const { folded, ...claim } = sending;
  // The count record by its own sends, as an alert: following the whole alerts beside it, it was
  // given up after one send beside old ones, and never beside new ones (review R-ALERT6 F3/F4).
  const record = folded && {
    ...folded,
    unconfirmed: folded.count,
    unconfirmed_sends: (folded.unconfirmed_sends ?? 0) + 1,
    unconfirmed_since_ms: folded.unconfirmed_since_ms ?? sending.claimed_at_ms,
  };
  const recordStops =
    record !== undefined &&
    record.unconfirmed_sends >= MAX_UNCONFIRMED &&
    sending.claimed_at_ms - record.unconfirmed_since_ms >= GIVE_UP_UNCONFIRMED_MS;
  const counted = record ? { folded: record } : {};
  return {
    again: { ...claim, alerts: again, ...(record && !recordStops ? counted : {}) },
    stop: { ...claim, alerts: stop, ...(recordStops ? counted : {}) },
  };
}

/**
 * A delivery of unknown outcome (a timeout, a server error, a run that stopped while sending): its
 * alerts go back at the head of the outbox to go out again, the message marked as a possible
 * repeat (issue 13: a failed delivery is retried, never lost; an unconfirmed one may have arrived,
 * and the mark and the stable ids let a reader drop the repeat). Those that went out as long as
 * they may ({@link splitUnconfirmed}) are recorded unknown and told of instead. Returns how many alerts
 * the outbox's cap folded.
 */
function recordUnknown(
  channel: ChannelState,
  sending: Sending,
  at: string,
  error: string,
  lateBefore: number,
): number {
  const { again, stop } = splitUnconfirmed(sending);
  // The first ids only, as a notice keeps them: 20 entries of 1,000 ids kept ~700 KB in the
  // checkpoint every run reads and rewrites (review R-ALERT6 F2); the archive names every alert.
  const ids = sending.alerts.map((a) => a.id);
  const entry = {
    at,
    error,
    alert_ids: ids.slice(0, NOTICE_IDS_KEPT),
    ...(ids.length > NOTICE_IDS_KEPT ? { ids_count: ids.length } : {}),
    ...(sending.folded ? { folded: sending.folded.count } : {}),
    ...(again.alerts.length > 0 ? { resent: again.alerts.length } : {}),
  };
  channel.unknown = [...channel.unknown, entry].slice(-MAX_UNKNOWN);
  const notice = stop.alerts.length > 0 || stop.folded ? noticeOf(stop, at) : undefined;
  if (notice) channel.unknown_notices = [...(channel.unknown_notices ?? []), notice].slice(-MAX_UNKNOWN);
  channel.sending = null;
  channel.failures += 1;
  channel.last_error = error;
  // The alerts a refusal put back were in this delivery: none waits for a refusing channel now.
  delete channel.refused;
  channel.outbox = [...again.alerts, ...channel.outbox];
  channel.folded = mergeFolded(again.folded ?? null, channel.folded);
  return capOutbox(channel, lateBefore);
}

/**
 * Says that another run's claim holds channel `name` (state `channel`): its alerts wait for a later
 * run. A run that stopped while delivering leaves such a claim, and its alerts and those after it
 * would otherwise wait without a word until the claim is stale.
 */
function warnBusy(context: DeliveryContext, name: string, channel: ChannelState, sending: Sending): void {
  const nowMs = context.clock.now();
  context.log.warn(
    "another alerts run holds this channel's delivery: the alerts waiting go with a later run, once that run has recorded its outcome or its claim is stale (then its alerts go out again, marked as a possible repeat)",
    {
      instance: context.instance,
      channel: name,
      claimAgeSeconds: Math.round((nowMs - sending.claimed_at_ms) / 1000),
      staleInSeconds: Math.round((staleAtMs(sending) - nowMs) / 1000),
      waiting: channel.outbox.length + (channel.folded?.count ?? 0),
    },
  );
}

/**
 * Records the stale claim `sending` of channel `name` unknown, and says so. At the time of the
 * claim, not of the takeover: the message was attempted then (a run or more earlier), and that is
 * the time the recipients look for (review R-ALFIX L3).
 */
function takeOverStale(
  context: DeliveryContext,
  name: string,
  channel: ChannelState,
  sending: Sending,
): void {
  context.log.error(
    'an earlier alerts run stopped while delivering: its alerts go out again, marked as a possible repeat',
    {
      instance: context.instance,
      channel: name,
      alerts: alertsOf(sending),
    },
  );
  context.metrics.count(ALERT_METRICS.deliveryFailed, 1);
  // Folding here is rare (the outbox over 1,000 with a stopped run's claim) and this run's claim
  // takes the outbox at once: the count record it makes goes out in this very message.
  recordUnknown(
    channel,
    sending,
    new Date(sending.claimed_at_ms).toISOString(),
    'the run delivering them stopped before recording the outcome',
    lateBeforeOf(context),
  );
}

/** Moves the outbox of `channel` (and its count record) into a claim made of `claim`. */
function moveToSending(channel: ChannelState, claim: Omit<Sending, 'alerts' | 'folded'>): Sending {
  const sending = {
    ...claim,
    alerts: channel.outbox,
    ...(channel.folded ? { folded: channel.folded } : {}),
  };
  channel.sending = sending;
  channel.outbox = [];
  channel.folded = null;
  return sending;
}

/**
 * What the channel held when its outbox was claimed, for the message to say: the refusals in a row
 * that put alerts back (why they waited), and the deliveries of unknown outcome not told yet.
 */
interface Held {
  refused: AlertMessageOptions['channelRefused'];
  notices: UnknownNotice[];
  /**
   * The checkpoint has no `alerting_since_ms`: alerts an earlier release took in, unmarked, were
   * raised after alerting began too ({@link AlertMessageOptions.allSinceAlerting}).
   */
  allSinceAlerting: boolean;
}

function heldOf(checkpoint: AlertCheckpoint, channel: ChannelState): Held {
  const refused = currentRefusals(channel);
  // Never more than the failures: a release before `refused` resets those alone on a delivery.
  const refusals = Math.min(refused?.in_row ?? 0, channel.failures);
  return {
    refused:
      refused && refusals > 0
        ? {
            refusals,
            lastError: channel.last_error,
            oldestMs: refused.oldest_ms,
            ...(refused.since_ms === undefined ? {} : { sinceMs: refused.since_ms }),
            ...(refused.oldest_on_time === undefined ? {} : { oldestOnTime: refused.oldest_on_time }),
          }
        : undefined,
    notices: channel.unknown_notices ?? [],
    allSinceAlerting: checkpoint.alerting_since_ms === undefined,
  };
}

/**
 * The channel's record of refusals in a row, if it is still this channel's row: made at the
 * delivery and failure counts the channel has now. A release before the record keeps it as an
 * unknown field but does not clear it when it delivers, or when a delivery's outcome is unknown:
 * after a rollback to one and back, a record of other counts is stale (reviews R-ALFIX2 L1 and
 * R-LAST M1), and a new refusal starts a new row rather than adding to it (R-LAST M2). A record
 * without the counts (written before them) is taken as it is.
 */
function currentRefusals(channel: ChannelState): ChannelState['refused'] {
  const { refused } = channel;
  if (refused?.delivered !== undefined && refused.delivered !== channel.delivered) return undefined;
  if (refused?.failures !== undefined && refused.failures !== channel.failures) return undefined;
  return refused;
}

/** The oldest event of the alerts of `sending`, those it only counts included. */
function oldestOf(sending: Sending): number | undefined {
  const fold = sending.alerts.length > 0 ? foldOf(sending.alerts) : null;
  return mergeFolded(fold, sending.folded ?? null)?.oldest_ms;
}

/** A notice's key: the time it was recorded and the alerts it is about. */
const noticeKey = (notice: UnknownNotice): string => `${notice.at} ${notice.alert_ids.join(',')}`;

/** The channel's notices but those `told` (by a message now delivered). */
function untold(channel: ChannelState, told: readonly UnknownNotice[]): void {
  if (told.length === 0) return;
  const keys = new Set(told.map(noticeKey));
  const left = (channel.unknown_notices ?? []).filter((n) => !keys.has(noticeKey(n)));
  if (left.length > 0) channel.unknown_notices = left;
  else delete channel.unknown_notices;
}

/** Claims the channel's outbox; undefined when there is nothing to send or another run is sending. */
async function claim(
  context: DeliveryContext,
  name: string,
  held: { value?: Held },
): Promise<Sending | 'busy' | undefined> {
  const nowMs = context.clock.now();
  const left = context.remainingTimeMs?.();
  // Made once, not per attempt: a claim that was stored but answered an error (S3 then answers the
  // SDK's retry 412) is found on the re-read as this very claim, not as another run's.
  const attemptId = randomUUID();
  let claimed: Sending | 'busy' | undefined;
  let busy: { channel: ChannelState; sending: Sending } | undefined;
  await updateAlertCheckpoint(context.store, context.instance, context.initial, (checkpoint) => {
    claimed = undefined;
    busy = undefined;
    delete held.value;
    const channel = channelOf(checkpoint, name);
    if (channel.sending?.attempt_id === attemptId) {
      // The claim landed though its write answered an error: what it held is as it was then.
      claimed = channel.sending;
      held.value = heldOf(checkpoint, channel);
      return undefined;
    }
    let changed = false;
    if (channel.sending) {
      if (nowMs < staleAtMs(channel.sending)) {
        claimed = 'busy';
        busy = { channel, sending: channel.sending };
        return undefined;
      }
      takeOverStale(context, name, channel, channel.sending);
      changed = true;
    }
    if (channel.outbox.length === 0) return changed ? checkpoint : undefined;
    held.value = heldOf(checkpoint, channel);
    claimed = moveToSending(channel, {
      attempt_id: attemptId,
      claimed_at_ms: nowMs,
      ...(left === undefined ? {} : { until_ms: nowMs + left }),
    });
    return checkpoint;
  });
  if (busy) warnBusy(context, name, busy.channel, busy.sending);
  return claimed;
}

/**
 * When the alerts of event `oldestMs` in `sending` were taken in (the latest of them: one found
 * late is enough to say so), those only counted included, if each of them says; undefined when one
 * was taken in before the outbox kept it, or counted in a record written before it kept the time.
 */
function takenInMs(sending: Sending, oldestMs: number): number | undefined {
  const kept = sending.alerts.some((alert) => alert.event_time_ms === oldestMs);
  const inKept = kept ? latestTakeIn(sending.alerts, oldestMs) : undefined;
  if (sending.folded?.oldest_ms !== oldestMs) return inKept;
  const inCounted = sending.folded.oldest_detected_at_ms;
  if (inCounted === undefined || (kept && inKept === undefined)) return undefined;
  return Math.max(inCounted, inKept ?? inCounted);
}

/** Whether the oldest alert of `sending` was on time when taken in; undefined when it does not say. */
function oldestTakenInOnTime(sending: Sending): boolean | undefined {
  const oldestMs = oldestOf(sending);
  const takenIn = oldestMs === undefined ? undefined : takenInMs(sending, oldestMs);
  return takenIn === undefined || oldestMs === undefined
    ? undefined
    : takenIn - oldestMs <= SENT_LATE_AFTER_MS;
}

/**
 * Whether the oldest alert of the refused attempt `sending` (event `oldestMs`) was on time (2
 * hours) when it was taken in: then it waited for the channel, else it was found late. Judged at
 * the claim, an alert taken in on time but first attempted a run later read as found late, and so
 * did one a stale row (after a rollback) began again for (review R-ALFIX3 L1, L2). Without the
 * take-in time (an alert taken in before it was kept), when the row's first attempt that carried
 * it was claimed: an oldest event the row's record already has was carried by an earlier attempt,
 * and its answer stands (unknown in a record written before it); a new oldest came with this one.
 */
function oldestOnTime(row: ChannelState['refused'], sending: Sending, oldestMs: number): boolean | undefined {
  const takenIn = takenInMs(sending, oldestMs);
  if (takenIn !== undefined) return takenIn - oldestMs <= SENT_LATE_AFTER_MS;
  if (row !== undefined && row.oldest_ms === oldestMs) return row.oldest_on_time;
  return sending.claimed_at_ms - oldestMs <= SENT_LATE_AFTER_MS;
}

/**
 * A refused delivery: its alerts back at the head of the outbox (and what it only counted), the
 * refusal counted in a row with the oldest event it put back, whether that was on time when first
 * refused, and when the row began; how many alerts the outbox's cap then folded.
 */
function recordRefusal(
  channel: ChannelState,
  sending: Sending,
  error: string | null,
  lateBefore: number,
): number {
  const row = currentRefusals(channel);
  channel.outbox = [...sending.alerts, ...channel.outbox];
  channel.folded = mergeFolded(sending.folded ?? null, channel.folded);
  channel.sending = null;
  channel.failures += 1;
  channel.last_error = error;
  const oldestMs = oldestOf(sending);
  if (oldestMs !== undefined) {
    const onTime = oldestOnTime(row, sending, oldestMs);
    channel.refused = {
      in_row: (row?.in_row ?? 0) + 1,
      oldest_ms: oldestMs,
      // When the row's first refused attempt was claimed: whether its alerts were on time then.
      since_ms: row ? row.since_ms : sending.claimed_at_ms,
      delivered: channel.delivered,
      failures: channel.failures,
      ...(onTime === undefined ? {} : { oldest_on_time: onTime }),
    };
  }
  return capOutbox(channel, lateBefore);
}

/**
 * Applies the outcome of `sending` to the channel, if the claim is still this run's. A refusal puts
 * the alerts back in front of those taken in since, and the outbox is capped again.
 */
async function settle(
  context: DeliveryContext,
  name: string,
  sending: Sending,
  outcome: { status: 'delivered' | 'refused' | 'unknown'; error?: string; told?: readonly UnknownNotice[] },
): Promise<void> {
  const at = new Date(context.clock.now()).toISOString();
  let folded = 0;
  const after = await updateAlertCheckpoint(
    context.store,
    context.instance,
    context.initial,
    (checkpoint) => {
      folded = 0;
      const channel = channelOf(checkpoint, name);
      if (channel.sending?.attempt_id !== sending.attempt_id) return undefined;
      if (outcome.status === 'delivered') {
        channel.sending = null;
        channel.delivered += alertsOf(sending);
        channel.failures = 0;
        channel.last_error = null;
        delete channel.refused;
        untold(channel, outcome.told ?? []);
      } else if (outcome.status === 'refused') {
        folded = recordRefusal(channel, sending, outcome.error ?? null, lateBeforeOf(context));
      } else {
        folded = recordUnknown(channel, sending, at, outcome.error ?? 'unknown error', lateBeforeOf(context));
      }
      return checkpoint;
    },
  );
  const channel = after.channels[name];
  if (channel) reportFolded(context, name, folded, channel);
}

const isRefusal = (error: unknown): boolean =>
  error instanceof DeliveryRefusedError || error instanceof MailRejectedError;

async function failed(
  context: DeliveryContext,
  name: string,
  sending: Sending,
  error: unknown,
): Promise<DeliveryOutcome> {
  const text = errorMessage(error).split('\n')[0] ?? 'error';
  const status = isRefusal(error) ? 'refused' : 'unknown';
  await settle(context, name, sending, { status, error: text });
  context.metrics.count(ALERT_METRICS.deliveryFailed, 1);
  context.log.error(
    status === 'refused'
      ? 'alert delivery refused: the alerts stay in the outbox and the next run delivers them'
      : 'alert delivery failed without telling whether it arrived: sent again by the next run, marked as a possible repeat',
    { instance: context.instance, channel: name, alerts: alertsOf(sending), error: text },
  );
  return { channel: name, status, alerts: alertsOf(sending), error: text };
}

/** The alerts of `sending` that went out before in deliveries not confirmed, if any. */
function possibleRepeatOf(sending: Sending): PossibleRepeat | undefined {
  const again = sending.alerts.filter((a) => (a.unconfirmed ?? 0) > 0);
  const counted = sending.folded?.unconfirmed ?? 0;
  if (again.length === 0 && counted === 0) return undefined;
  const attempts = Math.max(
    1,
    sending.folded?.unconfirmed_sends ?? 0,
    ...again.map((a) => a.unconfirmed ?? 0),
  );
  return { alertIds: again.map((a) => a.id), counted, attempts };
}

/** How the message of `sending` is rendered, with what the channel held when it was claimed. */
function messageOptions(
  context: DeliveryContext,
  sending: Sending,
  held: Held | undefined,
): AlertMessageOptions {
  const { refused, notices = [], allSinceAlerting = false } = held ?? {};
  const takenInOnTime = oldestTakenInOnTime(sending);
  const repeat = possibleRepeatOf(sending);
  return {
    instance: context.instance,
    timeZone: context.settings.timeZone,
    nowMs: context.clock.now(),
    mailOlderThanHours: context.settings.mailOlderThanHours,
    historyDays: context.settings.historyDays,
    minHistoryLogins: context.settings.minHistoryLogins,
    maxSpeedKmh: context.settings.maxSpeedKmh,
    ...(context.unlisted ? { unlisted: context.unlisted } : {}),
    ...(context.digFurther ? { digFurther: context.digFurther } : {}),
    ...(sending.folded ? { folded: sending.folded } : {}),
    ...(refused ? { channelRefused: refused } : {}),
    ...(takenInOnTime === undefined ? {} : { oldestTakenInOnTime: takenInOnTime }),
    ...(context.marksLate === false ? { marksLate: false } : {}),
    ...(allSinceAlerting ? { allSinceAlerting: true } : {}),
    ...(notices.length > 0 ? { unknownNotices: notices } : {}),
    ...(repeat ? { possibleRepeat: repeat } : {}),
  };
}

/** Delivers a channel's outbox once (see the file comment). */
export async function deliverChannel(
  context: DeliveryContext,
  channel: AlertChannel,
): Promise<DeliveryOutcome> {
  const name = channel.name;
  const left = context.remainingTimeMs?.();
  if (left !== undefined && left < MIN_TIME_TO_DELIVER_MS) return { channel: name, status: 'no-time' };
  const held: { value?: Held } = {};
  const sending = await claim(context, name, held);
  if (sending === undefined || sending === 'busy') return { channel: name, status: sending ?? 'idle' };
  const { notices = [] } = held.value ?? {};
  const message = renderAlertMessage(sending.alerts, messageOptions(context, sending, held.value));
  let messageId: string;
  try {
    ({ messageId } = await channel.deliver(message));
  } catch (error) {
    return failed(context, name, sending, error);
  }
  // Outside the try: failing to record a delivery must not count as failing to deliver.
  await settle(context, name, sending, { status: 'delivered', told: notices });
  context.metrics.count(ALERT_METRICS.delivered, alertsOf(sending));
  return {
    channel: name,
    status: 'delivered',
    alerts: alertsOf(sending),
    messageId,
    subject: message.subject,
  };
}

/**
 * The message of one run's alerts for one instance: a short subject, a plain table (HTML) and the
 * same as aligned text, each alert with the user, what happened, when (in the report's time zone)
 * and the evidence; then a query to dig further, to copy (no links; {@link DigFurther}). Alerts
 * about events older than `mailOlderThanHours` (a first backfill) are only counted, by kind, with
 * where to find them ({@link UnlistedAlerts}: the archive by default). Below them, when any is
 * judged against a history, why the weekly report may list other logins ({@link historyWindowNote}).
 * Every Domo string goes through the weekly report's helpers: `unlinked` (no clickable link, before
 * clipping) for both parts, then `esc` for HTML. The query to dig further keeps the values exact.
 */
import { geoCredit, geoCreditHtml } from '../geo/geo-credit.ts';
import { HOUR_MS, utcDate } from '../lake/layout.ts';
import { clip } from '../mail/clip.ts';
import { esc } from '../mail/html-escape.ts';
import { unlinked } from '../mail/mail-links.ts';
import { OUTLOOK_COLUMN_END, outlookColumnStart } from '../mail/outlook-column.ts';
import { RENDER_LIMITS } from '../mail/render-limits.ts';
import { TEXT_WIDTH } from '../mail/text-width.ts';
import { DEFAULT_ALERT_SETTINGS } from '../queries/alert-settings.ts';
import { wrapNote } from '../wrap-note.ts';
import type { Alert, AlertKind } from './alert.ts';
import type { AlertMessage } from './alert-channel.ts';
import { type FoldedAlerts, mergeFolded, type UnknownNotice } from './alert-checkpoint.ts';
import { alertsToDig, type DigFurther, digQuery, IN_ATHENA } from './dig-further.ts';
import { historyWindowNote } from './history-window-note.ts';
import { LISTING_ORDER, listedAlerts, newestFirst, sharesRows } from './listed-alerts.ts';
import { isUtcAllYear, localDateTime, localDateTimeWithOffset, localHhmmWithOffset } from './local-time.ts';
import { ARCHIVED_ALERTS, type UnlistedAlerts } from './unlisted-alerts.ts';

/**
 * Rows listed one by one, the newest of each kind (listed-alerts.ts); more recent alerts than this
 * are counted like the older ones.
 */
export const MAX_LISTED_ALERTS = 50;

export { newestFirst } from './listed-alerts.ts';

/** The widest the message's column gets, Outlook for Windows included. */
const COLUMN_PX = 640;

/**
 * Opens an alert's first line (its kind, in bold, and time) as a heading, so a screen reader can
 * jump from alert to alert. Font, size, weight, colour, margin and line height are set, so it
 * looks as the line it was, and Outlook and Gmail do not give it their heading styles.
 */
const ALERT_HEADING =
  '<h2 style="margin:0;font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:normal;font-weight:normal;color:#222">';

/** Lets any string break anywhere, as the weekly report's cells do. */
const WRAP = 'word-break:break-word;overflow-wrap:anywhere;';

export const KIND_LABELS: Record<AlertKind, [string, string]> = {
  lockout: ['lockout', 'lockouts'],
  failed_login_burst: ['failed-login burst', 'failed-login bursts'],
  password_spray: ['password spray', 'password sprays'],
  impossible_travel: ['login after impossible travel', 'logins after impossible travel'],
  new_country: ['login from a new country', 'logins from a new country'],
  new_network: ['login from a new network owner', 'logins from a new network owner'],
  unusual_hour: ['login at an unusual hour', 'logins at an unusual hour'],
};

export interface AlertMessageOptions {
  instance: string;
  timeZone: string;
  nowMs: number;
  mailOlderThanHours: number;
  /** What the message says of the alerts it only counts; {@link ARCHIVED_ALERTS} by default. */
  unlisted?: UnlistedAlerts;
  /** Where the query to dig further runs; {@link IN_ATHENA} by default. */
  digFurther?: DigFurther;
  /** Days of history the suspicious-login alerts were judged against; the settings' default if absent. */
  historyDays?: number;
  /**
   * Alerts folded out of a long outbox (alert-checkpoint.ts, MAX_OUTBOX): counted with those not
   * listed, as older than every one listed; the archive holds them like the others.
   */
  folded?: FoldedAlerts;
  /**
   * The channel's refused delivery attempts in a row before this message, the last error, the
   * oldest event of the alerts the last refusal put back, when the first of them was claimed, and
   * whether that oldest alert was on time when first refused (each of the last two absent in a
   * checkpoint written before it): why alerts sent late waited ({@link heldNote}); absent when the
   * last attempt worked or its outcome is unknown (its alerts go again marked as a possible repeat,
   * {@link repeatNote}, which says why they came again).
   */
  channelRefused?: {
    refusals: number;
    lastError: string | null;
    oldestMs: number;
    sinceMs?: number;
    oldestOnTime?: boolean;
  };
  /**
   * Whether the message's oldest alert was taken in on time (within {@link SENT_LATE_AFTER_MS} of
   * its event), when each alert of that event says when it was taken in: a late message of such
   * an alert, no refusal holding it, waited for a later run to deliver it (a run out of time,
   * another run delivering), which "found late" would misname (review R-LAST3 M1).
   */
  oldestTakenInOnTime?: boolean;
  /**
   * Whether alerts sent past {@link SENT_LATE_AFTER_MS} are marked so (true by default): a run over
   * a lake after the fact (a local one) writes its message when asked, not when they could go out.
   */
  marksLate?: boolean;
  /** Earlier messages of the channel whose delivery may not have arrived, to tell of ({@link unknownNote}). */
  unknownNotices?: readonly UnknownNotice[];
  /** Alerts here that went out before in a delivery not confirmed ({@link repeatNote}). */
  possibleRepeat?: PossibleRepeat;
}

/** The alerts of a message sent again after deliveries whose outcome is unknown. */
export interface PossibleRepeat {
  /** Ids of those carried whole. */
  alertIds: readonly string[];
  /** How many of those only counted (folded) were. */
  counted: number;
  /** The most deliveries of unknown outcome any of them went out in. */
  attempts: number;
}

/**
 * What marks each row of an alert sent again: a message marked as a possible repeat can carry new
 * alerts too (taken in since), so the mark of the whole does not say which rows are repeats.
 */
const REPEATED_ROW = 'possible repeat';

/** Ids of the alerts of a message that went out before in a delivery not confirmed. */
const repeatedIds = (options: AlertMessageOptions): Set<string> =>
  new Set(options.possibleRepeat?.alertIds ?? []);

/** What opens the subject of a message that may repeat an earlier one. */
export const POSSIBLE_REPEAT = '[Possible repeat]';

/**
 * The first paragraph of a message carrying alerts sent before in a delivery not confirmed (a
 * timeout, a server error, a run that stopped while sending): they may have arrived, so the reader
 * is told which, and that their ids are the same, to drop the ones already seen (review R-ALERT4 F1).
 */
function repeatNote(alerts: readonly Alert[], options: AlertMessageOptions): Note | undefined {
  const repeat = options.possibleRepeat;
  if (repeat === undefined || repeat.alertIds.length + repeat.counted === 0) return undefined;
  const ids = new Set(repeat.alertIds);
  const whole = alerts.filter((a) => ids.has(a.id));
  const n = whole.length;
  const kinds = n > 0 ? ` (${countByKind(whole)})` : '';
  const counted = repeat.counted > 0 ? `${n > 0 ? ' and ' : ''}${repeat.counted} only counted` : '';
  const tries = repeat.attempts === 1 ? 'an earlier message' : `${repeat.attempts} earlier messages`;
  return {
    text: `Possible repeat: ${n > 0 ? `${n} alert${n === 1 ? '' : 's'} here${kinds}` : ''}${counted} went out in ${tries} of this channel whose delivery was not confirmed (a timeout, a server error, or a run that stopped while sending), so ${n + repeat.counted === 1 ? 'it is' : 'they are'} sent again and may have arrived already. An alert keeps its id (alert … below, marked possible repeat): drop one you have seen; the others are new.`,
  };
}

/**
 * How long after its event an alert may be sent and be on time. The documented worst case of a
 * working pipeline (docs/alerts.md, "When it arrives") is 90 minutes, plus up to about 15 of
 * Scheduler starting the ingest late and the ingest run itself (~105), and each failed ingest run
 * adds 15: 2 hours covers one. Past it something held the alert back (an outage, a refused channel,
 * alerts paused, a login history rebuilt), and the message says so, with how late.
 */
export const SENT_LATE_AFTER_MS = 2 * HOUR_MS;

/** `2 hours 40 minutes`, `3 days 4 hours`: how long, in words a screen reader reads as such. */
export function delayText(ms: number): string {
  const unit = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;
  const minutes = Math.round(ms / 60_000);
  const hours = Math.floor(minutes / 60);
  if (hours >= 48) {
    const rest = hours % 24;
    const days = unit(Math.floor(hours / 24), 'day');
    return rest === 0 ? days : `${days} ${unit(rest, 'hour')}`;
  }
  const rest = minutes % 60;
  if (hours === 0) return unit(rest, 'minute');
  return rest === 0 ? unit(hours, 'hour') : `${unit(hours, 'hour')} ${unit(rest, 'minute')}`;
}

/**
 * `Sent 13:02, 2 hours 42 minutes after the event` for an alert sent past {@link SENT_LATE_AFTER_MS}
 * (the date too when it is another day's), else undefined: its time alone would read as fresh.
 */
function sentLate(alert: Alert, options: AlertMessageOptions): string | undefined {
  const { nowMs, timeZone } = options;
  if (options.marksLate === false || nowMs - alert.event_time_ms <= SENT_LATE_AFTER_MS) return undefined;
  const sameDay =
    localDateTime(nowMs, timeZone).slice(0, 10) === localDateTime(alert.event_time_ms, timeZone).slice(0, 10);
  const at = sameDay ? localHhmmWithOffset(nowMs, timeZone) : localDateTimeWithOffset(nowMs, timeZone);
  return `Sent ${at}, ${delayText(nowMs - alert.event_time_ms)} after the event`;
}

/** A Domo string on one line, cleaned and defanged like the weekly report's text part. */
const oneLine = (text: string | null): string =>
  unlinked(text ?? '')
    .replace(/[\t\n\r]+/g, ' ')
    .trim();

/**
 * Who the alert is about, `Ann (42)`, with the name and id clipped as the weekly report clips them
 * ({@link RENDER_LIMITS}), so a 500-character Domo name cannot fill the mail. The id always shows,
 * so two users whose names share a long start stay apart; the query to dig further keeps the full
 * values, which it must match.
 */
const userLabel = (alert: Alert): string => {
  // About an address, not a user: the evidence names the users it tried.
  if (alert.kind === 'password_spray') return 'many users';
  const name = clip(oneLine(alert.user_name), RENDER_LIMITS.name);
  const id = clip(oneLine(alert.user_id), RENDER_LIMITS.id);
  if (name && id) return `${name} (${id})`;
  return name || (id ? `user ${id}` : 'unknown user');
};

function countByKind(alerts: readonly Alert[], folded?: FoldedAlerts): string {
  const counts = new Map<AlertKind, number>();
  for (const alert of alerts) counts.set(alert.kind, (counts.get(alert.kind) ?? 0) + 1);
  for (const [kind, n] of Object.entries(folded?.kinds ?? {}) as [AlertKind, number][]) {
    counts.set(kind, (counts.get(kind) ?? 0) + n);
  }
  return [...counts].map(([kind, n]) => `${n} ${KIND_LABELS[kind][n === 1 ? 0 : 1]}`).join(', ');
}

/** How many alerts the message counts without listing them: `counted` and those folded. */
const countedTotal = (counted: readonly Alert[], options: AlertMessageOptions): number =>
  counted.length + (options.folded?.count ?? 0);

function split(alerts: readonly Alert[], options: AlertMessageOptions) {
  const cutoff = options.nowMs - options.mailOlderThanHours * 3_600_000;
  const recent = newestFirst(alerts.filter((a) => a.event_time_ms >= cutoff));
  const listed = listedAlerts(recent, MAX_LISTED_ALERTS);
  const shown = new Set(listed);
  const counted = [...recent.filter((a) => !shown.has(a)), ...alerts.filter((a) => a.event_time_ms < cutoff)];
  return { cutoff, listed, counted, shared: sharesRows(recent, MAX_LISTED_ALERTS) };
}

/** The most characters of a subject SNS keeps (sns-alert-channel.ts cuts there). */
export const SNS_SUBJECT_MAX = 99;

/**
 * Characters a subject may take so that the repeat mark never cuts it: SNS keeps 99, the fewest
 * of the channels (sns-alert-channel.ts).
 */
export const SUBJECT_ROOM = SNS_SUBJECT_MAX - POSSIBLE_REPEAT.length - 1;

/** Each kind of `alerts` and `folded` with its total, in {@link LISTING_ORDER}. */
function totalsByKind(alerts: readonly Alert[], folded?: FoldedAlerts): [AlertKind, number][] {
  const counts = new Map<AlertKind, number>();
  for (const alert of alerts) counts.set(alert.kind, (counts.get(alert.kind) ?? 0) + 1);
  for (const [kind, n] of Object.entries(folded?.kinds ?? {}) as [AlertKind, number][]) {
    counts.set(kind, (counts.get(kind) ?? 0) + n);
  }
  return LISTING_ORDER.flatMap((kind) => {
    const n = counts.get(kind);
    return n === undefined ? [] : [[kind, n] as [AlertKind, number]];
  });
}

/**
 * The totals of each kind after `Security alerts (<instance>)`, as many kinds as fit
 * {@link SUBJECT_ROOM}, the rest as `+N more of K kinds`. Where not even one kind fits beside a
 * long instance name, `N alerts of K kinds`, and where the name itself leaves no room, the name
 * goes last, where SNS's cut takes it rather than the counts (review R-ALERT6 F1: a 20-character
 * name left `…, +5001 more of 2 kind`, a 63-character one no count at all).
 */
function kindsSubject(instance: string, totals: readonly [AlertKind, number][]): string {
  const head = `Security alerts (${instance})`;
  const parts = totals.map(([kind, n]) => `${n} ${KIND_LABELS[kind][n === 1 ? 0 : 1]}`);
  for (let shown = parts.length; shown >= 1; shown--) {
    const rest = totals.slice(shown);
    const more = rest.reduce((sum, [, n]) => sum + n, 0);
    const tail =
      rest.length > 0 ? [`+${more} more of ${rest.length} kind${rest.length === 1 ? '' : 's'}`] : [];
    const subject = `${head}: ${[...parts.slice(0, shown), ...tail].join(', ')}`;
    if (subject.length <= SUBJECT_ROOM) return subject;
  }
  const total = totals.reduce((sum, [, n]) => sum + n, 0);
  return fittedSubject(
    instance,
    parts.length === 1 ? `${parts[0]}` : `${total} alerts of ${parts.length} kinds`,
  );
}

/**
 * `Security alerts (<instance>): <summary>`, or where that passes {@link SUBJECT_ROOM} (a name may
 * be 63 characters), the name last, where SNS's cut at 99 takes it rather than the summary.
 */
export function fittedSubject(instance: string, summary: string, room = SUBJECT_ROOM): string {
  const subject = `Security alerts (${instance}): ${summary}`;
  return subject.length <= room ? subject : `Security alerts: ${summary} (${instance})`;
}

/**
 * The subject: the real total of each kind, the rarer and wider first ({@link LISTING_ORDER}). It
 * gave the listed rows' counts, `; N more archived` after them, and every kind: with several kinds
 * it ran to over 200 characters, SNS cut it at 99 (the repeat mark cut more), and "7 failed-login
 * bursts" stood for a thousand (review R-ALERT5 3). The message says which are listed.
 */
function subjectOf(
  alerts: readonly Alert[],
  listed: readonly Alert[],
  counted: readonly Alert[],
  options: AlertMessageOptions,
): string {
  const unlisted = (options.unlisted ?? ARCHIVED_ALERTS).subject;
  const more = countedTotal(counted, options);
  if (listed.length === 0)
    return fittedSubject(options.instance, `${more} earlier alert${more === 1 ? '' : 's'} ${unlisted}`);
  return kindsSubject(options.instance, totalsByKind(alerts, options.folded));
}

/**
 * Characters of an alert's evidence as the message shows it. Longer than the weekly report's
 * ({@link RENDER_LIMITS}): an alert is read to act on, and a password spray's sentence names the
 * accounts to reset after ~150 characters of what, when and from where (at the report's 160 the
 * first name was cut, review R-USER 2). 50 listed alerts at this length are ~24 KB, far inside
 * SNS's 256 KB.
 */
export const ALERT_EVIDENCE_CHARS = 480;

/**
 * One alert's facts as shown. The IP and the evidence are clipped: a lockout's evidence lists
 * every IP of the hour before, and Domo's IP field is free text, so one long value would otherwise
 * fill SNS's 256 KB and push every other alert out of the text. The archive and the `alerts`
 * attribute keep the full values.
 */
const row = (alert: Alert, options: AlertMessageOptions) => ({
  when: localDateTimeWithOffset(alert.event_time_ms, options.timeZone),
  late: sentLate(alert, options),
  user: userLabel(alert),
  what: KIND_LABELS[alert.kind][0],
  evidence: clip(oneLine(alert.evidence), ALERT_EVIDENCE_CHARS),
  ip: clip(oneLine(alert.ip_address), RENDER_LIMITS.id) || '-',
});

/** A paragraph below the alerts, and the query or command line it ends with, to be copied whole. */
interface Note {
  text: string;
  /** The HTML part's paragraph, when it is more than `text` escaped (the geo credit's links). */
  html?: string;
  copy?: string;
}

function summaryNote(
  counted: readonly Alert[],
  listed: number,
  cutoff: number,
  options: AlertMessageOptions,
  shared = false,
): Note | undefined {
  const total = countedTotal(counted, options);
  if (total === 0) return undefined;
  const unlisted = options.unlisted ?? ARCHIVED_ALERTS;
  const one = total === 1;
  const before = `before ${localDateTimeWithOffset(cutoff, options.timeZone)} ${options.timeZone}`;
  // With none listed there is no list for "more" to add to, nor 50 listed: every one is older.
  const past = shared
    ? `and those of each kind past the ${MAX_LISTED_ALERTS} listed, which give every kind a share`
    : `and any older than the ${MAX_LISTED_ALERTS} listed`;
  const which =
    listed === 0
      ? `${one ? 'it is' : 'all are'} about events ${before}`
      : `those about events ${before}, ${past}`;
  const { folded } = options;
  // The folded alerts' span, so that the way to list them reaches back to the oldest.
  const times = folded ? [{ event_time_ms: folded.oldest_ms }, { event_time_ms: folded.newest_ms }] : [];
  const hint = unlisted.howToList([...counted, ...times], options.instance);
  return {
    text: `${total} ${listed === 0 ? '' : 'more '}alert${one ? '' : 's'} (${countByKind(counted, folded)}) ${one ? 'is' : 'are'} ${unlisted.state}: ${which}. ${hint.sentence}`,
    ...(hint.copy === undefined ? {} : { copy: hint.copy }),
  };
}

/**
 * Why the query below names only some of the alerts it was built from (`dug` of `from`), when so: it
 * digs into the latest days only, or it would read the lake of every day a catch-up alerted about.
 * It says which alerts `from` are: it comes right after the summary of those not listed, so "these"
 * would name them even when the query was built from the ones listed above.
 */
function digNote(
  dug: readonly Alert[],
  from: readonly Alert[],
  listed: number,
  options: AlertMessageOptions,
): string {
  if (dug.length === from.length) return '';
  const days = [...new Set(dug.map((a) => utcDate(a.event_time_ms)))].sort();
  const unlisted = options.unlisted ?? ARCHIVED_ALERTS;
  const which =
    listed > 0
      ? `of the ${from.length} alerts listed above`
      : `of these ${from.length} ${unlisted.subject} alerts`;
  return `The query below digs into the latest ${dug.length} ${which} (about events on ${days.join(' and ')} UTC), so that it reads only a few days of the lake; for the others, change its users and dates.`;
}

/** The event time of the oldest of `alerts` and of those folded; undefined when there is none. */
function oldestEvent(alerts: readonly Alert[], folded: FoldedAlerts | undefined): number | undefined {
  let oldest = folded?.oldest_ms;
  for (const alert of alerts)
    if (oldest === undefined || alert.event_time_ms < oldest) oldest = alert.event_time_ms;
  return oldest;
}

/**
 * Why the oldest alert of a late message is late: the channel held it, it was found late, either,
 * or it was taken in on time and a later run delivered it.
 */
type LateCause = 'waited' | 'found late' | 'either' | 'delivered later';

/**
 * Why the alert of event `oldest`, sent late, is late. It waited for the channel only if a refusal
 * of the current row put it back (one older than every alert put back was taken in after the last
 * refusal) and it was on time when first refused: one already late then was late for another
 * reason (reviews R-ALFIX2 M2, R-LAST L1). A record written before it kept that says `either`
 * unless the row's start already shows it late: both causes are named rather than the channel
 * alone.
 */
function lateCause(oldest: number, options: AlertMessageOptions): LateCause {
  const refused = options.channelRefused;
  if (refused === undefined || refused.refusals <= 0 || oldest < refused.oldestMs)
    return options.oldestTakenInOnTime ? 'delivered later' : 'found late';
  if (refused.oldestOnTime !== undefined) return refused.oldestOnTime ? 'waited' : 'found late';
  if (refused.sinceMs !== undefined && refused.sinceMs - oldest > SENT_LATE_AFTER_MS) return 'found late';
  return 'either';
}

const DELIVERED_LATER =
  'They were taken in on time and waited for a later run to deliver them (a run out of time, or another run delivering).';

const FOUND_LATE =
  'their hours were stored or evaluated late (an ingest or Domo outage, events Domo served late, alerts paused or a first run over the lake, a login history rebuilt); the log of the alerts function says which.';

/**
 * The sentence of {@link heldNote} saying why: the channel's refusals (`refused`) when the alerts
 * waited for it, the hours found late otherwise, and both when both held them or it is not known
 * which did: the refusals held the alerts they put back, even when the oldest was found late.
 */
function whyLate(cause: LateCause, refused: AlertMessageOptions['channelRefused']): string {
  const n = refused?.refusals ?? 0;
  const first = cause === 'delivered later' ? DELIVERED_LATER : `They were found late: ${FOUND_LATE}`;
  if (refused === undefined || n <= 0) return first;
  const attempts = `last ${n === 1 ? 'delivery attempt' : `${n} delivery attempts`}`;
  const last = refused.lastError ? ` (the last: ${errorGist(refused.lastError)})` : '';
  if (cause === 'waited') return `This channel's ${attempts} failed${last}, and the alerts waited for it.`;
  if (cause === 'either') {
    return `This channel's ${attempts} failed${last}, and the alerts waited for it; they may also have been found late: ${FOUND_LATE}`;
  }
  return `${first} This channel's ${attempts} also failed${last}, which held some of them longer.`;
}

/**
 * A line above the alerts when the message carries any sent past {@link SENT_LATE_AFTER_MS}: how
 * late the oldest is, and why ({@link lateCause}): the channel's last attempts failed and the
 * alerts waited for it, or they were found late, which the alerts function's log explains. Without
 * it, alerts held by an outage read as fresh ones (review R-ALERTSTIME, item 2).
 */
function heldNote(alerts: readonly Alert[], options: AlertMessageOptions): Note | undefined {
  const oldest = oldestEvent(alerts, options.folded);
  if (options.marksLate === false || oldest === undefined) return undefined;
  if (options.nowMs - oldest <= SENT_LATE_AFTER_MS) return undefined;
  const why = whyLate(lateCause(oldest, options), options.channelRefused);
  return {
    text: `Sent late: the oldest alert here is about an event ${delayText(options.nowMs - oldest)} before this message, while alerts normally arrive within 2 hours. ${why}`,
  };
}

/**
 * Characters of the channel's last error a message shows: its gist, a long line's worth (the text
 * part wraps it). 80 cut every AuthorizationError before the reason that tells one from another (no
 * identity-based policy, a service control policy's explicit deny, a VPC endpoint policy), and a
 * KMS one inside its action (review R-ALFIX2 L5); 160 keeps them, as it keeps an evidence.
 */
const LAST_ERROR_CHARS = 160;

/**
 * The sender SES names before the error (ses-mailer.ts): an address, or a display name and the
 * address in angle brackets. A quoted display name may hold a colon (`"Security: Alerts" <a@…>`),
 * where a lead-in up to the first colon stopped, leaving the rest in the gist.
 */
const SES_SENDER = '(?:[^\\s:<>"]+|[^<>":]*(?:"[^"]*")?\\s*<[^<>]*>)';

/**
 * The channels' own words before the service's error (sns-alert-channel.ts, ses-mailer.ts), and
 * why a request was not sent (request-not-sent.ts): 31 to 90 characters of those shown.
 */
const ERROR_LEAD_IN = new RegExp(
  `^(?:(?:SNS|SES) (?:refused (?:the mail from ${SES_SENDER}|[^:]*)|was not reached, nothing was (?:published|sent)): )(?:(?:no AWS credentials to sign the request with|the connection to the service did not open(?: in time)?): )?`,
);

/** An ARN (a role's names the account), and an account id alone. */
const ARN = /\barn:aws[a-z-]*:[^\s,;()]*/g;
const ACCOUNT_ID = /\b\d{12}\b/g;

/**
 * The resource an authorization error names after the action: an ARN once left out, and the same
 * for every error of a channel (its topic, its key, its identity), so it tells nothing apart.
 */
const ON_RESOURCE = / on resource:? ?`?\(an ARN\)/g;

/**
 * The AWS SDK for Java's tail a KMS error passes on through SNS (`(Service: AWSKMS; Status Code:
 * 400; Error Code: AccessDeniedException; Request ID: …; Proxy: null)`), with the `null` message
 * it may stand after: only the service and the error code tell anything.
 */
const SDK_TAIL = /(?:\bnull )?\(Service: ([^;)]*);[^)]*?Error Code: ([^;)]*)[^)]*\)/g;

/**
 * What a message shows of the channel's last error: the service's error name and message, without
 * the channel's lead-in (an SNS AuthorizationError showed 31 characters of it, then ended inside
 * the role's ARN, with the account id), with ARNs and account ids left out, and without the parts
 * that are the same for every failure (the resource, request ids), so that the reason the service
 * gives, which tells failures apart, is kept: the recipients need what went wrong, the operators
 * have the whole error in `last_error` and the log.
 */
const errorGist = (error: string): string =>
  clip(
    oneLine(error)
      .replace(ERROR_LEAD_IN, '')
      // Before the account ids: a request id's last group of 12 digits became `(an account)`,
      // whose `)` ended the tail there (review R-ALFIX3 L3). The service and code it keeps still pass
      // through the two below.
      .replace(SDK_TAIL, '($1 $2)')
      .replace(ARN, '(an ARN)')
      .replace(ACCOUNT_ID, '(an account)')
      .replace(ON_RESOURCE, ''),
    LAST_ERROR_CHARS,
  );

/** Most earlier messages a notice names one by one; more are told of as one. */
const MAX_NOTICES_NAMED = 3;

/** Most ids the query of a notice names one by one: longer, it would pass a mail line's 998 octets. */
export const MAX_NOTICE_IDS = 10;

/** How many alerts a notice is about: by id (not all of whose ids it may keep) and only counted. */
const noticeCount = (notice: UnknownNotice): number =>
  (notice.ids_count ?? notice.alert_ids.length) + (notice.folded ?? 0);

/**
 * A line above the alerts for the channel's earlier messages whose delivery may not have arrived (a
 * timeout, a server error, a run that stopped while delivering) and whose alerts had gone out as
 * often as they may (MAX_UNCONFIRMED): what they carried, when, and how to find those alerts.
 */
function unknownNote(options: AlertMessageOptions): Note | undefined {
  const notices = options.unknownNotices ?? [];
  if (notices.length === 0) return undefined;
  const at = (n: UnknownNotice): string => localDateTimeWithOffset(Date.parse(n.at), options.timeZone);
  // Each named while few; more (a channel timing out run after run) as one, so the line stays short.
  const which = (notices.length <= MAX_NOTICES_NAMED ? notices.map((n) => [n]) : [notices]).map((group) => {
    const folded = group.reduce<FoldedAlerts | null>(
      (all, n) =>
        mergeFolded(all, {
          count: noticeCount(n),
          kinds: n.kinds,
          oldest_ms: n.oldest_ms,
          newest_ms: n.newest_ms,
        }),
      null,
    );
    const count = folded?.count ?? 0;
    const first = group[0];
    const last = group.at(-1);
    const when =
      group.length === 1 || !first || !last
        ? `at ${first ? at(first) : ''}`
        : `from ${at(first)} to ${at(last)}`;
    return `${count} alert${count === 1 ? '' : 's'} (${countByKind([], folded ?? undefined)}) ${when}`;
  });
  const one = notices.length === 1;
  const span = {
    fromMs: Math.min(...notices.map((n) => n.oldest_ms)),
    toMs: Math.max(...notices.map((n) => n.newest_ms)),
  };
  const ids = notices.flatMap((n) => n.alert_ids);
  const unlisted = options.unlisted ?? ARCHIVED_ALERTS;
  // By id only when the notices keep every id (none counted, none cut) and they are few.
  const byId = notices.every((n) => noticeCount(n) === n.alert_ids.length) && ids.length <= MAX_NOTICE_IDS;
  const hint =
    byId && unlisted.howToFind
      ? unlisted.howToFind(ids, span, options.instance)
      : unlisted.howToList([{ event_time_ms: span.fromMs }, { event_time_ms: span.toMs }], options.instance);
  return {
    text: `${one ? 'An earlier alert message' : `${notices.length} earlier alert messages`} may not have arrived: ${which.join('; ')} (${one ? 'its alerts' : 'their alerts'} went out in deliveries that failed without telling whether they arrived, so they are not sent again). ${hint.sentence}`,
    ...(hint.copy === undefined ? {} : { copy: hint.copy }),
  };
}

/**
 * When a kind's evidence names places (countries, network owners) from the geo data, so that the
 * message credits it: a sign-in's place kinds always; the failure kinds when the geo data placed
 * any of their addresses (they carry the release that did only then: detect-failed-logins.ts); the
 * hour of a sign-in never. A record of every kind, so a new kind does not compile without the
 * choice (review R-CONTRIB H1).
 */
const NAMES_PLACES = {
  impossible_travel: 'always',
  new_country: 'always',
  new_network: 'always',
  lockout: 'when placed',
  failed_login_burst: 'when placed',
  password_spray: 'when placed',
  unusual_hour: 'never',
} as const satisfies Record<AlertKind, 'always' | 'when placed' | 'never'>;

/** Whether `alert`'s evidence names places ({@link NAMES_PLACES}). */
const namesPlaces = (alert: Alert): boolean =>
  NAMES_PLACES[alert.kind] === 'always' ||
  (NAMES_PLACES[alert.kind] === 'when placed' && alert.geo_db_version !== undefined);

/**
 * The geo data's credit when a listed alert names a place: the releases that placed those alerts'
 * sign-ins or failures (a place is only as current as its release), with a journey's departure when another
 * release placed it, then the attribution (its licence, CC BY 4.0, asks for it wherever the data
 * is shown, as the weekly report's footer gives it).
 */
function geoNote(listed: readonly Alert[]): Note | undefined {
  const placed = listed.filter(namesPlaces);
  if (placed.length === 0) return undefined;
  // Versions are read from the lake, shown as they are when they do not parse: defanged as any
  // text from there (review R-LOOKB F2), so only the attribution carries a link.
  const journeys = placed.flatMap(({ kind, geo_db_version: arrival, departure_geo_db_version: departure }) =>
    kind === 'impossible_travel' && departure !== undefined
      ? [{ departure: unlinked(departure), arrival: unlinked(arrival ?? '') }]
      : [],
  );
  const versions = placed.flatMap((alert) =>
    alert.geo_db_version === undefined ? [] : [unlinked(alert.geo_db_version)],
  );
  return { text: geoCredit(versions, journeys), html: geoCreditHtml(esc, versions, journeys) };
}

/**
 * What a message says below its alerts: the count of those not listed, the history note, the
 * query's span, and the geo data's credit ({@link geoNote}).
 */
function notesOf(
  alerts: readonly Alert[],
  listed: readonly Alert[],
  summary: Note | undefined,
  options: AlertMessageOptions,
  dig: string,
): Note[] {
  const note = historyWindowNote(alerts, options.historyDays ?? DEFAULT_ALERT_SETTINGS.historyDays);
  const prose = [note ?? '', dig].filter((line) => line !== '').map((text): Note => ({ text }));
  const geo = geoNote(listed);
  return [...(summary === undefined ? [] : [summary]), ...prose, ...(geo === undefined ? [] : [geo])];
}

/**
 * The longest line of a note's text in the HTML source, in octets: RFC 5322's 998, less room for
 * the paragraph's tags around its first and last lines.
 */
const NOTE_LINE_OCTETS = 900;

const octetsOf = (text: string): number => new TextEncoder().encode(text).byteLength;

/**
 * Escaped text on lines of the source of at most {@link NOTE_LINE_OCTETS}, broken at spaces (a line
 * break is white space, rendered as the space it replaces); as it was when it fits one. The late
 * line with an error's gist of 160 characters, each of which may escape to 6 octets, passed them.
 */
function foldedHtml(html: string): string {
  if (octetsOf(html) <= NOTE_LINE_OCTETS) return html;
  const lines: string[] = [];
  let line = '';
  for (const word of html.split(' ')) {
    const longer = line === '' ? word : `${line} ${word}`;
    if (line !== '' && octetsOf(longer) > NOTE_LINE_OCTETS) {
      lines.push(line);
      line = word;
    } else line = longer;
  }
  lines.push(line);
  return lines.join('\n');
}

/**
 * An evidence's HTML, folded at its spaces onto lines of the source within RFC 5322's 998 octets.
 * One run of escaped characters longer than a line (480 `"` are 2,880 octets: only a hostile
 * Domo string is) shows as much as the weekly report shows instead, which fits one line.
 */
function evidenceHtml(evidence: string): string {
  const folded = foldedHtml(esc(evidence));
  if (folded.split('\n').every((line) => octetsOf(line) <= NOTE_LINE_OCTETS)) return folded;
  return esc(clip(evidence, RENDER_LIMITS.evidence));
}

/**
 * A note as one paragraph (the HTML part's, which wraps it anywhere already), its copy on a line of
 * the source of its own: a sentence naming earlier messages and a query of their ids on one line
 * passed RFC 5322's 998 octets.
 */
const noteHtml = (note: Note): string => {
  const text = foldedHtml(note.html ?? esc(note.text));
  return note.copy === undefined ? text : `${text}\n${esc(note.copy)}`;
};

/**
 * A sentence of the text part at most {@link TEXT_WIDTH} columns wide, as the weekly report's text
 * part wraps its own (render-text.ts says why): a mail client shows text/plain as it is, and an
 * evidence or a note ran to 300 columns. Its lines keep its indentation, the rest of an alert's
 * first line under it by two more (it would read as the next alert's otherwise).
 */
const textLines = (text: string, indent = 0): string[] => wrapNote(text, TEXT_WIDTH, { indent });

/**
 * The sentence before the query to dig further, after one saying that the queries give UTC times
 * when the alerts are shown in another zone: the lake and the archive keep UTC, and a reader
 * matching the query's `00:51` with an alert at `19:51 -05:00` took them for other events.
 */
function digIntro(dig: DigFurther, options: AlertMessageOptions): string {
  const { timeZone } = options;
  // By offset, not name: `Etc/GMT` or `Zulu` read "UTC, not in Etc/GMT" (review R-ALFIX L8).
  if (isUtcAllYear(timeZone, options.nowMs)) return dig.intro;
  return `The queries in this message give times in UTC, not in ${timeZone}. ${dig.intro}`;
}

/** A note's lines in the text part: its sentence wrapped, its copy on a line of its own, a blank. */
const noteLines = (note: Note): string[] => [
  ...textLines(note.text),
  ...(note.copy === undefined ? [] : [note.copy]),
  '',
];

function textOf(
  listed: readonly Alert[],
  notes: { above: readonly Note[]; below: readonly Note[] },
  query: string,
  options: AlertMessageOptions,
  repeat: Note | undefined,
): string {
  const lines = [
    // First: a reader (or a filter) deciding whether this is news sees it before anything else.
    ...(repeat === undefined ? [] : noteLines(repeat)),
    ...textLines(
      `Security alerts for the Domo instance ${options.instance}, newest first (times in ${options.timeZone}).`,
    ),
    '',
    ...notes.above.flatMap(noteLines),
  ];
  const again = repeatedIds(options);
  for (const alert of listed) {
    const r = row(alert, options);
    const mark = again.has(alert.id) ? ` (${REPEATED_ROW})` : '';
    lines.push(
      ...textLines(`${r.when}  ${r.what}: ${r.user}`, 2),
      ...(r.late === undefined ? [] : textLines(`  ${r.late}.`)),
      ...textLines(`  ${r.evidence}`),
      ...textLines(`  IP: ${r.ip}; alert ${alert.id}${mark}`),
      '',
    );
  }
  lines.push(...notes.below.flatMap(noteLines));
  const dig = options.digFurther ?? IN_ATHENA;
  // The query stays as it is: its lines are for copying, into a shell or Athena's editor.
  lines.push(...textLines(digIntro(dig, options)), '', dig.copy(query), '');
  return lines.join('\n');
}

function htmlOf(
  subject: string,
  listed: readonly Alert[],
  notes: { above: readonly Note[]; below: readonly Note[] },
  query: string,
  options: AlertMessageOptions,
  repeat: Note | undefined,
): string {
  const dig = options.digFurther ?? IN_ATHENA;
  // One alert per row, its facts stacked in one cell: five columns cannot fit a phone, and long
  // unbroken Domo strings (names, IPv6 addresses) must wrap anywhere rather than widen the page.
  const cell = `style="padding:8px 4px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top;${WRAP}"`;
  const again = repeatedIds(options);
  const rows = listed
    .map((alert) => {
      const r = row(alert, options);
      const late = r.late === undefined ? '' : `\n<br>${esc(r.late)}`;
      const mark = again.has(alert.id) ? ` <b>(${REPEATED_ROW})</b>` : '';
      // A line each (RFC 5322's 998 octets, as html-section.ts says the report keeps them):
      // escaped, an evidence of `"` alone was 960 octets at 160 characters ({@link evidenceHtml}), and the row on one line was 1,695.
      return `<tr><td ${cell}>${ALERT_HEADING}<b>${esc(r.what)}</b> &middot; ${esc(r.when)}</h2>\n${esc(r.user)}${late}\n<br>${evidenceHtml(r.evidence)}\n<br><span style="color:#555">IP ${esc(r.ip)}\n&middot; alert ${esc(alert.id)}</span>${mark}</td></tr>`;
    })
    .join('\n');
  const table = listed.length
    ? `<table role="presentation" width="100%" cellspacing="0" cellpadding="0" style="width:100%;max-width:${COLUMN_PX}px;border-collapse:collapse;font-size:14px">\n<tr><th ${cell}>Alerts, newest first (times in ${esc(options.timeZone)})</th></tr>\n${rows}\n</table>`
    : '';
  return [
    // The language and title a screen reader announces (the subject, as the weekly report's is).
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${esc(subject)}</title></head>`,
    '<body style="font-family:Arial,Helvetica,sans-serif;color:#222">',
    // One column as wide as the table at most: on a desktop the notes and the query ran the
    // window's full width beside a table capped at 640 px. Outlook for Windows ignores max-width
    // and ran it all full width: its own fixed column holds it, as the weekly report's does.
    outlookColumnStart(COLUMN_PX),
    `<div style="max-width:${COLUMN_PX}px">`,
    repeat === undefined ? '' : `<p style="${WRAP}"><b>${noteHtml(repeat)}</b></p>`,
    `<p style="${WRAP}">Security alerts for the Domo instance <b>${esc(options.instance)}</b>.</p>`,
    ...notes.above.map((note) => `<p style="${WRAP}">${noteHtml(note)}</p>`),
    table,
    ...notes.below.map((note) => `<p style="${WRAP}">${noteHtml(note)}</p>`),
    `<p>${esc(digIntro(dig, options))}</p>`,
    `<pre style="background:#f4f4f4;padding:8px;white-space:pre-wrap;${WRAP}">${esc(dig.copy(query))}</pre>`,
    '</div>',
    OUTLOOK_COLUMN_END,
    '</body></html>',
  ]
    .filter((part) => part !== '')
    .join('\n');
}

export function renderAlertMessage(alerts: readonly Alert[], options: AlertMessageOptions): AlertMessage {
  const { cutoff, listed, counted, shared } = split(alerts, options);
  // The listed alerts, or with none listed (all older) the latest of those counted.
  const digFrom = listed.length > 0 ? listed : alerts;
  const dug = alertsToDig(digFrom);
  const summary = summaryNote(counted, listed.length, cutoff, options, shared);
  const notes = {
    above: [heldNote(alerts, options), unknownNote(options)].filter((n) => n !== undefined),
    below: notesOf(alerts, listed, summary, options, digNote(dug, digFrom, listed.length, options)),
  };
  const query = digQuery(options.instance, dug, (options.digFurther ?? IN_ATHENA).table);
  const repeat = repeatNote(alerts, options);
  const plain = subjectOf(alerts, listed, counted, options);
  const subject = repeat === undefined ? plain : `${POSSIBLE_REPEAT} ${plain}`;
  return {
    instance: options.instance,
    subject,
    text: textOf(listed, notes, query, options, repeat),
    html: htmlOf(subject, listed, notes, query, options, repeat),
    alerts,
    ...(options.folded ? { folded: options.folded.count } : {}),
    ...(repeat && options.possibleRepeat
      ? { possibleRepeat: { alertIds: options.possibleRepeat.alertIds } }
      : {}),
  };
}

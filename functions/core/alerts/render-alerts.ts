/**
 * The message of one run's alerts for one instance: a short subject, a plain table (HTML) and the
 * same as aligned text, each alert with the user, what happened, when (in the report's time zone)
 * and the evidence; then a query to dig further, to copy (no links; {@link DigFurther}). Alerts
 * about events older than `mailOlderThanHours` are only counted, by kind, with where to find them
 * ({@link UnlistedAlerts}: the archive by default), when they are the lake's history (a first
 * backfill); those an outage held are listed, the gravest first ({@link HeldRows}). Below them, when any is
 * judged against a history, why the weekly report may list other logins ({@link historyWindowNote}).
 * Every Domo string goes through the weekly report's helpers: `unlinked` (no clickable link, before
 * clipping) for both parts, then `esc` for HTML. The query to dig further keeps the values exact.
 */
import { utcDate } from '../lake/layout.ts';
import { DEFAULT_ALERT_SETTINGS } from '../queries/alert-settings.ts';
import type { Alert } from './alert.ts';
import type { AlertMessage } from './alert-channel.ts';
import { type FoldedAlerts, lateCutoff, markedBefore, type OutboxAlert } from './alert-checkpoint.ts';
import { htmlOf } from './alert-html.ts';
import type { AlertMessageOptions } from './alert-message-options.ts';
import { countedTotal, subjectOf } from './alert-subject.ts';
import { textOf } from './alert-text.ts';
import { cardOrder, kindCountLine, kindCounts } from './card-order.ts';
import { alertsToDig, digQuery, IN_ATHENA } from './dig-further.ts';
import { mostSerious } from './dig-seriousness.ts';
import { eventSpan } from './event-span.ts';
import { geoNote } from './geo-note.ts';
import { historyWindowNote } from './history-window-note.ts';
import { KIND_LABELS } from './kind-labels.ts';
import { listedAlerts, newestFirst, sharesRows } from './listed-alerts.ts';
import { localDateTimeWithOffset } from './local-time.ts';
import type { Note } from './message-note.ts';
import { nextStepsNote } from './next-steps-mail.ts';
import { changeKindCounts } from './privileged-change-order.ts';
import { POSSIBLE_REPEAT, repeatNote } from './repeat-note.ts';
import { heldNote, SENT_LATE_AFTER_MS } from './sent-late.ts';
import { unknownNote } from './unknown-note.ts';
import { ARCHIVED_ALERTS } from './unlisted-alerts.ts';

/**
 * Rows listed one by one, the newest of each kind (listed-alerts.ts); more recent alerts than this
 * are counted like the older ones.
 */
export const MAX_LISTED_ALERTS = 50;

/**
 * Rows kept for the alerts an outage held ({@link HeldRows}) when recent ones would take every row:
 * an attack still going on must not hide what happened while nobody was told.
 */
export const MIN_HELD_ROWS = 10;

/**
 * The alerts about events older than `mailOlderThanHours` that were raised after alerting began
 * (`since_alerting`, marked when taken in): late because an outage held them (the ingest, Domo,
 * the alerts or the channel), not the lake's history a first run catches up. Those `listed` get
 * the rows the recent ones leave, at least {@link MIN_HELD_ROWS}, every kind its share, the gravest
 * kinds first ({@link listedAlerts}); only those past them are counted. Counted with the history
 * until 2026-12-06, the alerts of a catch-up after an outage over a day long were numbers by kind,
 * and the operator back from it could not see whom they were about (review R-INSIDER).
 */
interface HeldRows {
  cutoff: number;
  all: readonly OutboxAlert[];
  listed: readonly OutboxAlert[];
  /** Those of them folded out of a long outbox, only counted ({@link foldedHeld}). */
  folded: number;
}

/**
 * How many alerts folded out of a long outbox an outage held past `cutoff`: those marked
 * `since_alerting` about events before it ({@link markedBefore}: to the hour, in a record spanning
 * it); every one when the checkpoint does not say when alerting began (`allSinceAlerting`) and the
 * record's newest is (else the marked ones, which it takes in after the upgrade). A record written
 * before it kept the mark counts none.
 */
function foldedHeld(options: AlertMessageOptions, cutoff: number): number {
  const { folded } = options;
  if (folded === undefined) return 0;
  if (options.allSinceAlerting === true && folded.newest_ms < cutoff) return folded.count;
  return markedBefore(folded, cutoff);
}

/**
 * Whether `alert` was raised after alerting began: marked so when taken in, or every alert when
 * the checkpoint does not say when alerting began (`allSinceAlerting`).
 */
const sinceAlerting =
  (options: AlertMessageOptions) =>
  (alert: OutboxAlert): boolean =>
    alert.since_alerting === true || options.allSinceAlerting === true;

function split(alerts: readonly OutboxAlert[], options: AlertMessageOptions) {
  const cutoff = lateCutoff(options.nowMs, options.mailOlderThanHours);
  const heldByOutage = sinceAlerting(options);
  const recent = newestFirst(alerts.filter((a) => a.event_time_ms >= cutoff));
  const old = alerts.filter((a) => a.event_time_ms < cutoff);
  const held = old.filter(heldByOutage);
  const heldRows = Math.min(held.length, Math.max(MAX_LISTED_ALERTS - recent.length, MIN_HELD_ROWS));
  const recentRows = MAX_LISTED_ALERTS - heldRows;
  const heldListed = listedAlerts(held, heldRows);
  const listed = newestFirst([...listedAlerts(recent, recentRows), ...heldListed]);
  const shown = new Set<Alert>(listed);
  const counted = [...recent, ...held, ...old.filter((a) => !heldByOutage(a))].filter((a) => !shown.has(a));
  const rows: HeldRows = { cutoff, all: held, listed: heldListed, folded: foldedHeld(options, cutoff) };
  return { listed, counted, shared: sharesRows(recent, recentRows), held: rows };
}

/**
 * Which alerts the count is of, beside alerts an outage held ({@link HeldRows}): those of them past
 * the rows listed, the others about events `before` the cutoff, the recent ones past their rows,
 * and the oldest, which waited so long they were kept only as a count (`folded`).
 */
function heldWhich(
  counted: readonly OutboxAlert[],
  listed: number,
  held: HeldRows,
  before: string,
  folded = 0,
): string {
  const past = held.all.length - held.listed.length;
  const heldAll = new Set(held.all);
  const history = counted.filter((a) => !heldAll.has(a) && a.event_time_ms < held.cutoff).length;
  const recent = counted.length - past - history;
  const clauses = [
    past > 0 ? `those held by an outage past the ${held.listed.length} of them listed` : '',
    history > 0 ? `the others about events ${before}` : '',
    recent > 0 ? `those about later events past the ${listed - held.listed.length} of them listed` : '',
    folded > 0 ? `the ${folded} oldest, kept only as a count while they waited` : '',
  ].filter((c) => c !== '');
  const last = clauses.pop() ?? '';
  return clauses.length === 0 ? last : `${clauses.join(', ')} and ${last}`;
}

/**
 * `The privileged changes among them: 1 token made, 479 other changes. `: those counted, by kind
 * of change (as the weekly report's "Listed:" line says what it left out), those folded out of a
 * long outbox too (`folded`); empty for none.
 */
function changesByKind(counted: readonly Alert[], folded?: FoldedAlerts): string {
  const kinds = changeKindCounts(counted, folded?.change_kinds);
  return kinds === '' ? '' : `The privileged changes among them: ${kinds}. `;
}

/**
 * Which recent alerts the count holds: the oldest past those listed, or with the rows shared, each
 * kind's past its share; the privileged changes past theirs are the less grave, not the older
 * (privileged-change-order.ts). `alone`: no clause about older events before it.
 */
function pastTheListed(counted: readonly Alert[], cutoff: number, shared: boolean, alone: boolean): string {
  const ranked = counted.some((a) => a.kind === 'privileged_change' && a.event_time_ms >= cutoff);
  if (shared) {
    const changes = ranked ? ' (of the privileged changes, the gravest)' : '';
    return `those of each kind past the ${MAX_LISTED_ALERTS} listed, which give every kind a share${changes}`;
  }
  return ranked
    ? `those past the ${MAX_LISTED_ALERTS} listed, the gravest privileged changes`
    : `${alone ? 'those' : 'any'} older than the ${MAX_LISTED_ALERTS} listed`;
}

/**
 * `those about events before …, and ` when some of those counted are (or the oldest folded is),
 * else empty: said of every count, it told of old events a message of only recent ones had none of.
 */
function beforeClause(
  counted: readonly Alert[],
  cutoff: number,
  before: string,
  folded?: FoldedAlerts,
): string {
  const any =
    counted.some((a) => a.event_time_ms < cutoff) || (folded !== undefined && folded.oldest_ms < cutoff);
  return any ? `those about events ${before}, and ` : '';
}

function summaryNote(
  counted: readonly OutboxAlert[],
  listed: number,
  held: HeldRows,
  options: AlertMessageOptions,
  shared = false,
): Note | undefined {
  const total = countedTotal(counted, options);
  if (total === 0) return undefined;
  const unlisted = options.unlisted ?? ARCHIVED_ALERTS;
  const one = total === 1;
  const before = `before ${localDateTimeWithOffset(held.cutoff, options.timeZone)} ${options.timeZone}`;
  // With none listed there is no list for "more" to add to, nor 50 listed: every one is older.
  const earlier = beforeClause(counted, held.cutoff, before, options.folded);
  const which =
    listed === 0
      ? `${one ? 'it is' : 'all are'} about events ${before}`
      : held.all.length + held.folded > 0
        ? heldWhich(counted, listed, held, before, options.folded?.count)
        : `${earlier}${pastTheListed(counted, held.cutoff, shared, earlier === '')}`;
  const { folded } = options;
  // The folded alerts' span, so that the way to list them reaches back to the oldest.
  const times = folded ? [{ event_time_ms: folded.oldest_ms }, { event_time_ms: folded.newest_ms }] : [];
  const hint = unlisted.howToList([...counted, ...times], options.instance);
  return {
    text: `${total} ${listed === 0 ? '' : 'more '}alert${one ? '' : 's'} (${kindCounts(counted, folded)}) ${one ? 'is' : 'are'} ${unlisted.state}: ${which}. ${changesByKind(counted, folded)}${hint.sentence}`,
    ...(hint.copy === undefined ? {} : { copy: hint.copy }),
  };
}

/**
 * Why the query below names only some of the alerts it was built from (`dug` of `from`), when so: it
 * digs into two days only, or it would read the lake of every day a catch-up alerted about.
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
  const about = `(about events on ${days.join(' and ')} UTC)`;
  const tail = 'so that it reads only a few days of the lake; for the others, change its users and dates.';
  // Not the newest days: say why these, or the reader takes the newest alerts for left out by mistake.
  if (eventSpan(dug).newestMs < eventSpan(from).newestMs) {
    const top = mostSerious(dug);
    const kind = top === undefined ? '' : ` (${KIND_LABELS[top.kind][0]})`;
    return `The query below digs into ${dug.length} ${which}, those about events on ${days.join(' and ')} UTC, around the most serious${kind}, ${tail}`;
  }
  return `The query below digs into the latest ${dug.length} ${which} ${about}, ${tail}`;
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

/** `3 were` / `1 was`, or when they are every one (`all`), `All were` / `It was`. */
const were = (n: number, all: boolean): string =>
  all ? (n === 1 ? 'It was' : 'All were') : `${n} ${n === 1 ? 'was' : 'were'}`;

/**
 * Whether the channel's refusals held `alert`, taken in on time: one a refusal of the current row
 * put back, as the `Sent late:` line judges (sent-late.ts `lateCause`); else a later run delivered
 * it (a run out of time or failed after taking it in, or another run delivering).
 */
const channelHeld =
  (options: AlertMessageOptions) =>
  (alert: OutboxAlert): boolean => {
    const refused = options.channelRefused;
    return refused !== undefined && refused.refusals > 0 && alert.event_time_ms >= refused.oldestMs;
  };

/**
 * Why the alerts an outage held are late, by when each was taken in (`detected_at_ms`): found late
 * (their hours evaluated late), or raised on time and waiting for the channel, or for a later run
 * ({@link channelHeld}); empty when none says. Until 2026-12-07 every one raised on time was said
 * to wait for `the channel failing`, beside a `Sent late:` line saying a later run delivered them.
 */
function heldWhy(held: readonly OutboxAlert[], folded: number, options: AlertMessageOptions): string {
  const taken = held.filter((a) => a.detected_at_ms !== undefined);
  const onTime = taken.filter((a) => (a.detected_at_ms ?? 0) - a.event_time_ms <= SENT_LATE_AFTER_MS);
  const found = taken.length - onTime.length;
  const channel = onTime.filter(channelHeld(options)).length;
  const later = onTime.length - channel;
  // Those folded say no more than their count: "All" would take them in.
  const whole = taken.length === held.length && folded === 0;
  const hours = found === 1 ? 'its hour was' : 'their hours were';
  const why = [
    found > 0
      ? ` ${were(found, whole && onTime.length === 0)} found late: ${hours} evaluated only when the alerts caught up (an ingest, Domo or alerts outage).`
      : '',
    channel > 0
      ? ` ${were(channel, whole && channel === taken.length)} raised on time and waited to be delivered (the channel failing).`
      : '',
    later > 0
      ? ` ${were(later, whole && later === taken.length)} raised on time and waited for a later run to deliver ${later === 1 ? 'it' : 'them'} (a run out of time or failed after taking ${later === 1 ? 'it' : 'them'} in, or another run delivering).`
      : '',
  ];
  return why.join('');
}

/**
 * ` The 30 oldest alerts of this message …`: after "all are listed", those folded out of a long
 * outbox, which are not here one by one; "all" read as taking them in (review R2ALERT).
 */
const foldedOlder = (folded: number): string =>
  folded === 0
    ? ''
    : folded === 1
      ? ' The oldest alert of this message was kept only as a count while it waited, and is counted below.'
      : ` The ${folded} oldest alerts of this message were kept only as a count while they waited, and are counted below.`;

/**
 * The line above the alerts when some are about events older than `mailOlderThanHours` and were
 * raised after alerting began ({@link HeldRows}): that they are late, why, and which are listed.
 */
/**
 * Which of the alerts an outage held are listed: all, the gravest, or beside those folded out of a
 * long outbox ({@link HeldRows} `folded`), those kept whole.
 */
function heldListing(held: HeldRows): string {
  const whole = held.all.length;
  const { folded } = held;
  if (held.listed.length < whole)
    return `the gravest ${held.listed.length} are listed, every kind given a share, and the rest counted below`;
  if (folded === 0) return `${whole === 1 ? 'it is' : 'all are'} listed`;
  if (whole === 0) {
    return folded === 1
      ? 'it was kept only as a count while it waited, and is counted below'
      : 'all were kept only as a count while they waited, and are counted below';
  }
  const oldest =
    folded === 1
      ? 'the oldest, kept only as a count while it waited, is'
      : `the ${folded} oldest, kept only as a count while they waited, are`;
  return `${whole} ${whole === 1 ? 'is' : 'are'} listed, and ${oldest} counted below`;
}

function heldRowsNote(held: HeldRows, options: AlertMessageOptions): Note | undefined {
  const all = held.all.length + held.folded;
  if (all === 0) return undefined;
  const hours = `${options.mailOlderThanHours} hour${options.mailOlderThanHours === 1 ? '' : 's'}`;
  // Folded alerts not held (the lake's history) are still not among "all are listed".
  const older = held.folded === 0 && held.listed.length === held.all.length;
  return {
    text: `Late, held by an outage: ${all} alert${all === 1 ? '' : 's'} here ${all === 1 ? 'is about an event' : 'are about events'} more than ${hours} before this message, after alerting began; ${heldListing(held)}.${heldWhy(held.all, held.folded, options)}${older ? foldedOlder(options.folded?.count ?? 0) : ''}`,
  };
}

export function renderAlertMessage(
  alerts: readonly OutboxAlert[],
  options: AlertMessageOptions,
): AlertMessage {
  const { listed, counted, shared, held } = split(alerts, options);
  // The listed alerts, or with none listed (all older) the latest of those counted.
  const digFrom = listed.length > 0 ? listed : alerts;
  const dug = alertsToDig(digFrom);
  const dig = options.digFurther ?? IN_ATHENA;
  const summary = summaryNote(counted, listed.length, held, options, shared);
  const notes = {
    above: [heldNote(alerts, options), heldRowsNote(held, options), unknownNote(options)].filter(
      (n) => n !== undefined,
    ),
    below: [
      ...notesOf(alerts, listed, summary, options, digNote(dug, digFrom, listed.length, options)),
      // The queries for the one alert to look at first, before the one SQL of every alerted user.
      ...[nextStepsNote(digFrom, options, dig.nextSteps)].filter((n) => n !== undefined),
    ],
  };
  const query = digQuery(options.instance, dug, dig.table);
  const repeat = repeatNote(alerts, options);
  const plain = subjectOf(alerts, listed, counted, options, held.all.length + held.folded);
  const subject = repeat === undefined ? plain : `${POSSIBLE_REPEAT} ${plain}`;
  const cards = { listed: cardOrder(listed), count: kindCountLine(alerts, options.folded) };
  return {
    instance: options.instance,
    subject,
    text: textOf(cards, notes, query, options, repeat),
    html: htmlOf(subject, cards, notes, query, options, repeat),
    alerts,
    listed,
    ...(options.folded ? { folded: options.folded.count } : {}),
    ...(repeat && options.possibleRepeat
      ? { possibleRepeat: { alertIds: options.possibleRepeat.alertIds } }
      : {}),
  };
}

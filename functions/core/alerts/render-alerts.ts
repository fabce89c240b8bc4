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
import { utcDate } from '../lake/layout.ts';
import { DEFAULT_ALERT_SETTINGS } from '../queries/alert-settings.ts';
import type { Alert } from './alert.ts';
import type { AlertMessage } from './alert-channel.ts';
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
import { POSSIBLE_REPEAT, repeatNote } from './repeat-note.ts';
import { heldNote } from './sent-late.ts';
import { unknownNote } from './unknown-note.ts';
import { ARCHIVED_ALERTS } from './unlisted-alerts.ts';

/**
 * Rows listed one by one, the newest of each kind (listed-alerts.ts); more recent alerts than this
 * are counted like the older ones.
 */
export const MAX_LISTED_ALERTS = 50;

function split(alerts: readonly Alert[], options: AlertMessageOptions) {
  const cutoff = options.nowMs - options.mailOlderThanHours * 3_600_000;
  const recent = newestFirst(alerts.filter((a) => a.event_time_ms >= cutoff));
  const listed = listedAlerts(recent, MAX_LISTED_ALERTS);
  const shown = new Set(listed);
  const counted = [...recent.filter((a) => !shown.has(a)), ...alerts.filter((a) => a.event_time_ms < cutoff)];
  return { cutoff, listed, counted, shared: sharesRows(recent, MAX_LISTED_ALERTS) };
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
    text: `${total} ${listed === 0 ? '' : 'more '}alert${one ? '' : 's'} (${kindCounts(counted, folded)}) ${one ? 'is' : 'are'} ${unlisted.state}: ${which}. ${hint.sentence}`,
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
  const cards = { listed: cardOrder(listed), count: kindCountLine(alerts, options.folded) };
  return {
    instance: options.instance,
    subject,
    text: textOf(cards, notes, query, options, repeat),
    html: htmlOf(subject, cards, notes, query, options, repeat),
    alerts,
    ...(options.folded ? { folded: options.folded.count } : {}),
    ...(repeat && options.possibleRepeat
      ? { possibleRepeat: { alertIds: options.possibleRepeat.alertIds } }
      : {}),
  };
}

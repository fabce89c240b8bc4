/**
 * Alerts sent late: each late row's own line, and the paragraph above the alerts saying how late
 * the oldest is and why (the channel held them, or they were found late).
 */
import { HOUR_MS, MINUTE_MS } from '../time-units.ts';
import type { Alert } from './alert.ts';
import type { FoldedAlerts } from './alert-checkpoint.ts';
import type { AlertMessageOptions } from './alert-message-options.ts';
import { errorGist } from './error-gist.ts';
import { localDateTime, localDateTimeWithOffset, localHhmmWithOffset } from './local-time.ts';
import type { Note } from './message-note.ts';

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
  const minutes = Math.round(ms / MINUTE_MS);
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
export function sentLate(alert: Alert, options: AlertMessageOptions): string | undefined {
  const { nowMs, timeZone } = options;
  if (options.marksLate === false || nowMs - alert.event_time_ms <= SENT_LATE_AFTER_MS) return undefined;
  const sameDay =
    localDateTime(nowMs, timeZone).slice(0, 10) === localDateTime(alert.event_time_ms, timeZone).slice(0, 10);
  const at = sameDay ? localHhmmWithOffset(nowMs, timeZone) : localDateTimeWithOffset(nowMs, timeZone);
  return `Sent ${at}, ${delayText(nowMs - alert.event_time_ms)} after the event`;
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
export function heldNote(alerts: readonly Alert[], options: AlertMessageOptions): Note | undefined {
  const oldest = oldestEvent(alerts, options.folded);
  if (options.marksLate === false || oldest === undefined) return undefined;
  if (options.nowMs - oldest <= SENT_LATE_AFTER_MS) return undefined;
  const why = whyLate(lateCause(oldest, options), options.channelRefused);
  return {
    text: `Sent late: the oldest alert here is about an event ${delayText(options.nowMs - oldest)} before this message, while alerts normally arrive within 2 hours. ${why}`,
  };
}

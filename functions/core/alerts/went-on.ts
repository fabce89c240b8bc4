/**
 * How an attack went on after the failure that raised its alert. A burst's or a spray's alert is
 * raised by the failure that brings its window up to the threshold, and its id and evidence were
 * that window's: a spray of 30 names read `10 users (10 failures)`, 30 failures of one user in 3
 * minutes `5 failed logins`, understating the attack (review R-ONCALL M1). The evidence now also
 * says how far it went within the hours evaluated; the id stays the raising window's, so an alert
 * evaluated again with more of the attack seen is still the one alert.
 */
import type { AlertEvent } from './alert-event.ts';
import { localHhmmWithOffset } from './local-time.ts';

/**
 * The last failure of the episode of `failures[last]` (`episodes`: the same number for failures
 * with no lull between them), before `stop` (the next alert's raising failure, which says the rest).
 */
export function episodeEnd(episodes: readonly number[], last: number, stop: number): number {
  let end = last;
  while (end + 1 < stop && episodes[end + 1] === episodes[last]) end++;
  return end;
}

/**
 * `; it went on to 30 users (30 failures) until 16:04 UTC`, `counted` saying what, when the episode
 * holds failures after the raising one; else nothing.
 */
export function wentOnText(
  counted: string,
  episode: readonly AlertEvent[],
  window: number,
  timeZone: string,
): string {
  const last = episode[episode.length - 1];
  if (last === undefined || episode.length <= window) return '';
  return `; it went on to ${counted} until ${localHhmmWithOffset(last.event_time_ms, timeZone)} ${timeZone}`;
}

/**
 * How the report writes days and times: `Mon 16 Nov`, week ranges, lake timestamps on the report
 * zone's wall clock, and the offsets a span shows when the clocks moved within it. English, the
 * same in the HTML, the text, the subject and the command line.
 */

import { parseLakeTimestamp } from '../lake/layout.ts';
import { utcOffsetText, wallTimeOf } from '../zoned-time.ts';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** `Mon 16 Nov` of a `YYYY-MM-DD` date (the date itself, no zone involved). */
export function formatDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  return `${WEEKDAYS[date.getUTCDay()]} ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]}`;
}

/**
 * `Mon 16 Nov to Sun 22 Nov 2026` for a list of local dates; a week across two years names both:
 * `Mon 30 Dec 2024 to Sun 5 Jan 2025`. "to", not a hyphen, which screen readers read as "minus"
 * or not at all.
 */
export function formatDayRange(days: readonly string[]): string {
  const first = days[0] ?? '';
  const last = days[days.length - 1] ?? first;
  const firstYear = first.slice(0, 4) === last.slice(0, 4) ? '' : ` ${first.slice(0, 4)}`;
  return `${formatDay(first)}${firstYear} to ${formatDay(last)} ${last.slice(0, 4)}`;
}

/**
 * A lake timestamp on the report zone's wall clock: `Tue 17 Nov 14:03`. Text that is not a
 * timestamp is returned as it is, so a contract slip shows up in the mail instead of a blank.
 */
export function formatLocalTime(lakeTs: string, timeZone: string): string {
  const ms = parseLakeTimestamp(lakeTs);
  if (Number.isNaN(ms)) return lakeTs;
  const wall = new Date(wallTimeOf(ms, timeZone));
  const hh = String(wall.getUTCHours()).padStart(2, '0');
  const mm = String(wall.getUTCMinutes()).padStart(2, '0');
  return `${formatDay(wall.toISOString().slice(0, 10))} ${hh}:${mm}`;
}

/** A lake timestamp as weekday and time, `Wed 09:06`: enough within one week; other text as it is. */
export function formatLocalWeekdayTime(lakeTs: string, timeZone: string): string {
  const full = formatLocalTime(lakeTs, timeZone);
  return Number.isNaN(parseLakeTimestamp(lakeTs)) ? full : `${full.slice(0, 3)} ${full.slice(-5)}`;
}

/**
 * The offsets to show after the two ends of a span: none when both ends share one (the report
 * names its zone), each end's own when the clocks moved between them, as the alerts' spans do
 * (local-time.ts, localHhmmSpan): a span across the hour the clocks go back would otherwise read
 * `01:50 to 01:10`, backwards and an hour short.
 */
export function spanOffsets(firstTs: string, lastTs: string, timeZone: string): [string, string] {
  const firstMs = parseLakeTimestamp(firstTs);
  const lastMs = parseLakeTimestamp(lastTs);
  if (Number.isNaN(firstMs) || Number.isNaN(lastMs)) return ['', ''];
  const from = utcOffsetText(firstMs, timeZone);
  const to = utcOffsetText(lastMs, timeZone);
  return from === to ? ['', ''] : [` ${from}`, ` ${to}`];
}

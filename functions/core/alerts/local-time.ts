import { DAY_MS } from '../time-units.ts';
import { utcOffsetText, wallTime, zoneOffsetMs } from '../zoned-time.ts';

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** `HH:MM` on the wall clock of `timeZone`. */
function localHhmm(ms: number, timeZone: string): string {
  const wall = wallTime(ms, timeZone);
  return `${pad2(wall.hour)}:${pad2(wall.minute)}`;
}

/** UTC names its offset itself, and never repeats an hour: `+00:00` after it would be noise. */
const isUtc = (timeZone: string): boolean => timeZone === 'UTC' || timeZone === 'Etc/UTC';

/** {@link isUtcAllYear}'s answers, by zone and UTC day; cleared past a few hundred. */
const utcAllYear = new Map<string, boolean>();

/**
 * Whether `timeZone` keeps UTC's offset (0) all through the year up to `ms` and the day after, the
 * span a message's times fall in: by behaviour, not name, so `Etc/GMT`, `GMT`, `Zulu`,
 * `Etc/Universal`, `Etc/GMT-0` and the other aliases are UTC, and a zone at 0 only part of the year
 * (Europe/London in winter) is not. Read at noon UTC each day: no zone keeps an offset for less.
 */
export function isUtcAllYear(timeZone: string, ms: number): boolean {
  if (isUtc(timeZone)) return true;
  const day = Math.floor(ms / DAY_MS);
  const key = `${timeZone} ${day}`;
  const known = utcAllYear.get(key);
  if (known !== undefined) return known;
  let utc = true;
  for (let d = day - 366; utc && d <= day + 1; d++)
    utc = zoneOffsetMs(d * DAY_MS + DAY_MS / 2, timeZone) === 0;
  if (utcAllYear.size > 500) utcAllYear.clear();
  utcAllYear.set(key, utc);
  return utc;
}

/**
 * ` -04:00`, the offset of `timeZone` at `ms` to follow a local time, or nothing in UTC. Always,
 * not only in the hour the clocks go back: there two instants an hour apart read the same
 * (`01:30` twice in America/New_York on 2026-11-01), and a reader cannot tell that an offset is
 * missing because the time was not ambiguous.
 */
const offsetSuffix = (ms: number, timeZone: string): string =>
  isUtc(timeZone) ? '' : ` ${utcOffsetText(ms, timeZone)}`;

/**
 * `HH:MM to HH:MM -04:00` from `fromMs` to `toMs` on the wall clock of `timeZone` ("to", not a
 * hyphen: a screen reader reads `05:53-05:55` as "05:53 minus 05:55"), with the offset both ends
 * share (none in UTC). When the clocks moved between the two (a span across the hour they go back
 * reads 01:56 to 01:02), each end shows its own, `01:56 -04:00 to 01:02 -05:00`, so the span reads
 * forwards and as long as it was.
 */
function localHhmmSpan(fromMs: number, toMs: number, timeZone: string): string {
  const from = localHhmm(fromMs, timeZone);
  const to = localHhmm(toMs, timeZone);
  const fromOffset = utcOffsetText(fromMs, timeZone);
  const toOffset = utcOffsetText(toMs, timeZone);
  if (fromOffset === toOffset) return `${from} to ${to}${offsetSuffix(toMs, timeZone)}`;
  return `${from} ${fromOffset} to ${to} ${toOffset}`;
}

/** `YYYY-MM-DD HH:MM` on the wall clock of `timeZone`, without its offset. */
export function localDateTime(ms: number, timeZone: string): string {
  const wall = wallTime(ms, timeZone);
  return `${wall.year}-${pad2(wall.month)}-${pad2(wall.day)} ${pad2(wall.hour)}:${pad2(wall.minute)}`;
}

/**
 * `HH:MM -04:00` on the wall clock of `timeZone`, with its offset (none in UTC): an unusual hour's
 * time, as functions/queries/suspicious_logins.sql writes it.
 */
export function localHhmmWithOffset(ms: number, timeZone: string): string {
  return `${localHhmm(ms, timeZone)}${offsetSuffix(ms, timeZone)}`;
}

/**
 * `YYYY-MM-DD HH:MM -04:00`: {@link localDateTime} with its offset, none in UTC. Also a journey's
 * previous sign-in, as functions/queries/suspicious_logins.sql writes it.
 */
export function localDateTimeWithOffset(ms: number, timeZone: string): string {
  return `${localDateTime(ms, timeZone)}${offsetSuffix(ms, timeZone)}`;
}

/** `HH:MM:SS` on the wall clock of `timeZone`. */
function localHhmmss(ms: number, timeZone: string): string {
  return `${localHhmm(ms, timeZone)}:${pad2(wallTime(ms, timeZone).second)}`;
}

/**
 * {@link localHhmmSpan}, with seconds when both ends fall in one minute of the wall clock: a burst
 * of 30 failures in 50 s read `13:00 to 13:00` (review R-ONCALL M1).
 */
export function localClockSpan(fromMs: number, toMs: number, timeZone: string): string {
  const from = localHhmm(fromMs, timeZone);
  const sameOffset = utcOffsetText(fromMs, timeZone) === utcOffsetText(toMs, timeZone);
  if (from !== localHhmm(toMs, timeZone) || !sameOffset) return localHhmmSpan(fromMs, toMs, timeZone);
  return `${localHhmmss(fromMs, timeZone)} to ${localHhmmss(toMs, timeZone)}${offsetSuffix(toMs, timeZone)}`;
}

/**
 * Wall-clock time in IANA zones, built on `Intl` (no dependency). The generator needs it to place
 * users' working hours in their own zone, and the server to render Domo's zone-less time strings.
 */

export interface WallTime {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  /** 0-23 */
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Throws a RangeError naming the zone when `timeZone` is not an IANA zone this runtime knows. */
export function assertTimeZone(timeZone: string): void {
  try {
    formatterFor(timeZone);
  } catch {
    throw new RangeError(
      `unknown time zone "${timeZone}": use an IANA name such as "UTC" or "Europe/Berlin"`,
    );
  }
}

/** The wall-clock reading in `timeZone` at instant `ms` (seconds precision). */
export function wallTime(ms: number, timeZone: string): WallTime {
  if (timeZone === 'UTC') {
    const d = new Date(ms);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
    };
  }
  const wall: WallTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(timeZone).formatToParts(ms)) {
    if (part.type === 'literal') continue;
    const value = Number(part.value);
    if (part.type === 'year') wall.year = value;
    else if (part.type === 'month') wall.month = value;
    else if (part.type === 'day') wall.day = value;
    else if (part.type === 'hour') wall.hour = value % 24;
    else if (part.type === 'minute') wall.minute = value;
    else if (part.type === 'second') wall.second = value;
  }
  return wall;
}

/** How far `timeZone` is ahead of UTC at instant `ms`. */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const w = wallTime(ms, timeZone);
  const wholeSecond = ms - (((ms % 1000) + 1000) % 1000);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - wholeSecond;
}

/**
 * The instant at which the wall clock in `timeZone` reads `minuteOfDay` minutes after midnight of the
 * given local date. A reading that does not exist (spring-forward gap) maps to an instant next to the gap.
 */
export function localToUtc(
  year: number,
  month: number,
  day: number,
  minuteOfDay: number,
  timeZone: string,
): number {
  const asIfUtc = Date.UTC(year, month - 1, day, 0, minuteOfDay);
  const firstGuess = asIfUtc - zoneOffsetMs(asIfUtc, timeZone);
  const offset = zoneOffsetMs(firstGuess, timeZone);
  return asIfUtc - offset;
}

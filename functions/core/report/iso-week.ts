/**
 * ISO 8601 weeks in a configured IANA time zone. A report week runs from Monday 00:00 to the next
 * Monday 00:00 on the zone's wall clock; both ends are converted to UTC instants, so a week that
 * crosses a DST change is 167 or 169 hours long and still starts and ends at local midnight.
 */
import { DAY_MS } from '../time-units.ts';
import { wallTimeOf, zonedWallTimeToUtc } from '../zoned-time.ts';

const WEEK_LABEL = /^(\d{4})-W(\d{2})$/;
/** Years a report week may fall in: the lake holds nothing older, and later ones are typos. */
const MIN_YEAR = 2000;
const MAX_YEAR = 2099;

/** One ISO week pinned to a time zone. */
export interface ReportWeek {
  /** `YYYY-Www`, e.g. `2026-W47`. */
  isoWeek: string;
  timeZone: string;
  /** UTC instant of Monday 00:00 local (inclusive). */
  startMs: number;
  /** UTC instant of the next Monday 00:00 local (exclusive). */
  endMs: number;
  /** The seven local dates, Monday first, `YYYY-MM-DD`. */
  days: string[];
}

/** `YYYY-MM-DD` of a day number (days since 1970-01-01). */
const dateOfDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** Monday = 0 … Sunday = 6 of a day number. */
const weekdayOfDay = (day: number): number => (new Date(day * DAY_MS).getUTCDay() + 6) % 7;

/** Day number of the Monday of ISO week 1 of `year` (the week holding 4 January). */
function firstMondayOfIsoYear(year: number): number {
  const jan4 = Math.floor(Date.UTC(year, 0, 4) / DAY_MS);
  return jan4 - weekdayOfDay(jan4);
}

/** Number of ISO weeks (52 or 53) in an ISO week-numbering year. */
export const isoWeeksInYear = (year: number): number =>
  (firstMondayOfIsoYear(year + 1) - firstMondayOfIsoYear(year)) / 7;

/** The `YYYY-Www` label of the ISO week holding the day number `day`. */
function labelOfDay(day: number): string {
  const thursday = day - weekdayOfDay(day) + 3;
  const year = new Date(thursday * DAY_MS).getUTCFullYear();
  const week = (thursday - firstMondayOfIsoYear(year) - 3) / 7 + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/**
 * Parses `YYYY-Www` and returns the day number of its Monday.
 *
 * @throws Error naming the expected form when the label is malformed or the week does not exist.
 */
function mondayOfLabel(isoWeek: string): number {
  const match = WEEK_LABEL.exec(isoWeek.trim());
  if (!match)
    throw new Error(`week "${isoWeek}" is not written as an ISO week: write YYYY-Www, e.g. 2026-W47`);
  const year = Number(match[1]);
  const week = Number(match[2]);
  if (year < MIN_YEAR || year > MAX_YEAR) {
    throw new Error(`week "${isoWeek}" is out of range: the year must be from ${MIN_YEAR} to ${MAX_YEAR}`);
  }
  const weeks = isoWeeksInYear(year);
  if (week < 1 || week > weeks) {
    throw new Error(`week "${isoWeek}" does not exist: ${year} has ISO weeks 01 to ${weeks}`);
  }
  return firstMondayOfIsoYear(year) + (week - 1) * 7;
}

function weekFromMonday(monday: number, timeZone: string): ReportWeek {
  const startWall = monday * DAY_MS;
  return {
    isoWeek: labelOfDay(monday),
    timeZone,
    startMs: zonedWallTimeToUtc(startWall, timeZone),
    endMs: zonedWallTimeToUtc(startWall + 7 * DAY_MS, timeZone),
    days: Array.from({ length: 7 }, (_, i) => dateOfDay(monday + i)),
  };
}

/** The ISO week `isoWeek` (`2026-W47`) in `timeZone`. */
export const reportWeek = (isoWeek: string, timeZone: string): ReportWeek =>
  weekFromMonday(mondayOfLabel(isoWeek), timeZone);

/** The last ISO week in `timeZone` that had fully ended at `nowMs` (the default report week). */
export function lastFullWeek(nowMs: number, timeZone: string): ReportWeek {
  return weekFromMonday(mondayOfToday(nowMs, timeZone) - 7, timeZone);
}

/**
 * The ISO week in `timeZone` that holds `nowMs`: the week after {@link lastFullWeek}, found by its
 * calendar days. (Adding 7 days to the last full week's end lands on its Sunday, 23:00 local, when
 * that week was 169 hours long: clocks went back in it.)
 */
export function currentWeek(nowMs: number, timeZone: string): ReportWeek {
  return weekFromMonday(mondayOfToday(nowMs, timeZone), timeZone);
}

/** The day number of the Monday of the week holding `nowMs`, on the calendar of `timeZone`. */
function mondayOfToday(nowMs: number, timeZone: string): number {
  const today = Math.floor(wallTimeOf(nowMs, timeZone) / DAY_MS);
  return today - weekdayOfDay(today);
}

/** The week before `week`, in the same zone: what a report compares against. */
export const previousWeek = (week: ReportWeek): ReportWeek =>
  weekFromMonday(mondayOfLabel(week.isoWeek) - 7, week.timeZone);

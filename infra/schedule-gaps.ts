import { MINUTE_MS } from '../functions/core/time-units.ts';
import { scheduleExpressionProblem } from './schedule-expression.ts';
import { type ClockGap, clockGaps } from './zone-clock-gaps.ts';

/**
 * The smallest and largest time between two consecutive firings of an EventBridge Scheduler cron
 * expression, for the config's cross-checks of the ingest schedule against the function timeout
 * and the no-successful-run alarm (infra/config/ingest-section.ts, ingest-alarm-checks.ts); and,
 * at the end, how soon after a week starts a cron may fire, for the weekly report's schedule.
 *
 * The stack gives the ingest schedule no time zone, so it fires in UTC: no daylight-saving shifts,
 * and every day it fires on, it fires at the same times, the hours x minutes of the first two
 * fields. Those sorted times give the gaps within a day and the wrap-around gap from one day's last
 * firing to the next day's first. The day fields (day-of-month, month, day-of-week, year) decide
 * how those days follow each other:
 * - Every day fires (`*`, `?`, or lists and ranges naming every value; `L` where it completes them):
 *   the gaps are exact.
 * - A day-of-week list of plain days (`MON-FRI`, every month and year): the week repeats, so the
 *   gaps are exact too (MON-FRI: the weekend, Friday's last firing to Monday's first).
 * - Any other restriction (some days of the month, `L`, `W`, `#`, some months, a year field that
 *   leaves out one of the coming years, see `everyYearFrom`): a whole
 *   day passes without a firing, so the largest gap is at least one day plus the wrap-around gap,
 *   and that lower bound is what is returned. It is all the alarm check needs: the alarm period is
 *   at most 24 hours, which no such cron can fit. For the smallest gap two consecutive days are
 *   assumed to fire, which errs towards reporting runs that pile up over midnight.
 */
export interface CronGaps {
  /**
   * The smallest time between two consecutive firings, in minutes; when days are skipped other than
   * by a plain day-of-week list, consecutive days are assumed to fire, so it may be below the true one.
   */
  minMinutes: number;
  /** The largest time between two consecutive firings, in minutes: a lower bound when `skippedBy` is not empty. */
  maxMinutes: number;
  /** The day fields, as written, that leave whole days without a firing (`day-of-week "MON-FRI"`); empty when the cron fires every day. */
  skippedBy: readonly string[];
}

interface Field {
  min: number;
  max: number;
  names?: readonly string[];
}

const DAY_MINUTES = 1440;
const MINUTES: Field = { min: 0, max: 59 };
const HOURS: Field = { min: 0, max: 23 };
const DAY_OF_MONTH: Field = { min: 1, max: 31 };
const MONTH: Field = {
  min: 1,
  max: 12,
  names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
};
const DAY_OF_WEEK: Field = { min: 1, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] };
const YEAR: Field = { min: 1970, max: 2199 };

/** A plain item: `*`, `5`, `1-5`, `MON-FRI`, `*\/15`, `0/10`, `10-50/20`. */
const PLAIN_ITEM = /^(\*|\w+)(?:-(\w+))?(?:\/(\d+))?$/;

/** The six fields of a valid `cron(...)` expression, as written. */
interface CronFields {
  minutes: string;
  hours: string;
  dayOfMonth: string;
  month: string;
  dayOfWeek: string;
  year: string;
}

/**
 * The fields of a `cron(...)` expression EventBridge Scheduler accepts; undefined for a `rate(...)`
 * or anything it would refuse. Every reading below starts here, so each takes the same expressions.
 */
export function parseCron(expression: string): CronFields | undefined {
  const body = /^cron\((.*)\)$/.exec(expression)?.[1];
  if (body === undefined || scheduleExpressionProblem(expression) !== undefined) return undefined;
  const [minutes = '', hours = '', dayOfMonth = '', month = '', dayOfWeek = '', year = ''] = body
    .trim()
    .split(/\s+/);
  return { minutes, hours, dayOfMonth, month, dayOfWeek, year };
}

/** The number a value names (`7`, `MON`, `jan`); NaN for `L`, `15W` and the like. */
function numberOf(text: string, field: Field): number {
  const index = field.names?.indexOf(text.toUpperCase()) ?? -1;
  if (index !== -1) return index + field.min;
  return /^\d+$/.test(text) ? Number(text) : Number.NaN;
}

/**
 * The values of one plain item, or undefined for a day field's own forms (`L`, `LW`, `15W`, `6L`,
 * `2#1`). A range whose end is below its start wraps around (`22-2` hours: 22, 23, 0, 1, 2), as in
 * Quartz, whose cron syntax EventBridge's follows.
 */
function itemValues(item: string, field: Field): number[] | undefined {
  const match = PLAIN_ITEM.exec(item);
  if (!match) return undefined;
  const [, from = '', to, step] = match;
  const start = from === '*' ? field.min : numberOf(from, field);
  const open = from === '*' || (to === undefined && step !== undefined);
  const end = open ? field.max : numberOf(to ?? from, field);
  if (!Number.isInteger(start) || !Number.isInteger(end)) return undefined;
  const span = field.max - field.min + 1;
  const values: number[] = [];
  for (let value = start; value <= (end < start ? end + span : end); value += Number(step ?? 1)) {
    values.push(value > field.max ? value - span : value);
  }
  return values;
}

/** The values a field's plain items name, and its other items as written. */
function expand(text: string, field: Field): { values: Set<number>; special: string[] } {
  const values = new Set<number>();
  const special: string[] = [];
  for (const item of text.split(',')) {
    const named = itemValues(item, field);
    if (named === undefined) special.push(item);
    else for (const value of named) values.add(value);
  }
  return { values, special };
}

const namesAll = (values: ReadonlySet<number>, field: Field): boolean =>
  values.size === field.max - field.min + 1;

/** Every day of every month: days 1-30 by value, the 31st by value or as the last day (`L`). */
function everyDayOfMonth(text: string): boolean {
  if (text === '?') return true;
  const { values, special } = expand(text, DAY_OF_MONTH);
  for (let day = 1; day <= 30; day++) if (!values.has(day)) return false;
  return values.has(31) || special.includes('L');
}

/**
 * The days of the week a day-of-week field names in every week (`L` alone is the last day, SAT),
 * and whether that is all it names (no `6L` or `2#1`, which fire in some weeks only).
 */
function weekdays(text: string): { days: Set<number>; plain: boolean } {
  const { values, special } = expand(text, DAY_OF_WEEK);
  if (special.includes('L')) values.add(DAY_OF_WEEK.max);
  return { days: values, plain: special.every((item) => item === 'L') };
}

/** For each firing weekday, how many days without a firing follow it before the next firing day. */
const weekSkips = (days: ReadonlySet<number>): number[] =>
  [...days].map((day) => {
    let skip = 0;
    while (!days.has(((day + skip) % 7) + 1)) skip++;
    return skip;
  });

/** Which fields leave days out, and the fewest and most whole days without a firing between two firing days. */
function dayPattern(
  { dayOfMonth, month, dayOfWeek, year }: CronFields,
  fromYear: number,
): {
  skippedBy: string[];
  shortestSkip: number;
  longestSkip: number;
} {
  const week = dayOfWeek === '?' ? undefined : weekdays(dayOfWeek);
  const skippedBy = [
    everyDayOfMonth(dayOfMonth) ? '' : `day-of-month "${dayOfMonth}"`,
    namesAll(expand(month, MONTH).values, MONTH) ? '' : `month "${month}"`,
    week === undefined || namesAll(week.days, DAY_OF_WEEK) ? '' : `day-of-week "${dayOfWeek}"`,
    // Read as the mail gap reads it: a range covering the coming years (`2026-2199`) skips none.
    everyYearFrom(year, fromYear) ? '' : `year "${year}"`,
  ].filter((field) => field !== '');
  if (skippedBy.length === 0) return { skippedBy, shortestSkip: 0, longestSkip: 0 };
  // Only the day-of-week field restricts, and to plain days: the gaps repeat every week.
  if (skippedBy.length === 1 && week?.plain && !namesAll(week.days, DAY_OF_WEEK)) {
    const skips = weekSkips(week.days);
    return { skippedBy, shortestSkip: Math.min(...skips), longestSkip: Math.max(...skips) };
  }
  return { skippedBy, shortestSkip: 0, longestSkip: 1 };
}

/** The minutes of the day a cron fires at, sorted, without repeats. */
function timesOfDay({ minutes, hours }: CronFields): number[] {
  const times = new Set<number>();
  for (const hour of expand(hours, HOURS).values) {
    for (const minute of expand(minutes, MINUTES).values) times.add(hour * 60 + minute);
  }
  return [...times].sort((a, b) => a - b);
}

/**
 * The smallest and largest gap between consecutive firings of a valid `cron(...)` expression (see
 * `CronGaps`); undefined for a `rate(...)` or anything EventBridge Scheduler would refuse. Its year
 * field is read from `fromYear` (see {@link thisYear}), as the report's readings read it.
 */
export function cronGaps(expression: string, fromYear = thisYear()): CronGaps | undefined {
  const cron = parseCron(expression);
  if (cron === undefined) return undefined;
  const times = timesOfDay(cron);
  const days = dayPattern(cron, fromYear);
  const wrap = DAY_MINUTES - (times.at(-1) ?? 0) + (times[0] ?? 0);
  const withinDay = times.slice(1).map((time, index) => time - (times[index] ?? 0));
  return {
    minMinutes: Math.min(...withinDay, days.shortestSkip * DAY_MINUTES + wrap),
    maxMinutes: Math.max(...withinDay, days.longestSkip * DAY_MINUTES + wrap),
    skippedBy: days.skippedBy,
  };
}

/**
 * The last year a valid `cron(...)` expression's year field names (`2025` for `2020-2025`, 2199 for
 * `*`), or undefined for a `rate(...)` or anything invalid. A schedule whose last year is past
 * never fires again: EventBridge Scheduler takes it all the same, and nothing runs or alarms.
 */
export function cronLastYear(expression: string): number | undefined {
  const cron = parseCron(expression);
  return cron && lastYearOf(cron);
}

/** {@link cronLastYear} of a cron already parsed, for a caller that reads it more ways. */
export const lastYearOf = (cron: CronFields): number => Math.max(...expand(cron.year, YEAR).values);

/**
 * Whether a valid `cron(...)` expression fires on some day from `from`'s day on (undefined for a
 * `rate(...)` or anything invalid). Its year field alone decides unless its last year is `from`'s:
 * then the rest of that year is read day by day. Lenient where unsure: a day counts from the day
 * before `from` (the schedule's zone may be behind UTC), whatever its times of day, and forms
 * `dayRule` cannot read (`#`, `W`, `6L`) count on every day of the weekdays they name.
 */
export function cronFiresFrom(expression: string, from: Date): boolean | undefined {
  const cron = parseCron(expression);
  return cron && firesFrom(cron, from);
}

/** {@link cronFiresFrom} of a cron already parsed, for a caller that reads it more ways. */
export function firesFrom(cron: CronFields, from: Date): boolean {
  const year = from.getUTCFullYear();
  const last = lastYearOf(cron);
  if (last !== year) return last > year;
  const rule = dayRule(cron);
  const weekdaysFired = new Set(isoDaysFired(cron.dayOfWeek));
  const end = Date.UTC(year + 1, 0, 1);
  for (
    let day = Date.UTC(year, from.getUTCMonth(), from.getUTCDate() - 1);
    day < end;
    day += DAY_MINUTES * MINUTE_MS
  ) {
    const date = new Date(day);
    if (date.getUTCFullYear() !== year) continue;
    const weekday = date.getUTCDay();
    const fires = rule
      ? rule(year, date.getUTCMonth() + 1, date.getUTCDate(), weekday)
      : weekdaysFired.has((weekday + 6) % 7);
    if (fires) return true;
  }
  return false;
}

/** EventBridge's day-of-week number (SUN=1 … SAT=7) as a day of the ISO week (MON=0 … SUN=6). */
const isoDayIndex = (day: number): number => (day + 5) % 7;

/** The weekday of a day-of-week form that fires in some weeks only (`2#1`, `MON#1`, `6L`). */
const SOME_WEEKS_ITEM = /^(\w+?)(?:#\d+|L)$/;

/**
 * The days of the ISO week (MON=0 … SUN=6) a valid cron may fire on: for a day-of-week field the
 * days it names (in some weeks only too: `2#1`, `6L`), otherwise every day, since a day-of-month,
 * month or year rule falls on every weekday in some week.
 */
export function isoDaysFired(dayOfWeek: string): number[] {
  if (dayOfWeek === '?') return [0, 1, 2, 3, 4, 5, 6];
  const { days } = weekdays(dayOfWeek);
  for (const item of expand(dayOfWeek, DAY_OF_WEEK).special) {
    const day = numberOf(SOME_WEEKS_ITEM.exec(item)?.[1] ?? '', DAY_OF_WEEK);
    if (Number.isInteger(day)) days.add(day);
  }
  return [...days].map(isoDayIndex);
}

/**
 * Every time of an ISO week a valid `cron(...)` expression may fire at, in minutes after Monday
 * 00:00 on the schedule's clock, sorted: each time of day on each weekday it may fire on. For an
 * instance's report zone (infra/config/report-after-ingest.ts), whose week can end between two
 * firings. Undefined for a `rate(...)` or anything invalid.
 */
export function cronWeekFiringMinutes(expression: string): number[] | undefined {
  const cron = parseCron(expression);
  if (cron === undefined) return undefined;
  const times = timesOfDay(cron);
  return isoDaysFired(cron.dayOfWeek)
    .flatMap((day) => times.map((time) => day * DAY_MINUTES + time))
    .sort((a, b) => a - b);
}

/**
 * How soon after the start of an ISO week (Monday 00:00 on the schedule's clock) a valid
 * `cron(...)` expression may fire, in minutes: its earliest time of day on the first weekday it
 * names. For the weekly report's check against the ingest (infra/config/report-after-ingest.ts):
 * the first firing after a week ends claims that week. Undefined for a `rate(...)` or anything
 * invalid.
 */
export function cronWeekStartMinutes(expression: string): number | undefined {
  const cron = parseCron(expression);
  if (cron === undefined) return undefined;
  const firstTime = timesOfDay(cron)[0] ?? 0;
  return Math.min(...isoDaysFired(cron.dayOfWeek)) * DAY_MINUTES + firstTime;
}

/** Whether a valid cron fires on a calendar day (y, m 1-12, d), as far as `dayRule` can tell. */
type DayRule = (year: number, month: number, day: number, weekday: number) => boolean;

/** How far ahead a year field must name every year to count as every year: a deployment's life. */
const YEARS_AHEAD = 28;

/**
 * The year a cron's days are read from when the caller pins none: this one, in UTC. It is the one
 * start year of both the mail-gap and the clock-gap readings, for the same reason: each asks what
 * the schedule does over the deployment's life, which starts at this synth, so a year range is
 * judged by the years still to come and a clock gap is looked for in them. A fixed year (the
 * clock-gap reading had 2026) drifts into the past, and two start years read one year field two
 * ways: in 2027, "2027-2199" was every year to the mail-gap reading but left 2026 out for the
 * clock-gap one, which then gave up on its day rule and let cron(30 2 25 * ? 2027-2199) in
 * Europe/Berlin lose 25 March 2029. Config checks pass their own "now" (the year of `now`, in
 * UTC), so a pinned clock gives pinned answers.
 */
export const thisYear = (now: Date = new Date()): number => now.getUTCFullYear();

/**
 * Whether a year field names every year from `fromYear` for the next {@link YEARS_AHEAD}
 * (`*`, `2026-2099`): a range that covers the coming years skips none of them; one that ends
 * soon (`2026-2030`) or skips some does. Read to 2199, a range ending in 2099 dropped the report's
 * heartbeat alarm for the deployment's whole life.
 */
function everyYearFrom(year: string, fromYear: number): boolean {
  const { values } = expand(year, YEAR);
  const first = Math.max(fromYear, YEAR.min);
  for (let y = first; y <= Math.min(YEAR.max, first + YEARS_AHEAD - 1); y++) if (!values.has(y)) return false;
  return true;
}

/**
 * The day-of-month, month and day-of-week fields of a valid cron as a rule on calendar days, or
 * undefined for the forms that fire in some weeks only whatever the rest says (`#`, `6L`, `W`,
 * `LW`). The year field is each reading's own: the mail gap needs every coming year, the clock gap
 * only the years a day falls in.
 */
function dayRule({ dayOfMonth, month, dayOfWeek }: CronFields): DayRule | undefined {
  const months = expand(month, MONTH).values;
  const monthDays = dayOfMonth === '?' ? undefined : expand(dayOfMonth, DAY_OF_MONTH);
  if (monthDays && !monthDays.special.every((item) => item === 'L')) return undefined;
  const week = dayOfWeek === '?' ? undefined : weekdays(dayOfWeek);
  if (week && !week.plain) return undefined;
  return (y, m, d, weekday) => {
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    const monthDay =
      monthDays === undefined || monthDays.values.has(d) || (d === last && monthDays.special.includes('L'));
    return months.has(m) && monthDay && (week === undefined || week.days.has(weekday + 1));
  };
}

/** A Monday, and 28 years from it: every weekday a date falls on, every month length, leap years. */
const CYCLE_START_MS = Date.UTC(2001, 0, 1);
const CYCLE_WEEKS = Math.round((28 * 365.25) / 7);

/**
 * The most whole days between the days a weekly report on this valid `cron(...)` mails its weeks.
 * Each run reports the last full week, which only its first run after the week ends sends: every
 * week's report goes out on the first day of the next week the cron fires on, however often it
 * fires, so it is 7 for a cron firing in every week on the same first weekday (`MON`, `MON-FRI`,
 * every day). More where those days shift or weeks are skipped (every other day of the month: 8);
 * infinite where some weeks have no firing at all, or the form fires in some weeks only (`MON#1`,
 * `6L`, `15W`, a year field leaving out some year from `fromYear` on; a range covering them all,
 * `2026-2199`, is every year). Undefined for a `rate(...)`, which fires at times set by the
 * deploy, or anything invalid. Read over a 28-year calendar: every weekday each date falls on.
 */
export function reportMailGapDays(expression: string, fromYear = thisYear()): number | undefined {
  const cron = parseCron(expression);
  if (cron === undefined) return undefined;
  const fires = everyYearFrom(cron.year, fromYear) ? dayRule(cron) : undefined;
  if (fires === undefined) return Number.POSITIVE_INFINITY;
  let longest = 0;
  let previous: number | undefined;
  for (let week = 0; week < CYCLE_WEEKS; week++) {
    const first = [0, 1, 2, 3, 4, 5, 6].find((offset) => {
      const date = new Date(CYCLE_START_MS + (week * 7 + offset) * DAY_MINUTES * MINUTE_MS);
      return fires(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCDay());
    });
    if (first === undefined) return Number.POSITIVE_INFINITY;
    const day = week * 7 + first;
    if (previous !== undefined) longest = Math.max(longest, day - previous);
    previous = day;
  }
  return longest;
}

/** Allowance for Scheduler's delivery and a function's start after a firing. */
export const SCHEDULER_START_SLACK_MINUTES = 5;

/** How many years a clock gap is looked for in: 28, every weekday each date falls on. */
const GAP_YEARS = 28;

/**
 * A day on which a valid `cron(...)` expression, run in `timeZone`, should fire, the only day of
 * its ISO week it should, but none of its times of day exist there: clocks go forward over all of them (cron(30 2 ? * SUN *) in
 * Europe/Berlin on the last Sunday of March). EventBridge Scheduler does not run a firing whose
 * local time does not exist, so the cron does not fire that day at all. Undefined when every day
 * it fires on has one of its times, and for a rate or an invalid expression. Forms `dayRule` cannot
 * read (`#`, `W`, `6L`) count as firing on each day of the week they name, in the years the year
 * field names: a range that ends (`2026-2053`) still fires on the days it names until then. Read
 * from the day `from` (its year: see {@link thisYear}) for {@link GAP_YEARS} years.
 */
export function cronDayWithoutFiring(
  expression: string,
  timeZone: string,
  from: Date = new Date(),
): ClockGap | undefined {
  const cron = parseCron(expression);
  if (cron === undefined) return undefined;
  const fromYear = from.getUTCFullYear();
  const fromDay = Date.UTC(fromYear, from.getUTCMonth(), from.getUTCDate());
  const times = timesOfDay(cron);
  const rule = dayRule(cron);
  const years = expand(cron.year, YEAR).values;
  const weekdaysFired = new Set(isoDaysFired(cron.dayOfWeek));
  /** Whether the cron fires on the day `isoWeekday` of the gap's week (Monday 0 … Sunday 6). */
  const firesOn = (gap: ClockGap, isoWeekday: number): boolean => {
    const date = new Date(Date.UTC(gap.year, gap.month - 1, gap.day + isoWeekday - gap.isoWeekday));
    if (!years.has(date.getUTCFullYear())) return false;
    if (!rule) return weekdaysFired.has(isoWeekday);
    return rule(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), (isoWeekday + 1) % 7);
  };
  // A week whose other days fire still has a run to send the week before it (a daily schedule at
  // 02:30 loses a Sunday, not a report): only a gap day that is the week's one firing day counts.
  const onlyFiringOfItsWeek = (gap: ClockGap): boolean =>
    firesOn(gap, gap.isoWeekday) &&
    [0, 1, 2, 3, 4, 5, 6].every((day) => day === gap.isoWeekday || !firesOn(gap, day));
  // From `from`'s day: a gap earlier in its year is past (read from 1 January, a range ending this
  // year was refused in December for a March Sunday it had already fired past).
  const ahead = (gap: ClockGap): boolean => Date.UTC(gap.year, gap.month - 1, gap.day) >= fromDay;
  return clockGaps(timeZone, fromYear, GAP_YEARS + 1).find(
    (gap) =>
      ahead(gap) &&
      times.every((time) => time >= gap.fromMinute && time < gap.toMinute) &&
      onlyFiringOfItsWeek(gap),
  );
}

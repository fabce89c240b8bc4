import { calendarDayProblem } from '../../functions/core/calendar-day.ts';
import { parseUtcInstant } from '../../functions/core/domo/utc-instant.ts';

/** A month's English name, for messages. */
const monthName = (year: number, month: number): string =>
  new Date(Date.UTC(year, month - 1, 1)).toLocaleString('en', { month: 'long', timeZone: 'UTC' });

/**
 * Why `value` is not a day the lake can start on, or undefined: a day that exists (the Glue
 * projection range would have been "2025-02-29,NOW"), in the years the command line's times are
 * read in (parseUtcInstant), the only ones the lake's times are.
 */
export function lakeStartDateProblem(value: string): string | undefined {
  const day = calendarDayProblem(value);
  if (day?.problem === 'format') return 'must be a date "YYYY-MM-DD", e.g. "2025-01-01"';
  // The years first: a nearer day in a year outside them would only be refused next.
  const year = Number(value.slice(0, 4));
  if (year < 2000 || year > 2099) return outsideYears(value);
  if (day?.problem === 'month') {
    return `${value} is not a date: there is no month ${day.month}; write the date as "YYYY-MM-DD", e.g. "${day.year}-01-01"`;
  }
  if (day?.problem === 'day') {
    const why =
      day.month === 2 && day.day === 29
        ? `${day.year} has no February 29`
        : `${monthName(day.year, day.month)} ${day.year} has ${day.days} days`;
    const nearest = `${value.slice(0, 8)}${day.day < 1 ? '01' : day.days}`;
    return `${value} is not a date: ${why}; use a day that exists, such as "${nearest}"`;
  }
  return parseUtcInstant(value) === undefined ? outsideYears(value) : undefined;
}

const outsideYears = (value: string): string =>
  `${value} is outside the years 2000-2099, the only ones the lake's times are read in; use a date in them, e.g. "2025-01-01"`;

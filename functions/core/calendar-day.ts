/**
 * Why a day written `YYYY-MM-DD` (a lake `dt`, a query's date bound, the lake's first day) is not
 * one, or undefined when it is a day that exists in any year: `Date.parse` rolls "2025-02-29" over
 * to March 1 and "2025-04-31" to May 1, which a `dt` compared as text never does. The parts let a
 * caller say which one is wrong in its own words.
 */
type CalendarDayProblem =
  | { problem: 'format' }
  | { problem: 'month'; year: number; month: number }
  | { problem: 'day'; year: number; month: number; day: number; days: number };

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days of `month` (1-12) in `year`, Gregorian (`Date` would read years 0-99 as 1900-1999). */
const daysInMonth = (year: number, month: number): number =>
  month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : (MONTH_DAYS[month - 1] ?? 0);

export function calendarDayProblem(value: string): CalendarDayProblem | undefined {
  const match = DAY.exec(value);
  if (!match) return { problem: 'format' };
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  if (month < 1 || month > 12) return { problem: 'month', year, month };
  const days = daysInMonth(year, month);
  return day >= 1 && day <= days ? undefined : { problem: 'day', year, month, day, days };
}

/**
 * A report schedule must fire at a local time that exists on every day it fires: a missed
 * firing loses a week's report with no alarm.
 */
import type * as z from 'zod';
import { formatDay } from '../../functions/core/report/time-format.ts';
import { canonicalTimeZone } from '../../functions/core/zoned-time.ts';
import { scheduleExpressionProblem } from '../schedule-expression.ts';
import { cronDayWithoutFiring } from '../schedule-gaps.ts';
import { inEffect } from './given-value.ts';
import { DEFAULT_REPORT_SCHEDULE } from './report-schedule-default.ts';

const clock = (minute: number): string =>
  `${String(Math.floor(minute / 60) % 24).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/**
 * The report schedule runs in report.timeZone, and EventBridge Scheduler does not run a firing
 * whose local time does not exist: a cron all of whose times fall in the hour clocks skip on a day
 * it fires (cron(30 2 ? * SUN *) in Europe/Berlin) does not fire that day, and the week that run
 * would have reported is never mailed, once a year, with no alarm to tell.
 */
export function checkScheduleFiresEveryDay(
  report: { schedule: string; timeZone: string },
  today: Date,
  ctx: z.RefinementCtx,
): void {
  const { schedule, timeZone: zone } = report;
  if (canonicalTimeZone(zone) !== zone || scheduleExpressionProblem(schedule) !== undefined) return;
  // From today: a gap day already past this year loses nothing (a range ending this year would be
  // refused for a day it has fired past).
  const lost = cronDayWithoutFiring(schedule, zone, today);
  if (!lost) return;
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = `${formatDay(`${lost.year}-${pad(lost.month)}-${pad(lost.day)}`)} ${lost.year}`;
  ctx.addIssue({
    code: 'custom',
    path: ['schedule'],
    params: inEffect(schedule),
    message: `fires only at times report.timeZone "${zone}" skips on some days it fires on, e.g. ${day}, when clocks go forward from ${clock(lost.fromMinute)} to ${clock(lost.toMinute)}: EventBridge Scheduler does not run a firing whose local time does not exist, so the schedule does not fire that day and the week that run reports is never mailed. Fire at a time that exists every day (outside ${clock(lost.fromMinute)}-${clock(lost.toMinute - 1)} in ${zone}; most zones skip an hour between 00:00 and 03:59, so a time from 04:00 on is safe), e.g. the default "${DEFAULT_REPORT_SCHEDULE}", or use a zone without daylight saving time such as "UTC"`,
  });
}

import type * as z from 'zod';
import { acceptsSetting } from '../../functions/core/ingest/ingest-settings.ts';
import { cronFiresFrom, thisYear } from '../schedule-gaps.ts';
import { alarmsSchema } from './alarms-section.ts';
import type { ConfigFields } from './config-fields.ts';
import { inEffect } from './given-value.ts';
import { ingestFields } from './ingest-section.ts';
import { minutesText, type RunGaps, runGaps } from './run-gaps.ts';

/** The ingest schedule must leave a successful run in every period of the no-successful-run alarm. */
export function checkNoSuccessfulRunPeriod(
  { ingest, alarms }: ConfigFields,
  today: Date,
  ctx: z.RefinementCtx,
): void {
  const fromYear = thisYear(today);
  const gaps = runGaps(ingest.schedule, fromYear);
  const timeout = ingest.timeoutMinutes;
  const hours = alarms.noSuccessfulRunHours;
  // Cross-checks only between values that are valid on their own: a timeout of 600 would have
  // advised a schedule of "rate(-240 minutes)" beside its own range error.
  const valid =
    ingestFields.shape.timeoutMinutes.safeParse(timeout).success &&
    alarmsSchema.shape.noSuccessfulRunHours.safeParse(hours).success;
  if (gaps === undefined || !valid) return;
  // A schedule that never fires again has its own refusal (ingestSchema): no gap to judge.
  if (cronFiresFrom(ingest.schedule, today) === false) return;
  // The alarm counts successful runs per period of `hours`; a run reports when it ends, up to
  // `timeout` after it starts, so every period holds a report only if the longest gap between two
  // runs + timeout fits in it. For a cron that skips days that gap is a lower bound of over a day
  // (infra/schedule-gaps.ts), too long for any period (24 hours at most): such a cron never fits.
  if (gaps.maxMinutes + timeout <= hours * 60) return;
  ctx.addIssue({
    code: 'custom',
    path: ['ingest', 'schedule'],
    params: inEffect(ingest.schedule),
    message: alarmGapProblem(gaps, timeout, hours),
  });
}

/**
 * The highest lag a healthy scheduled run reports, in minutes. A run plans the hours up to
 * floorHour(start - settle) (functions/core/ingest/window-plan.ts), so at its start the watermark
 * is less than settle + 60 minutes old, and it reports now - watermark as it ends, up to the
 * timeout later. The schedule's gaps do not add to it: between runs nothing is reported, and the
 * Lag alarm's window is sized to hold a report (infra/constructs/monitoring.ts).
 */
const highestHealthyLagMinutes = (ingest: { settleMinutes: number; timeoutMinutes: number }): number =>
  ingest.settleMinutes + 60 + ingest.timeoutMinutes;

/**
 * alarms.lagHours must be above the lag every healthy run may report: below it the Lag alarm
 * (Minimum over each period) fires while every run succeeds, forever once the threshold is under
 * settleMinutes, which every report exceeds.
 */
export function checkLagThreshold({ ingest, alarms }: ConfigFields, ctx: z.RefinementCtx): void {
  const { settleMinutes: settle, timeoutMinutes: timeout } = ingest;
  const { lagHours } = alarms;
  // Cross-checks only between values that are valid on their own; bad ones have their own message.
  const valid =
    acceptsSetting('settleMinutes', settle) &&
    ingestFields.shape.timeoutMinutes.safeParse(timeout).success &&
    alarmsSchema.shape.lagHours.safeParse(lagHours).success;
  if (!valid) return;
  const highest = highestHealthyLagMinutes(ingest);
  if (lagHours * 60 >= highest) return;
  const minimum = Math.ceil(highest / 60);
  const never = lagHours * 60 <= settle ? ', so the Lag alarm would never leave ALARM' : '';
  ctx.addIssue({
    code: 'custom',
    path: ['alarms', 'lagHours'],
    params: inEffect(lagHours),
    message: `is below the lag every healthy ingest run may report: a run pulls an hour only once it has settled (ingest.settleMinutes ${settle}), so the lag it reports (now - watermark) is at least ${settle} minutes${never}, and up to settleMinutes + 60 minutes + the run's time (ingest.timeoutMinutes ${timeout}) = ${highest} minutes, so the Lag alarm may fire while every run succeeds. Set alarms.lagHours to ${minimum} or more, or lower ingest.settleMinutes`,
  });
}

/** Why the no-successful-run alarm would fire between two successful runs, and the fixes that fit. */
function alarmGapProblem(gaps: RunGaps, timeout: number, hours: number): string {
  const longest = gaps.maxMinutes;
  const fitting = hours * 60 - timeout;
  const why = `that alarm expects a successful run in every ${hours}-hour period, and a run can end up to ingest.timeoutMinutes (${timeout}) after it starts, so some periods would have none and the alarm would fire while every run succeeds`;
  if (gaps.skippedBy.length > 0) {
    return `fires only on some days (${gaps.skippedBy.join(', ')}), so two of its firings are at least ${minutesText(longest)} apart, too seldom for alarms.noSuccessfulRunHours (${hours}): ${why}; that setting goes up to 24 only, so no schedule that skips a day fits. Fire every day ("*" in day-of-month, month and year, "?" in day-of-week) with no gap over ${minutesText(fitting)}, or use "rate(${fitting} minutes)"`;
  }
  const neededHours = Math.ceil((longest + timeout) / 60);
  const raise = neededHours <= 24 ? `, or raise alarms.noSuccessfulRunHours to ${neededHours}` : '';
  if (gaps.rate) {
    return `runs every ${minutesText(longest)}, too seldom for alarms.noSuccessfulRunHours (${hours}): ${why}. Run at least every ${minutesText(fitting)} ("rate(${fitting} minutes)")${raise}`;
  }
  return `fires as much as ${minutesText(longest)} apart, too seldom for alarms.noSuccessfulRunHours (${hours}): ${why}. Leave no gap over ${minutesText(fitting)} between two firings (the last of a day and the first of the next too), or use "rate(${fitting} minutes)"${raise}`;
}

import * as z from 'zod';
import { MIN_TIME_PER_INSTANCE_MS } from '../../functions/core/report/send-weekly-reports.ts';
import { MINUTE_MS } from '../../functions/core/time-units.ts';
import { YOUR_DOMAIN } from '../address-mistake.ts';
import { inEffect } from './given-value.ts';
import { checkSenderIdentity, recipientList, sesIdentityName, sesSender } from './mail-addresses.ts';
import { neverFiresAgainProblem } from './never-fires-again.ts';
import { checkScheduleFiresEveryDay } from './report-clock-gap.ts';
import { DEFAULT_CORRECTION_SCHEDULE, DEFAULT_REPORT_SCHEDULE } from './report-schedule-default.ts';
import { minutesText, runGaps } from './run-gaps.ts';
import { scheduleExpression } from './schedule-field.ts';
import { timeZone } from './time-zone-field.ts';
import { functionTimeoutMinutes } from './whole-numbers.ts';

/**
 * The shortest report function timeout that starts an instance: an instance is started only with
 * {@link MIN_TIME_PER_INSTANCE_MS} left, and a run has a little less than its timeout when it
 * starts, so the timeout must exceed it.
 */
export const REPORT_MIN_TIMEOUT_MINUTES = Math.floor(MIN_TIME_PER_INSTANCE_MS / MINUTE_MS) + 1;

const reportFields = z.strictObject({
  enabled: z.boolean({ error: 'must be true or false' }).default(false),
  schedule: scheduleExpression(DEFAULT_REPORT_SCHEDULE).default(DEFAULT_REPORT_SCHEDULE),
  /** When the corrections-only run fires, in report.timeZone; null: no such run (docs/report.md). */
  // A malformed one is offered what the field takes: "rate(15 minutes)" fires under an hour apart.
  correctionSchedule: scheduleExpression(DEFAULT_CORRECTION_SCHEDULE, {
    examples: { rate: 'rate(6 hours)', cron: DEFAULT_CORRECTION_SCHEDULE },
    otherwise: ', or null to turn the run off',
  })
    .nullable()
    .default(DEFAULT_CORRECTION_SCHEDULE),
  timeZone: timeZone.default('UTC'),
  sender: sesSender()
    .nullish()
    .transform((value) => value ?? undefined),
  recipients: recipientList(),
  sesIdentity: sesIdentityName(`reports@${YOUR_DOMAIN}`),
  createSesIdentity: z.boolean({ error: 'must be true or false' }).default(false),
  timeoutMinutes: functionTimeoutMinutes(
    REPORT_MIN_TIMEOUT_MINUTES,
    `an instance's report is not started with less than ${MIN_TIME_PER_INSTANCE_MS / 1000} s of the function's time left, so a shorter function would fail every instance without running a query`,
    5,
  )
    .nullish()
    .transform((value) => value ?? undefined),
});

/**
 * The report section, its schedule read from the day `today` (its year field from that year, see
 * `thisYear`; its clock gaps from that day on).
 */
export const reportSchema = (today: Date) =>
  reportFields.superRefine((report, ctx) => {
    if (!report.enabled) return;
    if (!report.sender) {
      ctx.addIssue({
        code: 'custom',
        path: ['sender'],
        message:
          'is required when report.enabled is true: set it to the address the weekly report is sent from (a verified SES identity, or its domain)',
      });
    }
    checkSenderIdentity('report', report, ctx);
    const never = neverFiresAgainProblem(
      report.schedule,
      today,
      'no weekly report is mailed again, and no alarm says so',
    );
    if (never !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['schedule'], params: inEffect(report.schedule), message: never });
      return;
    }
    checkScheduleFiresEveryDay(report, today, ctx);
    const corrections = correctionScheduleProblem(report.correctionSchedule, today);
    if (corrections !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['correctionSchedule'],
        params: inEffect(report.correctionSchedule),
        message: corrections,
      });
    }
  });

/**
 * The fewest minutes between two corrections-only runs: each holds the report function's one
 * execution (reserved concurrency 1) while it runs, which a run every few minutes would keep from
 * the weekly reports and from a synchronous invocation (refused while one runs), and no week is
 * corrected sooner than 6 hours after its last mail anyway.
 */
const MIN_CORRECTION_GAP_MINUTES = 60;

/** Why report.correctionSchedule is refused, or undefined (null, the run turned off, is fine). */
function correctionScheduleProblem(schedule: string | null, today: Date): string | undefined {
  if (schedule === null) return undefined;
  const never = neverFiresAgainProblem(
    schedule,
    today,
    'no correction is mailed by it again (set null to turn the run off)',
  );
  if (never !== undefined) return never;
  const gaps = runGaps(schedule, today.getUTCFullYear());
  if (gaps === undefined || gaps.minMinutes >= MIN_CORRECTION_GAP_MINUTES) return undefined;
  return `fires as little as ${minutesText(gaps.minMinutes)} apart: each corrections run holds the report function, which runs one invocation at a time, so runs this close would keep a weekly report or an invocation by hand waiting, and no week is corrected within 6 hours of its last mail anyway. Fire at most once an hour, e.g. "rate(6 hours)" or the default "${DEFAULT_CORRECTION_SCHEDULE}" (daily), or null to turn the run off`;
}

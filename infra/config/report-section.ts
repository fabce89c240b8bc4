import * as z from 'zod';
import { MIN_TIME_PER_INSTANCE_MS } from '../../functions/core/report/send-weekly-reports.ts';
import { YOUR_DOMAIN } from '../address-mistake.ts';
import { inEffect } from './given-value.ts';
import { checkSenderIdentity, recipientList, sesIdentityName, sesSender } from './mail-addresses.ts';
import { neverFiresAgainProblem } from './never-fires-again.ts';
import { checkScheduleFiresEveryDay } from './report-clock-gap.ts';
import { DEFAULT_REPORT_SCHEDULE } from './report-schedule-default.ts';
import { scheduleExpression } from './schedule-field.ts';
import { timeZone } from './time-zone-field.ts';
import { functionTimeoutMinutes } from './whole-numbers.ts';

/**
 * The shortest report function timeout that starts an instance: an instance is started only with
 * {@link MIN_TIME_PER_INSTANCE_MS} left, and a run has a little less than its timeout when it
 * starts, so the timeout must exceed it.
 */
export const REPORT_MIN_TIMEOUT_MINUTES = Math.floor(MIN_TIME_PER_INSTANCE_MS / 60_000) + 1;

const reportFields = z.strictObject({
  enabled: z.boolean({ error: 'must be true or false' }).default(false),
  schedule: scheduleExpression(DEFAULT_REPORT_SCHEDULE).default(DEFAULT_REPORT_SCHEDULE),
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
  });

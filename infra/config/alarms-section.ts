/**
 * `alarms`: where the stack's alarms are mailed and the thresholds of the two ingest alarms;
 * their agreement with the ingest schedule is checked in ingest-alarm-checks.ts, once both are read.
 */
import * as z from 'zod';
import { YOUR_DOMAIN } from '../address-mistake.ts';
import { alarmEmail } from './alarm-email.ts';
import { wholeNumber } from './whole-numbers.ts';

export const alarmsSchema = z
  .strictObject({
    email: alarmEmail()
      .nullish()
      .transform((value) => value ?? undefined),
    /** The explicit opt-out: the topic is subscribed some other way (a pager, ChatOps), outside this stack. */
    allowNoSubscriber: z.boolean({ error: 'must be true or false' }).default(false),
    lagHours: wholeNumber(2, 168, 3).default(3),
    noSuccessfulRunHours: wholeNumber(1, 24, 6).default(6),
  })
  .superRefine((alarms, ctx) => {
    if (alarms.email !== undefined || alarms.allowNoSubscriber) return;
    ctx.addIssue({
      code: 'custom',
      path: ['email'],
      message: `is required: set it to the address that should receive the alarms, e.g. "ops@${YOUR_DOMAIN}": AWS mails it a confirmation, confirm it with \`aws sns confirm-subscription ... --authenticate-on-unsubscribe true\`, not by clicking its link (README, "7. Alarms"). If you subscribe the alarm topic some other way (a pager, ChatOps), set alarms.allowNoSubscriber to true instead`,
    });
  });

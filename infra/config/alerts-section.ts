import * as z from 'zod';
import {
  ALERT_SETTING_LIMITS,
  DEFAULT_ALERT_SETTINGS,
  EXPORT_BURST_MIN,
} from '../../functions/core/queries/alert-settings.ts';
import { MINUTE_MS } from '../../functions/core/time-units.ts';
import { YOUR_DOMAIN } from '../address-mistake.ts';
import { expectedActivity } from '../alerts-expected.ts';
import {
  checkSenderIdentity,
  recipientList,
  sesIdentityName,
  sesSender,
  topicEmailList,
} from './mail-addresses.ts';
import { principalPatterns, SUBSCRIBE_PURPOSE } from './principal-lists.ts';
import { functionTimeoutMinutes, wholeNumber } from './whole-numbers.ts';

/**
 * `alerts.exportBurst`: 0 (off, the default), or distinct objects one user exports within 60
 * minutes that make a `bulk_export` alert, from 5 to 1000 (alert-settings.ts, EXPORT_BURST_MIN).
 */
const exportBurst = () => {
  const [, max] = ALERT_SETTING_LIMITS.exportBurst;
  const error = `must be 0 (off) or a whole number from ${EXPORT_BURST_MIN} to ${max}, for example 50`;
  return z
    .number({ error })
    .int({ error })
    .min(0, { error })
    .max(max, { error })
    .refine((value) => value === 0 || value >= EXPORT_BURST_MIN, {
      error: `must be 0 (off) or from ${EXPORT_BURST_MIN} to ${max}: fewer objects exported in an hour is an ordinary pull, and would alert every day. Start at 50 and lower it once the exports per user-hour are known (docs/alerts.md, "bulk_export")`,
    });
};

/**
 * A sign-in judging setting (`historyDays`, `minHistoryLogins`, `maxSpeedKmh`): the range and
 * default the alerts function checks them against (alert-settings.ts), so synth refuses what the
 * function would refuse at its start, and offers the default (the weekly report's) as the example.
 */
const judging = (name: 'historyDays' | 'minHistoryLogins' | 'maxSpeedKmh') => {
  const [min, max] = ALERT_SETTING_LIMITS[name];
  const fallback = DEFAULT_ALERT_SETTINGS[name];
  return wholeNumber(min, max, fallback).default(fallback);
};

/**
 * The alerts run's evaluation reserve: it starts no hour with less than this left, to take the
 * alerts in, archive and deliver them. `EVALUATION_RESERVE_MS` in
 * functions/core/alerts/run-alerts.ts, which does not export it; a test runs the alerts just under
 * and over this figure, so the two cannot drift apart unseen.
 */
export const ALERTS_EVALUATION_RESERVE_MS = MINUTE_MS;

/** Time an alerts run needs to evaluate hours beyond its reserve: a minute covers a backlog's first hours. */
const ALERTS_LEAST_WORKING_MS = MINUTE_MS;

/** The shortest alerts function timeout that evaluates any hour: the reserve plus time to work. */
export const ALERTS_MIN_TIMEOUT_MINUTES = Math.ceil(
  (ALERTS_EVALUATION_RESERVE_MS + ALERTS_LEAST_WORKING_MS) / MINUTE_MS,
);

/**
 * Security alerts (docs/alerts.md). Detection thresholds; times and "hour of day" use
 * report.timeZone, and the suspicious-login definitions are the weekly report's.
 */
export const alertsSchema = z
  .strictObject({
    enabled: z.boolean({ error: 'must be true or false' }).default(false),
    burstFailures: wholeNumber(2, 1000, 5).default(5),
    burstMinutes: wholeNumber(1, 30, 10).default(10),
    sprayUsers: wholeNumber(2, 1000, 10).default(10),
    failuresBeforeLogin: wholeNumber(2, 1000, 4).default(4),
    /** Off (0) by default: the `bulk_export` alert (docs/alerts.md, "bulk_export"). */
    exportBurst: exportBurst().default(0),
    mailOlderThanHours: wholeNumber(1, 8784, 24).default(24),
    /**
     * How sign-ins are judged (new_country, new_network, impossible_travel, unusual_hour): the
     * days of history, the history sign-ins a user needs, the fastest plausible journey. The
     * defaults are the weekly report's; the mail's suspicious_logins step gives those that differ.
     */
    historyDays: judging('historyDays'),
    minHistoryLogins: judging('minHistoryLogins'),
    maxSpeedKmh: judging('maxSpeedKmh'),
    sender: sesSender()
      .nullish()
      .transform((value) => value ?? undefined),
    recipients: recipientList(),
    sesIdentity: sesIdentityName(`alerts@${YOUR_DOMAIN}`),
    /** Addresses the stack subscribes to the alerts topic (email subscriptions, like the alarm topic's). */
    email: topicEmailList(),
    /** The explicit opt-out: the topic is subscribed some other way (a pager, ChatOps), outside this stack. */
    allowNoSubscriber: z.boolean({ error: 'must be true or false' }).default(false),
    /**
     * The principals (ARN patterns of `aws:PrincipalArn`) the alerts topic's policy lets subscribe
     * an endpoint of their choosing; every other one may subscribe only the addresses of `email`.
     * Empty: none.
     */
    subscribeAllowedPrincipals: principalPatterns(SUBSCRIBE_PURPOSE),
    timeoutMinutes: functionTimeoutMinutes(
      ALERTS_MIN_TIMEOUT_MINUTES,
      `an alerts run starts no hour with less than ${ALERTS_EVALUATION_RESERVE_MS / 1000} s left (kept to take the alerts in, archive and deliver them), so a shorter function would evaluate nothing and alerting would be off without any error`,
      5,
    ).default(5),
    /**
     * Every run loads the whole login profile, which grows with the sign-ins of the last 30 days:
     * 512 MB are meant for up to about 750,000 events a day (~2M facts), by the sizing list of
     * docs/alerts.md ("Cost"), which gives the memory for busier instances. Lambda's range is 128-10240.
     */
    memoryMb: wholeNumber(128, 10240, 512).default(512),
    /** The expected-activity list: alerts a rule matches are archived, counted and not sent. */
    expected: expectedActivity,
  })
  .superRefine((alerts, ctx) => {
    // SNS accepts a publish to a topic without subscribers: the alerts would reach nobody, silently.
    if (
      alerts.enabled &&
      alerts.recipients.length === 0 &&
      alerts.email.length === 0 &&
      !alerts.allowNoSubscriber
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['email'],
        message: `is required when alerts.enabled is true and alerts.recipients is empty: the alerts topic would have no subscriber, so every alert would be published to nobody. Set it to the addresses that should receive the alerts, e.g. ["security@${YOUR_DOMAIN}"]: AWS mails each address a confirmation, confirm it with \`aws sns confirm-subscription ... --authenticate-on-unsubscribe true\`, not by clicking its link (README, "7. Alarms"). Or mail them through SES with alerts.sender and alerts.recipients. If you subscribe the alerts topic some other way (a pager, ChatOps), set alerts.allowNoSubscriber to true instead`,
      });
    }
    if (alerts.recipients.length > 0 && !alerts.sender) {
      ctx.addIssue({
        code: 'custom',
        path: ['sender'],
        message:
          'is required when alerts.recipients is set: the address alert mails are sent from (a verified SES identity, or its domain); leave recipients empty to deliver to the SNS topic only',
      });
    }
    if (alerts.enabled && alerts.sender && alerts.recipients.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['recipients'],
        message: `is empty while alerts.sender ("${alerts.sender}") is set: no alert mail would be sent, the alerts would reach the SNS topic only. Add the addresses to mail, or leave sender out to deliver to the topic only`,
      });
    }
    checkSenderIdentity('alerts', alerts, ctx);
  });

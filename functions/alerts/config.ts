import { readFileSync } from 'node:fs';
import * as z from 'zod';
import {
  type ExpectedRule,
  expectedActivityJson,
  parseExpectedActivity,
} from '../core/alerts/expected-activity.ts';
import { appliesToInstance, assertRuleInstances } from '../core/alerts/rule-instances.ts';
import { errorMessage } from '../core/error-message.ts';
import { assertInstanceName } from '../core/lake/layout.ts';
import { type AlertSettings, validateAlertSettings } from '../core/queries/alert-settings.ts';
import {
  MAX_DAYS_ENV,
  maxDaysVariable,
  optionalText,
  readEnvironment,
  requiredText,
  toEnvironment,
} from '../shared/lambda-environment.ts';
import { STACK_ENV } from '../shared/telemetry.ts';

/**
 * Environment variables the CDK app sets on an instance's alerts function and the handler reads,
 * from one table of names ({@link alertsEnvironment} writes them).
 */
export const ALERTS_ENV = {
  instance: 'ALERTS_INSTANCE',
  bucket: 'LAKE_BUCKET',
  prefix: 'LAKE_PREFIX',
  topicArn: 'ALERTS_TOPIC_ARN',
  sender: 'ALERTS_SENDER',
  recipients: 'ALERTS_RECIPIENTS',
  recipientsFile: 'ALERTS_RECIPIENTS_FILE',
  settings: 'ALERTS_SETTINGS',
  database: 'ATHENA_DATABASE',
  workGroup: 'ATHENA_WORKGROUP',
  configurationSet: 'SES_CONFIGURATION_SET',
  expected: 'ALERTS_EXPECTED',
  maxDays: MAX_DAYS_ENV,
  stack: STACK_ENV,
} as const satisfies Record<string, string>;

interface AlertsHandlerConfig {
  /** The stack's name: every metric the function publishes carries it (see telemetry.ts). */
  stack: string;
  instance: string;
  bucket: string;
  prefix: string;
  topicArn: string;
  /** SES sender of the alert mail; empty when no mail is sent (SNS only). */
  sender: string;
  recipients: string[];
  /**
   * A file holding the recipients as {@link ALERTS_ENV.recipients} would (comma-separated), read
   * instead of it: the stack ships them once, in a layer every alerts function reads, rather than
   * in each function's environment (~3 KB of template per instance at 50 long addresses).
   */
  recipientsFile?: string;
  settings: AlertSettings;
  /** The lake's Glue database and Athena workgroup, which the message's queries name. */
  database: string;
  workGroup: string;
  /**
   * SES configuration set the alert mails are sent with, whose bounce and complaint events reach
   * the alarm topic; empty (the default) sends without one.
   */
  configurationSet?: string;
  /**
   * The expected-activity list (`alerts.expected`): alerts a rule matches are archived, not sent.
   * Travels as the JSON it is written in; unset or empty (a function deployed before it): none.
   */
  expected?: ExpectedRule[];
  /**
   * `retention.maxDays`: the users seen deactivated are kept no longer (user-states.ts). Unset or
   * empty: none set, or a function deployed before it (then their 90 days).
   */
  maxDays?: number;
}

/**
 * The list from its variable: the JSON `alerts.expected` is written in, as synth carries it to
 * `instance`'s function (other instances' rules left out, their places kept), checked as synth
 * checks it. A rule naming another instance is refused: synth leaves those out, so one here was
 * not written by it, and must not be taken for this instance's.
 */
function expectedFrom(text: string | undefined, instance: string): ExpectedRule[] {
  if (text === undefined) return [];
  try {
    const rules = parseExpectedActivity(JSON.parse(text), { elided: true });
    assertRuleInstances(rules, {
      instances: [instance],
      where: 'of this alerts function',
      otherFix: "or deploy the stack again: synth leaves other instances' rules out of each function",
    });
    return rules;
  } catch (error) {
    throw new Error(`${ALERTS_ENV.expected}: ${errorMessage(error)}`);
  }
}

/** The addresses of a comma-separated list, blanks dropped. */
const addressList = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

/**
 * The recipients the function mails: its variable's, or its file's (never both). A file holding
 * no address is refused: the stack ships one only with recipients, so an empty one is damaged, and
 * read as no recipients the run would send no mail and say nothing (alerts to SNS only).
 */
function recipientsOf(listed: string[], file: string | undefined): string[] {
  if (file === undefined) return listed;
  if (listed.length > 0)
    throw new Error(`${ALERTS_ENV.recipients} and ${ALERTS_ENV.recipientsFile} are both set: set one`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`${ALERTS_ENV.recipientsFile}: cannot read ${file}: ${errorMessage(error)}`);
  }
  const recipients = addressList(text);
  if (recipients.length === 0)
    throw new Error(`${ALERTS_ENV.recipientsFile}: ${file} holds no address: deploy the stack again`);
  return recipients;
}

const schema = z
  .object({
    instance: requiredText(ALERTS_ENV.instance),
    bucket: requiredText(ALERTS_ENV.bucket),
    prefix: z.string().default(''),
    topicArn: requiredText(ALERTS_ENV.topicArn),
    sender: z.string().default(''),
    recipients: z.string().default('').transform(addressList),
    recipientsFile: optionalText(),
    settings: requiredText(ALERTS_ENV.settings),
    database: requiredText(ALERTS_ENV.database),
    workGroup: requiredText(ALERTS_ENV.workGroup),
    // Unset or empty: send without one (a function configured before the set existed).
    configurationSet: optionalText(),
    expected: optionalText(),
    maxDays: maxDaysVariable,
    stack: requiredText(ALERTS_ENV.stack),
  })
  .transform((raw, ctx) => {
    try {
      assertInstanceName(raw.instance);
      const settings = validateAlertSettings(JSON.parse(raw.settings) as Partial<AlertSettings>);
      const recipients = recipientsOf(raw.recipients, raw.recipientsFile);
      if (recipients.length > 0 && raw.sender === '')
        throw new Error(`${ALERTS_ENV.recipients} is set but ${ALERTS_ENV.sender} is empty`);
      const expected = expectedFrom(raw.expected, raw.instance);
      const { maxDays, ...rest } = raw;
      return { ...rest, recipients, settings, expected, ...(maxDays === undefined ? {} : { maxDays }) };
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: errorMessage(error) });
      return z.NEVER;
    }
  });

export const readAlertsEnv = (env: Record<string, string | undefined>): AlertsHandlerConfig =>
  readEnvironment('alerts', ALERTS_ENV, schema, env);

export function alertsEnvironment(config: AlertsHandlerConfig): Record<string, string> {
  const env = toEnvironment(ALERTS_ENV, {
    ...config,
    settings: JSON.stringify(config.settings),
    configurationSet: config.configurationSet ?? '',
    recipientsFile: config.recipientsFile ?? '',
    expected: expectedVariable(config.expected ?? [], config.instance),
    maxDays: config.maxDays ?? '',
  });
  // Left out without retention.maxDays: a stack without it deploys its alerts functions unchanged.
  if (env[ALERTS_ENV.maxDays] === '') delete env[ALERTS_ENV.maxDays];
  return env;
}

/**
 * The list as `instance`'s function carries it (its rules, the others' places kept): what synth
 * writes to that function's environment, and what it caps the size of (infra/alerts-expected.ts).
 */
export const expectedVariable = (rules: readonly ExpectedRule[], instance: string): string =>
  // Empty for none: a variable of "[]" in every stack would say nothing.
  rules.some((rule) => appliesToInstance(rule, instance)) ? expectedActivityJson(rules, instance) : '';

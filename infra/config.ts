import * as z from 'zod';
import { calendarDayProblem } from '../functions/core/calendar-day.ts';
import { didYouMean } from '../functions/core/did-you-mean.ts';
import { domoWebAddressProblem, shownApiBase } from '../functions/core/domo/api-base.ts';
import { parseCategoryRules } from '../functions/core/domo/category-rules.ts';
import { SECRET_ARN, secretReferenceProblem } from '../functions/core/domo/secret-reference.ts';
import { parseUtcInstant } from '../functions/core/domo/utc-instant.ts';
import { errorMessage } from '../functions/core/error-message.ts';
import {
  acceptsSetting,
  DEFAULT_DOC_TIME_ZONE,
  defaultRepullAfterHours,
  INGEST_SETTINGS,
  ingestSettingFields,
  repullProblem,
  repullRule,
  settingRule,
} from '../functions/core/ingest/ingest-settings.ts';
import { assertInstanceName } from '../functions/core/lake/layout.ts';
import { MIN_TIME_PER_INSTANCE_MS } from '../functions/core/report/send-weekly-reports.ts';
import { formatDay } from '../functions/core/report/time-format.ts';
import { canonicalTimeZone, zonedWallTimeToUtc } from '../functions/core/zoned-time.ts';
import {
  accountWideNameProblems,
  DEFAULT_DATABASE_NAME,
  DEFAULT_STACK_NAME,
  DEFAULT_WORKGROUP_NAME,
} from './account-wide-names.ts';
import { addressMistake, OWN_ADDRESS, type SeveralAdvice, YOUR_DOMAIN } from './address-mistake.ts';
import { expectedActivity, expectedInstancesProblem } from './alerts-expected.ts';
import { knownKeysAt, unknownKeyProblems } from './config-key-advice.ts';
import { idnAdvice } from './idn-address.ts';
import { domainOf, identityCoversSender, isDomainName } from './report/ses-identities.ts';
import { reservedDomainProblem } from './reserved-mail-domain.ts';
import { scheduleExpressionProblem } from './schedule-expression.ts';
import {
  type CronGaps,
  cronDayWithoutFiring,
  cronFiresFrom,
  cronGaps,
  cronWeekFiringMinutes,
  cronWeekStartMinutes,
  firesFrom,
  lastYearOf,
  parseCron,
  SCHEDULER_START_SLACK_MINUTES,
  thisYear,
} from './schedule-gaps.ts';
import { instanceReportKeyProblems, stackWideKeyProblems } from './stack-wide-instance-keys.ts';
import { timeZoneAdvice } from './time-zone-advice.ts';

/** The `cdk.json` context key that holds the deploy configuration. */
export const CONTEXT_KEY = 'activityLake';

/** Instances one stack takes: its lake bucket policy and resource count grow with each. */
export const MAX_INSTANCES = 20;

/** Where the Domo public API lives unless an instance says otherwise. */
export const DEFAULT_DOMO_API_BASE = 'https://api.domo.com';

/** Log retention values CloudWatch Logs accepts (days). */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/**
 * Raised for any invalid deploy configuration; the message lists every problem with its key and fix.
 * `heading` says what was refused when it is not a key of the context (the written template's size,
 * say), which a heading naming the context would send the reader looking for in cdk.json.
 */
export class ConfigError extends Error {
  constructor(
    readonly problems: readonly string[],
    heading = `Invalid cdk.json context "${CONTEXT_KEY}"`,
  ) {
    super(`${heading} (fix these, then run cdk synth again):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const wholeNumber = (min: number, max: number, example: number) => {
  const error = `must be a whole number from ${min} to ${max}, for example ${example}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};

/**
 * A function timeout in minutes that is at least `minimum`: below it the function would run and
 * succeed without doing its work, so the error says why (`why`) and what to set.
 */
const functionTimeoutMinutes = (minimum: number, why: string, example: number) => {
  // The range said is the one enforced: "from 1 to 15" sent a user who chose 1 to a second refusal.
  const error = `must be a whole number from ${minimum} to 15, for example ${example}`;
  return z
    .number({ error })
    .int({ error })
    .max(15, { error })
    .min(minimum, { error: `must be at least ${minimum}: ${why}. Set it to ${minimum} or more` });
};

/**
 * The alerts run's evaluation reserve: it starts no hour with less than this left, to take the
 * alerts in, archive and deliver them. `EVALUATION_RESERVE_MS` in
 * functions/core/alerts/run-alerts.ts, which does not export it; a test runs the alerts just under
 * and over this figure, so the two cannot drift apart unseen.
 */
export const ALERTS_EVALUATION_RESERVE_MS = 60_000;

/** Time an alerts run needs to evaluate hours beyond its reserve: a minute covers a backlog's first hours. */
const ALERTS_LEAST_WORKING_MS = 60_000;

/** The shortest alerts function timeout that evaluates any hour: the reserve plus time to work. */
export const ALERTS_MIN_TIMEOUT_MINUTES = Math.ceil(
  (ALERTS_EVALUATION_RESERVE_MS + ALERTS_LEAST_WORKING_MS) / 60_000,
);

/**
 * The shortest report function timeout that starts an instance: an instance is started only with
 * {@link MIN_TIME_PER_INSTANCE_MS} left, and a run has a little less than its timeout when it
 * starts, so the timeout must exceed it.
 */
export const REPORT_MIN_TIMEOUT_MINUTES = Math.floor(MIN_TIME_PER_INSTANCE_MS / 60_000) + 1;

/**
 * An IANA zone name spelled exactly as EventBridge Scheduler (the report's schedule) and Athena
 * (`at_timezone` in the queries) take it: `Intl` alone also accepts other letter cases and old
 * aliases, which those services may refuse or read differently.
 */
const timeZone = z
  .string({ error: 'must be an IANA time zone name such as "UTC" or "Europe/London"' })
  .superRefine((zone, ctx) => {
    const canonical = canonicalTimeZone(zone);
    if (canonical === undefined) {
      ctx.addIssue({
        code: 'custom',
        message:
          'is not an IANA time zone name; use one such as "UTC", "Europe/London" or "America/New_York"',
      });
    } else {
      const advice = timeZoneAdvice(zone, canonical);
      if (advice) ctx.addIssue({ code: 'custom', message: advice });
    }
  });

/**
 * Refuses an address or domain at a domain reserved for examples (infra/reserved-mail-domain.ts);
 * one that is no address or domain at all has its own message.
 */
const notReserved =
  (what: string) =>
  (value: string, ctx: z.RefinementCtx): void => {
    if (!isSesIdentityName(value)) return;
    const problem = reservedDomainProblem(value, what);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  };

/** Several addresses in one string of a list: each is its own item. */
const severalInList: SeveralAdvice = (first, count) =>
  `holds ${count} addresses in one string: give each as its own item of the list, e.g. ["${first}", ...]`;

const email = (what: string) =>
  z
    .email({
      error: (issue) =>
        addressMistake(issue.input, severalInList) ??
        `must be ${what} email address such as "audit@${YOUR_DOMAIN}"`,
    })
    .superRefine(notReserved(OWN_ADDRESS));

const SENDER_OWN = 'the address of your own domain that the mail is sent from';
const IDENTITY_OWN = 'a domain or address of your own that SES has verified';

/**
 * A sender address for SES: a bare address only, since the stack also uses it as the SES identity
 * and in the IAM condition ses:FromAddress; the "Name <addr>" form is told which address to write.
 */
const sesSender = () =>
  z
    .string({ error: `must be the verified SES sender email address such as "audit@${YOUR_DOMAIN}"` })
    .superRefine((value, ctx) => {
      const message = z.email().safeParse(value).success
        ? undefined
        : (addressMistake(
            value,
            (first) => `holds several addresses: a sender is one address, such as "${first}"`,
            ' (the stack also uses it as the SES identity and in the IAM condition ses:FromAddress)',
            SENDER_OWN,
          ) ?? `must be the verified SES sender email address such as "audit@${YOUR_DOMAIN}"`);
      if (message) ctx.addIssue({ code: 'custom', message });
      else notReserved(SENDER_OWN)(value, ctx);
    });

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const RATE_UNIT_MINUTES: Record<string, number> = { minute: 1, hour: 60, day: 1440 };

/**
 * Minutes between two runs of a valid `rate(...)` expression (singular unit exactly when the amount
 * is 1, as Scheduler requires); undefined for `cron(...)` or anything invalid.
 */
export function rateMinutes(expression: string): number | undefined {
  const match = RATE.exec(expression);
  if (!match) return undefined;
  const amount = Number(match[1]);
  const unit = match[2] ?? '';
  const singular = !unit.endsWith('s');
  if (amount < 1 || singular !== (amount === 1)) return undefined;
  return amount * (RATE_UNIT_MINUTES[unit.replace(/s$/, '')] ?? Number.NaN);
}

/** `1` → `"1 minute"`, `90` → `"90 minutes"`, `120` → `"2 hours"`: how a rate reads in a message. */
const minutesText = (minutes: number): string => {
  const [amount, unit] = minutes % 60 === 0 ? [minutes / 60, 'hour'] : [minutes, 'minute'];
  return `${amount} ${unit}${amount === 1 ? '' : 's'}`;
};

type RunGaps = CronGaps & { rate: boolean };

/**
 * The smallest and largest time between two consecutive runs of a valid schedule, in minutes: a
 * rate's interval both ways, or a cron's gaps from `cronGaps` (infra/schedule-gaps.ts, which says
 * how days the cron skips are bounded, its year field read from `fromYear`). Undefined when the
 * schedule is not valid.
 */
function runGaps(schedule: unknown, fromYear: number): RunGaps | undefined {
  if (typeof schedule !== 'string') return undefined;
  const interval = rateMinutes(schedule);
  if (interval !== undefined)
    return { minMinutes: interval, maxMinutes: interval, skippedBy: [], rate: true };
  const gaps = cronGaps(schedule, fromYear);
  return gaps && { ...gaps, rate: false };
}

/** A rate or cron expression EventBridge Scheduler accepts (its field, range and `?` rules). */
const scheduleExpression = (example: string) =>
  z
    .string({ error: `must be an EventBridge Scheduler expression such as "${example}"` })
    .superRefine((value, ctx) => {
      const problem = scheduleExpressionProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

const COMPLETE_SECRET_SUFFIX = /-[A-Za-z0-9]{6}$/;
const KMS_KEY_ARN =
  /^arn:aws[a-z-]*:kms:([a-z0-9-]+):\d{12}:key\/(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;

/** The region in a Secrets Manager or KMS ARN, or undefined when `arn` is not one. */
const arnRegion = (arn: string): string | undefined => (SECRET_ARN.exec(arn) ?? KMS_KEY_ARN.exec(arn))?.[1];

/**
 * Synth's own addition to the shared check: a partial ARN, which Secrets Manager could read but CDK's
 * fromSecretCompleteArn throws on. The name it holds is quoted as the fix only when the shared check
 * takes it as a name: one of 32 hex digits or more is reached by its ARN alone, and is not shown.
 */
function partialArnProblem(reference: string): string | undefined {
  const name = SECRET_ARN.exec(reference)?.[2];
  if (name === undefined || COMPLETE_SECRET_SUFFIX.test(name)) return undefined;
  const full = 'a secret\'s full ARN ends in "-" and the 6 characters Secrets Manager adds to the name';
  if (secretReferenceProblem(name) !== undefined) {
    return `is a partial ARN whose name (not shown) would be refused alone: ${full}. Copy it from aws secretsmanager describe-secret --secret-id <this partial ARN> --query ARN`;
  }
  return `is a partial ARN: ${full}. Copy it from aws secretsmanager describe-secret --secret-id ${name} --query ARN, or write just the name "${name}"`;
}

/**
 * An existing secret's name or full ARN, by the check the CLI and its Secrets Manager source make
 * (`secretReferenceProblem`): synth takes what they take and refuses the rest in the same words,
 * plus its own partial-ARN refusal. The Domo client secret or the secret's JSON pasted here would
 * land in the template and the role's policy; no message repeats it.
 */
const secretReference = z
  .string({ error: 'must be the name or ARN of an existing Secrets Manager secret, or left out' })
  .superRefine((value, ctx) => {
    const shared = secretReferenceProblem(value);
    const message =
      shared === undefined
        ? partialArnProblem(value)
        : `${shared}; or leave it out to have the stack create one`;
    if (message !== undefined) ctx.addIssue({ code: 'custom', message });
  });

const instanceFields = z.strictObject({
  name: z.string({ error: 'is required: a short instance name such as "acme"' }).refine(
    (value) => {
      try {
        assertInstanceName(value);
        return true;
      } catch {
        return false;
      }
    },
    {
      error:
        'must be 1-63 lower-case letters, digits, "-" or "_", starting with a letter or digit (it becomes an S3 path segment and an Athena partition value)',
    },
  ),
  secret: secretReference.nullish().transform((value) => value ?? undefined),
  secretKmsKeyArn: z
    .string({ error: 'must be the ARN of the KMS key that encrypts the secret, or left out' })
    .regex(KMS_KEY_ARN, {
      error:
        'must be a KMS key ARN "arn:aws:kms:<region>:<account>:key/<key-id>" (not an alias: IAM grants use of keys by key ARN); aws secretsmanager describe-secret --secret-id <secret> --query KmsKeyId shows it, and aws kms describe-key --key-id <alias> --query KeyMetadata.Arn turns an alias into it',
    })
    .nullish()
    .transform((value) => value ?? undefined),
  apiBase: z
    .url({ protocol: /^https$/, error: (issue) => apiBaseUrlError(issue.input) })
    // It lands in the template and the function's environment in plain text.
    .refine((value) => !hasUserInfo(value), {
      error:
        'must not carry a user name or password ("user:password@"): the Domo client id and secret belong in the instance\'s secret, which only the function can read',
    })
    // A query or fragment the function's own check refuses would fail every scheduled run.
    .refine((value) => !hasQueryOrFragment(value), {
      error: 'must be a plain https URL without query or fragment, e.g. "https://api.domo.com"',
    })
    // The function appends /oauth/token and /v1/audit to it: "/v1" there made every run 404.
    .superRefine((value, ctx) => {
      const origin = originWithPath(value);
      if (origin !== undefined) ctx.addIssue({ code: 'custom', message: apiBasePathError(origin) });
    })
    .superRefine((value, ctx) => {
      const problem = webAddressProblem(value);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
    })
    .default(DEFAULT_DOMO_API_BASE)
    .transform((value) => value.replace(/\/+$/, '')),
  // Domo may write its zone-less time strings in each instance's own zone: over ingest.docTimeZone.
  docTimeZone: timeZone.optional(),
  // Lazy: its schemas are made below, with the report section's they reuse.
  report: z.lazy(() => instanceReportFields).optional(),
});

/**
 * A host name written alone or after `http://` (`api.domo.com`): the parts of the API base that
 * are safe to show and to quote in the fix, since a client id or secret holds no dot-separated
 * name of letters. Undefined for anything else.
 */
function plainApiHost(value: unknown): { scheme: string; host: string } | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(https?:\/\/)?([^/\s]+)\/?$/i.exec(value);
  const host = match?.[2];
  return host !== undefined && isDomainName(host) ? { scheme: match?.[1] ?? '', host } : undefined;
}

/** The refusal of an API base that is no https URL, with the URL to write when it is a host name. */
function apiBaseUrlError(input: unknown): string {
  const plain = plainApiHost(input);
  if (plain === undefined) return 'must be an https URL such as "https://api.domo.com"';
  // The host first: "https://acme.domo.com", offered for "acme.domo.com", was refused next (R-CONFIG2 L3).
  const web = domoWebAddressProblem(plain.host);
  if (web !== undefined) return `${web}: write "${DEFAULT_DOMO_API_BASE}"`;
  const what = plain.scheme === '' ? 'is a host name without its scheme' : 'must be an https URL';
  return `${what}: write "https://${plain.host}"`;
}

/**
 * {@link domoWebAddressProblem} of an https URL's host; undefined for one that does not parse or
 * is no https URL, as {@link apiBaseUrlError} says then, one fix for both (R-CONFIG2 L3).
 */
function webAddressProblem(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' ? domoWebAddressProblem(url.hostname) : undefined;
  } catch {
    return undefined;
  }
}

const instanceSchema = instanceFields.superRefine((instance, ctx) => {
  const key = instance.secretKmsKeyArn;
  // A malformed key ARN already has its own message.
  if (key === undefined || !KMS_KEY_ARN.test(key)) return;
  if (instance.secret === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['secretKmsKeyArn'],
      message:
        'applies only to an existing secret named in "secret": the secret the stack creates is encrypted with the AWS managed key aws/secretsmanager, which needs no grant. Remove secretKmsKeyArn, or add the secret it encrypts',
    });
    return;
  }
  // The secret is not quoted: a name of 64 hex digits in its ARN may be the client secret pasted there.
  const secretRegion = arnRegion(instance.secret);
  const keyRegion = arnRegion(key);
  if (secretRegion !== undefined && keyRegion !== undefined && secretRegion !== keyRegion) {
    ctx.addIssue({
      code: 'custom',
      path: ['secretKmsKeyArn'],
      message: `is a key in ${keyRegion}, but the secret is in ${secretRegion}, and Secrets Manager encrypts a secret only with a key of its own region: name the key aws secretsmanager describe-secret --secret-id <the secret's ARN> --query KmsKeyId shows`,
    });
  }
});

const MIN_BUDGET_MARGIN_SECONDS = 10;

/**
 * The rules' JSON travels in the function's environment, which Lambda caps at 4 KB for all its
 * variables together; the others take well under 1 KB.
 */
const MAX_CATEGORY_RULES_BYTES = 3000;

/**
 * `ingest.categoryRules`: what a `--category-rules` file holds (an array of rules, tried before the
 * built-in ones, or `{"replaceBuiltIn": true, "rules": [...]}`), checked here with the same parser
 * the function uses, so a bad rule fails the synth instead of every scheduled run.
 */
const categoryRules = z
  .unknown()
  .optional()
  .superRefine((value, ctx) => {
    if (value === undefined) return;
    try {
      parseCategoryRules(value, 'rule');
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `${errorMessage(error)} (see docs/ingest.md, "Categories")` });
      return;
    }
    // Lambda counts the environment's bytes: a pattern in another script takes 2-4 per character.
    const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8');
    if (bytes > MAX_CATEGORY_RULES_BYTES) {
      ctx.addIssue({
        code: 'custom',
        message: `is ${bytes} bytes of JSON; the function's environment (4 KB for all its variables) takes at most ${MAX_CATEGORY_RULES_BYTES}: shorten the patterns or merge rules with |`,
      });
    }
  });

const ingestFields = z.strictObject({
  schedule: scheduleExpression('rate(15 minutes)').default('rate(15 minutes)'),
  // The limits and defaults every entry point shares (functions/core/ingest/ingest-settings.ts).
  ...ingestSettingFields(),
  docTimeZone: timeZone.default(DEFAULT_DOC_TIME_ZONE),
  categoryRules,
  timeoutMinutes: wholeNumber(1, 15, 10).default(10),
  memoryMb: wholeNumber(256, 10240, 1024).default(1024),
  budgetMarginSeconds: wholeNumber(MIN_BUDGET_MARGIN_SECONDS, 300, 60).default(60),
});

/**
 * Why a schedule whose year field names only past years is refused (`cron(0 7 ? * MON 2020-2025)`),
 * or undefined when it names this year or a later one: EventBridge Scheduler takes it and never
 * fires it again, so nothing runs, fails or mails; `lost` says what stops.
 */
function neverFiresAgainProblem(schedule: string, today: Date, lost: string): string | undefined {
  const fromYear = thisYear(today);
  // Parsed once: its last year, whether it fires again and the fields the message shows all read it.
  const cron = parseCron(schedule);
  if (cron === undefined || firesFrom(cron, today)) return undefined;
  const last = lastYearOf(cron);
  const { minutes, hours, dayOfMonth, month, dayOfWeek, year } = cron;
  const why =
    last < fromYear
      ? `year field "${year}" names no year from ${fromYear} on, the last is ${last}`
      : `its last firing day of ${last}, the last year its year field "${year}" names, is past`;
  return `never fires again (${why}): EventBridge Scheduler accepts it but runs it no more, so ${lost}. Name ${last < fromYear ? 'this year or later' : 'a later year'} in the year field, or "*" for every year, e.g. "cron(${[minutes, hours, dayOfMonth, month, dayOfWeek].join(' ')} *)"`;
}

/** The ingest section as written, with `repullAfterHours` filled in by the lookback when left out. */
function withRepullDefault(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const { repullAfterHours, lookbackHours } = raw as Record<string, unknown>;
  if (repullAfterHours !== undefined || typeof lookbackHours !== 'number') return raw;
  return { ...raw, repullAfterHours: defaultRepullAfterHours(lookbackHours) };
}

/** The ingest section; `fromYear` is the year its schedule is read from (see `thisYear` in infra/schedule-gaps.ts). */
const ingestSchema = (today: Date) =>
  z.preprocess(withRepullDefault, ingestFields).superRefine((ingest, ctx) => {
    const fromYear = thisYear(today);
    const repull = repullProblem(ingest, 'ingest.lookbackHours');
    if (repull !== undefined) ctx.addIssue({ code: 'custom', path: ['repullAfterHours'], message: repull });
    const timeout = ingest.timeoutMinutes;
    // Cross-checks only between values that are valid on their own; bad ones have their own message.
    if (!Number.isInteger(timeout) || timeout < 1 || timeout > 15) return;
    const margin = ingest.budgetMarginSeconds;
    if (ingestFields.shape.budgetMarginSeconds.safeParse(margin).success && margin * 2 >= timeout * 60) {
      ctx.addIssue({
        code: 'custom',
        path: ['budgetMarginSeconds'],
        message: `must be less than half the function timeout (ingest.timeoutMinutes ${timeout} = ${timeout * 60} s): a run stops starting hours once less than the margin is left, so it would spend at least half its time idle or pull nothing at all. Set it to ${timeout * 30 - 1} or less, or raise ingest.timeoutMinutes`,
      });
    }
    const lost = 'no ingest run starts again and the lake stops filling';
    const never = neverFiresAgainProblem(ingest.schedule, today, lost);
    if (never !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['schedule'], message: never });
      return;
    }
    // A cron is held to its closest two firings, wherever in the day or week they fall.
    const gaps = runGaps(ingest.schedule, fromYear);
    if (gaps !== undefined && gaps.minMinutes < timeout) {
      ctx.addIssue({ code: 'custom', path: ['schedule'], message: pileUpProblem(gaps, timeout, margin) });
    }
  });

/** Why runs closer together than the timeout pile up, and how to space them. */
function pileUpProblem(gaps: RunGaps, timeout: number, margin: number): string {
  const interval = gaps.minMinutes;
  const often = gaps.rate
    ? `runs every ${minutesText(interval)}, more often than a run may last`
    : `fires as little as ${minutesText(interval)} apart, less than a run may last`;
  const cron = gaps.rate
    ? ''
    : `, or a cron whose firings are all at least ${timeout} minutes apart (the last firing of an hour or a day and the first of the next too)`;
  return `${often} (ingest.timeoutMinutes ${timeout}): runs that use all their time (every backfill run does) would pile up behind each other (one at a time per instance), and invocations left waiting over an hour go to the failure queue and fire its alarm. Use "rate(${timeout} minutes)" or longer${cron}${shorterTimeoutAdvice(interval, margin)}`;
}

/**
 * The other fix for a schedule faster than the timeout: a timeout as short as the interval, only
 * when that passes the margin rule too (less than half the timeout), lowering the margin if needed.
 */
function shorterTimeoutAdvice(interval: number, margin: number): string {
  const maxMargin = interval * 30 - 1;
  if (margin <= maxMargin) return `, or lower ingest.timeoutMinutes to ${interval}`;
  if (maxMargin < MIN_BUDGET_MARGIN_SECONDS) return '';
  return `, or lower ingest.timeoutMinutes to ${interval} and ingest.budgetMarginSeconds to ${maxMargin} or less`;
}

const isSesIdentityName = (value: string): boolean =>
  isDomainName(value) || z.email().safeParse(value).success;

/** SES accepts at most 50 recipients per message, and the report sends one message per instance. */
const MAX_REPORT_RECIPIENTS = 50;

/** A configured SES identity must cover the sender: SES refuses to send otherwise, at run time. */
function checkSenderIdentity(
  section: 'report' | 'alerts',
  mail: { sender?: string | undefined; sesIdentity?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  const { sender, sesIdentity: identity } = mail;
  if (sender && identity && isSesIdentityName(identity) && !identityCoversSender(identity, sender)) {
    ctx.addIssue({
      code: 'custom',
      path: ['sesIdentity'],
      message: `cannot send from ${section}.sender "${sender}": name that address or its domain ("${domainOf(sender)}" or a parent domain), or leave sesIdentity out`,
    });
  }
}

/** Mondays 07:00 in report.timeZone: 420 minutes after the week it reports ends. */
const DEFAULT_REPORT_SCHEDULE = 'cron(0 7 ? * MON *)';
const DEFAULT_REPORT_WEEK_START_MINUTES = 7 * 60;

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
const reportSchema = (today: Date) =>
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

const clock = (minute: number): string =>
  `${String(Math.floor(minute / 60) % 24).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/**
 * The report schedule runs in report.timeZone, and EventBridge Scheduler does not run a firing
 * whose local time does not exist: a cron all of whose times fall in the hour clocks skip on a day
 * it fires (cron(30 2 ? * SUN *) in Europe/Berlin) does not fire that day, and the week that run
 * would have reported is never mailed, once a year, with no alarm to tell.
 */
function checkScheduleFiresEveryDay(
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

/** Who gets a mail: at most the SES limit of addresses per message. */
function recipientList() {
  return z
    .array(email('a recipient'), { error: 'must be a list of email addresses' })
    .max(MAX_REPORT_RECIPIENTS, {
      error: `lists more than ${MAX_REPORT_RECIPIENTS} addresses (the SES limit per message); use a distribution list address instead`,
    })
    .default([]);
}

/**
 * `instances[].report`: a subsidiary's report to its own people, in its own zone, each over the
 * stack-wide report.recipients and report.timeZone, checked as those are. The schedule stays the
 * stack's: the zone changes how the week and its times are shown, not when the report runs.
 */
const instanceReportFields = z.strictObject({
  recipients: recipientList()
    .unwrap()
    .min(1, { error: 'needs at least one address, or leave it out to use report.recipients' })
    .optional(),
  timeZone: timeZone.optional(),
});

/** SNS allows far more subscriptions per topic; more than this many addresses belongs on a distribution list. */
const MAX_TOPIC_EMAILS = 50;

/** Email addresses to subscribe to a topic. */
function topicEmailList() {
  return (
    z
      .array(email('a subscriber'), {
        error: `must be a list of email addresses such as ["security@${YOUR_DOMAIN}"]`,
      })
      .max(MAX_TOPIC_EMAILS, {
        error: `lists more than ${MAX_TOPIC_EMAILS} addresses; subscribe a distribution list address instead`,
      })
      // Each address names its subscription's construct: a repeat would stop the synth with a stack trace.
      .refine((emails) => new Set(emails.map((e) => e.toLowerCase())).size === emails.length, {
        error: 'lists an address twice (letter case aside): list each address once',
      })
      .default([])
  );
}

/** An optional SES identity to send through; `example` is the address the message suggests. */
function sesIdentityName(example: string) {
  return z
    .string({ error: 'must be the verified SES identity to send through: an email address or a domain' })
    .refine(isSesIdentityName, {
      // White space around it is told as every address key tells it (review R-CONFIG2 L10).
      error: (issue) => {
        const trimmed = typeof issue.input === 'string' ? issue.input.trim() : '';
        const idn = idnAdvice(trimmed, isSesIdentityName, IDENTITY_OWN);
        if (idn !== undefined) return idn;
        if (!isSesIdentityName(trimmed))
          return `must be an email address such as "${example}" or a domain of your own`;
        const reserved = reservedDomainProblem(trimmed, IDENTITY_OWN);
        return reserved === undefined
          ? `has white space around it: write "${trimmed}"`
          : `has white space around it, and "${trimmed}" ${reserved}`;
      },
    })
    .superRefine(notReserved(IDENTITY_OWN))
    .nullish()
    .transform((value) => value ?? undefined);
}

/**
 * An IAM principal ARN, or a pattern of them (`*`, `?`), as the `aws:PrincipalArn` condition key
 * holds it: the account root, a user or a role (a role session's is its role's ARN, path
 * included), or an AWS STS federated user session (`sts::…:federated-user/…`), which IAM lists
 * among the principals the key holds.
 */
const PRINCIPAL_ARN =
  /^arn:aws[a-z-]*:(iam::\d{12}:(root|(user|role)\/[\x21-\x7e]+)|sts::\d{12}:federated-user\/[\x21-\x7e]+)$/;

/**
 * What a list of principals is for, in its messages: each list names its own purpose and the kind
 * of role it takes, not the delete list's break-glass role for every list.
 */
interface PrincipalListPurpose {
  /** What the principals named may do, after "let nearly anyone". */
  does: string;
  /** The role such a list names, after "name". */
  role: string;
  /** That role's example name. */
  example: string;
}

const DELETE_PURPOSE: PrincipalListPurpose = {
  does: 'delete from the lake',
  role: 'the break-glass role',
  example: 'LakeBreakGlass',
};
const WRITE_PURPOSE: PrincipalListPurpose = {
  does: 'write to the lake by hand',
  role: "the operators' role that runs ingest or enrich from a workstation",
  example: 'LakeOperator',
};
const READ_PURPOSE: PrincipalListPurpose = {
  does: 'read the lake and the Athena results',
  role: 'the role the analysts query Athena with',
  example: 'LakeAnalyst',
};
const SUBSCRIBE_PURPOSE: PrincipalListPurpose = {
  does: 'subscribe to the security alerts',
  role: 'the role that subscribes your pager or chat endpoint',
  example: 'SecurityOps',
};

/** Why `value` can never match the `aws:PrincipalArn` of a caller, or undefined. */
function principalArnProblem(value: string, purpose: PrincipalListPurpose): string | undefined {
  const example = `"arn:aws:iam::123456789012:role/${purpose.example}"`;
  // `role/*`, `user/*`, `federated-user/*`: every caller of that kind would be let in.
  if (/:(role|user|federated-user)\/[*?/]*$/.test(value))
    return `"${value}" matches every ${value.includes('federated-user') ? 'federated user' : value.includes(':role/') ? 'role' : 'user'} of the account, which would let nearly anyone ${purpose.does}: name ${purpose.role}, e.g. ${example}`;
  if (PRINCIPAL_ARN.test(value)) return undefined;
  if (/^arn:aws[a-z-]*:sts::\d{12}:assumed-role\/([^/]+)/.test(value)) {
    const role = value.split('/')[1];
    return `"${value}" is a role session, which aws:PrincipalArn never holds: name its role, e.g. "arn:aws:iam::${value.split(':')[4]}:role/${role}" (a role under a path needs the path, or "role/*/${role}")`;
  }
  return `"${value}" is not an IAM principal ARN: name ${purpose.role}, e.g. ${example} (or a user, the account root, or an "arn:aws:sts::<account>:federated-user/<name>"; "*" and "?" match within it)`;
}

/** ARN patterns of `aws:PrincipalArn` a policy exempts from one of its Denies, checked for `purpose`. */
const principalPatterns = (purpose: PrincipalListPurpose) =>
  z
    .array(
      z.string({ error: 'must be a list of IAM role ARNs' }).superRefine((value, ctx) => {
        const problem = principalArnProblem(value, purpose);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
      {
        error: `must be a list of IAM role ARNs, e.g. ["arn:aws:iam::123456789012:role/${purpose.example}"]`,
      },
    )
    .default([]);

/**
 * Security alerts (docs/alerts.md). Detection thresholds; times and "hour of day" use
 * report.timeZone, and the suspicious-login definitions are the weekly report's.
 */
const alertsSchema = z
  .strictObject({
    enabled: z.boolean({ error: 'must be true or false' }).default(false),
    burstFailures: wholeNumber(2, 1000, 5).default(5),
    burstMinutes: wholeNumber(1, 30, 10).default(10),
    sprayUsers: wholeNumber(2, 1000, 10).default(10),
    failuresBeforeLogin: wholeNumber(2, 1000, 4).default(4),
    mailOlderThanHours: wholeNumber(1, 8784, 24).default(24),
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

/**
 * `alarms.email`: one address. Given as a list (as `alerts.email`, right beside it, is), the
 * refusal says so and how several are reached, rather than reading as a malformed address.
 */
const alarmEmail = () =>
  z
    .email({
      error: (issue) => {
        if (!Array.isArray(issue.input)) {
          const several: SeveralAdvice = (first) =>
            `takes one address, not several: write "${first}". ${SEVERAL_ALARM_ADDRESSES}`;
          return (
            addressMistake(issue.input, several) ?? `must be an email address such as "audit@${YOUR_DOMAIN}"`
          );
        }
        return `takes one address, not a list: ${whatToWriteOf(issue.input)}`;
      },
    })
    .superRefine(notReserved(OWN_ADDRESS));

const SEVERAL_ALARM_ADDRESSES =
  'For several, give a distribution list\'s address, or subscribe more to the alarm topic after the deploy (aws sns subscribe --topic-arn <AlarmTopicArn> --protocol email --notification-endpoint <address>, confirmed as README "7. Alarms" says)';

/**
 * What to write instead of a list in `alarms.email`: its first address (one written as
 * `Name <address>` given bare, which is all the topic takes). An example is never offered as if
 * it were the user's own address, and an empty list (perhaps meant as "nobody") is pointed at the
 * opt-out.
 */
function whatToWriteOf(list: readonly unknown[]): string {
  const isEmail = (item: unknown): item is string => z.email().safeParse(item).success;
  // An address at a reserved domain offered here would be refused in turn (review R-CONFIG2 L2).
  const isOwn = (item: unknown): item is string =>
    isEmail(item) && reservedDomainProblem(item, OWN_ADDRESS) === undefined;
  const bare = list.find(isOwn);
  if (bare !== undefined) return `write "${bare}". ${SEVERAL_ALARM_ADDRESSES}`;
  const named = list.map(addressInsideName).find(isOwn);
  if (named !== undefined)
    return `write the address alone, "${named}", without the name. ${SEVERAL_ALARM_ADDRESSES}`;
  if (list.length === 0) {
    return `this one is empty. Write one address, such as "ops@${YOUR_DOMAIN}"; or, if the alarm topic is subscribed some other way (a pager, ChatOps), leave email out and set alarms.allowNoSubscriber to true`;
  }
  const reserved = [...list, ...list.map(addressInsideName)].find(isEmail);
  const problem = reserved === undefined ? undefined : reservedDomainProblem(reserved, OWN_ADDRESS);
  if (problem !== undefined) return `"${reserved}" ${problem}. ${SEVERAL_ALARM_ADDRESSES}`;
  return `write one address, such as "ops@${YOUR_DOMAIN}". ${SEVERAL_ALARM_ADDRESSES}`;
}

/** The address of a `Name <address>` entry; undefined for anything else. */
function addressInsideName(item: unknown): string | undefined {
  return typeof item === 'string' ? /<([^<>\s]+)>\s*$/.exec(item)?.[1] : undefined;
}

const alarmsSchema = z
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

const athenaSchema = z.strictObject({
  databaseName: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,254}$/, {
      error: 'must be lower-case letters, digits and "_", starting with a letter, e.g. "domo_activity_lake"',
    })
    .default(DEFAULT_DATABASE_NAME),
  workGroupName: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,128}$/, {
      error: 'must be 1-128 letters, digits, ".", "_" or "-", e.g. "domo-activity-lake"',
    })
    .default(DEFAULT_WORKGROUP_NAME),
  // A stack of its own name deployed with the default names, before synth refused that (account-wide-names.ts).
  keepDefaultNames: z.boolean().default(false),
  bytesScannedCutoffMb: wholeNumber(10, 10_000_000, 10240).default(10240),
  /** GiB the workgroup may scan in a UTC day before the AthenaDailyScan alarm; null: no alarm. */
  dailyScanAlarmGb: wholeNumber(1, 1_000_000, 100).nullable().default(100),
});

/**
 * S3's 30-day minimum for STANDARD_IA: an object may transition there only once it is 30 days old,
 * and must stay there 30 days before a rule moves it on (to GLACIER_IR here).
 */
const MIN_STANDARD_IA_DAYS = 30;

/**
 * Days the access log outlives the versions it is about, by default: S3 runs lifecycle rules
 * asynchronously, and whoever finds a version gone (a `verify` run, an audit) needs the record of
 * its deletion some time after the version itself has expired.
 */
const ACCESS_LOG_MARGIN_DAYS = 30;

/** Days a replaced or deleted version of the lake is kept before the lifecycle expires it. */
const evidenceDaysOf = (retention: {
  lockDays: number;
  noncurrentVersionDays?: number | undefined;
}): number => retention.noncurrentVersionDays ?? retention.lockDays;

/**
 * The access log must outlive the versions it is about: it is the record of who deleted or
 * replaced one, and with the same days (both were 365) it expired about when the lifecycle purged
 * the versions a delete marker had hidden, leaving neither the evidence nor who removed it.
 */
function checkAccessLogOutlivesEvidence(
  retention: {
    lockDays: number;
    noncurrentVersionDays?: number | undefined;
    accessLogDays?: number | undefined;
  },
  ctx: z.RefinementCtx,
): void {
  const evidenceDays = evidenceDaysOf(retention);
  if (retention.accessLogDays === undefined || retention.accessLogDays > evidenceDays) return;
  ctx.addIssue({
    code: 'custom',
    path: ['accessLogDays'],
    message: `must be more than the days replaced and deleted versions are kept (retention.noncurrentVersionDays, or lockDays when it is left out: ${evidenceDays}): the access log is the record of who deleted or replaced a version, and would expire with that evidence or before it. Set it to ${evidenceDays + ACCESS_LOG_MARGIN_DAYS} or more, or leave it out`,
  });
}

/**
 * The lake keeps what it holds at least lockDays: Object Lock refuses deleting a version sooner,
 * so a shorter expiry would only hide objects behind delete markers while every version stayed.
 */
function checkMaxDaysOutlivesLock(
  retention: { lockDays: number; maxDays?: number | null | undefined },
  ctx: z.RefinementCtx,
): void {
  const { lockDays, maxDays } = retention;
  if (typeof maxDays !== 'number' || maxDays >= lockDays) return;
  ctx.addIssue({
    code: 'custom',
    path: ['maxDays'],
    message: `must be at least retention.lockDays (${lockDays}): Object Lock keeps every version lockDays whatever the lifecycle says, so the lake cannot end sooner than that. Set it to ${lockDays} or more, lower lockDays, or set it to null to keep the lake forever`,
  });
}

const retentionSchema = z
  .strictObject({
    removalPolicy: z
      .enum(['retain', 'destroy'], {
        error: 'must be "retain" (keeps data when the stack is deleted) or "destroy"',
      })
      .default('retain'),
    logDays: z
      .number()
      .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
        error: `must be one of the CloudWatch Logs retention values: ${LOG_RETENTION_DAYS.join(', ')}`,
      })
      .default(90),
    athenaResultsDays: wholeNumber(1, 365, 7).default(7),
    /**
     * Object Lock (governance mode) default retention of every object version in the lake: the
     * minimum it is kept, not how long.
     */
    lockDays: wholeNumber(1, 36500, 365).default(365),
    /**
     * Days after it was written that the lifecycle hides an object holding personal data
     * (lake-expiry.ts); its version goes for good noncurrentVersionDays later. `null`: kept
     * forever, by choice; left out: kept forever too, and synth warns (personal-data-warning.ts).
     */
    maxDays: wholeNumber(1, 36500, 730).nullable().optional(),
    /**
     * The lake bucket was created without Object Lock (deployed before it was added): the lock is
     * then turned on in place, not by a property CloudFormation can only apply by replacing the bucket.
     */
    lakeBucketPredatesLock: z.boolean({ error: 'must be true or false' }).default(false),
    /** Default: lockDays. A locked version cannot expire sooner anyway. */
    noncurrentVersionDays: wholeNumber(1, 36500, 365)
      .nullish()
      .transform((value) => value ?? undefined),
    /** Default: the noncurrent versions' days plus ACCESS_LOG_MARGIN_DAYS. */
    accessLogDays: wholeNumber(1, 36600, 395)
      .nullish()
      .transform((value) => value ?? undefined),
    /**
     * The principals (ARN patterns of `aws:PrincipalArn`) the lake bucket's policy lets delete an
     * object or a version; every other one is denied, whatever its own policies allow. Empty: none.
     * They may write by hand too (a repair restores a version by copying it).
     */
    deleteAllowedPrincipals: principalPatterns(DELETE_PURPOSE),
    /**
     * The principals besides the stack's roles that may write lake objects and sign digests by
     * hand (`ingest`/`enrich` from a workstation); every other one is denied both. Empty: none.
     */
    writeAllowedPrincipals: principalPatterns(WRITE_PURPOSE),
    /**
     * The principals besides the stack's roles and the two lists above that may read lake objects
     * and Athena results: Athena reads the lake with its caller's credentials, so every role that
     * queries the lake (in the console, `query --athena`) or runs `status`/`verify --lake s3://…`
     * belongs here; every other one is denied, whatever its own policies allow. Empty: none.
     */
    readAllowedPrincipals: principalPatterns(READ_PURPOSE),
    // S3 moves an object to STANDARD_IA only once it is 30 days old (a lifecycle rule saying less is refused).
    infrequentAccessAfterDays: wholeNumber(MIN_STANDARD_IA_DAYS, 3650, 90).nullable().default(90),
    glacierInstantRetrievalAfterDays: wholeNumber(30, 3650, 365).nullable().default(365),
  })
  .superRefine((retention, ctx) => {
    const { lockDays, noncurrentVersionDays } = retention;
    checkAccessLogOutlivesEvidence(retention, ctx);
    checkMaxDaysOutlivesLock(retention, ctx);
    if (noncurrentVersionDays !== undefined && noncurrentVersionDays < lockDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['noncurrentVersionDays'],
        message: `must be at least retention.lockDays (${lockDays}): replaced versions are the evidence of what an hour held before, and are kept at least as long as Object Lock retains them. Set it to ${lockDays} or more, or leave it out`,
      });
    }
    const ia = retention.infrequentAccessAfterDays;
    const gir = retention.glacierInstantRetrievalAfterDays;
    // S3 refuses a lifecycle rule that moves objects on from STANDARD_IA before they have spent
    // MIN_STANDARD_IA_DAYS there: the deploy would fail, not the synth.
    if (ia !== null && gir !== null && gir < ia + MIN_STANDARD_IA_DAYS) {
      ctx.addIssue({
        code: 'custom',
        path: ['glacierInstantRetrievalAfterDays'],
        message: `must be at least ${MIN_STANDARD_IA_DAYS} days after infrequentAccessAfterDays (${ia}), so ${ia + MIN_STANDARD_IA_DAYS} or more: S3 refuses a lifecycle rule that moves objects out of STANDARD_IA before they have been there ${MIN_STANDARD_IA_DAYS} days, and the deploy would fail. Raise it, lower infrequentAccessAfterDays, or set either to null to skip that transition`,
      });
    }
  })
  .transform((retention) => ({
    ...retention,
    accessLogDays: retention.accessLogDays ?? evidenceDaysOf(retention) + ACCESS_LOG_MARGIN_DAYS,
  }));

/** A month's English name, for messages. */
const monthName = (year: number, month: number): string =>
  new Date(Date.UTC(year, month - 1, 1)).toLocaleString('en', { month: 'long', timeZone: 'UTC' });

/**
 * Why `value` is not a day the lake can start on, or undefined: a day that exists (the Glue
 * projection range would have been "2025-02-29,NOW"), in the years the command line's times are
 * read in (parseUtcInstant), the only ones the lake's times are.
 */
function lakeStartDateProblem(value: string): string | undefined {
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

/**
 * The longest `stackName` taken: the schedule group named after the stack takes 64 characters.
 * Each character is in every alarm's name and metric dimensions: ~1 KB of template per character
 * at the largest stack (test/infra/largest-stack-limits.test.ts builds it with a name this long).
 */
export const STACK_NAME_MAX = 64;

/**
 * The configuration's sections; `today` is the day schedules are read from, and its year the year
 * their year fields are read from (see `thisYear`).
 */
const configFields = (today: Date) =>
  z.strictObject({
    // The stack's schedule group takes this name too (1-64 of [0-9a-zA-Z-_.]): loosen this rule
    // and a name the group refuses fails only at deploy (test/infra/scheduled-invocations-lost).
    stackName: z
      .string()
      .regex(new RegExp(`^[A-Za-z][A-Za-z0-9-]{0,${STACK_NAME_MAX - 1}}$`), {
        error: `must start with a letter and use only letters, digits and "-" (max ${STACK_NAME_MAX}), e.g. "DomoActivityLake"`,
      })
      .default(DEFAULT_STACK_NAME),
    /**
     * CloudFormation refuses to delete the stack while this is on: a destroy orphans the lake, and
     * a deploy after it starts a new one (docs/operations.md, "Deleting the stack").
     */
    terminationProtection: z.boolean({ error: 'must be true or false' }).default(true),
    /**
     * Regions where Amazon SES is offered that infra/ses-regions.ts does not list yet (SES came
     * there after this release): synth then takes the report and mailed alerts there.
     */
    sesRegionsAdded: z
      .array(
        z.string().regex(/^[a-z]{2,4}(-[a-z]+)+-\d+$/, {
          error: 'must be an AWS region name such as "eu-south-2"',
        }),
        { error: 'must be a list of AWS region names such as ["eu-south-2"]' },
      )
      .default([]),
    instances: z
      .array(instanceSchema, { error: 'must be a list of instances such as [{ "name": "acme" }]' })
      .min(1, { error: 'needs at least one instance, e.g. [{ "name": "acme" }]' })
      .max(MAX_INSTANCES, {
        error: `supports at most ${MAX_INSTANCES} instances per stack; deploy a second stack for more`,
      })
      .superRefine((instances, ctx) => {
        // Stack output ids keep only letters and digits, so "a-b" and "a_b" would collide there.
        const seen = new Map<string, string>();
        instances.forEach((instance, index) => {
          const key = instance.name.replace(/[-_]/g, '');
          const earlier = seen.get(key);
          if (earlier !== undefined) {
            ctx.addIssue({
              code: 'custom',
              path: [index, 'name'],
              message:
                earlier === instance.name
                  ? `"${instance.name}" appears twice: every instance needs a unique name`
                  : `"${instance.name}" differs from "${earlier}" only by "-" or "_": the stack's output names would clash; rename one`,
            });
          }
          seen.set(key, instance.name);
        });
      }),
    lakeStartDate: z
      .string({ error: 'must be a date "YYYY-MM-DD"' })
      .superRefine((value, ctx) => {
        const problem = lakeStartDateProblem(value);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .default('2025-01-01'),
    ingest: ingestSchema(today).prefault({}),
    report: reportSchema(today).prefault({}),
    alerts: alertsSchema.prefault({}),
    alarms: alarmsSchema.prefault({}),
    athena: athenaSchema.prefault({}),
    retention: retentionSchema.prefault({}),
  });

const configSchema = (today: Date, fromYear = thisYear(today)) =>
  configFields(today).superRefine((config, ctx) => {
    checkNoSuccessfulRunPeriod(config, today, ctx);
    checkLagThreshold(config, ctx);
    checkReportAfterIngest(config, fromYear, ctx);
    checkReportRecipients(config, ctx);
    checkExpectedInstances(config, ctx);
    checkBackfillWithinMaxDays(config, ctx);
  });

/**
 * The first run reaches back no further than the lake keeps: hours older than retention.maxDays
 * pulled now would be written now and kept maxDays more, past the end the setting promises.
 */
function checkBackfillWithinMaxDays({ ingest, retention }: ConfigFields, ctx: z.RefinementCtx): void {
  const { maxDays } = retention;
  if (typeof maxDays !== 'number' || ingest.backfillDays <= maxDays) return;
  ctx.addIssue({
    code: 'custom',
    path: ['ingest', 'backfillDays'],
    message: `must be at most retention.maxDays (${maxDays}): the first run would store hours older than the lake keeps. Set it to ${maxDays} or less, or raise retention.maxDays`,
  });
}

/**
 * Every instance's report goes to someone: report.recipients, which may stay empty only when each
 * instance lists its own (instances[].report.recipients).
 */
function checkReportRecipients({ report, instances }: ConfigFields, ctx: z.RefinementCtx): void {
  if (!report.enabled || report.recipients.length > 0) return;
  const without = instances.filter((instance) => instance.report?.recipients === undefined);
  if (without.length === 0) return;
  const some = without.length < instances.length;
  ctx.addIssue({
    code: 'custom',
    path: ['report', 'recipients'],
    message: `needs at least one address when report.enabled is true, e.g. ["security@${YOUR_DOMAIN}"]${some ? `: the report of ${without.map((i) => `"${i.name}"`).join(', ')} has no instances[].report.recipients of its own` : ''}`,
  });
}

/** alerts.expected names instances of this stack, and a user's instance where there are several. */
function checkExpectedInstances({ alerts, instances }: ConfigFields, ctx: z.RefinementCtx): void {
  const problem = expectedInstancesProblem(
    alerts.expected,
    instances.map((instance) => instance.name),
  );
  if (problem !== undefined) ctx.addIssue({ code: 'custom', path: ['alerts', 'expected'], message: problem });
}

/** The schema of each day (UTC, "YYYY-MM-DD") a config was read on: one per synth, a few across the tests. */
const schemaOfDay = new Map<string, ReturnType<typeof configSchema>>();

type ConfigFields = z.output<ReturnType<typeof configFields>>;

/** The ingest schedule must leave a successful run in every period of the no-successful-run alarm. */
function checkNoSuccessfulRunPeriod(
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
function checkLagThreshold({ ingest, alarms }: ConfigFields, ctx: z.RefinementCtx): void {
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

/**
 * The longest time, in minutes, between the ends of two consecutive scheduled ingest runs: the
 * schedule's longest gap between firings plus the function timeout (a run ends up to the timeout
 * after it starts). Every run that plans reports LagSeconds as it ends, so a window this long holds
 * at least one report while the schedule runs. Only for a schedule that has passed validation,
 * whose gap plus timeout is then at most alarms.noSuccessfulRunHours (24 hours at most), read
 * from the year the validation read it from (`fromYear`, the year of its "now").
 */
export function longestRunEndGapMinutes(
  ingest: { schedule: string; timeoutMinutes: number },
  fromYear: number = thisYear(),
): number {
  const gaps = runGaps(ingest.schedule, fromYear);
  if (gaps === undefined) {
    throw new Error(
      `ingest.schedule ${JSON.stringify(ingest.schedule)} is not a rate or cron expression; validate the config with parseActivityLakeConfig first`,
    );
  }
  return gaps.maxMinutes + ingest.timeoutMinutes;
}

/**
 * How long after a week ends (Monday 00:00 in `zone`) the UTC hour holding its last minute ends:
 * 0 in a zone of whole-hour offsets, 30 in India (the week ends at 18:30 UTC), 45 in Nepal. The
 * ingest pulls whole UTC hours. Every Monday of a year is looked at, for zones whose daylight
 * saving shifts by half an hour.
 */
function weekEndHourRestMinutes(zone: string): number {
  let rest = 0;
  for (let week = 0; week < 53; week++) {
    const weekEndMs = zonedWallTimeToUtc(Date.UTC(2026, 0, 5 + week * 7), zone);
    rest = Math.max(rest, (60 - new Date(weekEndMs).getUTCMinutes()) % 60);
  }
  return rest;
}

const ISO_DAY_NAMES = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;

/**
 * The weekly report claims the last full week on its first run after the week ends, and never
 * sends that week again (docs/report.md, "Sending exactly once"). So that run must come once the
 * ingest has pulled the week's last hour: that hour ends (a zone's half hour later, see
 * `weekEndHourRestMinutes`), settles for settleMinutes, waits up to the ingest schedule's longest
 * gap for a run, and is in the lake once that run ends, up to the ingest timeout (and Scheduler's
 * start slack) later. A rate
 * runs at times set by the deploy, so its first run of a week may come at any moment.
 */
function checkReportAfterIngest(config: ConfigFields, fromYear: number, ctx: z.RefinementCtx): void {
  const { report } = config;
  if (!report.enabled || canonicalTimeZone(report.timeZone) !== report.timeZone) return;
  const wait = ingestWaitMinutes(config, fromYear);
  if (wait === undefined) return;
  checkInstanceZonesAfterIngest(config, wait, ctx);
  checkFiringsBeforeWeekEnd(config, wait, ctx);
  const { settle, maxGap, timeout } = wait;
  const rest = weekEndHourRestMinutes(report.timeZone);
  const needed = rest + wait.minutes;
  const firing = cronWeekStartMinutes(report.schedule);
  if (firing !== undefined && firing >= needed) return;
  const day = ISO_DAY_NAMES[Math.floor(needed / 1440)] ?? 'MON';
  const example = `cron(${needed % 60} ${Math.floor(needed / 60) % 24} ? * ${day} *)`;
  const weekEnd = `a week ends (Monday 00:00 in report.timeZone "${report.timeZone}")`;
  const when =
    firing === undefined
      ? `is a rate, which runs at times set by the deploy, so its first run after ${weekEnd} can come at any moment`
      : firing === 0
        ? `fires right as ${weekEnd}`
        : `first fires ${minutesText(firing)} after ${weekEnd}`;
  const hourEnd = rest > 0 ? ` (a UTC hour, ending ${rest} minutes after the week)` : '';
  const fixes =
    needed <= DEFAULT_REPORT_WEEK_START_MINUTES
      ? `e.g. "${example}", or the default "${DEFAULT_REPORT_SCHEDULE}"`
      : `e.g. "${example}"`;
  ctx.addIssue({
    code: 'custom',
    path: ['report', 'schedule'],
    params: inEffect(report.schedule),
    message: `${when}, before the ingest has pulled the week's last hour: that hour${hourEnd} settles for ingest.settleMinutes (${settle}), the next ingest run may start up to ${minutesText(maxGap)} later (ingest.schedule's longest gap) and take up to ingest.timeoutMinutes (${timeout}), and Scheduler may start it ${SCHEDULER_START_SLACK_MINUTES} minutes late: ${minutesText(needed)} in all. The report claims the week on that first run and never sends it again, so the week would be mailed as partial for good. Fire at least ${minutesText(needed)} after Monday 00:00, ${fixes}`,
  });
}

/**
 * How long after a week's last UTC hour ends the ingest may take to have it in the lake: it
 * settles, waits for the ingest schedule's next run, which runs up to its timeout and may start
 * late. Undefined while a value it reads is invalid (that value has its own message).
 */
function ingestWaitMinutes(
  { report, ingest }: ConfigFields,
  fromYear: number,
): { minutes: number; settle: number; maxGap: number; timeout: number } | undefined {
  const gaps = runGaps(ingest.schedule, fromYear);
  const { settleMinutes: settle, timeoutMinutes: timeout } = ingest;
  const valid =
    gaps !== undefined &&
    acceptsSetting('settleMinutes', settle) &&
    ingestFields.shape.timeoutMinutes.safeParse(timeout).success &&
    scheduleExpressionProblem(report.schedule) === undefined;
  if (!valid) return undefined;
  const minutes = settle + gaps.maxMinutes + timeout + SCHEDULER_START_SLACK_MINUTES;
  return { minutes, settle, maxGap: gaps.maxMinutes, timeout };
}

const WEEK_MS = 7 * 86_400_000;

/** A week's end in an instance's zone, and the first firing of the report at or after it (UTC ms). */
interface WeekClaim {
  /** The Monday the week ends on, `YYYY-MM-DD`. */
  monday: string;
  weekEnd: number;
  claim: number;
  /** The last firing before the week ends (UTC ms). */
  before: number;
}

/**
 * Over a year's Mondays (and the next year's first), when each week of `zone` ends and which
 * firing of the schedule is the first after it: the schedule fires at `firings` (minutes into a
 * week of `scheduleZone`), whose weeks are a few hours off those of `zone`, so that firing may be
 * in the schedule's week before or after.
 */
function weekClaims(firings: readonly number[], scheduleZone: string, zone: string): WeekClaim[] {
  return Array.from({ length: 54 }, (_, week) => {
    const monday = Date.UTC(2026, 0, 5 + week * 7);
    const weekEnd = zonedWallTimeToUtc(monday, zone);
    const fires = [monday - WEEK_MS, monday, monday + WEEK_MS].flatMap((start) =>
      firings.map((minute) => zonedWallTimeToUtc(start + minute * 60_000, scheduleZone)),
    );
    const claim = Math.min(...fires.filter((at) => at >= weekEnd));
    const before = Math.max(...fires.filter((at) => at < weekEnd));
    return { monday: new Date(monday).toISOString().slice(0, 10), weekEnd, claim, before };
  });
}

/**
 * The first week of `claims` no run reports: two weeks of the zone ending before the same firing
 * (around a change of daylight saving time in one of the zones), whose run reports the later
 * only. Its end as the Monday's date, or undefined.
 */
function weekNeverReported(claims: readonly WeekClaim[]): string | undefined {
  return claims.find((week, i) => week.claim === claims[i + 1]?.claim)?.monday;
}

/** The fewest minutes by which a firing of `claims` comes before its week ends. */
const shortestLeadMinutes = (claims: readonly WeekClaim[]): number =>
  Math.min(...claims.map((week) => Math.round((week.weekEnd - week.before) / 60_000)));

/**
 * A firing at most SCHEDULER_START_SLACK_MINUTES before a week ends may start after it: the run
 * then reports the week that has just ended (the last full week by the clock it reads) before the
 * ingest has pulled its last hour, claims it and mails it as partial for good, and the week before
 * is never reported. Checked in report.timeZone and in each zone of its own an instance reports in.
 */
function checkFiringsBeforeWeekEnd(
  { report, instances }: ConfigFields,
  wait: { minutes: number },
  ctx: z.RefinementCtx,
): void {
  const firings = cronWeekFiringMinutes(report.schedule);
  if (firings === undefined || firings.length === 0) return;
  const zones: Array<{ zone: string; path: (string | number)[]; name: string }> = [
    { zone: report.timeZone, path: ['report', 'schedule'], name: `report.timeZone "${report.timeZone}"` },
  ];
  instances.forEach((instance, index) => {
    const zone = instance.report?.timeZone;
    if (zone === undefined || zone === report.timeZone || canonicalTimeZone(zone) !== zone) return;
    zones.push({ zone, path: ['instances', index, 'report', 'timeZone'], name: 'this zone' });
  });
  for (const { zone, path, name } of zones) {
    const lead = shortestLeadMinutes(weekClaims(firings, report.timeZone, zone));
    if (lead > SCHEDULER_START_SLACK_MINUTES) continue;
    const after = weekEndHourRestMinutes(zone) + wait.minutes;
    ctx.addIssue({
      code: 'custom',
      path,
      ...(path[0] === 'report' ? { params: inEffect(report.schedule) } : {}),
      message: `report.schedule "${report.schedule}" fires as little as ${minutesText(lead)} before a week ends (Monday 00:00 in ${name}), and EventBridge Scheduler may start a run up to ${SCHEDULER_START_SLACK_MINUTES} minutes late: that run would come after the week has ended and report it before the ingest has pulled its last hour (${minutesText(after)} after the week ends). The report claims the week on that run and never sends it again, so the week would be mailed as partial for good. Fire report.schedule at least ${minutesText(SCHEDULER_START_SLACK_MINUTES + 1 - lead)} earlier, or at least ${minutesText(after + lead)} later`,
    });
  }
}

/**
 * An instance whose report shows a zone of its own (instances[].report.timeZone) has its weeks
 * end at another moment than report.timeZone's, while the schedule fires in report.timeZone: in a
 * zone west of it the week may end only shortly before a firing, before the ingest has its last
 * hour, and the report would claim, and mail, that week partial for good; and where one zone
 * changes its clocks and the other does not, two of its weeks can end before one firing, which
 * reports the later only. A rate is refused for report.timeZone already.
 */
function checkInstanceZonesAfterIngest(
  { report, instances }: ConfigFields,
  wait: { minutes: number },
  ctx: z.RefinementCtx,
): void {
  const firings = cronWeekFiringMinutes(report.schedule);
  if (firings === undefined || firings.length === 0) return;
  const fires = `report.schedule "${report.schedule}" fires (in report.timeZone "${report.timeZone}")`;
  instances.forEach((instance, index) => {
    const zone = instance.report?.timeZone;
    if (zone === undefined || zone === report.timeZone || canonicalTimeZone(zone) !== zone) return;
    const path = ['instances', index, 'report', 'timeZone'];
    const claims = weekClaims(firings, report.timeZone, zone);
    const needed = weekEndHourRestMinutes(zone) + wait.minutes;
    const after = Math.min(...claims.map((week) => Math.round((week.claim - week.weekEnd) / 60_000)));
    if (after < needed) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: `a week in this zone ends (Monday 00:00) ${after === 0 ? 'right as' : `as little as ${minutesText(after)} before`} ${fires}, before the ingest has pulled the week's last hour (${minutesText(needed)} after the week ends, as report.schedule's own check counts it). The report claims the week on that run and never sends it again, so this instance's week would be mailed as partial for good. Fire report.schedule at least ${minutesText(needed - after)} later`,
      });
      return;
    }
    const lost = weekNeverReported(claims);
    if (lost === undefined) return;
    ctx.addIssue({
      code: 'custom',
      path,
      message: `two weeks in this zone end before the same run of ${fires}, around a change of daylight saving time the two zones do not share: the week ending Monday ${lost} 00:00 is never reported, as that run reports the later week. Fire report.schedule at a time further from Monday 00:00 in this zone (at least an hour more before or after it)`,
    });
  });
}

/** The validated deploy configuration. */
export type ActivityLakeConfig = z.output<ReturnType<typeof configSchema>>;
export type InstanceConfig = ActivityLakeConfig['instances'][number];

/** The URL `value` names, or undefined when it is none (the URL check has its own message). */
const urlOf = (value: string): URL | undefined => {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
};

/** Whether a URL names a user or password before its host. */
const hasUserInfo = (value: string): boolean => {
  const url = urlOf(value);
  return url !== undefined && (url.username !== '' || url.password !== '');
};

/** Whether a URL has a query or fragment, which the function's client refuses in its API base. */
/**
 * The origin (scheme and host, never the user info or path) of a URL with a path beyond "/", or
 * undefined: the API base is Domo's origin alone.
 */
const originWithPath = (value: string): string | undefined => {
  const url = urlOf(value);
  // Only an https URL with a host: anything else has its own refusal, and may be a secret.
  if (url?.protocol !== 'https:' || url.host === '' || hasUserInfo(value)) return undefined;
  return url.pathname.replace(/\/+$/, '') !== '' ? url.origin : undefined;
};

const apiBasePathError = (origin: string): string =>
  `must be the API's address without a path (such as "/v1"): the function adds the paths of Domo's API to it, so a path makes every run fail. Write "${origin}"`;

const hasQueryOrFragment = (value: string): boolean => {
  const url = urlOf(value);
  return url !== undefined && (url.search !== '' || url.hash !== '');
};

/**
 * Keys whose value may be a credential pasted in the wrong place (the secret's JSON instead of its
 * name): an error about them never repeats the value, as synth output lands in CI logs.
 */
const UNSHOWN_KEYS = new Set<PropertyKey>(['secret']);

/**
 * A bad value as the error quotes it: short, with any URL's user and password masked, and a
 * URL's query and fragment too, where a token pasted with it would be.
 */
const describeValue = (value: unknown, path: readonly PropertyKey[]): string => {
  if (value === undefined) return 'nothing';
  if (UNSHOWN_KEYS.has(path.at(-1) ?? '')) return 'a value not shown here, as it may be a credential';
  const text = JSON.stringify(withUrlsMasked(value, path.at(-1))).replace(/\/\/[^/@\s"]*@/g, '//***@');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

/**
 * What a cross-field check judged, for the error to quote when the key was left out: the default
 * it found there, which "(got nothing)" would hide.
 */
const inEffect = (value: unknown): { inEffect: unknown } => ({ inEffect: value });

/** The bad value as given, or, left out, the default a cross-field check judged. */
const describeGiven = (issue: z.core.$ZodIssue, given: unknown): string => {
  const judged = issue.code === 'custom' ? issue.params?.inEffect : undefined;
  if (given === undefined && judged !== undefined) {
    return `nothing, so the default ${describeValue(judged, issue.path)}`;
  }
  return describeValue(given, issue.path);
};

/**
 * Whether a string may be a URL with userinfo: any string holding `//`, or an `@` and a `:`,
 * whatever comes before them. The URL parser reads `https:\\u:pw@host`, `https:u:pw@host` and
 * `https:/u:pw@host` as `https://u:pw@host` and skips leading whitespace, and `id:secret@host` has
 * no `//` and a scheme that is the client id. A string with an `@` but neither is left alone: it
 * is an e-mail address, whose mistake (`ops@example.com `, `a@x.com, b@x.com`) a mask would hide.
 */
const mayBeUrl = (text: string): boolean => /\/\//.test(text) || (text.includes('@') && text.includes(':'));

/** The key whose value is the Domo API base: whatever is there is shown only as the API base may be. */
const API_BASE_KEY = 'apiBase';

/**
 * `value` with every URL in it, however deep (a list or object given where a string was due),
 * masked, and the API base masked whatever it holds (`<id>:<secret>` or the bare secret pasted
 * there look like no URL; an http:// one, always refused, by its scheme alone: its host may be the
 * secret, `http://<secret>`). Strings are shown as given, untrimmed: a stray space is the mistake.
 */
const withUrlsMasked = (value: unknown, key?: PropertyKey): unknown => {
  if (typeof value === 'string') {
    // A host name is no credential, and the reader needs to see it (review R-FIRST L3).
    if (key === API_BASE_KEY && plainApiHost(value) !== undefined) return value;
    if (key === API_BASE_KEY && /^\s*http:\/\//i.test(value)) return 'http://***';
    return key === API_BASE_KEY || mayBeUrl(value) ? shownApiBase(value) : value;
  }
  if (Array.isArray(value)) return value.map((item) => withUrlsMasked(item, key));
  if (value !== null && typeof value === 'object') {
    // Everything under the API base is the API base's, however deep.
    return Object.fromEntries(
      Object.entries(value).map(([name, item]) => [
        name,
        withUrlsMasked(item, key === API_BASE_KEY ? key : name),
      ]),
    );
  }
  return value;
};

const valueAt = (root: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>(
    (node, key) =>
      node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined,
    root,
  );

const keyName = (path: readonly PropertyKey[]): string =>
  [CONTEXT_KEY, ...path.map((part) => (typeof part === 'number' ? `[${part}]` : String(part)))]
    .join('.')
    .replaceAll('.[', '[');

/** What each section holds, for a section given as something other than an object. */
const SECTION_EXAMPLES: Record<string, string> = {
  ingest: '{ "concurrency": 4 }',
  report: `{ "enabled": true, "sender": "reports@${YOUR_DOMAIN}", "recipients": ["ops@${YOUR_DOMAIN}"] }`,
  alerts: '{ "enabled": true }',
  alarms: `{ "email": "ops@${YOUR_DOMAIN}" }`,
  athena: '{ "databaseName": "domo_activity_lake" }',
  retention: '{ "logDays": 90 }',
};

/**
 * Advice for a value of the wrong type where zod's own words ("Invalid input: expected object,
 * received string") say nothing of the fix: an instance or a section given as a plain value, and
 * `null`, which the shipped cdk.json writes for "not set" and which a key with a default does not
 * take. Undefined where the key's schema words its own error.
 */
function typeAdvice(issue: z.core.$ZodIssue, given: unknown): string | undefined {
  if (issue.code !== 'invalid_type' || !issue.message.startsWith('Invalid input')) return undefined;
  const [section, index] = issue.path;
  if (issue.expected === 'object' && section === 'instances' && typeof index === 'number') {
    return 'must be an instance object such as { "name": "acme" }, not its name alone';
  }
  if (issue.expected === 'object' && issue.path.length === 1 && typeof section === 'string') {
    const example = SECTION_EXAMPLES[section];
    if (example) return `must be an object of ${section} settings, e.g. ${example}`;
  }
  const wanted = `must be ${issue.expected === 'object' ? 'an' : 'a'} ${issue.expected}`;
  if (given === null) return `${wanted}; leave the key out to use its default`;
  const quotedNumber = issue.expected === 'number' && typeof given === 'string' && given.trim() !== '';
  return quotedNumber && Number.isFinite(Number(given)) ? `${wanted}: write it without quotes` : wanted;
}

/**
 * The rule of a bad `ingest.repullAfterHours` with an example that fits the lookback beside it
 * (a valid one), not the setting's default, which a lookback of a day or more refuses.
 */
function repullAdvice(issue: z.core.$ZodIssue, raw: unknown): string | undefined {
  if (issue.path.join('.') !== 'ingest.repullAfterHours') return undefined;
  const lookback = valueAt(raw, ['ingest', 'lookbackHours']);
  if (typeof lookback !== 'number' || !acceptsSetting('lookbackHours', lookback)) return undefined;
  return issue.message === settingRule(INGEST_SETTINGS.repullAfterHours) ? repullRule(lookback) : undefined;
}

/** What cdk.json's edit needs, said in place of a silent ignore (review R-OP2 L5, R-MINE4 M1/L4). */
const EDIT_CDK_JSON = `edit "${CONTEXT_KEY}" in cdk.json: cdk's -c passes text, never an object or a key inside one`;

/**
 * Context keys the app would never read, and a section given as text: `cdk synth -c
 * activityLake.alarms.email=…` sets a key of that very name, `-c ActivityLake.x=…` and `-c
 * activitylake=…` keys of other spellings, and `-c activityLake='{…}'` a string, so the deploy
 * would go on without the value the operator meant to set.
 */
function contextKeyProblems(
  raw: unknown,
  contextKeys: readonly string[],
  keysAt: (path: readonly string[]) => string[],
): string[] {
  const lower = CONTEXT_KEY.toLowerCase();
  const problems = contextKeys
    .filter((key) => key.toLowerCase().startsWith(`${lower}.`))
    .map(
      (key) =>
        `${key}: cdk's -c sets a context key named "${key}", which this app does not read; ${EDIT_CDK_JSON}`,
    );
  problems.push(...sectionKeyProblems(contextKeys, keysAt));
  // A misspelt section alone is named below, as a section to rename.
  if (raw !== undefined && raw !== null) {
    for (const key of contextKeys) {
      if (key !== CONTEXT_KEY && key.toLowerCase() === lower)
        problems.push(
          `${key}: "${CONTEXT_KEY}" spelled differently, which this app does not read; ${EDIT_CDK_JSON}`,
        );
    }
  }
  if (typeof raw === 'string')
    problems.push(`${CONTEXT_KEY}: is text, as cdk's -c gives it; ${EDIT_CDK_JSON}`);
  return problems;
}

/**
 * The path inside the section `key` names (`Report.Enabled` → `report.enabled`), each known key in
 * its own spelling, or undefined when its first part is no key of the section.
 */
function meantSectionPath(key: string, keysAt: (path: readonly string[]) => string[]): string | undefined {
  const path: string[] = [];
  for (const part of key.split('.')) {
    const meant = keysAt(path).find((known) => known.toLowerCase() === part.toLowerCase());
    if (meant === undefined && path.length === 0) return undefined;
    path.push(meant ?? part);
  }
  return path.join('.');
}

/**
 * Context keys that are keys of the section, or paths into it: the app reads only the section's
 * own, so a second stack tried with `-c stackName=Foo` would deploy over the first (review R-FIRST
 * M4), and `-c report.enabled=true` would deploy without the report (R-CONFIG2 M1). A key without a
 * dot may as well be one a misplaced brace left beside the section in cdk.json (R-CONFIG2 L1).
 */
function sectionKeyProblems(
  contextKeys: readonly string[],
  keysAt: (path: readonly string[]) => string[],
): string[] {
  return contextKeys.flatMap((key) => {
    const meant = meantSectionPath(key, keysAt);
    if (meant === undefined) return [];
    const reads = `${CONTEXT_KEY}.${meant}`;
    return key.includes('.')
      ? [
          `${key}: cdk's -c sets a context key named "${key}" beside "${CONTEXT_KEY}", which this app does not read (it reads ${reads} in cdk.json); ${EDIT_CDK_JSON}`,
        ]
      : [
          `${key}: a context key named "${key}" beside "${CONTEXT_KEY}" (from cdk.json's "context" or -c), which this app does not read (it reads ${reads}): move it inside "${CONTEXT_KEY}" in cdk.json, as cdk's -c cannot set a key inside it`,
        ];
  });
}

/**
 * Validates the `activityLake` context value. `now` pins "today" for the checks that depend on it:
 * the projection start must cover the first backfill, and the report schedule's days are read from
 * its year (infra/schedule-gaps.ts, `thisYear`). `contextKeys`, the keys beside it in cdk.json's
 * "context", name a misspelt section when it is missing.
 *
 * @throws ConfigError naming every bad key and how to fix it.
 */
export function parseActivityLakeConfig(
  raw: unknown,
  now: Date = new Date(),
  contextKeys: readonly string[] = [],
): ActivityLakeConfig {
  const day = now.toISOString().slice(0, 10);
  const schema = schemaOfDay.get(day) ?? configSchema(new Date(`${day}T00:00:00Z`));
  schemaOfDay.set(day, schema);
  const contextProblems = contextKeyProblems(raw, contextKeys, (path) => knownKeysAt(schema, path));
  if (contextProblems.length > 0) throw new ConfigError(contextProblems);
  if (raw === undefined || raw === null) {
    // The section under a near-miss name ("activitylake") is there, only misnamed: say so.
    const near = didYouMean(CONTEXT_KEY, contextKeys);
    throw new ConfigError([
      near === undefined
        ? `${CONTEXT_KEY}: missing. Add an "${CONTEXT_KEY}" object under "context" in cdk.json (see README "Deploy").`
        : `${CONTEXT_KEY}: missing; "context" in cdk.json has "${near}" (did you mean "${CONTEXT_KEY}"?): rename it`,
    ]);
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.flatMap((issue) => {
        if (issue.code === 'unrecognized_keys') {
          // A key already given is no guess for another: `timezone` beside `timeZone` is a duplicate.
          const given = valueAt(raw, issue.path);
          const present = (key: string) =>
            typeof given === 'object' && given !== null && Object.hasOwn(given, key);
          const written = (key: string) => JSON.stringify(valueAt(given, [key]));
          const same = (key: string, near: string) => written(key) === written(near);
          const known = knownKeysAt(schema, issue.path);
          const { problems, rest } = instanceKeyProblems(issue.path, issue.keys, (path) =>
            knownKeysAt(schema, path),
          );
          return [...problems, ...unknownKeyProblems(rest, known, present, same)].map(
            (text) => `${keyName(issue.path)}: ${text}`,
          );
        }
        const given = valueAt(raw, issue.path);
        const message = typeAdvice(issue, given) ?? repullAdvice(issue, raw) ?? issue.message;
        return `${keyName(issue.path)}: ${message} (got ${describeGiven(issue, given)})`;
      }),
    );
  }
  const config = result.data;
  const nameProblems = accountWideNameProblems(config);
  if (nameProblems.length > 0) throw new ConfigError(nameProblems.map((text) => `${CONTEXT_KEY}.${text}`));
  const backfillStart = new Date(now.getTime() - config.ingest.backfillDays * 86_400_000)
    .toISOString()
    .slice(0, 10);
  if (config.lakeStartDate > backfillStart) {
    throw new ConfigError([
      `${CONTEXT_KEY}.lakeStartDate: ${config.lakeStartDate} is after the first backfilled day ${backfillStart} (today minus ingest.backfillDays ${config.ingest.backfillDays}), so Athena would not see the oldest data; set it to ${backfillStart} or earlier, and never move it later once data exists`,
    ]);
  }
  return config;
}

/**
 * Keys of an instance, or of its `report` object, that are set for the whole stack: each said
 * where, the `rest` left to the spelling advice.
 */
function instanceKeyProblems(
  path: readonly PropertyKey[],
  keys: readonly string[],
  keysAt: (path: readonly string[]) => string[],
): { problems: string[]; rest: readonly string[] } {
  if (path[0] !== 'instances') return { problems: [], rest: keys };
  if (path.length === 2) return stackWideKeyProblems(keys);
  if (path.length === 3 && path[2] === 'report') return instanceReportKeyProblems(keys, keysAt(['report']));
  return { problems: [], rest: keys };
}

/** The `report` section of the validated configuration. */
type ReportConfig = ActivityLakeConfig['report'];

/** The report section once enabled: validation guarantees a sender and at least one recipient. */
export type EnabledReportConfig = ReportConfig & { enabled: true; sender: string };

/** The report section when the weekly report is to be deployed, or undefined when it is off. */
export function enabledReport(report: ReportConfig): EnabledReportConfig | undefined {
  if (!report.enabled || report.sender === undefined) return undefined;
  return { ...report, enabled: true, sender: report.sender };
}

/** The `alerts` section of the validated configuration. */
export type AlertsConfig = ActivityLakeConfig['alerts'];

import { z } from 'zod';
import { assertInstanceName } from '../functions/core/lake/layout.ts';
import { isTimeZone } from '../functions/core/zoned-time.ts';
import { domainOf, identityCoversSender, isDomainName } from './report/ses-identities.ts';

/** The `cdk.json` context key that holds the deploy configuration. */
export const CONTEXT_KEY = 'activityLake';

/** Where the Domo public API lives unless an instance says otherwise. */
export const DEFAULT_DOMO_API_BASE = 'https://api.domo.com';

/** Log retention values CloudWatch Logs accepts (days). */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Raised for any invalid deploy configuration; the message lists every problem with its key and fix. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `Invalid cdk.json context "${CONTEXT_KEY}" (fix these, then run cdk synth again):\n${problems
        .map((p) => `  - ${p}`)
        .join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

const wholeNumber = (min: number, max: number, example: number) => {
  const error = `must be a whole number from ${min} to ${max}, for example ${example}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};

const timeZone = z
  .string({ error: 'must be an IANA time zone name such as "UTC" or "Europe/London"' })
  .refine(isTimeZone, {
    error: 'is not an IANA time zone name; use one such as "UTC", "Europe/London" or "America/New_York"',
  });

const email = (what: string) =>
  z.email({ error: `must be ${what} email address such as "audit@example.com"` });

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\(\S+( \S+){5}\)$/;

/** EventBridge Scheduler accepts `rate(1 minute)` / `rate(5 minutes)` and six-field `cron(...)`. */
const scheduleExpression = (example: string) =>
  z.string({ error: `must be an EventBridge Scheduler expression such as "${example}"` }).refine(
    (value) => {
      const rate = RATE.exec(value);
      if (rate) {
        const amount = Number(rate[1]);
        const singular = !rate[2]?.endsWith('s');
        return amount >= 1 && singular === (amount === 1);
      }
      return CRON.test(value);
    },
    {
      error: `must be "rate(<n> minutes|hours|days)" (singular unit when n is 1) or a six-field "cron(min hour day-of-month month day-of-week year)", for example "${example}"`,
    },
  );

const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;

const instanceSchema = z.strictObject({
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
  secret: z
    .string({ error: 'must be the name or ARN of an existing Secrets Manager secret, or left out' })
    .refine((value) => SECRET_ARN.test(value) || (SECRET_NAME.test(value) && !value.startsWith('arn:')), {
      error:
        'must be an existing secret\'s name (letters, digits and /_+=.@-) or its full ARN "arn:aws:secretsmanager:<region>:<account>:secret:<name>-<suffix>"; leave it out to have the stack create one',
    })
    .nullish()
    .transform((value) => value ?? undefined),
  apiBase: z
    .url({ protocol: /^https$/, error: 'must be an https URL such as "https://api.domo.com"' })
    .default(DEFAULT_DOMO_API_BASE)
    .transform((value) => value.replace(/\/+$/, '')),
});

const ingestSchema = z.strictObject({
  schedule: scheduleExpression('rate(15 minutes)').default('rate(15 minutes)'),
  settleMinutes: wholeNumber(0, 240, 15).default(15),
  lookbackHours: wholeNumber(0, 48, 2).default(2),
  backfillDays: wholeNumber(1, 366, 90).default(90),
  concurrency: wholeNumber(1, 16, 4).default(4),
  docTimeZone: timeZone.default('UTC'),
  timeoutMinutes: wholeNumber(1, 15, 10).default(10),
  memoryMb: wholeNumber(256, 10240, 1024).default(1024),
  budgetMarginSeconds: wholeNumber(10, 300, 60).default(60),
});

const isSesIdentityName = (value: string): boolean =>
  isDomainName(value) || z.email().safeParse(value).success;

/** SES accepts at most 50 recipients per message, and the report sends one message per instance. */
const MAX_REPORT_RECIPIENTS = 50;

const reportSchema = z
  .strictObject({
    enabled: z.boolean({ error: 'must be true or false' }).default(false),
    schedule: scheduleExpression('cron(0 7 ? * MON *)').default('cron(0 7 ? * MON *)'),
    timeZone: timeZone.default('UTC'),
    sender: email('the verified SES sender')
      .nullish()
      .transform((value) => value ?? undefined),
    recipients: z
      .array(email('a recipient'), { error: 'must be a list of email addresses' })
      .max(MAX_REPORT_RECIPIENTS, {
        error: `lists more than ${MAX_REPORT_RECIPIENTS} addresses (the SES limit per message); use a distribution list address instead`,
      })
      .default([]),
    sesIdentity: z
      .string({ error: 'must be the verified SES identity to send through: an email address or a domain' })
      .refine(isSesIdentityName, {
        error: 'must be an email address such as "reports@example.com" or a domain such as "example.com"',
      })
      .nullish()
      .transform((value) => value ?? undefined),
    createSesIdentity: z.boolean({ error: 'must be true or false' }).default(false),
    timeoutMinutes: wholeNumber(1, 15, 5)
      .nullish()
      .transform((value) => value ?? undefined),
  })
  .superRefine((report, ctx) => {
    if (!report.enabled) return;
    if (!report.sender) {
      ctx.addIssue({
        code: 'custom',
        path: ['sender'],
        message:
          'is required when report.enabled is true: set it to the address the weekly report is sent from (a verified SES identity, or its domain)',
      });
    }
    if (report.recipients.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['recipients'],
        message: 'needs at least one address when report.enabled is true, e.g. ["security@example.com"]',
      });
    }
    const identity = report.sesIdentity;
    if (
      report.sender &&
      identity &&
      isSesIdentityName(identity) &&
      !identityCoversSender(identity, report.sender)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['sesIdentity'],
        message: `cannot send from report.sender "${report.sender}": name that address or its domain ("${domainOf(report.sender)}" or a parent domain), or leave sesIdentity out`,
      });
    }
  });

const alarmsSchema = z.strictObject({
  email: email('an')
    .nullish()
    .transform((value) => value ?? undefined),
  lagHours: wholeNumber(2, 168, 3).default(3),
  noSuccessfulRunHours: wholeNumber(1, 24, 6).default(6),
});

const athenaSchema = z.strictObject({
  databaseName: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,254}$/, {
      error: 'must be lower-case letters, digits and "_", starting with a letter, e.g. "domo_activity_lake"',
    })
    .default('domo_activity_lake'),
  workGroupName: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,128}$/, {
      error: 'must be 1-128 letters, digits, ".", "_" or "-", e.g. "domo-activity-lake"',
    })
    .default('domo-activity-lake'),
  bytesScannedCutoffMb: wholeNumber(10, 10_000_000, 10240).default(10240),
});

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
    noncurrentVersionDays: wholeNumber(1, 3650, 30).default(30),
    accessLogDays: wholeNumber(1, 3650, 365).default(365),
    infrequentAccessAfterDays: wholeNumber(30, 3650, 90).nullable().default(90),
    glacierInstantRetrievalAfterDays: wholeNumber(30, 3650, 365).nullable().default(365),
  })
  .superRefine((retention, ctx) => {
    const ia = retention.infrequentAccessAfterDays;
    const gir = retention.glacierInstantRetrievalAfterDays;
    if (ia !== null && gir !== null && gir <= ia) {
      ctx.addIssue({
        code: 'custom',
        path: ['glacierInstantRetrievalAfterDays'],
        message: `must be greater than infrequentAccessAfterDays (${ia}), or null to skip that transition`,
      });
    }
  });

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const configSchema = z.strictObject({
  stackName: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9-]{0,63}$/, {
      error:
        'must start with a letter and use only letters, digits and "-" (max 64), e.g. "DomoActivityLake"',
    })
    .default('DomoActivityLake'),
  instances: z
    .array(instanceSchema, { error: 'must be a list of instances such as [{ "name": "acme" }]' })
    .min(1, { error: 'needs at least one instance, e.g. [{ "name": "acme" }]' })
    .max(20, { error: 'supports at most 20 instances per stack; deploy a second stack for more' })
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
    .refine((value) => ISO_DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), {
      error: 'must be a date "YYYY-MM-DD", e.g. "2025-01-01"',
    })
    .default('2025-01-01'),
  ingest: ingestSchema.prefault({}),
  report: reportSchema.prefault({}),
  alarms: alarmsSchema.prefault({}),
  athena: athenaSchema.prefault({}),
  retention: retentionSchema.prefault({}),
});

/** The validated deploy configuration. */
export type ActivityLakeConfig = z.output<typeof configSchema>;
export type InstanceConfig = ActivityLakeConfig['instances'][number];

const describeValue = (value: unknown): string => {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
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

/**
 * Validates the `activityLake` context value. `now` pins "today" for the one check that depends
 * on it (the projection start must cover the first backfill).
 *
 * @throws ConfigError naming every bad key and how to fix it.
 */
export function parseActivityLakeConfig(raw: unknown, now: Date = new Date()): ActivityLakeConfig {
  if (raw === undefined || raw === null) {
    throw new ConfigError([
      `${CONTEXT_KEY}: missing. Add an "${CONTEXT_KEY}" object under "context" in cdk.json (see README "Deploy").`,
    ]);
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        if (issue.code === 'unrecognized_keys') {
          return `${keyName(issue.path)}: unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}; remove them or fix the spelling`;
        }
        return `${keyName(issue.path)}: ${issue.message} (got ${describeValue(valueAt(raw, issue.path))})`;
      }),
    );
  }
  const config = result.data;
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

/** The `report` section of the validated configuration. */
export type ReportConfig = ActivityLakeConfig['report'];

/** The report section once enabled: validation guarantees a sender and at least one recipient. */
export type EnabledReportConfig = ReportConfig & { enabled: true; sender: string };

/** The report section when the weekly report is to be deployed, or undefined when it is off. */
export function enabledReport(report: ReportConfig): EnabledReportConfig | undefined {
  if (!report.enabled || report.sender === undefined) return undefined;
  return { ...report, enabled: true, sender: report.sender };
}

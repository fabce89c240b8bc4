import * as z from 'zod';
import { calendarDayProblem } from '../core/calendar-day.ts';
import { type CategoryRule, parseCategoryRules } from '../core/domo/category-rules.ts';
import { errorMessage } from '../core/error-message.ts';
import {
  acceptsSetting,
  INGEST_SETTINGS,
  type IngestSettingName,
  repullProblem,
  settingRule,
} from '../core/ingest/ingest-settings.ts';
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
 * Environment variables the CDK app sets on each ingest function and the handler reads. The CDK
 * app builds them with {@link ingestEnvironment}, so names cannot drift between the two sides.
 */
export const INGEST_ENV = {
  instance: 'LAKE_INSTANCE',
  bucket: 'LAKE_BUCKET',
  prefix: 'LAKE_PREFIX',
  secretId: 'DOMO_SECRET_ID',
  apiBase: 'DOMO_API_BASE',
  settleMinutes: 'INGEST_SETTLE_MINUTES',
  lookbackHours: 'INGEST_LOOKBACK_HOURS',
  repullAfterHours: 'INGEST_REPULL_AFTER_HOURS',
  backfillDays: 'INGEST_BACKFILL_DAYS',
  concurrency: 'INGEST_CONCURRENCY',
  docTimeZone: 'DOMO_DOC_TIME_ZONE',
  budgetMarginMs: 'INGEST_BUDGET_MARGIN_MS',
  digestKeyId: 'DIGEST_SIGNING_KEY_ID',
  lakeStartDate: 'LAKE_START_DATE',
  categoryRules: 'INGEST_CATEGORY_RULES',
  maxDays: MAX_DAYS_ENV,
  domoCustomer: 'DOMO_CUSTOMER',
  stack: STACK_ENV,
} as const satisfies Record<string, string>;

/** What one ingest function needs to know, read from its environment. */
export interface IngestHandlerConfig {
  /** The stack's name: every metric the function publishes carries it (see telemetry.ts). */
  stack: string;
  instance: string;
  bucket: string;
  /** Key prefix of the lake inside the bucket; empty when the lake is the bucket root. */
  prefix: string;
  /** Name or ARN of the Secrets Manager secret holding the Domo client id and secret. */
  secretId: string;
  apiBase: string;
  settleMinutes: number;
  lookbackHours: number;
  repullAfterHours: number;
  backfillDays: number;
  concurrency: number;
  docTimeZone: string;
  budgetMarginMs: number;
  /** ARN of the KMS key (ECC_NIST_P256, SIGN_VERIFY) that signs every digest of the integrity chain. */
  digestKeyId: string;
  /** First UTC day (YYYY-MM-DD) the Athena tables project: hours before it are never queried. */
  lakeStartDate: string;
  /**
   * cdk.json's `ingest.categoryRules` as JSON text: a rules file's content (docs/ingest.md,
   * "Categories"); `[]` (also when the variable is missing) for the built-in rules.
   */
  categoryRules: string;
  /**
   * cdk.json's `retention.maxDays`: days after which the lake expires an hour, so a re-pull of one
   * older would store it again; null (also when the variable is missing or empty): kept forever.
   */
  maxDays: number | null;
  /**
   * cdk.json's `instances[].domoCustomer`: the Domo customer the instance is meant for, whose
   * credentials alone it accepts (review R-MSP H1); undefined (unset or empty): not checked.
   */
  domoCustomer?: string | undefined;
}

type Key = keyof typeof INGEST_ENV;

const text = (key: Key) => requiredText(INGEST_ENV[key]);

const wholeNumber = (key: Key, min: number, max: number) => {
  const error = `${INGEST_ENV[key]} must be a whole number from ${min} to ${max}`;
  return z
    .string({ error: `${INGEST_ENV[key]} is not set` })
    .regex(/^\d+$/, { error })
    .transform(Number)
    .pipe(z.number().min(min, { error }).max(max, { error }));
};

/** A shared ingest setting, accepted exactly as cdk.json and the command accept it (ingest-settings.ts). */
const setting = (key: Key & IngestSettingName) =>
  wholeNumber(key, INGEST_SETTINGS[key].min, INGEST_SETTINGS[key].max).refine(
    (value) => acceptsSetting(key, value),
    {
      error: `${INGEST_ENV[key]} ${settingRule(INGEST_SETTINGS[key])}`,
    },
  );

/** The category rules a run applies, from their JSON text; throws naming the variable and the fault. */
export function categoryRulesFromEnv(text: string): CategoryRule[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${INGEST_ENV.categoryRules} is not valid JSON (${errorMessage(error)})`);
  }
  try {
    return parseCategoryRules(json, INGEST_ENV.categoryRules);
  } catch (error) {
    // A rule's own fault already starts with the variable (`INGEST_CATEGORY_RULES[0].…`); a
    // fault of the whole value (not an array, a bad replaceBuiltIn) does not say where it is.
    const message = errorMessage(error);
    throw new Error(
      message.startsWith(INGEST_ENV.categoryRules) ? message : `${INGEST_ENV.categoryRules}: ${message}`,
    );
  }
}

const categoryRules = z
  .string()
  .default('[]')
  .superRefine((text, ctx) => {
    try {
      categoryRulesFromEnv(text);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: errorMessage(error) });
    }
  });

const schema = z.lazy(() =>
  z
    .object({
      instance: text('instance'),
      bucket: text('bucket'),
      prefix: z.string().default(''),
      secretId: text('secretId'),
      apiBase: z.url({ protocol: /^https?$/, error: `${INGEST_ENV.apiBase} must be an http(s) URL` }),
      settleMinutes: setting('settleMinutes'),
      lookbackHours: setting('lookbackHours'),
      repullAfterHours: setting('repullAfterHours'),
      backfillDays: setting('backfillDays'),
      concurrency: setting('concurrency'),
      docTimeZone: text('docTimeZone'),
      budgetMarginMs: wholeNumber('budgetMarginMs', 0, 900_000),
      digestKeyId: text('digestKeyId'),
      lakeStartDate: z
        .string({ error: `${INGEST_ENV.lakeStartDate} is not set` })
        // A day that exists: Date.parse would roll 2025-02-30 over to March 2.
        .refine((value) => calendarDayProblem(value) === undefined, {
          error: `${INGEST_ENV.lakeStartDate} must be a date such as 2025-01-01`,
        }),
      categoryRules,
      maxDays: z.pipe(
        maxDaysVariable,
        z.transform((days) => days ?? null),
      ),
      domoCustomer: optionalText(),
      stack: text('stack'),
    })
    .superRefine((config, ctx) => {
      const problem = repullProblem(config, INGEST_ENV.lookbackHours);
      if (problem !== undefined)
        ctx.addIssue({ code: 'custom', message: `${INGEST_ENV.repullAfterHours} ${problem}` });
    }),
);

/** Reads the ingest function's configuration from its environment (see {@link readEnvironment}). */
export const readIngestEnv = (env: Record<string, string | undefined>): IngestHandlerConfig =>
  readEnvironment('ingest', INGEST_ENV, schema, env);

/** The environment variables for one ingest function (used by the CDK app). */
export function ingestEnvironment(config: IngestHandlerConfig): Record<string, string> {
  const env = toEnvironment(INGEST_ENV, {
    ...config,
    maxDays: config.maxDays ?? '',
    domoCustomer: config.domoCustomer ?? '',
  });
  // Left out when not configured: a stack without it deploys the environment it had.
  if (config.domoCustomer === undefined) delete env[INGEST_ENV.domoCustomer];
  return env;
}

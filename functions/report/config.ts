import * as z from 'zod/mini';
import { errorMessage } from '../core/error-message.ts';
import { DEFAULT_LAG_HOURS } from '../core/lake/lag-threshold.ts';
import { assertInstanceName } from '../core/lake/layout.ts';
import { isMailAddress } from '../core/mail-address.ts';
import { ALERT_SETTING_LIMITS, DEFAULT_ALERT_SETTINGS } from '../core/queries/alert-settings.ts';
import type { AlertJudging } from '../core/report/build-report-model.ts';
import { assertTimeZone } from '../core/zoned-time.ts';
import '../core/zod-english.ts';
import {
  MAX_DAYS_ENV,
  maxDaysVariable,
  optionalText,
  optionalWholeNumber,
  readEnvironment,
  requiredText,
  toEnvironment,
} from '../shared/lambda-environment.ts';
import { STACK_ENV } from '../shared/telemetry.ts';

/**
 * Environment variables the CDK app sets on the report function and the handler reads. The CDK
 * app builds them with {@link reportEnvironment}, so the names cannot drift between the two sides.
 */
export const REPORT_ENV = {
  instances: 'REPORT_INSTANCES',
  bucket: 'LAKE_BUCKET',
  prefix: 'LAKE_PREFIX',
  workGroup: 'ATHENA_WORKGROUP',
  database: 'ATHENA_DATABASE',
  timeZone: 'REPORT_TIME_ZONE',
  sender: 'REPORT_SENDER',
  recipients: 'REPORT_RECIPIENTS',
  instanceMail: 'REPORT_INSTANCE_MAIL',
  alertsEnabled: 'REPORT_ALERTS_ENABLED',
  configurationSet: 'SES_CONFIGURATION_SET',
  alarmTopicArn: 'REPORT_ALARM_TOPIC_ARN',
  alertsTopicArn: 'REPORT_ALERTS_TOPIC_ARN',
  failuresBeforeLogin: 'REPORT_FAILURES_BEFORE_LOGIN',
  ingestLagHours: 'REPORT_INGEST_LAG_HOURS',
  maxDays: MAX_DAYS_ENV,
  stack: STACK_ENV,
} as const satisfies Record<string, string>;

/** What the report function needs to know, read from its environment. */
export interface ReportHandlerConfig {
  /** The stack's name: every metric the function publishes carries it (see telemetry.ts). */
  stack: string;
  /** Instances reported on each run, one mail each. */
  instances: string[];
  bucket: string;
  /** Key prefix of the lake inside the bucket; empty when the lake is the bucket root. */
  prefix: string;
  workGroup: string;
  database: string;
  /** IANA zone whose Monday-to-Monday weeks are reported. */
  timeZone: string;
  /** Verified SES identity the mail comes from (`reports@example.com` or `Name <reports@…>`). */
  sender: string;
  /** Who gets the report of an instance without recipients of its own (may be empty when all have). */
  recipients: string[];
  /**
   * Instances whose report goes to recipients of their own or shows a zone of its own
   * (`instances[].report`), by name; the others take `recipients` and `timeZone`.
   */
  instanceMail?: Record<string, InstanceMail>;
  /**
   * Whether the stack deploys the security alerts (`alerts.enabled`): the report then says why
   * they can list suspicious logins it does not.
   */
  alertsEnabled: boolean;
  /**
   * The alerts' sign-in judging (alerts.historyDays, minHistoryLogins, maxSpeedKmh), which the
   * report's note on the alerts states. Absent: the alerts' defaults (also for a function
   * configured before it was passed).
   */
  alertJudging?: AlertJudging;
  /**
   * SES configuration set the mails are sent with, whose bounce and complaint events reach the
   * alarm topic; empty (the default) sends without one.
   */
  configurationSet?: string;
  /** The stack's alarm topic: the report says when it has no confirmed subscription. */
  alarmTopicArn?: string;
  /** The security-alerts topic, when it is their only channel: checked like the alarm topic. */
  alertsTopicArn?: string;
  /**
   * The alerts' `failuresBeforeLogin` (alerts.failuresBeforeLogin, set whether or not the alerts
   * run): the sign-ins after failed logins the report lists are those the alerts raise. Absent
   * (a function configured before it was passed): the default, 4.
   */
  failuresBeforeLogin?: number;
  /**
   * The lag alarm's threshold (alarms.lagHours): the week's last missing hours that ended longer
   * ago are a gap of the week. Absent: the default, 3.
   */
  ingestLagHours?: number;
  /**
   * retention.maxDays: a week older than it is reported as aged out by policy. Absent (none set,
   * or a function configured before it was passed): no week is.
   */
  maxDays?: number;
}

/** An instance's own report settings, each over the stack-wide one. */
export interface InstanceMail {
  recipients?: string[];
  timeZone?: string;
}

type Key = keyof typeof REPORT_ENV;

const text = (key: Key) => requiredText(REPORT_ENV[key]);

/** The items of a comma-separated value, trimmed, empty ones left out. */
const items = z.transform((value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== ''),
);

/**
 * Adds a custom issue to a transform's `ctx`: zod/mini's transforms get the parse payload itself,
 * without the full build's `addIssue`; what that did for an issue with a message is this push.
 */
const addIssue = (ctx: z.core.ParsePayload, message: string): void => {
  ctx.issues.push({ code: 'custom', message, input: ctx.value });
};

const list = (key: Key) =>
  z.pipe(
    z.pipe(text(key), items),
    z.array(z.string()).check(z.minLength(1, { error: `${REPORT_ENV[key]} lists nothing` })),
  );

const checked =
  (check: (value: string) => unknown, key: Key) => (value: string, ctx: z.core.$RefinementCtx) => {
    try {
      check(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `${REPORT_ENV[key]}: ${errorMessage(error)}` });
    }
  };

const address = (key: Key) => (value: string, ctx: z.core.$RefinementCtx) => {
  if (!isMailAddress(value)) {
    ctx.addIssue({ code: 'custom', message: `${REPORT_ENV[key]}: "${value}" is not an email address` });
  }
};

const instanceMailSchema = z.lazy(() =>
  z.record(
    z.string(),
    z.strictObject({
      recipients: z.optional(z.array(z.string()).check(z.minLength(1))).check(
        z.superRefine((values, ctx) => {
          for (const value of values ?? []) address('instanceMail')(value, ctx);
        }),
      ),
      timeZone: z.optional(z.string().check(z.superRefine(checked(assertTimeZone, 'instanceMail')))),
    }),
  ),
);

/** `REPORT_INSTANCE_MAIL`: JSON of {@link InstanceMail} by instance; unset or empty for none. */
const instanceMail = z.pipe(
  optionalText(),
  z.transform((value: string | undefined, ctx) => {
    if (value === undefined) return undefined;
    try {
      const parsed = instanceMailSchema.safeParse(JSON.parse(value));
      if (parsed.success) return parsed.data;
      // The address and zone checks name the variable already; zod's own words get it and the path.
      for (const issue of parsed.error.issues)
        addIssue(
          ctx,
          issue.code === 'custom'
            ? issue.message
            : `${REPORT_ENV.instanceMail}: ${issue.path.join('.')}: ${issue.message}`,
        );
    } catch (error) {
      addIssue(ctx, `${REPORT_ENV.instanceMail}: ${errorMessage(error)}`);
    }
    return z.NEVER;
  }),
);

/**
 * Each instance reaches someone: its own recipients or the stack-wide ones; and each instance
 * named in REPORT_INSTANCE_MAIL is one reported (a stale name would be a setting that never applies).
 */
function checkInstanceMail(
  config: Pick<ReportHandlerConfig, 'instances' | 'recipients' | 'instanceMail'>,
  ctx: z.core.$RefinementCtx,
): void {
  const own = config.instanceMail ?? {};
  for (const name of Object.keys(own)) {
    if (!config.instances.includes(name))
      ctx.addIssue({
        code: 'custom',
        message: `${REPORT_ENV.instanceMail}: "${name}" is not in ${REPORT_ENV.instances}`,
      });
  }
  if (config.recipients.length > 0) return;
  const none = config.instances.filter((name) => own[name]?.recipients === undefined);
  if (none.length > 0)
    ctx.addIssue({
      code: 'custom',
      message: `${REPORT_ENV.recipients} lists nothing, and ${none.join(', ')} ha${none.length > 1 ? 've' : 's'} no recipients in ${REPORT_ENV.instanceMail}`,
    });
}

const wholeNumber = (key: Key, min: number, max: number, what: string) =>
  optionalWholeNumber(REPORT_ENV[key], min, max, what);

/** The sign-in judging settings in the order REPORT_ALERTS_ENABLED carries them. */
const JUDGING = ['historyDays', 'minHistoryLogins', 'maxSpeedKmh'] as const;

/**
 * `REPORT_ALERTS_ENABLED`: `false`, `true` (the alerts judge sign-ins by their defaults), or, when
 * they do not, `true` replaced by their historyDays/minHistoryLogins/maxSpeedKmh (`60/10/1000`):
 * the largest stack's environment has no room for a variable of its own (reportEnvironment).
 */
const alertsEnabled = z.pipe(
  z.string({ error: `${REPORT_ENV.alertsEnabled} is not set` }),
  z.transform((value: string, ctx): Pick<ReportHandlerConfig, 'alertsEnabled' | 'alertJudging'> => {
    if (value === 'true' || value === 'false') return { alertsEnabled: value === 'true' };
    const parts = value.split('/');
    const inRange =
      parts.length === JUDGING.length &&
      JUDGING.every((key, i) => {
        const [min, max] = ALERT_SETTING_LIMITS[key];
        return /^\d+$/.test(parts[i] ?? '') && Number(parts[i]) >= min && Number(parts[i]) <= max;
      });
    if (inRange)
      return {
        alertsEnabled: true,
        alertJudging: {
          historyDays: Number(parts[0]),
          minHistoryLogins: Number(parts[1]),
          maxSpeedKmh: Number(parts[2]),
        },
      };
    const ranges = JUDGING.map((key) => ALERT_SETTING_LIMITS[key].slice(0, 2).join('-')).join('/');
    addIssue(
      ctx,
      `${REPORT_ENV.alertsEnabled} is "${value}": it must be true, false, or the alerts' ${JUDGING.join('/')} (${ranges}, for example 60/10/1000)`,
    );
    return z.NEVER;
  }),
);

const schema = z.lazy(() =>
  z
    .object({
      instances: list('instances').check(
        z.superRefine((names, ctx) => {
          for (const name of names) checked(assertInstanceName, 'instances')(name, ctx);
        }),
      ),
      bucket: text('bucket'),
      prefix: z._default(z.string(), ''),
      workGroup: text('workGroup'),
      database: text('database'),
      timeZone: text('timeZone').check(z.superRefine(checked(assertTimeZone, 'timeZone'))),
      sender: text('sender').check(z.superRefine(address('sender'))),
      // Empty when every instance has recipients of its own (checkInstanceMail).
      recipients: z.pipe(z.string({ error: `${REPORT_ENV.recipients} is not set` }), items).check(
        z.superRefine((values, ctx) => {
          for (const value of values) address('recipients')(value, ctx);
        }),
      ),
      instanceMail,
      alertsEnabled,
      // Unset or empty: send without one (a function configured before the set existed).
      configurationSet: optionalText(),
      alarmTopicArn: optionalText(),
      alertsTopicArn: optionalText(),
      failuresBeforeLogin: wholeNumber('failuresBeforeLogin', ...ALERT_SETTING_LIMITS.failuresBeforeLogin),
      ingestLagHours: wholeNumber(
        'ingestLagHours',
        2,
        168,
        'hours the lake may be behind before the lag alarm',
      ),
      maxDays: maxDaysVariable,
      stack: text('stack'),
    })
    .check(z.superRefine(checkInstanceMail)),
);

/** Reads the report function's configuration from its environment (see {@link readEnvironment}). */
export function readReportEnv(env: Record<string, string | undefined>): ReportHandlerConfig {
  const { alertsEnabled: alerts, ...config } = readEnvironment('report', REPORT_ENV, schema, env);
  return { ...config, ...alerts };
}

/**
 * The environment variables for the report function (used by the CDK app). REPORT_INSTANCE_MAIL
 * only when an instance has settings of its own: a stack without them deploys the function as
 * before, unchanged.
 */
export function reportEnvironment(config: ReportHandlerConfig): Record<string, string> {
  const own = config.instanceMail ?? {};
  const env = toEnvironment<keyof typeof REPORT_ENV>(REPORT_ENV, {
    ...config,
    instanceMail: Object.keys(own).length > 0 ? JSON.stringify(own) : '',
    alertsEnabled: alertsValue(config),
    configurationSet: config.configurationSet ?? '',
    alarmTopicArn: config.alarmTopicArn ?? '',
    alertsTopicArn: config.alertsTopicArn ?? '',
    failuresBeforeLogin: orDefault(config.failuresBeforeLogin, DEFAULT_ALERT_SETTINGS.failuresBeforeLogin),
    ingestLagHours: orDefault(config.ingestLagHours, DEFAULT_LAG_HOURS),
    maxDays: config.maxDays ?? '',
  });
  // Left out when not given or the default, as REPORT_INSTANCE_MAIL: the function reads the
  // defaults then, and the largest stack's report has no byte of its 4 KB to spare.
  // LAKE_PREFIX too, empty as the stack sets it: its 11 bytes make room for the alerts' judging.
  for (const key of ['prefix', 'instanceMail', 'failuresBeforeLogin', 'ingestLagHours', 'maxDays'] as const)
    if (env[REPORT_ENV[key]] === '') delete env[REPORT_ENV[key]];
  return env;
}

/** REPORT_ALERTS_ENABLED's value: `true` unless the alerts judge sign-ins otherwise than by default. */
function alertsValue({ alertsEnabled, alertJudging }: ReportHandlerConfig): string {
  const judging = { ...DEFAULT_ALERT_SETTINGS, ...alertJudging };
  if (!alertsEnabled || JUDGING.every((key) => judging[key] === DEFAULT_ALERT_SETTINGS[key]))
    return String(alertsEnabled);
  return JUDGING.map((key) => judging[key]).join('/');
}

/** `value` for the environment, or '' (left out) when it is the function's own default. */
const orDefault = (value: number | undefined, fallback: number): number | '' =>
  value === undefined || value === fallback ? '' : value;

/** The zone and recipients of `instance`'s report: its own, else the stack-wide ones. */
export function instanceReportMail(
  config: Pick<ReportHandlerConfig, 'timeZone' | 'recipients' | 'instanceMail'>,
  instance: string,
): { timeZone: string; to: string[] } {
  const own = config.instanceMail?.[instance];
  return { timeZone: own?.timeZone ?? config.timeZone, to: own?.recipients ?? config.recipients };
}

const EVENT_KEYS = ['week', 'instance', 'resend', 'eachInstance', 'correctionsOnly'] as const;

/**
 * What a scheduled or manual invocation may ask for; the schedule sends `{"eachInstance":true}`.
 * Unknown keys are refused, not dropped: a misspelt `{"isoWeek":"2026-W45","resend":true}` would
 * otherwise mean `{"resend":true}` and mail the last full week again to every instance.
 */
export const reportEventSchema = z.lazy(() =>
  z.pipe(
    // Anything that is not an object (a scheduler's default payload, null) asks for the defaults.
    z.transform((event: unknown): unknown =>
      event !== null && typeof event === 'object' && !Array.isArray(event) ? event : {},
    ),
    z.strictObject(
      {
        /** `YYYY-Www`: report this week instead of the last full one. */
        week: z.optional(
          z.string().check(z.regex(/^\d{4}-W\d{2}$/, { error: 'week must look like 2026-W47' })),
        ),
        /** Report only this instance (it must be one of the configured ones). */
        instance: z.optional(z.string()),
        /** Mail again even though the week's report was already sent (deliberate resend). */
        resend: z.optional(z.boolean({ error: 'resend must be true or false' })),
        /**
         * Report no instance here: start one invocation per instance instead, each with a timeout
         * of its own (what the schedule sends). Refused beside `resend` (handler.ts).
         */
        eachInstance: z.optional(z.literal(true, { error: 'eachInstance must be true, or left out' })),
        /**
         * Make no week's report: only mail the corrections due of weeks mailed with hours missing
         * (with `eachInstance`, what the corrections schedule sends: one invocation per instance).
         * Never with `week` or `resend` (handler.ts).
         */
        correctionsOnly: z.optional(z.literal(true, { error: 'correctionsOnly must be true, or left out' })),
      },
      {
        error: (issue) =>
          issue.code === 'unrecognized_keys'
            ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')} (the event takes only ${EVENT_KEYS.join(', ')})`
            : undefined,
      },
    ),
  ),
);

export type ReportEvent = z.output<typeof reportEventSchema>;

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { AthenaClient } from '@aws-sdk/client-athena';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SNSClient } from '@aws-sdk/client-sns';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { AthenaQueryEngine } from '../adapters/athena-engine.ts';
import { LambdaReportStarter, unqualifiedFunctionArn } from '../adapters/lambda-report-starter.ts';
import { S3ObjectStore } from '../adapters/s3-store.ts';
import { type SdkHttpBounds, sdkRequestHandler } from '../adapters/sdk-http.ts';
import { createSesClient, SesMailer } from '../adapters/ses-mailer.ts';
import { createSnsClient } from '../adapters/sns-client.ts';
import { SnsTopicSubscriptions } from '../adapters/sns-topic-subscriptions.ts';
import { Deadline } from '../core/deadline.ts';
import { errorMessage } from '../core/error-message.ts';
import type { Clock } from '../core/ports.ts';
import { MIN_QUERY_TIME_LIMIT_MS } from '../core/report/query-time-limit.ts';
import { REPORT_METRICS } from '../core/report/report-metrics.ts';
import { REPORT_QUERY_ROWS } from '../core/report/report-query-engine.ts';
import type { WeeklyReportOutcome } from '../core/report/send-weekly-report.ts';
import { sendDueCorrections, sendWeeklyReports } from '../core/report/send-weekly-reports.ts';
import { type InstanceReportStarter, startInstanceReports } from '../core/report/start-instance-reports.ts';
import {
  checkTopicReach,
  type TopicSubscriptionSource,
  topicReachNotices,
  type WatchedTopic,
} from '../core/report/topic-reach.ts';
import { systemClock } from '../core/runtime.ts';
import { MINUTE_MS } from '../core/time-units.ts';
import { log, logger, metrics } from '../shared/powertools.ts';
import { SummingMetricSink } from '../shared/summing-metric-sink.ts';
import { INSTANCE_DIMENSION, stackDimension } from '../shared/telemetry.ts';
import {
  instanceReportMail,
  type ReportEvent,
  type ReportHandlerConfig,
  readReportEnv,
  reportEventSchema,
} from './config.ts';
import { reportFailureMessage, reportTimeoutAdvice } from './failure-message.ts';
import { DEPLOYED_COMMAND_WHERE, deployedUserActivityCommand } from './user-activity-command.ts';

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

/** Publishes one metric data point for one instance. */
export type InstanceMetricPublisher = (instance: string, name: string, unit: Unit, value: number) => void;

/**
 * One EMF line per data point with the instance as a dimension (next to Powertools' `service`),
 * so per-instance alarms match even though one function reports on several instances.
 */
const publishWithPowertools: InstanceMetricPublisher = (instance, name, unit, value) => {
  const single = metrics.singleMetric();
  single.addDimension(INSTANCE_DIMENSION, instance);
  single.addMetric(name, unit, value);
};

/** What tests (and only tests) swap out; production uses the defaults. */
export interface ReportHandlerOverrides {
  env?: Record<string, string | undefined>;
  s3Client?: S3Client;
  athenaClient?: AthenaClient;
  sesClient?: SESv2Client;
  /** Network bounds of the S3 and Athena clients built here (default: the Lambdas'). */
  sdkHttp?: SdkHttpBounds;
  /** Lists the subscriptions of the alarm (and alerts) topic. */
  snsClient?: SNSClient;
  clock?: Clock;
  /** Waits between Athena status polls. */
  sleep?: (ms: number) => Promise<void>;
  publishMetric?: InstanceMetricPublisher;
  /** Starts the invocations of `{"eachInstance":true}` (default: Lambda, invoking this function). */
  starterFor?: (functionArn: string) => InstanceReportStarter;
}

/** One instance's line in the invocation result (the model itself is archived, not returned). */
export type ReportSummary =
  | Omit<Extract<WeeklyReportOutcome, { status: 'sent' }>, 'model'>
  | Omit<Extract<WeeklyReportOutcome, { status: 'preview' }>, 'model'>
  | Omit<Extract<WeeklyReportOutcome, { status: 'skipped' }>, 'marker'>;

/** The topics the report checks for a confirmed subscription: those the stack named. */
function watchedTopics(config: ReportHandlerConfig): WatchedTopic[] {
  return [
    ...(config.alarmTopicArn
      ? [{ carries: 'alarms', topicArn: config.alarmTopicArn, output: 'AlarmTopicArn' }]
      : []),
    ...(config.alertsTopicArn
      ? [{ carries: 'security alerts', topicArn: config.alertsTopicArn, output: 'AlertsTopicArn' }]
      : []),
  ];
}

/**
 * The notices the run's reports open with: a topic that reaches nobody, or that could not be
 * checked. The check never fails the run: a report about the lake is worth more than its absence.
 * A corrections-only run (daily by default) logs them as information: the weekly run's warning
 * says it each week, and one a day from every instance's invocation was noise; a correction it
 * mails still opens with them, as the week's report did.
 */
async function topicNotices(
  source: TopicSubscriptionSource,
  topics: WatchedTopic[],
  { correctionsOnly }: { correctionsOnly?: boolean | undefined },
): Promise<string[]> {
  if (topics.length === 0) return [];
  const notices = topicReachNotices(await checkTopicReach(source, topics));
  if (notices.length > 0)
    (correctionsOnly ? log.info : log.warn)('a topic of the stack reaches nobody, or could not be checked', {
      notices,
    });
  return notices;
}

/**
 * What only the stack's operator can act on: the notice that a topic reaches nobody (naming the
 * stack's account and topics) and the command that digs into a user (the stack's Athena, a
 * checkout with AWS credentials). Left out of the report of an instance mailed to recipients of
 * its own, who are its people (at a provider, a customer's), not the operator (review R-MSP M5,
 * L6); the notices stay in the log's warning.
 */
function operatorParts<T extends object>(
  config: Pick<ReportHandlerConfig, 'instanceMail'>,
  instance: string,
  parts: T,
): T | Record<string, never> {
  return config.instanceMail?.[instance]?.recipients === undefined ? parts : {};
}

/** The events the function takes, for a message about one it cannot read. */
const EVENT_FORMS = (instance: string): string =>
  `Send {"eachInstance":true} for every instance's last full week, each in an invocation of its own (what the schedule sends), {"instance":"${instance}"} for one, {"week":"2026-W47","instance":"${instance}","resend":true} to mail a week again, {"correctionsOnly":true} for only the corrections due of weeks mailed with hours missing, or {} for every instance in this one invocation`;

/**
 * Why a corrections-only event asks for more than corrections, or undefined: it makes no week's
 * report, so a week or a resend would be dropped unsaid.
 */
function correctionsOnlyProblem(event: ReportEvent): string | undefined {
  if (!event.correctionsOnly) return undefined;
  const beside = (['week', 'resend'] as const).filter((key) => event[key] !== undefined);
  if (beside.length === 0) return undefined;
  return `report event is invalid: correctionsOnly mails only the corrections due of weeks mailed with hours missing (each instance's last full week and the 4 before it), so it takes no ${beside.map((k) => JSON.stringify(k)).join(' or ')}; send {"correctionsOnly":true,"instance":"<name>"} for one instance, or {"correctionsOnly":true} for every instance in this one invocation`;
}

/** Reads the invocation event; a bad one, or an instance this function does not report, is thrown. */
function parseEvent(rawEvent: unknown, reported: readonly string[]): ReportEvent {
  const parsed = reportEventSchema.safeParse(rawEvent);
  if (!parsed.success) {
    throw new Error(
      `report event is invalid: ${parsed.error.issues.map((i) => i.message).join('; ')}. ${EVENT_FORMS(reported[0] ?? 'acme')}`,
    );
  }
  const event = parsed.data;
  const corrections = correctionsOnlyProblem(event);
  if (corrections) throw new Error(corrections);
  if (event.eachInstance && event.instance !== undefined) {
    // The event for that one instance alone: a corrections-only one stays corrections-only.
    const alone = { instance: event.instance, ...(event.correctionsOnly ? { correctionsOnly: true } : {}) };
    throw new Error(
      `report event is invalid: eachInstance starts every instance's report; for "${event.instance}" alone send ${JSON.stringify(alone)}`,
    );
  }
  if (event.eachInstance && event.resend) {
    // Each instance's event is queued, and Lambda may deliver a queued event twice: a resend takes
    // the week over whatever its marker says, so a second delivery would mail the report again.
    throw new Error(
      `report event is invalid: eachInstance queues each instance's report, and a queued resend could be delivered, and mailed, twice; resend one instance at a time, waiting for its answer: {"week":"${event.week ?? '2026-W47'}","instance":"<name>","resend":true}`,
    );
  }
  if (event.resend && event.instance === undefined && reported.length > 1) {
    // A resend is for one instance's people; without a name it re-mails every instance's report,
    // which at a provider is every customer (review R-MSP L4).
    throw new Error(
      `report event is invalid: a resend without "instance" would mail the week again to every instance's recipients (${reported.join(', ')}); name the one to resend: {"week":"${event.week ?? '2026-W47'}","instance":"${reported[0]}","resend":true}`,
    );
  }
  if (event.instance !== undefined && !reported.includes(event.instance)) {
    throw new Error(
      `instance "${event.instance}" is not reported by this function; it reports: ${reported.join(', ')}`,
    );
  }
  return event;
}

/** Publishes each instance's bytes scanned and counters, with the instance as a dimension. */
function publishRun(
  outcomes: readonly WeeklyReportOutcome[],
  sinks: ReadonlyMap<string, SummingMetricSink>,
  publish: InstanceMetricPublisher,
): void {
  for (const outcome of outcomes) {
    if (outcome.status !== 'skipped') {
      publish(outcome.instance, REPORT_METRICS.bytesScanned, MetricUnit.Bytes, outcome.bytesScanned);
    }
  }
  for (const [instance, sink] of sinks) {
    for (const [name, value] of Object.entries(sink.snapshot()))
      publish(instance, name, MetricUnit.Count, value);
  }
}

/** The invocation result's line of an outcome: the model is archived, the marker is on S3. */
function summarise(outcome: WeeklyReportOutcome): ReportSummary {
  if (outcome.status === 'skipped') {
    const { marker: _marker, ...summary } = outcome;
    return summary;
  }
  const { model: _model, ...summary } = outcome;
  return summary;
}

export interface ReportRunResult {
  reports: ReportSummary[];
  /** With `eachInstance`: the instances whose report now runs in an invocation of its own. */
  started?: string[];
}

/** Thrown after every instance had its turn when at least one report failed, so the Errors alarm fires. */
export class ReportRunError extends Error {
  constructor(readonly failures: { instance: string; message: string }[]) {
    super(
      `weekly report failed for ${failures.length} instance(s): ${failures
        .map((f) => `${f.instance}: ${f.message}`)
        .join('; ')}`,
    );
    this.name = 'ReportRunError';
  }
}

/**
 * `{"eachInstance":true}`: starts one invocation per instance and reports none itself, so each
 * instance's report has the whole function timeout. They run after this one ends, one at a time
 * (the function's reserved concurrency is 1). One that could not be started fails the run, naming
 * the event that starts it.
 */
async function startEachInstance(
  event: ReportEvent,
  run: { instances: readonly string[]; timeZoneOf: (instance: string) => string; nowMs: number },
  starterFor: (functionArn: string) => InstanceReportStarter,
  context: Context | undefined,
): Promise<ReportRunResult> {
  // The invocation's own ARN: the instances' runs are invocations of this very function, of the
  // unqualified one, which alone holds the permission to invoke it.
  if (!context?.invokedFunctionArn) throw new Error('eachInstance needs the invocation context (its ARN)');
  const starter = starterFor(unqualifiedFunctionArn(context.invokedFunctionArn));
  const { instances, ...when } = run;
  const asked = {
    ...when,
    ...(event.week ? { week: event.week } : {}),
    ...(event.correctionsOnly ? { correctionsOnly: true } : {}),
  };
  const { started, failures } = await startInstanceReports(instances, starter, asked, log);
  logger.info('weekly reports started, one invocation per instance', { started, failures: failures.length });
  if (failures.length > 0) {
    throw new ReportRunError(
      failures.map(({ instance, event: one, error }) => ({
        instance,
        message: `its report could not be started (${errorMessage(error)}): invoke the report function with ${JSON.stringify(one)}`,
      })),
    );
  }
  return { reports: [], started };
}

/**
 * The function's timeout in minutes, read as an invocation starts: its time left then, a running
 * instance of the function taking one invocation at a time. Undefined outside Lambda.
 */
const timeoutMinutesOf = (context?: Context): number | undefined =>
  context?.getRemainingTimeInMillis ? Math.ceil(context.getRemainingTimeInMillis() / MINUTE_MS) : undefined;

/**
 * Builds the report Lambda handler from its environment: Athena reads the lake, S3 archives the
 * reports and holds the sent-markers, SES mails. Each configured instance (or the one the event
 * names) gets its weekly report at most once per week, however often the function is invoked.
 * Event (all optional): `{ "week": "2026-W47", "instance": "acme", "resend": true }`, or
 * `{ "eachInstance": true }` (with `week` if need be, never `resend`), which the schedule sends, or
 * `{ "correctionsOnly": true }` (with `instance` if need be), which the corrections schedule sends.
 */
export function createReportHandler(overrides: ReportHandlerOverrides = {}) {
  const env = overrides.env ?? process.env;
  const config = readReportEnv(env);
  metrics.setDefaultDimensions(stackDimension(config.stack));
  const clock = overrides.clock ?? systemClock;
  const store = new S3ObjectStore({
    client: overrides.s3Client ?? new S3Client({ requestHandler: sdkRequestHandler(overrides.sdkHttp) }),
    bucket: config.bucket,
    prefix: config.prefix,
  });
  // The function's timeout, for the advice of a query given up: report.timeoutMinutes is named
  // only while it can be raised (review R-CONFIG2 L7).
  let timeoutMinutes: number | undefined;
  const engine = new AthenaQueryEngine({
    client:
      overrides.athenaClient ?? new AthenaClient({ requestHandler: sdkRequestHandler(overrides.sdkHttp) }),
    workGroup: config.workGroup,
    database: config.database,
    now: () => clock.now(),
    // The longest wait of a query run without a time limit (none in Lambda): each of the report's
    // queries gets its share of the invocation's remaining time (queryTimeLimitMs), at least this,
    // so raising report.timeoutMinutes raises it; the report also stops every query once only the
    // time to mail is left (build-report-model), failing the instance with why, not at the timeout.
    timeoutMs: MIN_QUERY_TIME_LIMIT_MS,
    // A query that returns more rows than the report reads fails, named, before it exhausts memory.
    maxRows: REPORT_QUERY_ROWS,
    // A week cannot be narrowed: the CLI's advice would not do.
    timeoutAdvice: (limitSeconds) => reportTimeoutAdvice(limitSeconds, timeoutMinutes),
    // A refused stop leaves the query running, and billing: logged, not swallowed.
    onStop: ({ queryExecutionId, error }) =>
      error === undefined ||
      log.warn('could not stop an Athena query; stop it in the Athena console', {
        queryExecutionId,
        error: errorMessage(error),
      }),
    ...(overrides.sleep ? { sleep: overrides.sleep } : {}),
  });
  // One attempt, bounded in time: an SDK retry of SendEmail could mail the report twice.
  const mailer = new SesMailer({
    client: overrides.sesClient ?? createSesClient(),
    // Bounces and complaints come back only as events of the set the mail was sent with.
    ...(config.configurationSet ? { configurationSetName: config.configurationSet } : {}),
  });
  const publish = overrides.publishMetric ?? publishWithPowertools;
  const topics = watchedTopics(config);
  const subscriptions = new SnsTopicSubscriptions(overrides.snsClient ?? createSnsClient({ retries: true }));
  let lambdaClient: LambdaClient | undefined;
  const starterFor =
    overrides.starterFor ??
    ((functionArn: string) => {
      lambdaClient ??= new LambdaClient({ requestHandler: sdkRequestHandler(overrides.sdkHttp) });
      return new LambdaReportStarter(lambdaClient, functionArn);
    });

  const report = async (rawEvent: unknown, context?: Context): Promise<ReportRunResult> => {
    timeoutMinutes = timeoutMinutesOf(context);
    const event = parseEvent(rawEvent, config.instances);
    if (event.eachInstance) {
      const timeZoneOf = (instance: string) => instanceReportMail(config, instance).timeZone;
      const run = { instances: config.instances, timeZoneOf, nowMs: clock.now() };
      return startEachInstance(event, run, starterFor, context);
    }
    const instances = event.instance ? [event.instance] : config.instances;
    const sinks = new Map<string, SummingMetricSink>();
    const notices = await topicNotices(subscriptions, topics, event);
    // A corrections-only run makes no week's report: only the corrections due, with the same
    // ports and settings, so a correction it mails is the one a weekly run would have mailed.
    const send = event.correctionsOnly ? sendDueCorrections : sendWeeklyReports;
    const run = await send(
      instances,
      new Deadline(context?.getRemainingTimeInMillis ? () => context.getRemainingTimeInMillis() : undefined),
      {
        engine,
        store,
        mailer,
        clock,
        log,
        metricsFor: (instance) => {
          const sink = new SummingMetricSink();
          sinks.set(instance, sink);
          return sink;
        },
      },
      (instance) => ({
        ...instanceReportMail(config, instance),
        from: config.sender,
        alertsEnabled: config.alertsEnabled,
        ...(config.alertJudging ? { alertJudging: config.alertJudging } : {}),
        ...givenSettings(config),
        ...operatorParts(config, instance, {
          userActivityCommand: deployedUserActivityCommand({ ...config, region: env.AWS_REGION }),
          userActivityCommandWhere: DEPLOYED_COMMAND_WHERE,
          ...(notices.length > 0 ? { notices } : {}),
        }),
        ...(event.week ? { week: event.week } : {}),
        ...(event.resend ? { resend: true } : {}),
      }),
    );
    const reports = run.outcomes.map(summarise);
    publishRun(run.outcomes, sinks, publish);
    const failures = run.failures.map((failure) => ({
      instance: failure.instance,
      message: reportFailureMessage(failure),
    }));
    logger.info('weekly report run finished', {
      reports,
      failures: failures.length,
      ...(event.correctionsOnly ? { correctionsOnly: true } : {}),
    });
    if (failures.length > 0) throw new ReportRunError(failures);
    return { reports };
  };

  return middy<unknown, ReportRunResult>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(report);
}

let built: ReturnType<typeof createReportHandler> | undefined;

/**
 * The Lambda entry point. Built on the first invocation, so a bad environment surfaces as a logged
 * invocation error (counted by the Errors alarm) rather than an init crash.
 */
export const handler = (event: unknown, context: Context) => {
  built ??= createReportHandler();
  return built(event, context);
};

/** The stack's settings the report judges by that its configuration gives; the others take their defaults. */
function givenSettings(
  config: Pick<ReportHandlerConfig, 'failuresBeforeLogin' | 'ingestLagHours' | 'maxDays'>,
): Pick<ReportHandlerConfig, 'failuresBeforeLogin' | 'ingestLagHours' | 'maxDays'> {
  const given: Pick<ReportHandlerConfig, 'failuresBeforeLogin' | 'ingestLagHours' | 'maxDays'> = {};
  if (config.failuresBeforeLogin !== undefined) given.failuresBeforeLogin = config.failuresBeforeLogin;
  if (config.ingestLagHours !== undefined) given.ingestLagHours = config.ingestLagHours;
  if (config.maxDays !== undefined) given.maxDays = config.maxDays;
  return given;
}

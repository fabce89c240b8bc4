import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { AthenaClient } from '@aws-sdk/client-athena';
import { S3Client } from '@aws-sdk/client-s3';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { AthenaQueryEngine } from '../adapters/athena-engine.ts';
import { S3ObjectStore } from '../adapters/s3-store.ts';
import { createSesClient, SesMailer } from '../adapters/ses-mailer.ts';
import { type Clock, systemClock } from '../core/ports.ts';
import { REPORT_METRICS } from '../core/report/report-metrics.ts';
import { sendWeeklyReport, type WeeklyReportOutcome } from '../core/report/send-weekly-report.ts';
import { log, logger, metrics } from '../shared/powertools.ts';
import { SummingMetricSink } from '../shared/summing-metric-sink.ts';
import { INSTANCE_DIMENSION } from '../shared/telemetry.ts';
import { readReportEnv, reportEventSchema } from './config.ts';

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

/**
 * Longest wait for one Athena query. Well under the function's 5 minutes per instance, so a stuck
 * query is stopped and reported instead of running into the Lambda timeout.
 */
export const ATHENA_QUERY_TIMEOUT_MS = 120_000;

/** An instance's report is not started with less time than this left: it would be cut off mid-way. */
export const MIN_TIME_PER_INSTANCE_MS = 60_000;

/** What tests (and only tests) swap out; production uses the defaults. */
export interface ReportHandlerOverrides {
  env?: Record<string, string | undefined>;
  s3Client?: S3Client;
  athenaClient?: AthenaClient;
  sesClient?: SESv2Client;
  clock?: Clock;
  /** Waits between Athena status polls. */
  sleep?: (ms: number) => Promise<void>;
  publishMetric?: InstanceMetricPublisher;
}

/** One instance's line in the invocation result (the model itself is archived, not returned). */
export type ReportSummary =
  | Omit<Extract<WeeklyReportOutcome, { status: 'sent' }>, 'model'>
  | Omit<Extract<WeeklyReportOutcome, { status: 'preview' }>, 'model'>
  | Omit<Extract<WeeklyReportOutcome, { status: 'skipped' }>, 'marker'>;

export interface ReportRunResult {
  reports: ReportSummary[];
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
 * Builds the report Lambda handler from its environment: Athena reads the lake, S3 archives the
 * reports and holds the sent-markers, SES mails. Each configured instance (or the one the event
 * names) gets its weekly report at most once per week, however often the function is invoked.
 * Event (all optional): `{ "week": "2026-W47", "instance": "acme", "resend": true }`.
 */
export function createReportHandler(overrides: ReportHandlerOverrides = {}) {
  const config = readReportEnv(overrides.env ?? process.env);
  const clock = overrides.clock ?? systemClock;
  const store = new S3ObjectStore({
    client: overrides.s3Client ?? new S3Client({}),
    bucket: config.bucket,
    prefix: config.prefix,
  });
  const engine = new AthenaQueryEngine({
    client: overrides.athenaClient ?? new AthenaClient({}),
    workGroup: config.workGroup,
    database: config.database,
    now: () => clock.now(),
    timeoutMs: ATHENA_QUERY_TIMEOUT_MS,
    ...(overrides.sleep ? { sleep: overrides.sleep } : {}),
  });
  // One attempt, bounded in time: an SDK retry of SendEmail could mail the report twice.
  const mailer = new SesMailer({ client: overrides.sesClient ?? createSesClient() });
  const publish = overrides.publishMetric ?? publishWithPowertools;

  const report = async (rawEvent: unknown, context?: Context): Promise<ReportRunResult> => {
    const parsed = reportEventSchema.safeParse(rawEvent);
    if (!parsed.success) {
      throw new Error(
        `report event is invalid: ${parsed.error.issues.map((i) => i.message).join('; ')}. Send {} for the last full week, or {"week":"2026-W47","instance":"acme","resend":true}`,
      );
    }
    const event = parsed.data;
    if (event.instance !== undefined && !config.instances.includes(event.instance)) {
      throw new Error(
        `instance "${event.instance}" is not reported by this function; it reports: ${config.instances.join(', ')}`,
      );
    }
    const instances = event.instance ? [event.instance] : config.instances;
    const reports: ReportSummary[] = [];
    const failures: { instance: string; message: string }[] = [];
    for (const instance of instances) {
      const remainingMs = context?.getRemainingTimeInMillis?.();
      if (remainingMs !== undefined && remainingMs < MIN_TIME_PER_INSTANCE_MS) {
        // Said out loud (and failing the run) rather than left for the timeout to cut silently.
        failures.push({
          instance,
          message: `not started: only ${Math.round(remainingMs / 1000)} s of the function's time were left; raise report.timeoutMinutes in cdk.json`,
        });
        continue;
      }
      const sink = new SummingMetricSink();
      try {
        const remainingTimeMs = context?.getRemainingTimeInMillis
          ? () => context.getRemainingTimeInMillis()
          : undefined;
        const outcome = await sendWeeklyReport(
          { engine, store, mailer, clock, log, metrics: sink, remainingTimeMs },
          {
            instance,
            timeZone: config.timeZone,
            from: config.sender,
            to: config.recipients,
            ...(event.week ? { week: event.week } : {}),
            ...(event.resend ? { resend: true } : {}),
          },
        );
        if (outcome.status === 'skipped') {
          const { marker: _marker, ...summary } = outcome;
          reports.push(summary);
        } else {
          const { model: _model, ...summary } = outcome;
          reports.push(summary);
          publish(instance, REPORT_METRICS.bytesScanned, MetricUnit.Bytes, outcome.bytesScanned);
        }
      } catch (error) {
        const message = (error as Error).message;
        logger.error('weekly report failed', { instance, error: message });
        failures.push({ instance, message });
      } finally {
        for (const [name, value] of Object.entries(sink.snapshot())) {
          publish(instance, name, MetricUnit.Count, value);
        }
      }
    }
    logger.info('weekly report run finished', { reports, failures: failures.length });
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

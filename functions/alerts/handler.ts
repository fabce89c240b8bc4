import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { S3Client } from '@aws-sdk/client-s3';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SNSClient } from '@aws-sdk/client-sns';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { MailAlertChannel } from '../adapters/mail-alert-channel.ts';
import { S3ObjectStore } from '../adapters/s3-store.ts';
import { type SdkHttpBounds, sdkRequestHandler } from '../adapters/sdk-http.ts';
import { createSesClient, SesMailer } from '../adapters/ses-mailer.ts';
import { SnsAlertChannel } from '../adapters/sns-alert-channel.ts';
import { createSnsClient } from '../adapters/sns-client.ts';
import type { AlertChannel } from '../core/alerts/alert-channel.ts';
import { inAthena } from '../core/alerts/dig-further.ts';
import { type AlertsRunSummary, runAlerts } from '../core/alerts/run-alerts.ts';
import { testAlertMessage } from '../core/alerts/test-alert-message.ts';
import { archivedAlerts } from '../core/alerts/unlisted-alerts.ts';
import type { Clock, ObjectStore } from '../core/ports.ts';
import { systemClock } from '../core/runtime.ts';
import { log, logger, metrics } from '../shared/powertools.ts';
import { peakMemoryBytes, runMemoryBytes } from '../shared/run-memory.ts';
import { SummingMetricSink } from '../shared/summing-metric-sink.ts';
import { INSTANCE_DIMENSION, stackDimension } from '../shared/telemetry.ts';
import { readAlertsEnv } from './config.ts';
import { alertsStateSeen, isTestEvent, sendTestAlert, type TestAlertResult } from './test-alert.ts';

interface AlertsHandlerOverrides {
  env?: Record<string, string | undefined>;
  s3Client?: S3Client;
  snsClient?: SNSClient;
  sesClient?: SESv2Client;
  clock?: Clock;
  /** Replaces the S3 lake (tests use the memory store). */
  store?: ObjectStore;
  /** The network bounds of the S3 client (tests use short ones). */
  sdkHttp?: SdkHttpBounds;
}

interface AlertsRunResult {
  instance: string;
  hoursEvaluated: number;
  /** Alerts taken in to be sent. */
  raised: number;
  /** Per rule of the expected-activity list, the alerts it quieted (archived, not sent). */
  quieted: NonNullable<AlertsRunSummary['quieted']>;
  expiredRules?: AlertsRunSummary['expiredRules'];
  /** Per rule, the alerts it matches but may not quiet, made acting as other users (sent). */
  actingAsOthers?: AlertsRunSummary['actingAsOthers'];
  deliveries: AlertsRunSummary['deliveries'];
}

/** Thrown after the run is recorded when a delivery failed, so the Errors alarm and async retries see it. */
export class AlertDeliveryError extends Error {
  constructor(readonly failures: string[]) {
    super(`alert delivery failed: ${failures.join('; ')}`);
    this.name = 'AlertDeliveryError';
  }
}

/** What an invocation returns (and logs) of its run. */
const runResult = (instance: string, summary: AlertsRunSummary): AlertsRunResult => ({
  instance,
  hoursEvaluated: summary.hoursEvaluated,
  raised: summary.raised.length,
  quieted: summary.quieted ?? [],
  ...(summary.expiredRules ? { expiredRules: summary.expiredRules } : {}),
  ...(summary.actingAsOthers ? { actingAsOthers: summary.actingAsOthers } : {}),
  deliveries: summary.deliveries,
});

/**
 * The alerts Lambda of one instance. Invoked asynchronously after each successful ingest run (the
 * ingest function's on-success destination), with any event: it evaluates the hours the ingest
 * completed since its own checkpoint and delivers new alerts to SNS (and SES when recipients are
 * set). The ingest never waits for it, and nothing it does can hold the watermark back. Invoked
 * with `{"test": true}` it only sends a test message through the channels and returns their answers.
 */
export function createAlertsHandler(overrides: AlertsHandlerOverrides = {}) {
  const config = readAlertsEnv(overrides.env ?? process.env);
  metrics.setDefaultDimensions(stackDimension(config.stack));
  const clock = overrides.clock ?? systemClock;
  const store =
    overrides.store ??
    new S3ObjectStore({
      client: overrides.s3Client ?? new S3Client({ requestHandler: sdkRequestHandler(overrides.sdkHttp) }),
      bucket: config.bucket,
      prefix: config.prefix,
    });
  const channels: AlertChannel[] = [
    new SnsAlertChannel(overrides.snsClient ?? createSnsClient(), config.topicArn),
  ];
  if (config.recipients.length > 0) {
    const mailer = new SesMailer({
      client: overrides.sesClient ?? createSesClient(),
      // Bounces and complaints come back only as events of the set the mail was sent with.
      ...(config.configurationSet ? { configurationSetName: config.configurationSet } : {}),
    });
    channels.push(new MailAlertChannel(mailer, config.sender, config.recipients));
  }

  // The messages' queries name the stack's database and workgroup: pasted into a console with
  // another database chosen, `FROM activity_log` would fail.
  const catalog = { database: config.database, workGroup: config.workGroup };
  const wording = { unlisted: archivedAlerts(catalog), digFurther: inAthena(catalog) };

  const test = async (): Promise<TestAlertResult> => {
    const message = testAlertMessage(config.instance, clock.now(), config.settings.timeZone);
    const answers = await sendTestAlert(channels, message);
    const state = await alertsStateSeen(store, config.instance);
    logger.info('test alert sent', { instance: config.instance, channels: answers, state });
    return { instance: config.instance, test: true, channels: answers, state };
  };

  const run = async (event: unknown, context?: Context): Promise<AlertsRunResult | TestAlertResult> => {
    if (isTestEvent(event)) return test();
    const sink = new SummingMetricSink();
    const remainingTimeMs = context?.getRemainingTimeInMillis
      ? () => context.getRemainingTimeInMillis()
      : undefined;
    try {
      const summary = await runAlerts(
        {
          store,
          clock,
          log,
          metrics: sink,
          channels,
          ...wording,
          ...(remainingTimeMs ? { remainingTimeMs } : {}),
          memoryBytes: runMemoryBytes(),
          peakMemoryBytes,
        },
        {
          instance: config.instance,
          settings: config.settings,
          runId: context?.awsRequestId ?? `run-${clock.now()}`,
          expected: config.expected ?? [],
          ...(config.maxDays === undefined ? {} : { maxDays: config.maxDays }),
        },
      );
      const result = runResult(config.instance, summary);
      logger.info('alerts run finished', { ...result });
      const failures = summary.deliveries.flatMap((d) =>
        'error' in d ? [`${d.channel}: ${d.status}: ${d.error}`] : [],
      );
      if (failures.length > 0) throw new AlertDeliveryError(failures);
      return result;
    } finally {
      for (const [name, value] of Object.entries(sink.snapshot())) {
        const single = metrics.singleMetric();
        single.addDimension(INSTANCE_DIMENSION, config.instance);
        single.addMetric(name, MetricUnit.Count, value);
      }
    }
  };

  return middy<unknown, AlertsRunResult | TestAlertResult>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(run);
}

let built: ReturnType<typeof createAlertsHandler> | undefined;

/** The Lambda entry point, built on first use so a bad environment is a logged invocation error. */
export const handler = (event: unknown, context: Context) => {
  built ??= createAlertsHandler();
  return built(event, context);
};

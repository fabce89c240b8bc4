import { createHash } from 'node:crypto';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { S3Client } from '@aws-sdk/client-s3';
import middy, { type MiddlewareObj } from '@middy/core';
import secretsManager from '@middy/secrets-manager';
import type { Context } from 'aws-lambda';
import { containerGeo } from '../adapters/geo-file-lookup.ts';
import { createKmsClient, KmsDigestSigner } from '../adapters/kms-digest-signer.ts';
import { assertConditionalWrites, S3ObjectStore } from '../adapters/s3-store.ts';
import { type SdkHttpBounds, sdkRequestHandler } from '../adapters/sdk-http.ts';
import { createAuditClient } from '../core/domo/audit-client.ts';
import { parseDomoSecret, secretFixSteps } from '../core/domo/domo-secret.ts';
import { refusesCredentials, type TokenShelf } from '../core/domo/token-provider.ts';
import { errorMessage } from '../core/error-message.ts';
import { earliestFailure } from '../core/ingest/earliest-failure.ts';
import { defaultIngestConfig, heldCharsForMemory } from '../core/ingest/ingest-config.ts';
import { INGEST_METRICS, USUALLY_ZERO_INGEST_METRICS } from '../core/ingest/ingest-metrics.ts';
import type { IngestSummary } from '../core/ingest/ingest-types.ts';
import { noteRunForStatus } from '../core/ingest/record-last-run.ts';
import { runIngest } from '../core/ingest/run-ingest.ts';
import { runFailed } from '../core/ingest/run-verdict.ts';
import { shownCustomer } from '../core/lake/instance-mismatch-error.ts';
import { recordRunFailedToStart } from '../core/lake/last-run.ts';
import type { Clock, DomoCredentials, Sleep } from '../core/ports.ts';
import { realClientWaits, realRandom, realSleep, systemClock } from '../core/runtime.ts';
import { log, logger, metrics } from '../shared/powertools.ts';
import { runMemoryBytes } from '../shared/run-memory.ts';
import { SummingMetricSink } from '../shared/summing-metric-sink.ts';
import { HANDLER_METRICS, INSTANCE_DIMENSION, stackDimension } from '../shared/telemetry.ts';
import { categoryRulesFromEnv, readIngestEnv } from './config.ts';
import { assertRePullHours, type IngestRequest, readIngestEvent } from './ingest-event.ts';
import { lambdaRunner } from './lambda-runner.ts';
import { withRestartField } from './restart-field-hint.ts';
import { explainSecretFetchError } from './secret-fetch-error.ts';

/**
 * How long a fetched secret is reused: not at all, it is read at the start of every invocation. A
 * put or rotated client secret is then used by the next run. middy's caching refreshes an expired
 * secret in the background on a timer, whose rejected fetch (a throttled or unreachable Secrets
 * Manager) nobody awaits: an unhandled rejection, which the Lambda runtime answers by ending the
 * invocation in progress, a long ingest run among them. A 15-minute schedule re-read the secret on
 * nearly every run with a 5-minute cache anyway (about 3,000 reads a month, $0.015).
 */
const SECRET_CACHE_MS = 0;

/** What makes the function's geo database loadable again (docs/operations.md, `<instance>-EventsUnplaced`). */
const GEO_LOAD_FIX =
  "redeploy from a checkout where npm ci ran, so the function's asset carries ip-geo.bin; a GEO_DB_PATH set on the function by hand points elsewhere: remove it";

/** The key the secret's value is put under on the Lambda context. */
const SECRET_KEY = 'domoSecret';

type IngestResult =
  | { status: 'skipped'; reason: 'secret-placeholder'; instance: string }
  | { status: 'ok'; summary: IngestSummary };

/** A run that failed windows or hit a fatal error; thrown after the summary is logged so Lambda retries and alarms. */
export class IngestRunError extends Error {
  constructor(readonly summary: IngestSummary) {
    const first = earliestFailure(summary.failures);
    super(
      `ingest of "${summary.instance}" (run ${summary.runId}${customerNamed(summary)}) failed: ${summary.failures.length} failure(s)${
        first
          ? `, first at ${new Date(first.windowStartMs).toISOString()}: ${withRestartField(first.message).replace(/\.$/, '')}`
          : ''
      }. ${whatIsLeft(summary, first?.message)}`,
    );
    this.name = 'IngestRunError';
  }
}

/**
 * The Domo customer whose activity the run read, as the failure message names it: the failure
 * queue is the stack's, one for every instance, and its records carry this message (review R-MSP).
 */
const customerNamed = (summary: IngestSummary): string =>
  summary.domoCustomer === undefined ? '' : `, Domo customer "${shownCustomer(summary.domoCustomer)}"`;

/**
 * What becomes of the hours a failed run left: the schedule pulls them again (the watermark stops
 * before a failed hour, and within the lookback of a failed lookback hour), but nothing pulls a
 * re-pull's hours again unless it is invoked again. A re-pull whose credentials were refused is
 * most often the rotation check (docs/operations.md, "Rotating the secret"), one hour: what to do
 * is about the secret, and the range's "from" is the one just sent unless some hours were saved.
 */
function whatIsLeft(summary: IngestSummary, firstFailure = ''): string {
  if (summary.mode === 'checkpoint') return 'Finished windows are saved; the next run tries the rest again.';
  if (summary.resumeFrom === null) return 'Every hour of the range is saved.';
  if (refusesCredentials(firstFailure)) {
    const from = summary.windowsDone > 0 ? ` with "from" ${summary.resumeFrom}` : '';
    return `No hour is read until Domo accepts the credentials: put an id and secret it accepts (after a rotation, the value before is still in the secret as AWSPREVIOUS: docs/operations.md, "Rotating the secret", step 3), then invoke the re-pull again${from}.`;
  }
  return `Finished windows are saved, but no scheduled run pulls a re-pull's hours again: to finish the range, invoke the re-pull again with "from" ${summary.resumeFrom}.`;
}

/** The mode an invocation asked for; a malformed re-pull request is a re-pull all the same. */
function requestMode(event: unknown): IngestRequest['mode'] {
  try {
    return readIngestEvent(event).mode;
  } catch {
    return 'range';
  }
}

/** What tests (and only tests) swap out; production uses the defaults. */
interface IngestHandlerOverrides {
  env?: Record<string, string | undefined>;
  s3Client?: S3Client;
  clock?: Clock;
  /** Backoff and rate-limit waits of the Domo client. */
  sleep?: Sleep;
  /** Only for tests on s3rver, which ignores conditional writes: skips the probe that refuses such a store. */
  unsafeSkipConditionalWriteCheck?: boolean;
  /** The network bounds of the S3 and Secrets Manager clients (tests use short ones). */
  sdkHttp?: SdkHttpBounds;
}

type IngestContext = Context & { [SECRET_KEY]?: unknown };

/** The Lambda handler shape: the schedule's event or a re-pull request (see ingest-event.ts), and the Lambda context. */
type IngestLambdaHandler = (event: unknown, context: Context) => Promise<IngestResult>;

/**
 * Builds the ingest Lambda handler for the instance named in the environment: middy reads the
 * Domo secret (no import-time prefetch, short cache), Powertools adds the Lambda context to logs
 * and flushes metrics, and the ingest core does the work within the invocation's time budget.
 */
export function createIngestHandler(overrides: IngestHandlerOverrides = {}): IngestLambdaHandler {
  const env = overrides.env ?? process.env;
  const config = readIngestEnv(env);
  const clock = overrides.clock ?? systemClock;
  const requestHandler = sdkRequestHandler(overrides.sdkHttp);
  const store = new S3ObjectStore({
    client: overrides.s3Client ?? new S3Client({ requestHandler }),
    bucket: config.bucket,
    prefix: config.prefix,
  });
  const digestSigner = new KmsDigestSigner(createKmsClient(), config.digestKeyId);
  const ingestConfig = {
    ...defaultIngestConfig(config.instance),
    settleMinutes: config.settleMinutes,
    lookbackHours: config.lookbackHours,
    repullAfterHours: config.repullAfterHours,
    backfillDays: config.backfillDays,
    concurrency: config.concurrency,
    budgetMarginMs: config.budgetMarginMs,
    docTimeZone: config.docTimeZone,
    ...(config.domoCustomer === undefined ? {} : { domoCustomer: config.domoCustomer }),
    categoryRules: categoryRulesFromEnv(config.categoryRules),
    maxHeldChars: heldCharsForMemory(runMemoryBytes(env), config.concurrency),
    // What a read past its share may hold when it reads on, or again, alone (read-room.ts).
    maxHeldCharsAlone: heldCharsForMemory(runMemoryBytes(env), 1),
  };
  metrics.setDefaultDimensions({ ...stackDimension(config.stack), [INSTANCE_DIMENSION]: config.instance });
  // The customer configured for the instance on every line, so a log of one of several instances
  // (an MSP's customers) says whose run it is even when the run fails before reading a page.
  logger.appendPersistentKeys({
    instance: config.instance,
    ...(config.domoCustomer === undefined ? {} : { domoCustomer: config.domoCustomer }),
  });

  /**
   * An invocation that failed without a summary to record (a secret that cannot be read or used, a
   * store that ignores conditional writes, a corrupt checkpoint, a watermark in the future): logged
   * as a failed run is, and, for a scheduled run, recorded so that `status` stops showing the run
   * before as the last one. A re-pull leaves state/ alone, as when it succeeds. The original error
   * is what the invocation ends with: a record that cannot be written (the store may be the very
   * failure) is only logged.
   */
  const failedWithoutSummary = async (error: unknown, event: unknown): Promise<void> => {
    logger.error('ingest run failed', { error: errorMessage(error) });
    if (requestMode(event) !== 'checkpoint') return;
    await recordRunFailedToStart(
      store,
      config.instance,
      errorMessage(error),
      clock.now(),
      config.settleMinutes,
      'schedule',
      config,
    ).catch((recordError: unknown) =>
      logger.warn('could not record the run for status', { error: errorMessage(recordError) }),
    );
  };

  /**
   * Every failed invocation passes here, the secret's fetch by middy included (it fails before
   * `ingest` runs). A failed run that has a summary threw IngestRunError after recording it. Never
   * throws: middy would end the invocation with that error instead of the run's own.
   */
  const recordFailure: MiddlewareObj<unknown, IngestResult, Error, IngestContext> = {
    onError: async (request) => {
      if (request.error instanceof IngestRunError) return;
      try {
        await failedWithoutSummary(request.error, request.event);
      } catch {
        // Only the logger can throw here: the run's own error still ends the invocation.
      }
    },
  };

  /**
   * A note for the `status` command, by the core's rule (a re-pull leaves state/ alone); the run's
   * result stands even if it cannot be written. The bucket is the stack's: no run makes it.
   */
  const noteForStatus = async (summary: IngestSummary): Promise<void> => {
    const ended = { summary, stopped: summary.failures.length > 0, lakeMadeNow: false };
    await noteRunForStatus(store, ended, clock.now(), 'schedule', config.maxDays).catch((error: unknown) =>
      logger.warn('could not record the run for status', { error: errorMessage(error) }),
    );
  };

  /**
   * The last Domo token, kept for the next run while this container lives (memory only): a Domo
   * whose token endpoint alone is down then fails only the runs that need a new token. Keyed by a
   * hash of the instance, address and credentials, so a secret put or rotated never reuses a token
   * of the one before (review OUTAGE3).
   */
  let tokens: { key: string; shelf: TokenShelf } | undefined;
  const tokenShelf = (credentials: DomoCredentials): TokenShelf => {
    const key = createHash('sha256')
      .update(
        JSON.stringify([config.instance, config.apiBase, credentials.clientId, credentials.clientSecret]),
      )
      .digest('hex');
    if (tokens?.key !== key) tokens = { key, shelf: {} };
    return tokens.shelf;
  };

  const ingest = async (event: unknown, context: IngestContext): Promise<IngestResult> => {
    const request = readIngestEvent(event);
    assertRePullHours(request, clock.now(), ingestConfig.settleMinutes, config.lakeStartDate, config.maxDays);
    const secret = parseDomoSecret(config.secretId, context[SECRET_KEY]);
    if (secret.kind === 'placeholder') {
      logger.warn(
        'Domo credentials are not set: the secret still holds the placeholder the stack created, so this run is skipped',
        {
          secretId: config.secretId,
          fix: secretFixSteps(config.secretId),
        },
      );
      metrics.addMetric(HANDLER_METRICS.secretPlaceholder, MetricUnit.Count, 1);
      return { status: 'skipped', reason: 'secret-placeholder', instance: config.instance };
    }

    await assertConditionalWrites(store, config.instance, {
      unsafeSkip: overrides.unsafeSkipConditionalWriteCheck,
    });
    const sink = new SummingMetricSink(USUALLY_ZERO_INGEST_METRICS);
    // A test's sleep moves its clock, which the client then paces by; otherwise the real timer.
    const waits = overrides.sleep ? { sleep: overrides.sleep, pacingClock: clock } : {};
    const source = createAuditClient({
      apiBase: config.apiBase,
      credentials: secret.credentials,
      tokenShelf: tokenShelf(secret.credentials),
      fetch: globalThis.fetch,
      ...realClientWaits,
      clock,
      ...waits,
      log,
      onRetry: () => sink.count(INGEST_METRICS.apiRetries, 1),
      // The function reads no variables: a refusal names its secret and the runbook that puts it.
      credentialsSource: `the Secrets Manager secret "${config.secretId}" (docs/operations.md, "Rotating the secret")`,
    });
    let summary: IngestSummary;
    try {
      summary = await runIngest(
        {
          source,
          store,
          clock,
          log,
          metrics: sink,
          // Without its database the run still stores the events, and counts them (EventsUnplaced).
          ...containerGeo(log, env, GEO_LOAD_FIX),
          digestSigner,
          runner: lambdaRunner(event, request, context, config.apiBase),
          remainingTimeMs: () => context.getRemainingTimeInMillis(),
          sleep: realSleep,
          random: realRandom,
        },
        ingestConfig,
        {
          ...(request.mode === 'range' ? { range: { fromMs: request.fromMs, toMs: request.toMs } } : {}),
          ...(request.restartDigestChain ? { restartDigestChain: true } : {}),
          maxDays: config.maxDays,
        },
      );
    } finally {
      sink.publishTo(metrics);
    }
    await noteForStatus(summary);
    publishRunMetrics(summary);
    if (summary.digestRestart === 'not-begun')
      logger.warn('restartDigestChain was given, but the run wrote no digest: no chain was begun', {
        fix: 'once what stopped the run is fixed, invoke the function again with "restartDigestChain": true',
      });
    if (runFailed(summary)) {
      logger.error('ingest run failed', {
        runId: summary.runId,
        windowsFailed: summary.windowsFailed,
        failures: summary.failures.map((f) => ({
          window: new Date(f.windowStartMs).toISOString(),
          error: withRestartField(f.message),
        })),
      });
      throw new IngestRunError(summary);
    }
    // Only scheduled runs count: the no-successful-run alarm is about the schedule keeping the lake current.
    if (request.mode === 'checkpoint') metrics.addMetric(HANDLER_METRICS.runSucceeded, MetricUnit.Count, 1);
    return { status: 'ok', summary };
  };

  const wired = middy<unknown, IngestResult, Error, IngestContext>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    // Before the secret's middlewares: middy runs onError last registered first, so this records
    // the secret's fetch failure as explainSecretFetchError has worded it.
    .use(recordFailure)
    .use(
      secretsManager({
        fetchData: { [SECRET_KEY]: config.secretId },
        // Without bounds, a fetch on a dead connection would wait until the Lambda's timeout.
        awsClientOptions: { requestHandler },
        setToContext: true,
        cacheKey: `domo-secret:${config.secretId}`,
        cacheExpiry: SECRET_CACHE_MS,
        // No fetch at import time: tests mock the client first, and credential-less imports must not crash.
        disablePrefetch: true,
      }),
    )
    .use(explainSecretFetchError(config.secretId))
    .handler(ingest);
  // middy's typing adds the secret to the context; its middleware puts it there before `ingest` runs.
  return (event, context) => wired(event, context as Parameters<typeof wired>[1]);
}

/**
 * What the handler publishes from the run's summary, failed runs included: how far behind the lake
 * is, and how late, at least, Domo served the latest late event a scheduled run found. Not a
 * re-pull's: it finds by design what the lookback missed, always past the lookback's reach, and
 * would raise LateEventsNearLookback after every Domo incident someone re-pulled, whose runbook
 * would then ask for a lookback sized for a one-off. No lateness value without late events.
 */
function publishRunMetrics(summary: IngestSummary): void {
  if (summary.behindByMs !== null) {
    metrics.addMetric(HANDLER_METRICS.lagSeconds, MetricUnit.Seconds, Math.round(summary.behindByMs / 1000));
  }
  if (summary.lateByAtLeastMs !== null && summary.mode === 'checkpoint') {
    // Rounded down: a lower bound stays one.
    const seconds = Math.floor(summary.lateByAtLeastMs / 1000);
    metrics.addMetric(HANDLER_METRICS.lateEventDelaySeconds, MetricUnit.Seconds, seconds);
  }
}

let built: IngestLambdaHandler | undefined;

/**
 * The Lambda entry point. Built on the first invocation, so a bad environment surfaces as a logged
 * invocation error (counted by the Errors alarm) rather than an init crash.
 */
export const handler = async (event: unknown, context: Context): Promise<IngestResult> => {
  built ??= createIngestHandler();
  return built(event, context);
};

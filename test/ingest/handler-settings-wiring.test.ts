import { KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { clearCache } from '@middy/util';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { floorHour, HOUR_MS } from '../../functions/core/time-units.ts';
import { ingestEnvironment } from '../../functions/ingest/config.ts';
import { createIngestHandler, IngestRunError } from '../../functions/ingest/handler.ts';
import { type Simulator, type SimulatorOptions, startSimulator } from '../../functions/simulator/server.ts';
import { makeEntry, type SimEvent } from '../../functions/simulator/sim-event.ts';
import { type LocalS3, startLocalS3 } from '../adapters/s3rver-harness.ts';
import { fakeKmsKey } from '../support/fake-kms-signer.ts';
import { SAMPLE_INGEST_HANDLER_CONFIG } from '../support/ingest-handler-config.ts';

// The settings the handler computes or reads for the core beyond the shared ingest settings:
// each test sees a run go one way with the value the environment gives, and the other way with
// the core's default, so a handler that stops passing either one fails here.

const NOW = Date.parse('2026-11-20T12:34:00Z');
/** A closed hour, in the morning (UTC) so New York's wall clock is 5 h behind. */
const HOUR_START = floorHour(NOW) - 3 * HOUR_MS;
const BUCKET = 'ingest-settings-wiring';
const SIM_CLIENT = { clientId: 'sim-client', clientSecret: 'sim-secret' };

const secrets = mockClient(SecretsManagerClient);
const kms = mockClient(KMSClient);
const digestKey = fakeKmsKey();
let s3: LocalS3;
const simulators: Simulator[] = [];
let seq = 0;

const lambdaContext = (): Context => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'ingest-acme',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:ingest-acme',
  memoryLimitInMB: '128',
  awsRequestId: 'request',
  logGroupName: '/aws/lambda/ingest-acme',
  logStreamName: 'stream',
  getRemainingTimeInMillis: () => 600_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

/** `count` events spread over HOUR_START's hour, each with a comment of `commentChars` characters. */
const eventsInHour = (count: number, commentChars: number): SimEvent[] =>
  Array.from({ length: count }, (_, i) => ({
    timeMs: HOUR_START + Math.floor((i * HOUR_MS) / count),
    entry: makeEntry({
      user: { userId: String(1000 + (i % 5)), userName: `User ${i % 5}` },
      actionType: 'VIEWED',
      eventText: 'Viewed page',
      objectType: 'PAGE',
      objectId: String(i),
      objectName: `Page ${i}`,
      additionalComment: `${i} `.padEnd(commentChars, 'x'),
      session: { device: 'Desktop', browserDetails: 'Firefox', ipAddress: '203.0.113.7' },
    }),
  }));

/**
 * The handler run once against a simulator serving `events`, with `env`, asked to re-pull
 * HOUR_START's hour: the settings are the run's whatever its mode, and one hour is ~0.2 s against
 * ~1.5 s for the 24 hours of a backfill into s3rver, 23 of them empty.
 */
async function runHandler(
  events: SimEvent[],
  simOptions: SimulatorOptions,
  env: { docTimeZone?: string; extra?: Record<string, string> } = {},
) {
  const sim = await startSimulator({ clock: () => NOW, events, ...simOptions });
  simulators.push(sim);
  seq += 1;
  const secretId = `test/domo/wiring-${seq}`;
  secrets
    .on(GetSecretValueCommand, { SecretId: secretId })
    .resolves({ SecretString: JSON.stringify(SIM_CLIENT) });
  const run = createIngestHandler({
    env: {
      ...ingestEnvironment({
        ...SAMPLE_INGEST_HANDLER_CONFIG,
        bucket: BUCKET,
        prefix: `lake-${seq}`,
        secretId,
        apiBase: sim.url,
        backfillDays: 1,
        docTimeZone: env.docTimeZone ?? 'UTC',
        digestKeyId: digestKey.keyId,
      }),
      ...env.extra,
    },
    s3Client: s3.client,
    clock: { now: () => NOW },
    sleep: async () => undefined,
    unsafeSkipConditionalWriteCheck: true,
  });
  const hour = { from: new Date(HOUR_START).toISOString(), to: new Date(HOUR_START + HOUR_MS).toISOString() };
  return run({ rePull: hour }, lambdaContext());
}

beforeAll(async () => {
  s3 = await startLocalS3(BUCKET);
});
afterAll(async () => {
  secrets.restore();
  kms.restore();
  await Promise.all([s3?.stop(), ...simulators.map((sim) => sim.close())]);
});
beforeEach(() => {
  kms.on(SignCommand).callsFake((input) => digestKey.sign(input));
  // Powertools warns that each new handler sets the instance dimension again; not this test's concern.
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => {
  vi.restoreAllMocks();
  secrets.reset();
  kms.reset();
  clearCache();
});

describe('ingest handler settings reach the run', () => {
  it("reads Domo's zone-less time strings in DOMO_DOC_TIME_ZONE", async () => {
    const events = eventsInHour(6, 20);
    const result = await runHandler(
      events,
      { timeFormat: 'docString', docStringTimeZone: 'America/New_York' },
      { docTimeZone: 'America/New_York' },
    );

    // Read as UTC (the core's default) every time is 5 h early, outside the hour asked for: quarantined.
    expect(result.status).toBe('ok');
    if (result.status !== 'ok') return;
    expect(result.summary).toMatchObject({ eventsWritten: events.length, outOfWindow: 0, quarantined: 0 });
  });

  it("holds only what the Lambda function's memory size allows of one range", async () => {
    // 2 pages of 1,000 entries, ~8.6 M characters of JSON: under the core's default (128 MiB),
    // over what 32 MB of function memory allows (the 8 MiB floor, for a read alone too).
    const events = eventsInHour(2000, 4200);
    const error = await runHandler(events, {}, { extra: { AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '32' } }).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(IngestRunError);
    expect((error as IngestRunError).summary.failures[0]?.message).toContain(
      "Domo served more than 8 MiB of entries' JSON",
    );
  });

  it('reads an hour too heavy for its share again alone, with what a lone read may hold', async () => {
    // The same hour at 64 MB: over a share (the 8 MiB floor), under a lone read's sixth (10.7 MiB).
    const events = eventsInHour(2000, 4200);
    const result = await runHandler(events, {}, { extra: { AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '64' } });

    expect(result.status).toBe('ok');
    if (result.status !== 'ok') return;
    expect(result.summary).toMatchObject({ eventsWritten: events.length, failures: [] });
  });
});

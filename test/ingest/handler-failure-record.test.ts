import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { clearCache } from '@middy/util';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { S3ObjectStore } from '../../functions/adapters/s3-store.ts';
import { type LastRun, lastRunKey, readLastRun } from '../../functions/core/lake/last-run.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { createIngestHandler, IngestRunError } from '../../functions/ingest/handler.ts';
import { logger } from '../../functions/shared/powertools.ts';
import { type Simulator, startSimulator } from '../../functions/simulator/server.ts';
import { type LocalS3, startLocalS3 } from '../adapters/s3rver-harness.ts';
import { ingestHandlerOnSimulator } from '../support/ingest-handler-on-simulator.ts';

// A scheduled run that fails before it has a summary (the secret, the store) is recorded for
// `status` like one that fails in the ingest: otherwise status kept showing the good run before
// while IngestErrors fired (the R-M review's RM47c).

const NOW = Date.parse('2026-11-20T12:34:00Z');
const BUCKET = 'ingest-failure-record-test';
const secrets = mockClient(SecretsManagerClient);
let s3: LocalS3;
let sim: Simulator;
let seq = 0;

const context = {
  awsRequestId: 'request',
  functionName: 'ingest-acme',
  getRemainingTimeInMillis: () => 600_000,
} as unknown as Context;

/** A handler of instance `acme` with its own secret and lake prefix; `bucket` may be one s3rver lacks. */
function buildHandler({ bucket = BUCKET, probeConditionalWrites = false } = {}) {
  seq += 1;
  return ingestHandlerOnSimulator({
    create: createIngestHandler,
    s3Client: s3.client,
    bucket,
    storeBucket: BUCKET,
    apiBase: sim.url,
    seq,
    secretStem: 'record',
    now: NOW,
    digestKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/unused',
    concurrency: 2,
    probeConditionalWrites,
  });
}

/** The record a good scheduled run left 20 minutes before. */
const goodRun: LastRun = {
  version: 1,
  instance: 'acme',
  run_id: 'good-run',
  mode: 'checkpoint',
  finished_at: new Date(NOW - 20 * 60_000).toISOString(),
  finished_at_ms: NOW - 20 * 60_000,
  outcome: 'ok',
  hours_done: 1,
  hours_failed: 0,
  events_written: 12,
  quarantined: 0,
  watermark_ms: NOW - HOUR_MS,
  first_failure: null,
  settle_minutes: 15,
  trigger: 'schedule',
};

async function afterGoodRun(store: S3ObjectStore) {
  await store.put(lastRunKey('acme'), new TextEncoder().encode(`${JSON.stringify(goodRun)}\n`));
}

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('the invocation succeeded');
    },
    (error: unknown) => error as Error,
  );

beforeAll(async () => {
  [s3, sim] = await Promise.all([startLocalS3(BUCKET), startSimulator({ clock: () => NOW, events: [] })]);
});

afterAll(async () => {
  secrets.restore();
  await Promise.all([s3?.stop(), sim?.close()]);
});

beforeEach(() => {
  secrets.reset();
});

afterEach(() => {
  vi.restoreAllMocks();
  clearCache();
});

describe('a scheduled run that fails before it has a summary', () => {
  it('is recorded when the secret is in the wrong shape', async () => {
    const { run, secretId, store } = buildHandler();
    await afterGoodRun(store);
    secrets
      .on(GetSecretValueCommand, { SecretId: secretId })
      .resolves({ SecretString: JSON.stringify({ ClientId: 'c', ClientSecret: 'wrong-shape-value' }) });

    const error = await failureOf(run({ source: 'schedule' }, context));

    expect(error.message).toMatch(
      /is not usable: its field names are misspelled: rename "ClientId" to "clientId"/,
    );
    const record = await readLastRun(store, 'acme');
    expect(record).toMatchObject({
      outcome: 'failed',
      run_id: 'none (failed before planning)',
      finished_at_ms: NOW,
      trigger: 'schedule',
      first_failure: error.message,
      // The deployment's settings, for a verify run elsewhere (review F-VERIFY2 3).
      settle_minutes: 15,
      lookback_hours: 2,
      repull_after_hours: 24,
    });
    expect(JSON.stringify(record)).not.toContain('wrong-shape-value');
  });

  it('is recorded when the store ignores conditional writes', async () => {
    const { run, secretId, store } = buildHandler({ probeConditionalWrites: true });
    await afterGoodRun(store);
    secrets
      .on(GetSecretValueCommand, { SecretId: secretId })
      .resolves({ SecretString: JSON.stringify({ clientId: 'c', clientSecret: 's' }) });

    const error = await failureOf(run({}, context));

    expect(error.message).toMatch(/conditional/i);
    expect(await readLastRun(store, 'acme')).toMatchObject({
      outcome: 'failed',
      finished_at_ms: NOW,
      first_failure: error.message,
    });
  });

  it("is recorded when Secrets Manager cannot return the secret, in the handler's words", async () => {
    const { run, secretId, store } = buildHandler();
    await afterGoodRun(store);
    secrets.on(GetSecretValueCommand).rejects(
      new ResourceNotFoundException({
        message: "Secrets Manager can't find the specified secret.",
        $metadata: {},
      }),
    );

    const error = await failureOf(run({}, context));

    expect(error.message).toContain(`could not read the Domo secret "${secretId}"`);
    expect(await readLastRun(store, 'acme')).toMatchObject({
      outcome: 'failed',
      finished_at_ms: NOW,
      first_failure: error.message,
    });
  });

  it('keeps its own error, and only logs, when the record cannot be written either', async () => {
    const { run } = buildHandler({ bucket: 'no-such-bucket' });
    secrets.on(GetSecretValueCommand).rejects(
      new ResourceNotFoundException({
        message: "Secrets Manager can't find the specified secret.",
        $metadata: {},
      }),
    );
    const warn = vi.spyOn(logger, 'warn');

    const error = await failureOf(run({}, context));

    expect(error.message).toContain('could not read the Domo secret');
    expect(warn).toHaveBeenCalledWith('could not record the run for status', {
      error: expect.stringMatching(/bucket/i),
    });
  });

  it('is not recorded for a re-pull, which leaves state/ alone', async () => {
    const { run, secretId, store } = buildHandler();
    await afterGoodRun(store);
    secrets
      .on(GetSecretValueCommand, { SecretId: secretId })
      .resolves({ SecretString: JSON.stringify({ client_id: 'c', client_secret: 's' }) });
    const hour = Math.floor((NOW - 5 * HOUR_MS) / HOUR_MS) * HOUR_MS;
    const rePull = {
      rePull: { from: new Date(hour).toISOString(), to: new Date(hour + HOUR_MS).toISOString() },
    };

    await failureOf(run(rePull, context));

    expect(await readLastRun(store, 'acme')).toEqual(goodRun);
  });

  it('that ran and failed keeps the record of its summary', async () => {
    const { run, secretId, store } = buildHandler();
    secrets
      .on(GetSecretValueCommand, { SecretId: secretId })
      .resolves({ SecretString: JSON.stringify({ clientId: 'sim-client', clientSecret: 'revoked' }) });

    const error = await failureOf(run({}, context));

    expect(error).toBeInstanceOf(IngestRunError);
    const record = await readLastRun(store, 'acme');
    expect(record?.run_id).toBe((error as IngestRunError).summary.runId);
    expect(record).toMatchObject({ outcome: 'failed', trigger: 'schedule' });
  });
});

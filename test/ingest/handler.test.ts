import { KMSClient, SignCommand } from '@aws-sdk/client-kms';
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { clearCache } from '@middy/util';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  type MockInstance,
  vi,
} from 'vitest';
import type { S3ObjectStore } from '../../functions/adapters/s3-store.ts';
import { PLACEHOLDER_SECRET } from '../../functions/core/domo/domo-secret.ts';
import { INGEST_METRICS } from '../../functions/core/ingest/ingest-metrics.ts';
import { advanceStoredCheckpoint, readCheckpoint } from '../../functions/core/lake/checkpoint.ts';
import { writeCoverage } from '../../functions/core/lake/coverage.ts';
import { bindCustomer } from '../../functions/core/lake/customer-binding.ts';
import { decodeDigest, readDigestHead } from '../../functions/core/lake/digest.ts';
import { readLastRun } from '../../functions/core/lake/last-run.ts';
import { checkpointKey, customerBindingKey, tableInstancePrefix } from '../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip } from '../../functions/core/lake/ndjson.ts';
import { verifyIntegrity } from '../../functions/core/lake/verify-integrity.ts';
import { floorHour, HOUR_MS } from '../../functions/core/time-units.ts';
import type * as IngestHandlerModule from '../../functions/ingest/handler.ts';
import type * as PowertoolsModule from '../../functions/shared/powertools.ts';
import { type Simulator, startSimulator } from '../../functions/simulator/server.ts';
import { generateInstance } from '../../functions/simulator/synthetic-instance.ts';
import { type LocalS3, startLocalS3 } from '../adapters/s3rver-harness.ts';
import { coverageManifestOf } from '../support/coverage-manifest-fixture.ts';
import { fakeKmsKey } from '../support/fake-kms-signer.ts';
import { ingestHandlerOnSimulator } from '../support/ingest-handler-on-simulator.ts';

// The handler and its Powertools singletons, built for this file with the log level at DEBUG, so
// the no-secret-in-logs checks see every line the handler could write (the console spies below
// keep it off the test output). The logger reads its level once, when built, and other files in
// this worker built theirs SILENT: fresh project modules give this file its own, and the next
// file gets fresh ones again.
let ingest: typeof IngestHandlerModule;
let powertools: typeof PowertoolsModule;
type IngestRunError = IngestHandlerModule.IngestRunError;

beforeAll(async () => {
  const levelBefore = process.env.POWERTOOLS_LOG_LEVEL;
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
  vi.resetModules();
  try {
    ingest = await import('../../functions/ingest/handler.ts');
    powertools = await import('../../functions/shared/powertools.ts');
  } finally {
    process.env.POWERTOOLS_LOG_LEVEL = levelBefore;
  }
});
afterAll(() => {
  vi.resetModules();
});

const DAY_MS = 24 * HOUR_MS;
const NOW = Date.parse('2026-11-20T12:34:00Z');
const _clock = { now: () => NOW };
const BUCKET = 'ingest-handler-test';
const SIM_CLIENT = { clientId: 'sim-client', clientSecret: 'sim-secret' };

const secrets = mockClient(SecretsManagerClient);
const kms = mockClient(KMSClient);
const digestKey = fakeKmsKey();
let s3: LocalS3;
let sim: Simulator;
let secretSeq = 0;
let output: string[];
let metricCalls: MockInstance<typeof PowertoolsModule.metrics.addMetric>;
let timers: MockInstance<typeof setTimeout>;

const lambdaContext = (remainingMs: number | (() => number) = 600_000): Context => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'ingest-acme',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:ingest-acme',
  memoryLimitInMB: '1024',
  awsRequestId: `request-${secretSeq}`,
  logGroupName: '/aws/lambda/ingest-acme',
  logStreamName: 'stream',
  getRemainingTimeInMillis: typeof remainingMs === 'number' ? () => remainingMs : remainingMs,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

/**
 * A handler for instance `acme` on the simulator and s3rver. Each gets its own secret id (so
 * middy's per-secret cache never leaks between tests) and its own lake prefix.
 */
const buildHandler = (extraEnv: Record<string, string> = {}, { probeConditionalWrites = false } = {}) => {
  secretSeq += 1;
  return ingestHandlerOnSimulator({
    create: ingest.createIngestHandler,
    s3Client: s3.client,
    bucket: BUCKET,
    apiBase: sim.url,
    seq: secretSeq,
    secretStem: 'acme',
    now: NOW,
    digestKeyId: digestKey.keyId,
    concurrency: 4,
    extraEnv,
    probeConditionalWrites,
  });
};

/**
 * Makes `store` a lake a run has brought up to the hour before the last closed one (its checkpoint
 * put as the campaign puts its, rather than by a 24-hour backfill into s3rver), so that the next
 * run pulls that hour and its lookback: for the tests of what a run records or says, whatever
 * hours it pulls. Returns the watermark that next run reaches.
 */
async function oneHourBehind(store: S3ObjectStore): Promise<number> {
  const watermarkMs = floorHour(NOW - 15 * 60_000);
  await advanceStoredCheckpoint(store, 'acme', {
    watermarkMs: watermarkMs - HOUR_MS,
    // The lake holds no hour before it: none is due its later pull.
    repull: { repull_from_ms: watermarkMs - HOUR_MS },
    runId: 'seed',
    codeVersion: 'test',
    now: NOW,
  });
  return watermarkMs;
}

const putSecret = (secretId: string, secretString: string) =>
  secrets.on(GetSecretValueCommand, { SecretId: secretId }).resolves({ SecretString: secretString });

const keysUnder = async (store: S3ObjectStore, prefix = '') => {
  const keys: string[] = [];
  for await (const key of store.list(prefix)) keys.push(key);
  return keys;
};

/** The runner each digest of instance `acme` records (digest-runner.ts), in chain order. */
const runnersOf = async (store: S3ObjectStore) => {
  const runners: unknown[] = [];
  for (const key of (await keysUnder(store, 'digest/instance=acme/')).sort()) {
    const body = (await store.get(key))?.body ?? new Uint8Array();
    runners.push(JSON.parse(new TextDecoder().decode(body)).runner);
  }
  return runners;
};

/** Metric name → summed value, from what the handler added to Powertools Metrics. */
const metricTotals = () => {
  const totals: Record<string, number> = {};
  for (const [name, , value] of metricCalls.mock.calls) totals[name] = (totals[name] ?? 0) + value;
  return totals;
};

beforeAll(async () => {
  const events = generateInstance({
    seed: 'ingest-handler',
    fromMs: NOW - 2 * DAY_MS,
    toMs: NOW,
    users: 6,
  }).events;
  [s3, sim] = await Promise.all([startLocalS3(BUCKET), startSimulator({ clock: () => NOW, events })]);
});

afterAll(async () => {
  secrets.restore();
  kms.restore();
  await Promise.all([s3?.stop(), sim?.close()]);
});

beforeEach(() => {
  secrets.reset();
  kms.reset();
  kms.on(SignCommand).callsFake((input) => digestKey.sign(input));
  output = [];
  // POWERTOOLS_DEV (vitest env) makes Powertools write through the global console.
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      output.push(args.map(String).join(' '));
    });
  }
  metricCalls = vi.spyOn(powertools.metrics, 'addMetric');
  timers = vi.spyOn(globalThis, 'setTimeout');
});

afterEach(() => {
  vi.restoreAllMocks();
  clearCache();
});

describe('ingest handler', () => {
  it('pulls every closed hour of the backfill into the lake and reports it in metrics', async () => {
    const { run, secretId, store } = buildHandler();
    putSecret(secretId, JSON.stringify(SIM_CLIENT));

    const result = await run({ source: 'schedule' }, lambdaContext());

    const firstMs = floorHour(NOW - DAY_MS);
    const endMs = floorHour(NOW - 15 * 60_000);
    expect(result.status).toBe('ok');
    if (result.status !== 'ok') return;
    expect(result.summary).toMatchObject({
      windowsPlanned: 24,
      windowsDone: 24,
      windowsFailed: 0,
      stoppedEarly: null,
    });
    expect(result.summary.watermarkAfterMs).toBe(endMs);

    const expected = sim.groundTruth().filter((e) => e.timeMs >= firstMs && e.timeMs < endMs && !e.malformed);
    expect(expected.length).toBeGreaterThan(0);
    const stored: { event_id: string; event_time_ms: number }[] = [];
    for (const key of await keysUnder(store, tableInstancePrefix('activity_log', 'acme'))) {
      const object = await store.get(key);
      stored.push(...(decodeNdjsonGzip(object?.body ?? new Uint8Array(), key) as typeof stored));
    }
    expect(stored).toHaveLength(expected.length);
    expect(new Set(stored.map((r) => r.event_id)).size).toBe(expected.length);
    expect(stored.map((r) => r.event_time_ms).sort()).toEqual(expected.map((e) => e.timeMs).sort());
    expect(await keysUnder(store, tableInstancePrefix('coverage', 'acme'))).toHaveLength(24);
    // The instance the lake now belongs to: the customer the simulator's token answers name.
    expect(
      JSON.parse(new TextDecoder().decode((await store.get(customerBindingKey('acme')))?.body)),
    ).toMatchObject({
      customer: 'simulated-0',
    });

    expect(metricTotals()).toMatchObject({
      EventsWritten: expected.length,
      WindowsCompleted: 24,
      LagSeconds: (NOW - endMs) / 1000,
      RunSucceeded: 1,
    });
    expect(metricTotals().WindowsFailed).toBeUndefined();
    // The geo database loaded: no EventsUnplaced data point at all (its alarm treats that as OK).
    expect(metricTotals()[INGEST_METRICS.eventsUnplaced]).toBeUndefined();
    expect(result.summary).toMatchObject({ eventsUnplaced: 0, geoUnavailable: null });
    // No late event (every hour pulled for the first time): no lateness data point either.
    expect(metricTotals().LateEventDelaySeconds).toBeUndefined();
    // Every digest signed with the stack's key, checkable offline with its public key alone.
    const integrity = await verifyIntegrity(store, 'acme', { publicKey: digestKey.publicKeyBase64 });
    expect(integrity).toMatchObject({ ok: true, problems: [] });
    expect(integrity.signedDigests).toBe(integrity.digests);
    expect(kms.commandCalls(SignCommand)).toHaveLength(integrity.digests);
    // Each digest, signed, names the function and invocation that ran it and the API it read: a
    // recipient matches them with the key's Sign events and the function's logs.
    const runners = await runnersOf(store);
    expect(runners.length).toBe(integrity.digests);
    for (const runner of runners)
      expect(runner).toEqual({
        trigger: 'schedule',
        api_base: new URL(sim.url).origin,
        caller: {
          kind: 'lambda',
          function_arn: 'arn:aws:lambda:eu-west-1:123456789012:function:ingest-acme',
          function_name: 'ingest-acme',
          function_version: '$LATEST',
          request_id: `request-${secretSeq}`,
          log_group: '/aws/lambda/ingest-acme',
          log_stream: 'stream',
        },
      });
    expect(output.length).toBeGreaterThan(0);
    expect(output.join('\n')).not.toContain(SIM_CLIENT.clientSecret);
  });

  it('without its geo database still fills the lake, and publishes EventsUnplaced with the reason logged', async () => {
    const { run, secretId, store } = buildHandler({ GEO_DB_PATH: '/nonexistent/ip-geo.bin' });
    putSecret(secretId, JSON.stringify(SIM_CLIENT));
    // An hourly run, not the day's backfill (~1 s into s3rver): a lake complete up to three hours
    // ago, so the run takes those and its two of lookback.
    const watermarkMs = floorHour(NOW - 15 * 60_000) - 3 * HOUR_MS;
    await advanceStoredCheckpoint(store, 'acme', {
      watermarkMs,
      // The lake holds no hour before it: none is due its later pull.
      repull: { repull_from_ms: watermarkMs },
      runId: 'seed',
      codeVersion: 'test',
      now: NOW,
    });

    const result = await run({ source: 'schedule' }, lambdaContext());

    expect(result.status).toBe('ok');
    if (result.status !== 'ok') return;
    const { summary } = result;
    expect(summary.windowsDone).toBe(5);
    expect(summary.eventsWritten).toBeGreaterThan(0);
    expect(summary.eventsUnplaced).toBeGreaterThan(0);
    expect(summary.geoUnavailable).toMatch(
      /^cannot read the geo database \/nonexistent\/ip-geo\.bin \(ENOENT/,
    );
    expect(metricTotals()).toMatchObject({
      [INGEST_METRICS.eventsUnplaced]: summary.eventsUnplaced,
      RunSucceeded: 1,
    });
    const warning = output.find((line) => line.includes('events stored without geo columns'));
    expect(warning).toContain('/nonexistent/ip-geo.bin');
    // The load error is logged with the deployed function's fix: a redeploy.
    const unavailable = output.find((line) => line.includes('geo database unavailable'));
    expect(unavailable).toContain('/nonexistent/ip-geo.bin');
    expect(unavailable).toContain(
      "redeploy from a checkout where npm ci ran, so the function's asset carries ip-geo.bin",
    );
    expect(output.join('\n')).not.toContain(SIM_CLIENT.clientSecret);
  });

  it('skips with a warning and a metric while the secret still holds the placeholder', async () => {
    const { run, secretId, store } = buildHandler();
    putSecret(secretId, JSON.stringify(PLACEHOLDER_SECRET));
    const requestsBefore = sim.stats().requests;

    const result = await run({}, lambdaContext());

    expect(result).toEqual({ status: 'skipped', reason: 'secret-placeholder', instance: 'acme' });
    expect(metricTotals()).toEqual({ SecretPlaceholder: 1 });
    const warning = output.find((line) => line.includes('still holds the placeholder'));
    expect(warning).toContain(`aws secretsmanager put-secret-value --secret-id ${secretId}`);
    const { fix } = JSON.parse(warning ?? '{}') as { fix?: string };
    // Through a private file, removed after; each shell's command (echo off, removed on Ctrl-C
    // too) is where the fix points, not in it (bash's could not run in PowerShell).
    expect(fix).toContain('a new file only you can read');
    expect(fix).toContain('--secret-string file://<that file>, then remove the file');
    expect(fix).toContain('README step 4 (bash, zsh) and docs/windows.md (PowerShell)');
    expect(fix).not.toContain('/tmp/');
    expect(warning).not.toMatch(/--secret-string '/);
    expect(sim.stats().requests).toBe(requestsBefore);
    expect(await keysUnder(store)).toEqual([]);
  });

  it('reads the secret at every invocation, so a secret put after deploy is used by the next run', async () => {
    const { run, secretId } = buildHandler();
    putSecret(secretId, JSON.stringify(PLACEHOLDER_SECRET));
    expect((await run({}, lambdaContext())).status).toBe('skipped');

    putSecret(secretId, JSON.stringify(SIM_CLIENT));
    // Little time left: the run starts (the secret is good) but pulls nothing, which is all this needs
    // (being behind, it then fails as a run without progress rather than skipping).
    const outcome = await run({}, lambdaContext(30_000)).then(
      (result) => result.status,
      (error: unknown) => (error instanceof ingest.IngestRunError ? error.summary.outcome : error),
    );
    expect(outcome).toBe('no-progress');
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('leaves no timer to re-read the secret behind an invocation', async () => {
    // A background refresh's failed fetch is a rejection nobody awaits: in Lambda it ends the
    // invocation that happens to run; in this suite it surfaced minutes later in another file.
    const { run, secretId } = buildHandler();
    putSecret(secretId, JSON.stringify(PLACEHOLDER_SECRET));
    await run({}, lambdaContext());
    const long = timers.mock.calls.filter(([, ms]) => typeof ms === 'number' && ms >= 60_000);
    expect(long).toEqual([]);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it.each([
    [
      'truncated JSON',
      '{"clientId":"id-42","clientSecret":"malformed-secret-value"',
      /SecretString is not a JSON object/,
    ],
    [
      'a misnamed field',
      '{"clientId":"id-42","ClientSecret":"malformed-secret-value"}',
      /rename "ClientSecret" to "clientSecret"/,
    ],
  ])('fails clearly on %s, naming the secret but never its value', async (_what, secretString, problem) => {
    const { run, secretId } = buildHandler();
    putSecret(secretId, secretString);

    const error = await run({}, lambdaContext()).then(
      () => undefined,
      (e: unknown) => e as Error,
    );

    expect(error?.message).toMatch(problem);
    expect(error?.message).toContain(`"${secretId}"`);
    expect(error?.message).not.toContain('malformed-secret-value');
    expect(output.join('\n')).not.toContain('malformed-secret-value');
  });

  it('names the secret when Secrets Manager cannot return it', async () => {
    const { run, secretId } = buildHandler();
    secrets.on(GetSecretValueCommand).rejects(
      new ResourceNotFoundException({
        message: "Secrets Manager can't find the specified secret.",
        $metadata: {},
      }),
    );

    await expect(run({}, lambdaContext())).rejects.toThrow(
      new RegExp(
        `could not read the Domo secret "${secretId}" from Secrets Manager \\(ResourceNotFoundException: Secrets Manager can't find`,
      ),
    );
  });

  it('throws after logging the summary when windows fail, so Lambda retries and the alarms fire', async () => {
    const { run, secretId } = buildHandler();
    putSecret(secretId, JSON.stringify({ clientId: 'sim-client', clientSecret: 'revoked-secret-value' }));

    const error = await run({}, lambdaContext()).then(
      () => undefined,
      (e: unknown) => e as Error,
    );

    expect(error).toBeInstanceOf(ingest.IngestRunError);
    expect((error as IngestRunError).summary.stoppedEarly).toBe('fatal-error');
    expect(error?.message).toMatch(/^ingest of "acme" \(run .+\) failed: \d+ failure\(s\), first at /);
    // The first failure's own full stop is dropped before the sentence goes on.
    expect(error?.message).toMatch(/[^.]\. Finished windows are saved; the next run tries the rest again\.$/);
    expect(metricTotals().WindowsFailed).toBeGreaterThan(0);
    expect(metricTotals().RunSucceeded).toBeUndefined();
    expect(output.some((line) => line.includes('ingest run failed'))).toBe(true);
    expect(`${error?.message}\n${output.join('\n')}`).not.toContain('revoked-secret-value');
    // The function's own secret and runbook, not variables it does not read (review R-SRE L3).
    expect(error?.message).toContain(`rejected the credentials of API client 'sim-client'`);
    expect(error?.message).toContain(
      `check the Secrets Manager secret "${secretId}" (docs/operations.md, "Rotating the secret")`,
    );
    expect(error?.message).not.toContain('DOMO_CLIENT_ID');
  });

  it("reuses a warm container's token while Domo's token endpoint alone is down, never after the secret changed", async () => {
    const { run, secretId } = buildHandler();
    putSecret(secretId, JSON.stringify(SIM_CLIENT));
    const hour = (n: number) => {
      const fromMs = floorHour(NOW - (6 - n) * HOUR_MS);
      const range = { from: new Date(fromMs).toISOString(), to: new Date(fromMs + HOUR_MS).toISOString() };
      return { rePull: range };
    };
    expect((await run(hour(0), lambdaContext())).status).toBe('ok');
    const issued = sim.stats().tokensIssued;

    // Review OUTAGE3: each run asked for a new token, so this outage failed every run.
    sim.setFaults({ tokenEndpoint: true, tokenEndpointOnly: true, rate5xx: 1 });
    try {
      const again = await run(hour(1), lambdaContext());
      expect(again.status).toBe('ok');
      expect(sim.stats().tokensIssued).toBe(issued);
      expect(output.some((line) => line.includes('Domo access token of an earlier run reused'))).toBe(true);

      // A rotated secret asks for a token of its own (refused here: the simulator knows no such secret).
      putSecret(secretId, JSON.stringify({ ...SIM_CLIENT, clientSecret: 'rotated-secret-value' }));
      sim.setFaults({ tokenEndpoint: false, tokenEndpointOnly: false, rate5xx: 0 });
      const rotated = await run(hour(2), lambdaContext()).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(rotated?.message).toContain(`rejected the credentials of API client 'sim-client'`);
    } finally {
      sim.setFaults({ tokenEndpoint: false, tokenEndpointOnly: false, rate5xx: 0 });
    }
  });

  it('shows a wrong secret to Domo only in a run with an hour to pull: the rotation runbook re-pulls one', async () => {
    // docs/operations.md, "Rotating the secret", step 3 (review ROTATE): "the next run" was the check.
    const { run, secretId, store } = buildHandler();
    putSecret(secretId, JSON.stringify(SIM_CLIENT));
    const watermarkMs = await oneHourBehind(store);
    expect((await run({}, lambdaContext())).status).toBe('ok');

    putSecret(secretId, JSON.stringify({ ...SIM_CLIENT, clientSecret: 'mistyped-secret-value' }));
    const idle = await run({}, lambdaContext());
    expect(idle.status === 'ok' && idle.summary.requests).toBe(0);

    const range = {
      from: new Date(watermarkMs - HOUR_MS).toISOString(),
      to: new Date(watermarkMs).toISOString(),
    };
    const check = await run({ rePull: range }, lambdaContext()).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(check?.message).toContain(`rejected the credentials of API client 'sim-client'`);
    expect(check?.message).not.toContain('mistyped-secret-value');
    // What to do is about the secret: the re-pull's own "from", the one just sent, is noise here.
    expect(check?.message).not.toContain('no scheduled run pulls');
    expect(check?.message).toMatch(
      /No hour is read until Domo accepts the credentials: .*AWSPREVIOUS.*then invoke the re-pull again\.$/,
    );
  });

  it('names the Domo customer whose activity the run read in its summary and log lines (review R-MSP)', async () => {
    // No customer configured: the one the credentials' token named, once a page passed the checks.
    // Two hours, not a 24-hour backfill: the name comes from the first page, whichever hour it is.
    const unset = buildHandler({ INGEST_LOOKBACK_HOURS: '1' });
    putSecret(unset.secretId, JSON.stringify(SIM_CLIENT));
    await oneHourBehind(unset.store);
    const read = await unset.run({ source: 'schedule' }, lambdaContext());
    expect(read.status === 'ok' && read.summary.windowsDone).toBe(2);
    expect(read.status === 'ok' && read.summary.domoCustomer).toBe('simulated-0');
    const finished = output.find((line) => line.includes('ingest run finished'));
    expect(JSON.parse(finished ?? '{}')).toMatchObject({ instance: 'acme', domoCustomer: 'simulated-0' });

    // Configured, and the run fails before any page (a revoked client): every line and the failure
    // (which the shared failure queue keeps) still say whose run it was.
    output.length = 0;
    const configured = buildHandler({ DOMO_CUSTOMER: 'simulated-0' });
    putSecret(
      configured.secretId,
      JSON.stringify({ clientId: 'sim-client', clientSecret: 'revoked-secret-value' }),
    );
    const error = await configured.run({}, lambdaContext()).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(ingest.IngestRunError);
    expect(error?.message).toMatch(/^ingest of "acme" \(run [^,)]+, Domo customer "simulated-0"\) failed: /);
    const failed = output.find((line) => line.includes('"ingest run failed"'));
    expect(JSON.parse(failed ?? '{}')).toMatchObject({ instance: 'acme', domoCustomer: 'simulated-0' });
  });

  it("refuses credentials of another Domo customer than the lake's: nothing stored, watermark kept", async () => {
    const { run, secretId, store } = buildHandler();
    putSecret(secretId, JSON.stringify(SIM_CLIENT));
    // The simulator's token answers name `simulated-0`; the lake was filled from another instance.
    const watermarkMs = floorHour(NOW - 6 * HOUR_MS);
    const stored = await advanceStoredCheckpoint(store, 'acme', {
      watermarkMs,
      runId: 'earlier',
      codeVersion: 'x',
      now: watermarkMs,
    });
    await bindCustomer(store, {
      instance: 'acme',
      customer: 'instance-a',
      runId: 'earlier',
      now: watermarkMs,
    });

    const error = await run({}, lambdaContext()).then(
      () => undefined,
      (e: unknown) => e as Error,
    );

    expect(error).toBeInstanceOf(ingest.IngestRunError);
    expect(error?.message).toContain(
      'instance "acme" of this lake was filled from Domo customer "instance-a", but these credentials are for Domo customer "simulated-0"',
    );
    // No page passed the check: the refused customer is not named as the one whose data the run read.
    expect((error as IngestRunError).summary.domoCustomer).toBeUndefined();
    expect(await keysUnder(store, tableInstancePrefix('activity_log', 'acme'))).toEqual([]);
    expect((await readCheckpoint(store, 'acme'))?.checkpoint.watermark_ms).toBe(
      stored.checkpoint.watermark_ms,
    );
    expect(`${error?.message}\n${output.join('\n')}`).not.toContain(SIM_CLIENT.clientSecret);
  });

  it('logs and records a run that fails before planning (a corrupt checkpoint), then fails', async () => {
    const { run, secretId, store } = buildHandler();
    putSecret(secretId, JSON.stringify(SIM_CLIENT));
    const checkpoint = {
      version: 1,
      instance: 'acme',
      watermark_ms: floorHour(NOW - 3 * HOUR_MS),
      watermark: new Date(floorHour(NOW - 5 * HOUR_MS)).toISOString(),
      updated_at: '',
      run_id: 'edited',
      code_version: 'x',
    };
    await store.put(checkpointKey('acme'), new TextEncoder().encode(JSON.stringify(checkpoint)));

    await expect(run({}, lambdaContext())).rejects.toThrow(/is corrupt \(watermark .* disagree/);
    expect(output.some((line) => line.includes('ingest run failed') && line.includes('is corrupt'))).toBe(
      true,
    );
    expect(await readLastRun(store, 'acme')).toMatchObject({
      outcome: 'failed',
      hours_done: 0,
      first_failure: expect.stringMatching(/is corrupt \(watermark/),
    });
  });

  // verify and status read the lake's retention.maxDays from this record (review R-PRIVACY H1).
  it("records the deployment's retention.maxDays with the run, null when it keeps everything", async () => {
    for (const [extraEnv, expected] of [
      [{ LAKE_MAX_DAYS: '400' }, 400],
      [{}, null],
    ] as const) {
      const { run, secretId, store } = buildHandler({ ...extraEnv, INGEST_LOOKBACK_HOURS: '1' });
      putSecret(secretId, JSON.stringify(SIM_CLIENT));
      // What the run records, whatever hours it pulls: two, not a 24-hour backfill.
      const watermarkMs = await oneHourBehind(store);
      const result = await run({}, lambdaContext());
      expect(result.status === 'ok' && result.summary).toMatchObject({
        windowsDone: 2,
        watermarkAfterMs: watermarkMs,
      });
      expect((await readLastRun(store, 'acme'))?.max_days).toBe(expected);
      // The record is unsigned: verify takes the bound from the signed digests (review R-SECOND6 H1).
      const head = await readDigestHead(store, 'acme');
      expect(head && decodeDigest(head.link.key, head.body).max_days).toBe(expected);
    }
  });

  it('fails a run cut short by the time budget before it saved any hour: behind and no progress', async () => {
    const { run, secretId } = buildHandler();
    putSecret(secretId, JSON.stringify(SIM_CLIENT));

    const error = await run({}, lambdaContext(30_000)).then(
      () => undefined,
      (e: unknown) => e as Error,
    );

    expect(error).toBeInstanceOf(ingest.IngestRunError);
    expect((error as IngestRunError).summary).toMatchObject({
      windowsDone: 0,
      stoppedEarly: 'time-budget',
      outcome: 'no-progress',
    });
    expect(error?.message).toMatch(/no progress: the lake is behind/);
    expect(metricTotals().RunSucceeded).toBeUndefined();
    expect(metricTotals().RunsWithoutProgress).toBe(1);
  });

  it('treats a run cut short by the time budget after saving hours as a success', async () => {
    const { run, secretId } = buildHandler();
    putSecret(secretId, JSON.stringify(SIM_CLIENT));
    // The budget runs low once the first hour's manifest is in S3: the run has saved an hour.
    let manifestsSaved = 0;
    s3.client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        const key = (args.input as { Key?: string }).Key ?? '';
        if (context.commandName === 'PutObjectCommand' && key.includes('coverage/')) manifestsSaved += 1;
        return result;
      },
      { step: 'initialize', name: 'countManifests' },
    );

    const result = await run(
      {},
      lambdaContext(() => (manifestsSaved === 0 ? 600_000 : 30_000)),
    ).finally(() => s3.client.middlewareStack.remove('countManifests'));

    expect(result.status).toBe('ok');
    if (result.status === 'ok') {
      expect(result.summary).toMatchObject({ stoppedEarly: 'time-budget', outcome: 'partial' });
      expect(result.summary.windowsDone).toBeGreaterThan(0);
    }
    expect(metricTotals().RunSucceeded).toBe(1);
  });

  it('re-pulls an explicit range of hours on request, leaving the checkpoint and the success metric alone', async () => {
    const { run, secretId, store } = buildHandler();
    putSecret(secretId, JSON.stringify(SIM_CLIENT));
    const fromMs = floorHour(NOW - 6 * HOUR_MS);
    const toMs = fromMs + 3 * HOUR_MS;

    const result = await run(
      { rePull: { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() } },
      lambdaContext(),
    );

    expect(result.status).toBe('ok');
    if (result.status === 'ok') expect(result.summary).toMatchObject({ mode: 'range', windowsDone: 3 });
    expect(await keysUnder(store, tableInstancePrefix('coverage', 'acme'))).toHaveLength(3);
    // No checkpoint: only the Domo customer the range run bound the fresh lake to.
    expect(await keysUnder(store, 'state/')).toEqual([customerBindingKey('acme')]);
    expect(metricTotals()).toMatchObject({ WindowsCompleted: 3 });
    expect(metricTotals().RunSucceeded).toBeUndefined();
    expect(metricTotals().LagSeconds).toBeUndefined();
    // Its digests say it was a re-pull invoked by someone, not the schedule.
    const runners = await runnersOf(store);
    expect(runners.length).toBeGreaterThan(0);
    for (const runner of runners) expect(runner).toMatchObject({ trigger: 'invoke-re-pull' });
  });

  // R-ALERTSTIME 4: how late the latest late event was, so an alarm can say the lookback is short.
  /**
   * A lake whose checkpoint stands two hours after an hour with events, that hour stored as empty
   * by a pull 20 min after its end: its events are late for the next run that pulls it again.
   */
  const lakeWithLateHour = async (store: S3ObjectStore) => {
    const closedMs = floorHour(NOW - 15 * 60_000);
    // The latest hour with events that leaves a newly closed hour after its lookback.
    const times = sim
      .groundTruth()
      .filter((e) => !e.malformed && e.timeMs < closedMs - 2 * HOUR_MS)
      .map((e) => e.timeMs);
    const fromMs = floorHour(times.reduce((a, b) => Math.max(a, b), 0));
    const pulledAt = new Date(fromMs + HOUR_MS + 20 * 60_000).toISOString();
    await writeCoverage(store, 'acme', {
      ...coverageManifestOf(fromMs, 0),
      first_fetched_at: pulledAt,
      fetched_at: pulledAt,
    });
    // The schedule's lookback (2 h) pulls the hour again; a later watermark would leave it out.
    await advanceStoredCheckpoint(store, 'acme', {
      watermarkMs: fromMs + 2 * HOUR_MS,
      runId: 'seed',
      codeVersion: 'test',
      now: NOW,
    });
    return fromMs;
  };
  const lateDelays = () => metricCalls.mock.calls.filter(([name]) => name === 'LateEventDelaySeconds');

  it('refuses a new digest chain over hours a recording version wrote, unless the event asks to restart it', async () => {
    const { run, secretId, store } = buildHandler();
    putSecret(secretId, JSON.stringify(SIM_CLIENT));
    const fromMs = floorHour(NOW - 6 * HOUR_MS);
    // An hour written by a version that records digests (entries_read), its digest folder gone.
    await writeCoverage(store, 'acme', { ...coverageManifestOf(fromMs - 24 * HOUR_MS, 0), entries_read: 0 });
    const rePull = { from: new Date(fromMs).toISOString(), to: new Date(fromMs + HOUR_MS).toISOString() };
    await expect(run({ rePull }, lambdaContext())).rejects.toThrow(/the digest chain of "acme" is missing/);
    // The function names the event field the core leaves unnamed (review R-SECOND5 L1).
    await expect(run({ rePull }, lambdaContext())).rejects.toThrow(
      /invoke the function once with "restartDigestChain": true in its event/,
    );
    expect(await keysUnder(store, 'digest/')).toEqual([]);
    await expect(run({ rePull, restartDigestChain: 'yes' }, lambdaContext())).rejects.toThrow(
      /restartDigestChain must be true/,
    );

    const restarted = await run({ rePull, restartDigestChain: true }, lambdaContext());
    expect(restarted.status).toBe('ok');
    // What the restart did, in the summary the function returns (review R-SECOND5 M2).
    expect(restarted.status === 'ok' && restarted.summary.digestRestart).toBe('restarted');
    const genesis = await store.get('digest/instance=acme/0000000000.json');
    expect(JSON.parse(new TextDecoder().decode(genesis?.body))).toMatchObject({
      genesis: true,
      restarted: true,
    });
    // Sent again while the chain is there: refused, saying to leave the field out.
    await expect(run({ rePull, restartDigestChain: true }, lambdaContext())).rejects.toThrow(
      /the chain is there .*Invoke the function without "restartDigestChain": true/,
    );
  });

  it('publishes how late, at least, the latest late event a scheduled run found was (LateEventDelaySeconds)', async () => {
    const { run, secretId, store } = buildHandler();
    putSecret(secretId, JSON.stringify(SIM_CLIENT));
    await lakeWithLateHour(store);

    const result = await run({ source: 'schedule' }, lambdaContext());

    expect(result.status === 'ok' && result.summary).toMatchObject({
      mode: 'checkpoint',
      lateByAtLeastMs: 20 * 60_000,
    });
    if (result.status === 'ok') expect(result.summary.lateEvents).toBeGreaterThan(0);
    expect(lateDelays()).toEqual([['LateEventDelaySeconds', 'Seconds', 20 * 60]]);
  });

  // Review M3: a re-pull finds by design what the lookback missed, past its reach: published, it
  // raised LateEventsNearLookback after every re-pulled Domo incident, and the runbook then asked
  // for a lookback sized for a one-off.
  it('publishes no LateEventDelaySeconds for a re-pull, though its summary says how late', async () => {
    const { run, secretId, store } = buildHandler();
    putSecret(secretId, JSON.stringify(SIM_CLIENT));
    const fromMs = await lakeWithLateHour(store);

    const result = await run(
      { rePull: { from: new Date(fromMs).toISOString(), to: new Date(fromMs + HOUR_MS).toISOString() } },
      lambdaContext(),
    );

    expect(result.status === 'ok' && result.summary).toMatchObject({
      mode: 'range',
      lateByAtLeastMs: 20 * 60_000,
    });
    expect(lateDelays()).toEqual([]);
  });

  it("counts the Domo client's retries in the ApiRetries metric", async () => {
    const { run, secretId } = buildHandler();
    putSecret(secretId, JSON.stringify(SIM_CLIENT));
    const fromMs = floorHour(NOW - 6 * HOUR_MS);
    sim.setFaults({ failFirstRequests: 2 });

    const result = await run(
      { rePull: { from: new Date(fromMs).toISOString(), to: new Date(fromMs + HOUR_MS).toISOString() } },
      lambdaContext(),
    );

    expect(result.status).toBe('ok');
    expect(metricTotals().ApiRetries).toBe(2);
  });

  it('refuses a store that ignores conditional writes before touching Domo', async () => {
    const { run, secretId } = buildHandler({}, { probeConditionalWrites: true });
    putSecret(secretId, JSON.stringify(SIM_CLIENT));
    const requestsBefore = sim.stats().requests;
    // The handler's modules are this file's own fresh copies: the error is matched by its words.
    await expect(run({}, lambdaContext())).rejects.toThrow(
      /accepted a create-only write .* ignores conditional writes/,
    );
    expect(sim.stats().requests).toBe(requestsBefore);
  });

  it('takes the time-budget margin and the lookback from its environment', async () => {
    const { run, secretId } = buildHandler({ INGEST_BUDGET_MARGIN_MS: '900000', INGEST_LOOKBACK_HOURS: '5' });
    putSecret(secretId, JSON.stringify(SIM_CLIENT));
    // A 15-minute margin with 10 minutes left: no hour may start.
    const stopped = await run({}, lambdaContext(600_000)).catch((e: unknown) => e);
    expect(stopped).toBeInstanceOf(ingest.IngestRunError);
    expect((stopped as IngestRunError).summary).toMatchObject({
      stoppedEarly: 'time-budget',
      windowsDone: 0,
    });

    const { run: rerun, secretId: rerunSecret, store } = buildHandler({ INGEST_LOOKBACK_HOURS: '5' });
    putSecret(rerunSecret, JSON.stringify(SIM_CLIENT));
    // The next run pulls the last closed hour and re-pulls exactly the 5 hours of lookback before it.
    const watermarkMs = await oneHourBehind(store);
    const again = await rerun({}, lambdaContext());
    expect(again.status === 'ok' && again.summary).toMatchObject({
      windowsPlanned: 6,
      windowsDone: 6,
      watermarkAfterMs: watermarkMs,
    });
  });

  it("applies the category rules of its environment (cdk.json's ingest.categoryRules) before the built-in ones", async () => {
    // Sign-ins called failures: visible in the stored categories, and only by the environment's rules.
    const rules = [{ category: 'login_failed', actionType: '^LOGGED_IN$' }];
    const { run, secretId, store } = buildHandler({ INGEST_CATEGORY_RULES: JSON.stringify(rules) });
    putSecret(secretId, JSON.stringify(SIM_CLIENT));
    // The last four closed hours hold sign-ins and a sign-out (the checks below fail on none): a
    // re-pull runs with the same rules as the schedule's 24-hour backfill, in a fifth of its time.
    const toMs = floorHour(NOW);
    const hours = { from: new Date(toMs - 4 * HOUR_MS).toISOString(), to: new Date(toMs).toISOString() };
    expect((await run({ rePull: hours }, lambdaContext())).status).toBe('ok');
    const stored: { action_type: string | null; category: string }[] = [];
    for (const key of await keysUnder(store, tableInstancePrefix('activity_log', 'acme'))) {
      const object = await store.get(key);
      stored.push(...(decodeNdjsonGzip(object?.body ?? new Uint8Array(), key) as typeof stored));
    }
    const categoriesOf = (action: string) =>
      new Set(stored.filter((r) => r.action_type === action).map((r) => r.category));
    expect(categoriesOf('LOGGED_IN')).toEqual(new Set(['login_failed']));
    // The built-in rules still apply to what the environment's rules do not match.
    expect(categoriesOf('LOGGED_OUT')).toEqual(new Set(['logout']));
  });

  it('refuses bad category rules in its environment when it starts, naming the variable', () => {
    expect(() => buildHandler({ INGEST_CATEGORY_RULES: '[{"category":"login"}]' })).toThrow(
      /ingest function environment is invalid: INGEST_CATEGORY_RULES\[0\]: a rule needs at least one of actionType/,
    );
    expect(() => buildHandler({ INGEST_CATEGORY_RULES: '[' })).toThrow(
      /INGEST_CATEGORY_RULES is not valid JSON/,
    );
  });

  it("refuses a re-pull of hours before the tables' first day before touching Domo", async () => {
    const fromMs = floorHour(NOW - 30 * HOUR_MS);
    const { run, secretId } = buildHandler({ LAKE_START_DATE: new Date(NOW).toISOString().slice(0, 10) });
    putSecret(secretId, JSON.stringify(SIM_CLIENT));
    const requestsBefore = sim.stats().requests;
    await expect(
      run(
        { rePull: { from: new Date(fromMs).toISOString(), to: new Date(fromMs + HOUR_MS).toISOString() } },
        lambdaContext(),
      ),
    ).rejects.toThrow(/is before lakeStartDate .*no query would ever see them/);
    expect(sim.stats().requests).toBe(requestsBefore);
  });

  it('rejects a malformed re-pull request before touching Domo', async () => {
    const { run, secretId } = buildHandler();
    putSecret(secretId, JSON.stringify(SIM_CLIENT));
    await expect(run({ rePull: { from: 'last week' } }, lambdaContext())).rejects.toThrow(
      /invalid re-pull request/,
    );
  });

  it('reports a misconfigured function environment as an invocation error', async () => {
    await expect(ingest.handler({}, lambdaContext())).rejects.toThrow(
      /ingest function environment is invalid: LAKE_INSTANCE is not set/,
    );
  });
});

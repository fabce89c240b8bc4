import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { s3Failure } from '../../functions/adapters/s3-failure.ts';
import { lastRunWarning } from '../../functions/cli/last-run-warning.ts';
import { main } from '../../functions/cli/main.ts';
import { lastRunKey } from '../../functions/core/lake/last-run.ts';
import { PreconditionFailedError, WriteInFlightError } from '../../functions/core/ports.ts';
import { generateInstance, type Simulator, startSimulator } from '../../functions/simulator/index.ts';
import { captureIo } from '../support/capture-io.ts';

/**
 * A checkpoint ingest that cannot write its note for `status` (state/…/last-run.json): the run's
 * result stands, and one warning line on stderr says so and what to fix, without --verbose.
 */
const fromMs = Date.parse('2026-10-01T00:00:00Z');
const toMs = Date.parse('2026-10-02T00:00:00Z');
const NOW = toMs + 2 * 3_600_000;
const credentials = { DOMO_CLIENT_ID: 'rec-client', DOMO_CLIENT_SECRET: 'rec-secret' };

let sim: Simulator;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-last-run-'));
  sim = await startSimulator({
    events: generateInstance({ seed: 11, fromMs, toMs, users: 2, eventsPerUserDay: 5 }).events,
    clients: [{ clientId: 'rec-client', clientSecret: 'rec-secret', scopes: ['audit'] }],
  });
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** Every put of the last-run note fails as a read-only directory would make it. */
function refuseLastRunWrites(): void {
  const put = FsObjectStore.prototype.put;
  vi.spyOn(FsObjectStore.prototype, 'put').mockImplementation(async function (
    this: FsObjectStore,
    ...call: Parameters<FsObjectStore['put']>
  ) {
    if (call[0] === lastRunKey('main')) throw new Error('EACCES: permission denied');
    return put.apply(this, call);
  });
}

const checkpointRun = async (lake: string, extra: readonly string[] = []) => {
  const { io, stdout, stderr } = captureIo(credentials);
  const status = await main(
    ['ingest', '--lake', lake, '--api-base', sim.url, '--backfill-days', '1', ...extra],
    { ...io, clock: { now: () => NOW } },
  );
  return { status, stdout: stdout(), stderr: stderr() };
};

describe('ingest that cannot record the run for status', () => {
  it('keeps its exit status and says so on one stderr line, with the fix, without --verbose', async () => {
    const lake = join(dir, 'plain');
    refuseLastRunWrites();
    const { status, stdout, stderr } = await checkpointRun(lake);
    expect(status, stderr).toBe(0);
    expect(stderr).toBe(
      `warning: could not record this run for status in ${join(lake, lastRunKey('main'))}: EACCES: permission denied; status shows the run before as the last one until a run is recorded: let this user write there, and the next ingest records itself\n`,
    );
    expect(stdout).toMatch(/^ingest main/);
  });

  it('with --json, stdout stays the JSON and the warning goes to stderr', async () => {
    refuseLastRunWrites();
    const { status, stdout, stderr } = await checkpointRun(join(dir, 'json'), ['--json']);
    expect(status, stderr).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ mode: 'checkpoint', instance: 'main' });
    expect(stderr.split('\n').filter((line) => line.startsWith('warning: could not record'))).toHaveLength(1);
  });

  it('gives no access advice when the write failed for another reason', () => {
    expect(
      lastRunWarning(
        's3://bucket/lake',
        'acme',
        new Error('state/instance=acme/last-run.json kept changing under 5 attempts to record the run', {
          cause: new PreconditionFailedError('state/instance=acme/last-run.json'),
        }),
      ),
    ).toBe(
      'warning: could not record this run for status in s3://bucket/lake/state/instance=acme/last-run.json: state/instance=acme/last-run.json kept changing under 5 attempts to record the run; status shows the run before as the last one until a run is recorded; the next ingest records itself',
    );
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    expect(lastRunWarning('/srv/lake', 'acme', full)).toBe(
      'warning: could not record this run for status in /srv/lake/state/instance=acme/last-run.json: ENOSPC: no space left on device, write; status shows the run before as the last one until a run is recorded; once that is fixed, the next ingest records itself',
    );
    const gone = Object.assign(new Error('The specified bucket does not exist'), { name: 'NoSuchBucket' });
    expect(lastRunWarning('s3://bucket/lake', 'acme', gone)).toMatch(
      /: The specified bucket does not exist; status shows .*; once that is fixed, the next ingest records itself$/,
    );
  });

  it("gives no advice to fix anything when the put kept meeting another run's put in flight", () => {
    const key = 'state/instance=acme/last-run.json';
    const inFlight = new WriteInFlightError(
      key,
      `S3 answered 5 conditional puts of s3://bucket/lake/${key} with 409`,
      {
        cause: new Error('ConditionalRequestConflict'),
      },
    );
    expect(lastRunWarning('s3://bucket/lake', 'acme', inFlight)).toMatch(
      /with 409; status shows the run before as the last one until a run is recorded; the next ingest records itself$/,
    );
  });

  it('calls a put in flight a race only when it was the last-run record itself', () => {
    const other = 'state/instance=acme/checkpoint.json';
    const inFlight = new WriteInFlightError(other, `S3 answered 5 conditional puts of ${other} with 409`, {
      cause: new Error('ConditionalRequestConflict'),
    });
    const wrapped = new Error('could not record the run', { cause: inFlight });
    expect(lastRunWarning('s3://bucket/lake', 'acme', wrapped)).toMatch(
      /; once that is fixed, the next ingest records itself$/,
    );
  });

  it("gives the access advice for a refusal the store wrapped, by its cause's code", () => {
    const refused = Object.assign(new Error('denied'), { name: 'AccessDenied' });
    const wrapped = new Error('S3 PutObject of the last run failed', { cause: refused });
    expect(lastRunWarning('s3://bucket/lake', 'acme', wrapped)).toMatch(
      /: give this role s3:PutObject on the lake's state\/ prefix, and the next ingest records itself$/,
    );
    const eperm = Object.assign(new Error('operation not permitted'), { code: 'EPERM' });
    expect(lastRunWarning('/srv/lake', 'acme', eperm)).toMatch(
      /: let this user write there, and the next ingest records itself$/,
    );
  });

  it("says the S3 access advice once when the S3 store's error it quotes gives it already", () => {
    const denied = Object.assign(new Error('Access Denied'), {
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    const key = 'state/instance=acme/last-run.json';
    const refused = s3Failure('PutObject', `s3://bucket/lake/${key}`, 'bucket', `lake/${key}`, denied);
    const line = lastRunWarning('s3://bucket/lake', 'acme', refused);
    expect(line.match(/s3:PutObject/g)).toHaveLength(1);
    expect(line).toBe(
      `warning: could not record this run for status in s3://bucket/lake/${key}: S3 PutObject of s3://bucket/lake/${key} failed with AccessDenied (HTTP 403): Access Denied. The caller lacks s3:PutObject on arn:aws:s3:::bucket/lake/${key} (or kms:GenerateDataKey on the bucket's KMS key, or a bucket policy denies it); status shows the run before as the last one until a run is recorded; once that access is granted, the next ingest records itself`,
    );
  });

  it('gives no put advice when the S3 error quoted names the read refused before it', () => {
    const denied = Object.assign(new Error('Access Denied'), {
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    const key = 'state/instance=acme/last-run.json';
    const refused = s3Failure('GetObject', `s3://bucket/lake/${key}`, 'bucket', `lake/${key}`, denied);
    const line = lastRunWarning('s3://bucket/lake', 'acme', refused);
    expect(line).toContain('The caller lacks s3:GetObject');
    expect(line).not.toContain('s3:PutObject');
    expect(line.endsWith('; once that access is granted, the next ingest records itself')).toBe(true);
  });

  it('names the S3 permission for a lake in S3', () => {
    expect(lastRunWarning('s3://bucket/lake/', 'acme', new Error('AccessDenied'))).toBe(
      "warning: could not record this run for status in s3://bucket/lake/state/instance=acme/last-run.json: AccessDenied; status shows the run before as the last one until a run is recorded: give this role s3:PutObject on the lake's state/ prefix, and the next ingest records itself",
    );
  });
});

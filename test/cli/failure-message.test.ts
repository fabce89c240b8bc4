import { describe, expect, it } from 'vitest';
import { s3Failure } from '../../functions/adapters/s3-failure.ts';
import { failureMessage, ingestStoppedMessage } from '../../functions/cli/failure-message.ts';
import { GIVEN_UP } from '../../functions/core/domo/http-request.ts';
import { bindCustomer } from '../../functions/core/lake/customer-binding.ts';
import { MemoryObjectStore } from '../support/memory-store.ts';

const sdkError = (name: string, message: string) => Object.assign(new Error(message), { name });

describe('the line a failed command prints', () => {
  it('is the first line of the message', () => {
    expect(failureMessage(new Error('the lake is gone\nstack…'))).toBe('the lake is gone');
    expect(failureMessage('a string thrown')).toBe('a string thrown');
  });

  it('says where AWS credentials come from when the SDK found none', () => {
    expect(
      failureMessage(sdkError('CredentialsProviderError', 'Could not load credentials from any providers')),
    ).toBe(
      'Could not load credentials from any providers: no AWS credentials were found; sign in (aws sso login, or set AWS_PROFILE) or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, then retry',
    );
  });

  it('finds the SDK error wrapped in another that kept its words (report), but not in one with its own (S3)', () => {
    const missing = sdkError('CredentialsProviderError', 'Could not load credentials from any providers');
    expect(failureMessage(new Error(missing.message, { cause: missing }))).toMatch(
      /^Could not load credentials from any providers: no AWS credentials were found; sign in \(aws sso login/,
    );
    const worded = new Error('S3 ListObjectsV2 of s3://b/ failed: refresh them (aws sso login) and retry', {
      cause: missing,
    });
    expect(failureMessage(worded)).toBe(worded.message);
  });

  it('turns control characters, escape sequences, bidi controls and CRs into spaces', () => {
    // What DuckDB quotes when a Domo name fails a CAST: it cleared or retitled the terminal.
    const quoted = "Could not convert string 'Clr\u001b[2J\u001b]0;PWNED\u0007\u009b2J\u202enimda\rX'";
    expect(failureMessage(new Error(quoted))).toBe("Could not convert string 'Clr [2J ]0;PWNED  2J nimda X'");
  });

  it('leaves any other error as it is (the S3 store words its own, fix included)', () => {
    expect(failureMessage(sdkError('AccessDenied', 'denied'))).toBe('denied');
  });
});

describe('the line of a read the lake refused', () => {
  const denied = Object.assign(new Error('Access Denied'), {
    name: 'AccessDenied',
    $metadata: { httpStatusCode: 403 },
  });
  const readers =
    /; the lake's buckets refuse reads to every role but the stack's and those retention\.readAllowedPrincipals names: name the one you run this with \(aws sts get-caller-identity\) and deploy/;

  it('points a refused S3 read (status, verify, report --lake s3://) at the reader list', () => {
    for (const operation of ['GetObject', 'HeadObject'] as const) {
      const error = s3Failure(operation, 's3://lake/state/x.json', 'lake', 'state/x.json', denied);
      expect(failureMessage(error)).toMatch(readers);
      // A command that words the failure into its own keeps the S3 store's as the cause.
      expect(failureMessage(new Error('status could not read the checkpoint', { cause: error }))).toMatch(
        readers,
      );
    }
  });

  it("points Athena's refusal (query --athena) at the reader list", () => {
    const athena = new Error(
      'Athena query FAILED (query execution 1, workgroup w, database d): Permission denied on S3 path: s3://lake/activity/instance=acme/x.parquet',
    );
    expect(failureMessage(athena)).toMatch(readers);
  });

  it('leaves a refused write, a refused list and a refused local read without it', () => {
    const put = s3Failure('PutObject', 's3://lake/state/x.json', 'lake', 'state/x.json', denied);
    const list = s3Failure('ListObjectsV2', 's3://lake/state/', 'lake', 'state/', denied);
    const local = new Error("EACCES: permission denied, open '/lake/state/x.json'");
    for (const error of [put, list, local]) expect(failureMessage(error)).toBe(error.message);
  });
});

describe('the line of an ingest that stopped on failed hours', () => {
  const at = Date.parse('2026-11-01T05:00:00Z');
  const stopped = (message: string) => ingestStoppedMessage([{ windowStartMs: at, message }], 1, 3);

  it('names the first failed hour and adds the flag that eases throttling', () => {
    expect(
      stopped(
        'POST /oauth/token failed after 6 attempts; last: network error (ENOTFOUND). Domo could not be reached: check --api-base and the network, or try again later.',
      ),
    ).toBe(
      'ingest stopped: 1 failure (1 hour failed), first at 2026-11-01T05:00Z: POST /oauth/token failed after 6 attempts; last: network error (ENOTFOUND). Domo could not be reached: check --api-base and the network, or try again later; finished hours are kept, run again to retry',
    );
    expect(
      stopped(
        'GET /v1/audit failed after 6 attempts; last: HTTP 429. Domo is throttling this client: try again later.',
      ),
    ).toMatch(
      /try again later; finished hours are kept, run again to retry \(a lower --requests-per-second eases it\)$/,
    );
  });

  it('says to fix a configuration error before running again, not just to retry', () => {
    const rejected = ingestStoppedMessage(
      [
        {
          windowStartMs: at,
          message: 'Domo rejected the client credentials (HTTP 401): check the client id and secret.',
          configuration: true,
        },
      ],
      1,
      3,
    );
    expect(rejected).toBe(
      'ingest stopped: 1 configuration error (1 hour failed), first at 2026-11-01T05:00Z: Domo rejected the client credentials (HTTP 401): check the client id and secret; finished hours are kept, fix what it names, then run again',
    );
    // The spans in flight all fail with the one refusal: one cause, however many hours it failed.
    const refusal = { message: 'Domo refused the token (HTTP 401).', configuration: true as const };
    const spans = [0, 1, 2, 3].map((i) => ({ ...refusal, windowStartMs: at + i * 3_600_000 }));
    expect(ingestStoppedMessage(spans, 4, 3)).toMatch(
      /^ingest stopped: 1 configuration error \(4 hours failed\), first at 2026-11-01T05:00Z: Domo refused the token \(HTTP 401\); finished hours are kept, fix what it names, then run again$/,
    );
    // Other failures beside it keep their count.
    expect(
      ingestStoppedMessage([...spans, { windowStartMs: at, message: 'Domo answered 500.' }], 5, 3),
    ).toMatch(/^ingest stopped: 5 failures \(5 hours failed\)/);
  });

  it('says to re-pull a later pull given up, which running again does not retry (review R-OP2 M2)', () => {
    const givenUp = ingestStoppedMessage(
      [
        { windowStartMs: at, message: 'Domo answered 503 for another hour' },
        {
          windowStartMs: Date.parse('2026-10-01T13:00:00Z'),
          message:
            'the later pull of this hour failed, and is not tried again after 3 tries (what its earlier pulls stored stands; a range re-pull of the hour tries it again): Domo answered 500',
          laterPullGivenUp: true as const,
        },
      ],
      2,
      3,
    );
    expect(givenUp).toMatch(
      /; finished hours are kept, re-pull 2026-10-01T13:00Z once the cause is fixed \(ingest --from\/--to of that hour: the next runs do not try it again\)$/,
    );
    expect(givenUp).not.toContain('run again to retry');
    // Every hour given up is named (review R-LATER3 L1).
    const message =
      'the later pull of this hour failed, and is not tried again after 3 tries (what its earlier pulls stored stands): Domo answered 500';
    const three = ingestStoppedMessage(
      [10, 11, 12].map((h) => ({
        windowStartMs: Date.parse(`2026-12-04T${h}:00:00Z`),
        message,
        laterPullGivenUp: true as const,
      })),
      3,
      0,
    );
    expect(three).toMatch(
      /re-pull 2026-12-04T10:00Z, 2026-12-04T11:00Z, 2026-12-04T12:00Z once the cause is fixed \(ingest --from\/--to of each: the next runs do not try them again\)$/,
    );
    // The summary's mark decides, not the words: a message that only quotes them is no give-up.
    const quoted = ingestStoppedMessage(
      [{ windowStartMs: at, message: `Domo answered 500: "${message}"` }],
      1,
      0,
    );
    expect(quoted).toMatch(/run again to retry$/);
  });

  it('offers no flag where none helps', () => {
    expect(
      stopped('GET /v1/audit failed after 6 attempts; last: HTTP 500. Domo is unavailable: try again later.'),
    ).toMatch(/Domo is unavailable: try again later; finished hours are kept, run again to retry$/);
    // Domo named a wait longer than any retry takes: a slower pace does not shorten it.
    expect(
      stopped(
        `GET /v1/audit failed after 6 attempts; last: HTTP 429. ${GIVEN_UP.throttled} Domo asked to wait 3,600 s before trying again (Retry-After), each retry waited 120 s at most: ${GIVEN_UP.longWait}`,
      ),
    ).toMatch(/run again after that time; finished hours are kept, run again to retry$/);
  });
});

describe('the line of an ingest stopped by its lake, or before finishing any hour (review OP-3)', () => {
  const at = Date.parse('2026-11-25T19:00:00Z');
  const full = { windowStartMs: at, message: 'ENOSPC: no space left on device, write' };

  it('says to free space on a full disk, not to run again as it is', () => {
    expect(ingestStoppedMessage([full, { ...full, windowStartMs: at + 3_600_000 }], 24, 3)).toBe(
      "ingest stopped: 2 failures (24 hours failed), first at 2026-11-25T19:00Z: ENOSPC: no space left on device, write; finished hours are kept, the lake's disk is full (ENOSPC): free space on it, then run the same command again",
    );
  });

  it('names the fix of a read-only or foreign lake met mid-run, but not of a network error', () => {
    const readOnly = { windowStartMs: at, message: "EROFS: read-only file system, open '/l/.x.tmp'" };
    expect(ingestStoppedMessage([readOnly], 1, 1)).toMatch(
      /; finished hours are kept, the lake is on a read-only file system \(EROFS\): mount it read-write, or copy the lake to a writable disk, then run the same command again$/,
    );
    const network = {
      windowStartMs: at,
      message: 'GET /v1/audit failed after 6 attempts; last: network error (EACCES).',
    };
    expect(ingestStoppedMessage([network], 1, 1)).toMatch(/; finished hours are kept, run again to retry$/);
  });

  it('does not say finished hours are kept when the run finished none', () => {
    const unreachable = {
      windowStartMs: at,
      message:
        'POST /oauth/token failed after 6 attempts; last: network error (ENOTFOUND). Domo could not be reached.',
    };
    expect(ingestStoppedMessage([unreachable], 10, 0)).toBe(
      'ingest stopped: 1 failure (10 hours failed), first at 2026-11-25T19:00Z: POST /oauth/token failed after 6 attempts; last: network error (ENOTFOUND). Domo could not be reached; this run finished no hour, run again to retry',
    );
    expect(ingestStoppedMessage([full], 10, 0)).toMatch(
      /; this run finished no hour, the lake's disk is full/,
    );
  });
});

describe('the hour an ingest stopped on failures names first (review R-ONCALL L3)', () => {
  it('is the earliest that failed, not the first span that failed', () => {
    const hour = (h: number) => Date.parse(`2026-12-03T0${h}:00:00Z`);
    const failed = (h: number) => ({ windowStartMs: hour(h), message: `HTTP 503 for hour ${h}` });
    expect(ingestStoppedMessage([failed(1), failed(3), failed(2), failed(0)], 4, 0)).toMatch(
      /^ingest stopped: 4 failures \(4 hours failed\), first at 2026-12-03T00:00Z: HTTP 503 for hour 0;/,
    );
  });
});

describe('the line of an ingest whose customer another instance of the lake holds', () => {
  it('says to give the old name to --instance, where the core says the configuration', async () => {
    const store = new MemoryObjectStore();
    await bindCustomer(store, { instance: 'main', customer: 'acme-co', runId: 'r', now: 0 });
    const refused = await bindCustomer(store, {
      instance: 'eu-prod',
      customer: 'acme-co',
      runId: 'r',
      now: 0,
    })
      .then(() => undefined)
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Error);
    const message = (refused as Error).message;
    expect(message).toContain('put the old name "main" back in the configuration');
    const line = ingestStoppedMessage([{ windowStartMs: 0, message, configuration: true }], 1, 0);
    expect(line).toContain('If "eu-prod" is "main" renamed, give the old name "main" to --instance instead:');
    expect(line).not.toContain('configuration:');
  });
});

import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestCommand } from '../../functions/cli/commands/ingest.ts';
import { UsageError } from '../../functions/cli/usage-error.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { captureIo } from '../support/capture-io.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-ingest-refusals-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs ingest in-process into a fresh lake path; returns the error it throws. */
async function refusal(...flags: string[]): Promise<unknown> {
  const lake = join(dir, `lake-${flags.join('-').replace(/[^a-z0-9]/gi, '')}`);
  const { io } = captureIo({ DOMO_CLIENT_ID: 'id', DOMO_CLIENT_SECRET: 'secret' });
  const error = await ingestCommand(['--lake', lake, ...flags], { ...io, log: silentLog }).then(
    () => undefined,
    (e: unknown) => e,
  );
  // Refused before anything is opened: the lake directory is never created.
  await expect(readdir(lake)).rejects.toMatchObject({ code: 'ENOENT' });
  return error;
}

describe('ingest refuses bad option values before touching the lake or Domo', () => {
  it('refuses --concurrency 0 naming the flag and its range', async () => {
    const error = await refusal('--concurrency', '0');
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(
      '--concurrency "0" must be a whole number from 1 to 16 (spans of hours read from Domo at once)',
    );
  });

  it('refuses --requests-per-second 0 naming the flag and its least value', async () => {
    const error = await refusal('--requests-per-second', '0');
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe('--requests-per-second "0" must be a whole number of at least 1');
  });

  it('refuses an --api-base with a password in it, showing the URL without it', async () => {
    const error = await refusal('--api-base', 'http://u:SECRETPW@127.0.0.1:8081');
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).not.toContain('SECRETPW');
    expect((error as Error).message).toMatch(
      /^--api-base "http:\/\/\*\*\*@127\.0\.0\.1:8081": must not carry a user name or password \("user:password@"\): credentials never go in the URL; the Domo client id and secret go in DOMO_CLIENT_ID and DOMO_CLIENT_SECRET/,
    );
  });

  it('shows an --api-base that is not a URL without what could be a password in it', async () => {
    const error = await refusal('--api-base', 'http://u:SECRET/PW@127.0.0.1:port');
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(
      '--api-base "http://***@127.0.0.1:port": is not a URL: use e.g. https://api.domo.com',
    );
  });

  it('refuses an http:// --api-base to another machine: the client secret would travel in cleartext', async () => {
    const error = await refusal('--api-base', 'http://api.domo.com');
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(
      /^--api-base "http:\/\/api\.domo\.com": uses http:\/\/ to a host that is not this machine, which would send the Domo client secret in cleartext: use https:\/\//,
    );
  });

  it('refuses an --api-base that is not an http(s) URL, naming the flag', async () => {
    const error = await refusal('--api-base', 'ftp://example.com');
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(
      // Not shown: a value that is no http(s) URL may be the client secret (review 36m, item 1).
      '--api-base "***": must be an http(s) URL, e.g. https://api.domo.com',
    );
  });
});

describe('ingest --from/--to with an option only a checkpoint run reads', () => {
  it('refuses --backfill-days, which would change nothing, and says to leave it out', async () => {
    const error = await refusal('--from', '2026-10-01', '--to', '2026-10-02', '--backfill-days', '3');
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(
      '--from/--to pulls exactly those hours and reads no checkpoint, so --backfill-days would change nothing: leave it out (it applies to runs without --from/--to)',
    );
  });

  it('names --lookback-hours too, with --backfill-days when both are given', async () => {
    const error = await refusal(
      '--lookback-hours',
      '5',
      '--from',
      '2026-10-01',
      '--to',
      '2026-10-02',
      '--backfill-days',
      '3',
    );
    expect((error as Error).message).toContain(
      'so --backfill-days, --lookback-hours would change nothing: leave them out (they apply to runs without --from/--to)',
    );
  });
});

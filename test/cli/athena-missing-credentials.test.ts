import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AthenaClient } from '@aws-sdk/client-athena';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { queryCommand } from '../../functions/cli/commands/query.ts';
import { failureMessage } from '../../functions/cli/failure-message.ts';
import { main } from '../../functions/cli/main.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { captureIo } from '../support/capture-io.ts';

const FIX = /: no AWS credentials were found; sign in \(aws sso login, or set AWS_PROFILE\)/;
const athenaFlags = ['--athena', '--workgroup', 'wg', '--database', 'db'];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'athena-no-credentials-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.unstubAllEnvs();
});

/** An Athena client whose credentials cannot be found, as the SDK says it: no request is ever sent. */
function clientWithoutCredentials() {
  let lookups = 0;
  const client = new AthenaClient({
    region: 'eu-west-1',
    credentials: async () => {
      lookups++;
      throw Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      });
    },
  });
  return { client, lookups: () => lookups };
}

/** This process's AWS credential chain emptied: no variables, no files, no instance metadata. */
function withoutAwsCredentials() {
  for (const name of [
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_PROFILE',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    'AWS_CONTAINER_CREDENTIALS_FULL_URI',
    'AWS_WEB_IDENTITY_TOKEN_FILE',
    'AWS_ROLE_ARN',
  ]) {
    vi.stubEnv(name, '');
  }
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(dir, 'no-credentials'));
  vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'no-config'));
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  vi.stubEnv('AWS_REGION', 'us-east-1');
}

describe('Athena commands without AWS credentials say how to get them, once', () => {
  it('query --all stops at the first query, with the fix, instead of failing every query', async () => {
    const { client, lookups } = clientWithoutCredentials();
    const c = captureIo();
    const error = await queryCommand(
      ['--all', ...athenaFlags, '--instance', 'main'],
      { ...c.io, log: silentLog },
      { now: () => Date.parse('2026-11-24T15:00:00Z'), athenaClient: client },
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failureMessage(error)).toMatch(
      new RegExp(`^Could not load credentials from any providers${FIX.source}`),
    );
    expect(c.stdout()).not.toMatch(/FAIL/);
    expect(lookups()).toBe(1);
  });

  it('report passes the fix on too', async () => {
    withoutAwsCredentials();
    const c = captureIo();
    const code = await main(['report', ...athenaFlags, '--out', join(dir, 'out')], c.io);
    expect(code).toBe(1);
    expect(c.stderr()).toMatch(
      new RegExp(`^error: Could not load credentials from any providers${FIX.source}`),
    );
  });
});

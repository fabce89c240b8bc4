import { describe, expect, it } from 'vitest';
import { ingestCommand } from '../../functions/cli/commands/ingest.ts';
import { UsageError } from '../../functions/cli/usage-error.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { captureIo } from '../support/capture-io.ts';

const ID = 'c41e307a-b2a1-4a99-8561-174e5b153f5a';
const SECRET = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

/** The usage error `ingest --api-base value` stops with, the credentials in the environment. */
const refusal = async (apiBase: string): Promise<string> => {
  const { io } = captureIo({ DOMO_CLIENT_ID: ID, DOMO_CLIENT_SECRET: SECRET });
  const error = await ingestCommand(['--api-base', apiBase], { ...io, log: silentLog }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UsageError);
  return (error as UsageError).message;
};

describe('ingest --api-base never shows the client secret (review 36m, item 1)', () => {
  it.each([
    [`${ID}:${SECRET}`, '"***": must be an http(s) URL'],
    [`https://${ID}:${SECRET}`, '"https://***": is not a URL'],
    [`https://${ID}:${SECRET}/`, '"https://***": is not a URL'],
    [`https:${ID}:${SECRET}`, '"https:***": is not a URL'],
    [SECRET, '"***": is not a URL'],
  ])('hides %j, which is no URL, whole but for its scheme', async (apiBase, shown) => {
    const message = await refusal(apiBase);
    expect(message).toContain(`--api-base ${shown}`);
    expect(message).not.toMatch(/9f86d0|c41e30/);
  });

  it('takes the secret of DOMO_CLIENT_SECRET out of a URL it shows', async () => {
    const message = await refusal(`http://api.domo.com/${SECRET}`);
    expect(message).toMatch(/^--api-base "http:\/\/api\.domo\.com\/\[redacted\]": uses http:\/\//);
    expect(message).not.toContain('9f86d0');
  });
});

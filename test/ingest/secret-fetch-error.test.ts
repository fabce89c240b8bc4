import type { Request } from '@middy/core';
import { describe, expect, it } from 'vitest';
import { explainSecretFetchError } from '../../functions/ingest/secret-fetch-error.ts';

const SECRET_ID = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:domo/acme-AbCdEf';

/** Runs the middleware's onError on a request holding `error`, and returns the error it leaves. */
async function explained(error: Error): Promise<Error> {
  const middleware = explainSecretFetchError(SECRET_ID);
  // Only `error` is read or written; the rest of middy's request does not matter here.
  const request = { error } as unknown as Request;
  await middleware.onError?.(request);
  return request.error as Error;
}

/** middy's wrapper around a rejected GetSecretValue: the real errors sit in `cause.data`. */
const middyFetchFailure = (...data: Error[]) =>
  new Error('Failed to resolve internal values', { cause: { package: '@middy/secrets-manager', data } });

const kmsDenied = Object.assign(new Error('Access to KMS is not allowed'), { name: 'AccessDeniedException' });

describe('explainSecretFetchError', () => {
  it('names the secret and what Secrets Manager answered, and points at the KMS key setting', async () => {
    const error = await explained(middyFetchFailure(kmsDenied));
    expect(error.message).toContain(
      `could not read the Domo secret "${SECRET_ID}" from Secrets Manager (AccessDeniedException: Access to KMS is not allowed)`,
    );
    expect(error.message).toMatch(/customer managed key needs that key set there/);
    expect(error.message).toContain('instances[].secretKmsKeyArn');
    expect(error.message).not.toMatch(/grants the function read access/);
  });

  it('leaves every other error as it was', async () => {
    const other = new Error('something else');
    expect(await explained(other)).toBe(other);
  });
});

describe('explainSecretFetchError on a read nobody answered', () => {
  it('points at the network, not at the secret or its key', async () => {
    const timeout = Object.assign(new Error('Connection timed out after 5000 ms'), { name: 'TimeoutError' });
    const error = await explained(middyFetchFailure(timeout));
    expect(error.message).toContain('(TimeoutError: Connection timed out after 5000 ms)');
    expect(error.message).toMatch(/Secrets Manager did not answer: the function's network path to it/);
    expect(error.message).not.toMatch(/Check that it exists|secretKmsKeyArn/);
  });
});

import { describe, expect, it } from 'vitest';
import { defaultProvider } from '../../functions/shared/lambda-credentials.ts';

describe('the Lambda bundles’ credential provider', () => {
  it("reads the execution role's credentials from the environment, as Lambda sets them", async () => {
    const env = {
      AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'token',
      AWS_CREDENTIAL_EXPIRATION: '2026-12-01T00:00:00Z',
      AWS_ACCOUNT_ID: '123456789012',
    };
    await expect(defaultProvider({}, env)()).resolves.toEqual({
      accessKeyId: 'ASIAEXAMPLE',
      secretAccessKey: 'secret',
      sessionToken: 'token',
      expiration: new Date('2026-12-01T00:00:00Z'),
      accountId: '123456789012',
    });
  });

  it('leaves out what the environment does not set', async () => {
    const credentials = await defaultProvider(
      {},
      { AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 's' },
    )();
    expect(credentials).toEqual({ accessKeyId: 'AKIA', secretAccessKey: 's' });
  });

  it('reads the environment when a client asks, not when the provider is made', async () => {
    const env: Record<string, string | undefined> = {};
    const provide = defaultProvider({}, env);
    env.AWS_ACCESS_KEY_ID = 'AKIA';
    env.AWS_SECRET_ACCESS_KEY = 's';
    await expect(provide()).resolves.toMatchObject({ accessKeyId: 'AKIA' });
  });

  it('says where credentials were expected when there are none, naming no value', async () => {
    await expect(defaultProvider({}, { AWS_ACCESS_KEY_ID: 'AKIA' })()).rejects.toThrow(
      /no AWS credentials in the environment: Lambda sets AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/,
    );
    await expect(defaultProvider({}, { AWS_ACCESS_KEY_ID: 'AKIA' })()).rejects.not.toThrow(/AKIA/);
  });
});

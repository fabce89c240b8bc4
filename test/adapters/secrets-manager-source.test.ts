import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { SecretsManagerSource } from '../../functions/adapters/secrets-manager-source.ts';
import { PLACEHOLDER_SECRET } from '../../functions/core/domo/domo-secret.ts';

const secrets = mockClient(SecretsManagerClient);
const source = new SecretsManagerSource({
  client: new SecretsManagerClient({}),
  secretId: 'DomoActivityLake/domo/acme',
});

beforeEach(() => secrets.reset());
afterAll(() => secrets.restore());

describe('SecretsManagerSource', () => {
  it('returns the client id and secret stored in the secret', async () => {
    secrets
      .on(GetSecretValueCommand, { SecretId: 'DomoActivityLake/domo/acme' })
      .resolves({ SecretString: '{"clientId":"id-1","clientSecret":"cli-secret-value"}' });
    await expect(source.get()).resolves.toEqual({ clientId: 'id-1', clientSecret: 'cli-secret-value' });
  });

  it('refuses the placeholder with the put-secret-value fix', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(PLACEHOLDER_SECRET) });
    await expect(source.get()).rejects.toThrow(
      /still holds the placeholder.*aws secretsmanager put-secret-value --secret-id DomoActivityLake\/domo\/acme/,
    );
  });

  it('explains malformed content without echoing it', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'clientSecret=cli-secret-value' });
    const error = await source.get().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/SecretString is not a JSON object/);
    expect(error?.message).not.toContain('cli-secret-value');
  });

  it('names the secret when Secrets Manager refuses', async () => {
    const denied = Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' });
    secrets.on(GetSecretValueCommand).rejects(denied);
    await expect(source.get()).rejects.toThrow(
      /could not read the Domo secret "DomoActivityLake\/domo\/acme" from Secrets Manager \(AccessDeniedException: not allowed\)/,
    );
  });

  it('points a timeout at the network, not at the id, region or credentials', async () => {
    const timedOut = Object.assign(new Error('the request socket timed out after 30000 ms of inactivity'), {
      name: 'TimeoutError',
    });
    secrets.on(GetSecretValueCommand).rejects(timedOut);
    const error = await source.get().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(
      /\(TimeoutError: the request socket timed out after 30000 ms of inactivity\); Secrets Manager did not answer: check the network/,
    );
    expect(error?.message).not.toContain('credentials');
  });

  it("keeps the SDK's error as the cause of the one it throws", async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    secrets.on(GetSecretValueCommand).rejects(throttled);
    const error = await source.get().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.cause).toBe(throttled);
    expect(error?.message).toContain('(ThrottlingException: Rate exceeded)');
  });

  it('says what was thrown when it is not an Error', async () => {
    const client = {
      send: async () => {
        throw 'socket closed';
      },
    } as unknown as SecretsManagerClient;
    const error = await new SecretsManagerSource({ client, secretId: 'x' }).get().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toContain('from Secrets Manager (socket closed);');
    expect(error?.cause).toBe('socket closed');
  });

  it('refuses an id that is not a secret name or ARN without showing it or asking for it (review 36c, item 4)', async () => {
    const pasted = '{"clientId":"id-1","clientSecret":"f3a9c1d2e4b5a69788"}';
    const error = await new SecretsManagerSource({ client: new SecretsManagerClient({}), secretId: pasted })
      .get()
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );
    expect(
      error?.message.startsWith(
        `The Domo secret id is not the name or ARN of a Secrets Manager secret (${pasted.length} characters`,
      ),
    ).toBe(true);
    expect(error?.message).toContain('looks like a secret value (JSON)');
    expect(error?.message).not.toContain('f3a9c1d2');
    expect(secrets.calls()).toHaveLength(0);
  });

  it('never sends or shows a client secret given as the secret id (review 36g, item 4)', async () => {
    const secret = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
    const error = await new SecretsManagerSource({ client: new SecretsManagerClient({}), secretId: secret })
      .get()
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );
    expect(error?.message).toMatch(/^The Domo secret id looks like a client secret, not a secret's name/);
    expect(error?.message).not.toContain('9f86d081');
    expect(secrets.calls()).toHaveLength(0);
  });
});

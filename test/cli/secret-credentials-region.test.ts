import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { secretArnRegion, secretCredentials } from '../../functions/cli/secret-credentials.ts';
import { UsageError } from '../../functions/cli/usage-error.ts';

/** A client whose region resolves as given (a rejection when none), and which fails any request. */
const clientIn = (region: string | undefined) =>
  ({
    config: {
      region: async () => {
        if (region === undefined) throw new Error('Region is missing');
        return region;
      },
    },
    send: async () => {
      throw new Error('a request was sent');
    },
  }) as unknown as SecretsManagerClient;

describe('ingest --secret-id and the AWS region', () => {
  it('is refused before any request when no region is set, saying how to set it (exit 2, as an S3 lake)', async () => {
    const error = await secretCredentials('domo', async () => clientIn(undefined)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(
      "--secret-id domo is read from Secrets Manager but no AWS region is set: export AWS_REGION=<the stack's region> (e.g. eu-west-1), set region in your AWS profile, or give the secret's ARN (the stack's output), which names its region",
    );
  });

  it("takes the region of a secret's ARN, and none from a name", async () => {
    const arn = 'arn:aws:secretsmanager:eu-west-3:123456789012:secret:domo-main-AbCdEf';
    expect(secretArnRegion(arn)).toBe('eu-west-3');
    expect(secretArnRegion('arn:aws-us-gov:secretsmanager:us-gov-west-1:1:secret:x')).toBe('us-gov-west-1');
    expect(secretArnRegion('domo-main')).toBeUndefined();
    const asked: (string | undefined)[] = [];
    const error = await secretCredentials(arn, async (region) => {
      asked.push(region);
      return clientIn(region);
    }).catch((e: unknown) => e);
    expect(asked).toEqual(['eu-west-3']);
    // With a region, the request is sent (and fails here, worded by the source).
    expect((error as Error).message).toContain(
      `could not read the Domo secret "${arn}" from Secrets Manager`,
    );
  });

  it.each([
    '{"clientId":"x","clientSecret":"f3a9c1d2e4b5a69788"}',
    'id f3a9c1d2e4b5a69788',
    'arn:aws:secretsmanager:eu-west-1:f3a9c1d2e4b5a69788',
  ])(
    'refuses a value that is not a secret name or ARN without showing it (review 36c, item 4): %s',
    async (value) => {
      let asked = false;
      const error = await secretCredentials(value, async (region) => {
        asked = true;
        return clientIn(region);
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toMatch(
        new RegExp(
          `^--secret-id is not the name or ARN of a Secrets Manager secret \\(${value.length} characters, not shown`,
        ),
      );
      expect((error as Error).message).not.toContain('f3a9c1d2');
      expect(asked).toBe(false);
    },
  );

  it('refuses a client secret given as the id before any request, not showing it (review 36g, item 4)', async () => {
    const secret = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
    let asked = false;
    const error = await secretCredentials(secret, async () => {
      asked = true;
      return clientIn('eu-west-1');
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/^--secret-id looks like a client secret, not a secret's name/);
    expect((error as Error).message).not.toContain('9f86d081');
    expect(asked).toBe(false);
  });

  it('refuses a name with surrounding whitespace, saying so', async () => {
    const error = await secretCredentials('domo-main\n', async () => clientIn('eu-west-1')).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/^--secret-id has surrounding whitespace /);
  });
});

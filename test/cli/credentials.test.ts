import { describe, expect, it } from 'vitest';
import { credentialsFromEnv } from '../../functions/cli/credentials.ts';
import { UsageError } from '../../functions/cli/usage-error.ts';

const SECRET = 'do-not-print-XYZZY';

/** The error `credentialsFromEnv` throws for `env`. */
function refusal(env: NodeJS.ProcessEnv): Error {
  try {
    credentialsFromEnv(env);
  } catch (error) {
    return error as Error;
  }
  throw new Error('accepted');
}

describe('credentialsFromEnv', () => {
  it('takes both variables, without the blanks a pasted value carries', () => {
    expect(credentialsFromEnv({ DOMO_CLIENT_ID: ' id\n', DOMO_CLIENT_SECRET: `\t${SECRET}\r\n` })).toEqual({
      clientId: 'id',
      clientSecret: SECRET,
    });
  });

  it('names the one missing variable, never printing the secret that is set', () => {
    const error = refusal({ DOMO_CLIENT_SECRET: SECRET });
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toMatch(/^DOMO_CLIENT_ID is not set: export /);
    expect(error.message).not.toContain(SECRET);
    expect(refusal({ DOMO_CLIENT_ID: 'id' }).message).toMatch(/^DOMO_CLIENT_SECRET is not set: /);
    // Read without echo or history, never `export DOMO_CLIENT_SECRET=<secret>` typed out.
    expect(error.message).toContain('read -rs DOMO_CLIENT_SECRET && export DOMO_CLIENT_SECRET');
  });

  it('takes a blank value for a missing one, and names both when both are', () => {
    expect(refusal({ DOMO_CLIENT_ID: '  ', DOMO_CLIENT_SECRET: SECRET }).message).toMatch(
      /^DOMO_CLIENT_ID is not set/,
    );
    expect(refusal({ DOMO_CLIENT_ID: 'id', DOMO_CLIENT_SECRET: ' \n' }).message).toMatch(
      /^DOMO_CLIENT_SECRET is not set/,
    );
    expect(refusal({}).message).toMatch(
      /^DOMO_CLIENT_ID and DOMO_CLIENT_SECRET are not set: .*or pass --secret-id$/,
    );
  });

  // Review R-LEAK M1: nothing bounded a secret's length, and one of 2,800 characters broke the
  // redactor, its Base64 quoted in the failure message.
  it('refuses a secret or id over 1 KiB, never repeating it', () => {
    const long = 'ab'.repeat(1_400);
    const error = refusal({ DOMO_CLIENT_ID: 'id', DOMO_CLIENT_SECRET: long });
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toMatch(/^DOMO_CLIENT_SECRET is longer than 1024 characters/);
    expect(error.message).not.toContain('abababab');
    expect(refusal({ DOMO_CLIENT_ID: long, DOMO_CLIENT_SECRET: long }).message).toMatch(
      /^DOMO_CLIENT_ID and DOMO_CLIENT_SECRET are longer than 1024/,
    );
    const atBound = 'c'.repeat(1024);
    expect(credentialsFromEnv({ DOMO_CLIENT_ID: 'id', DOMO_CLIENT_SECRET: atBound }).clientSecret).toBe(
      atBound,
    );
  });
});

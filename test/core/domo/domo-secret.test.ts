import { describe, expect, it } from 'vitest';
import {
  DomoSecretError,
  PLACEHOLDER_SECRET,
  parseDomoSecret,
} from '../../../functions/core/domo/domo-secret.ts';

const ID = 'DomoActivityLake/domo/acme';
const SECRET_VALUE = 'sk-very-secret-value';

/** The error `parse` throws; fails the test if it does not throw. */
const errorOf = (value: unknown): DomoSecretError => {
  try {
    parseDomoSecret(ID, value);
  } catch (error) {
    expect(error).toBeInstanceOf(DomoSecretError);
    return error as DomoSecretError;
  }
  throw new Error('expected parseDomoSecret to throw');
};

describe('parseDomoSecret', () => {
  it('returns the credentials of a well-formed secret', () => {
    expect(
      parseDomoSecret(ID, { clientId: 'id-1', clientSecret: SECRET_VALUE, note: 'extra keys are fine' }),
    ).toEqual({
      kind: 'credentials',
      credentials: { clientId: 'id-1', clientSecret: SECRET_VALUE },
    });
  });

  it('recognises the placeholder the stack creates, even half filled in', () => {
    expect(parseDomoSecret(ID, PLACEHOLDER_SECRET)).toEqual({ kind: 'placeholder' });
    expect(parseDomoSecret(ID, { ...PLACEHOLDER_SECRET, clientId: 'id-1' })).toEqual({ kind: 'placeholder' });
  });

  it.each([
    [
      'text that is not JSON',
      `{"clientId":"id-1","clientSecret":"${SECRET_VALUE}"`,
      /its SecretString is not a JSON object/,
    ],
    ['a JSON array', [SECRET_VALUE], /holds a JSON array/],
    ['a binary secret', undefined, /has no SecretString/],
    [
      'a wrongly named field',
      { clientId: 'id-1', client_secret: SECRET_VALUE },
      /"clientSecret" must be a non-empty string/,
    ],
    [
      'blank fields',
      { clientId: ' ', clientSecret: '' },
      /"clientId" and "clientSecret" must be a non-empty string/,
    ],
  ])('explains %s without ever echoing the value', (_what, value, problem) => {
    const error = errorOf(value);
    expect(error.message).toMatch(problem);
    expect(error.message).toContain(`Secrets Manager secret "${ID}"`);
    expect(error.message).toContain('{"clientId":"<Domo client id>","clientSecret":"<Domo client secret>"}');
    expect(error.message).toContain(`aws secretsmanager put-secret-value --secret-id ${ID}`);
    // The hint reads the value from a file, so following it leaves no secret in the shell history;
    // a fresh private one, removed after, never a fixed name in a shared /tmp others can read.
    expect(error.message).toContain(
      `(umask 077; f=$(mktemp); cat > "$f"; aws secretsmanager put-secret-value --secret-id ${ID} --secret-string "file://$f"; rm -f "$f")`,
    );
    expect(error.message).not.toMatch(/--secret-string '/);
    expect(error.message).not.toContain('/tmp/');
    expect(error.message).not.toContain(SECRET_VALUE);
    expect(error.message).not.toContain('id-1');
  });

  // Review R-LEAK M1: nothing bounded a secret's length (see credential-length.ts).
  it('refuses a client id or secret over 1 KiB, never repeating it', () => {
    const long = 'ef'.repeat(20_000);
    const error = errorOf({ clientId: 'id-1', clientSecret: long });
    expect(error.message).toMatch(/"clientSecret" is longer than 1024 characters/);
    expect(error.message).not.toContain('efefefef');
    expect(errorOf({ clientId: long, clientSecret: SECRET_VALUE }).message).toMatch(/"clientId" is longer/);
  });
});

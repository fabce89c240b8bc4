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

  // Review R-FIRST L5: Domo's own names were refused as if the fields were missing.
  it('reads Domo’s own names client_id and client_secret as the fields, placeholder included', () => {
    expect(parseDomoSecret(ID, { client_id: 'id-1', client_secret: SECRET_VALUE })).toEqual({
      kind: 'credentials',
      credentials: { clientId: 'id-1', clientSecret: SECRET_VALUE },
    });
    expect(parseDomoSecret(ID, { client_id: 'REPLACE_ME', clientSecret: SECRET_VALUE })).toEqual({
      kind: 'placeholder',
    });
  });

  it('names the rename for another spelling of a field, never echoing the value', () => {
    const error = errorOf({ ClientId: 'id-1', 'client-secret': SECRET_VALUE });
    expect(error.message).toContain(
      'its field names are misspelled: rename "ClientId" to "clientId" and rename "client-secret" to "clientSecret"',
    );
    expect(error.message).not.toContain(SECRET_VALUE);
    expect(errorOf({ clientId: 'id-1', CLIENT_SECRET: SECRET_VALUE }).message).toContain(
      'rename "CLIENT_SECRET" to "clientSecret"',
    );
  });

  it.each([
    [
      'text that is not JSON',
      `{"clientId":"id-1","clientSecret":"${SECRET_VALUE}"`,
      /its SecretString is not a JSON object: it begins like one but does not parse \(a quote, a comma or the closing brace missing/,
    ],
    [
      'JSON in single quotes, as a hand edit writes it',
      ` {'clientId':'id-1','clientSecret':'${SECRET_VALUE}'}`,
      /it begins like one but does not parse .*or single quotes where JSON needs double ones\)/,
    ],
    [
      'the client secret alone',
      SECRET_VALUE,
      /its SecretString is not a JSON object \(a value alone, such as the client secret, is not enough\): both values go in one object\. To fix it, put \{"clientId"/,
    ],
    ['a JSON array', [SECRET_VALUE], /holds a JSON array/],
    ['a binary secret', undefined, /has no SecretString/],
    [
      'a field of another name',
      { clientId: 'id-1', secret: SECRET_VALUE },
      /have other names than the ones read \(clientId, clientSecret\): rename "secret" to "clientSecret"\./,
    ],
    [
      'a field of no name it knows',
      { clientId: 'id-1', credential: SECRET_VALUE },
      /"clientSecret" must be a non-empty string \(the fields it holds: "clientId", an unexpected field \(its name of 10 characters not shown, as it may be a value\)\)\./,
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
      `into a new file only you can read, never on the command line (it lands in shell history), run aws secretsmanager put-secret-value --secret-id ${ID} --secret-string file://<that file>, then remove the file`,
    );
    // No one shell's command (review R-WINOPS H3: bash's could not run in PowerShell): where each is.
    expect(error.message).toContain('README step 4 (bash, zsh) and docs/windows.md (PowerShell)');
    expect(error.message).not.toMatch(/umask|mktemp|stty|\$f/);
    expect(error.message).not.toMatch(/--secret-string '/);
    expect(error.message).not.toContain('/tmp/');
    expect(error.message).not.toContain(SECRET_VALUE);
    expect(error.message).not.toContain('id-1');
  });

  // first-deploy review F8: {"id","secret"} and {"username","password"} got '"clientId" and
  // "clientSecret" must be a non-empty string', which named neither what the secret held nor the fix.
  it.each([
    [{ id: 'id-1', secret: SECRET_VALUE }, 'rename "id" to "clientId" and "secret" to "clientSecret"'],
    [
      { username: 'id-1', password: SECRET_VALUE },
      'rename "username" to "clientId" and "password" to "clientSecret"',
    ],
    [{ Key: 'id-1', clientSecret: SECRET_VALUE }, 'rename "Key" to "clientId"'],
  ])('names the renames of other tools’ field names %j, never a value', (value, renames) => {
    const error = errorOf(value);
    expect(error.message).toContain(
      `its fields have other names than the ones read (clientId, clientSecret): ${renames}.`,
    );
    expect(error.message).not.toContain(SECRET_VALUE);
    expect(error.message).not.toContain('id-1');
  });

  it('names the fields a secret holds when no rename fits, but no name that may be a value', () => {
    const error = errorOf({ a: 'id-1', [SECRET_VALUE.repeat(3)]: '', 'x y': 1, client_id: '' });
    expect(error.message).toContain(
      '"client_id" and "clientSecret" must be a non-empty string (the fields it holds: an unexpected field (its name of 1 character not shown, as it may be a value), an unexpected field (its name of 60 characters not shown, as it may be a value), an unexpected field (its name of 3 characters not shown, as it may be a value), "client_id").',
    );
    expect(error.message).not.toContain(SECRET_VALUE);
    // A blank field needs its value, not a name.
    expect(errorOf({ clientId: 'id-1', clientSecret: ' ' }).message).toMatch(
      /"clientSecret" must be a non-empty string\. /,
    );
  });

  // A short client id pasted as the name of its secret looked like a plain name and was shown.
  it.each([
    ['a short client id', 'a1b2c3d4'],
    ['a client id of letters alone', 'acmeintegration'],
    ['a Domo client id (a UUID)', '3f2504e0-4f89-11d3-9a0c-0305e82c3301'],
  ])('never shows %s pasted as a field name', (_what, clientId) => {
    const error = errorOf({ [clientId]: SECRET_VALUE });
    expect(error.message).toContain(
      `(the fields it holds: an unexpected field (its name of ${clientId.length} characters not shown, as it may be a value))`,
    );
    expect(error.message).not.toContain(clientId);
    expect(error.message).not.toContain(SECRET_VALUE);
  });

  // Review R-LEAK M1: nothing bounded a secret's length (see credential-length.ts).
  it('refuses a client id or secret over 1 KiB, never repeating it', () => {
    const long = 'ef'.repeat(20_000);
    const error = errorOf({ clientId: 'id-1', clientSecret: long });
    expect(error.message).toMatch(/"clientSecret" is longer than 1024 characters/);
    expect(error.message).not.toContain('efefefef');
    expect(errorOf({ clientId: long, clientSecret: SECRET_VALUE }).message).toMatch(/"clientId" is longer/);
  });

  // Review R-MIX L4: the messages named clientId for a field the secret calls client_id.
  it.each([
    ['empty', ''],
    ['a number', 12345],
    ['null', null],
    ['spaces', '   '],
  ])('names client_id as the secret spells it when it is %s', (_what, id) => {
    const error = errorOf({ client_id: id, client_secret: SECRET_VALUE });
    expect(error.message).toMatch(/: "client_id" must be a non-empty string\./);
    expect(error.message).not.toContain(SECRET_VALUE);
    expect(errorOf({ clientId: 'id-1', client_secret: 'ef'.repeat(600) }).message).toMatch(
      /: "client_secret" is longer than 1024/,
    );
  });

  it('refuses a field under both names with different values, saying which to keep', () => {
    const error = errorOf({ clientId: 'id-a', client_id: 'id-b', clientSecret: SECRET_VALUE });
    expect(error.message).toContain(
      'it holds a field under both names, with different values: keep the right value under "clientId" and delete "client_id"',
    );
    expect(error.message).not.toMatch(/id-a|id-b|sk-very/);
    // The same value twice is no doubt.
    expect(parseDomoSecret(ID, { clientId: 'id-1', client_id: 'id-1', clientSecret: SECRET_VALUE })).toEqual({
      kind: 'credentials',
      credentials: { clientId: 'id-1', clientSecret: SECRET_VALUE },
    });
  });

  it('takes DOMO_CLIENT_ID and DOMO_CLIENT_SECRET, as an environment names them, for misspellings', () => {
    const error = errorOf({ DOMO_CLIENT_ID: 'id-1', DOMO_CLIENT_SECRET: SECRET_VALUE });
    expect(error.message).toContain(
      'its field names are misspelled: rename "DOMO_CLIENT_ID" to "clientId" and rename "DOMO_CLIENT_SECRET" to "clientSecret"',
    );
    expect(error.message).not.toContain(SECRET_VALUE);
  });
});

import * as z from 'zod';
import type { DomoCredentials } from '../ports.ts';
import { overlongFields, overlongProblem } from './credential-length.ts';

/** Marks a secret the stack created but nobody has filled in yet. */
export const PLACEHOLDER_VALUE = 'REPLACE_ME';

/** The value the stack stores in a secret it creates (the CDK app writes exactly this). */
export const PLACEHOLDER_SECRET: DomoCredentials = {
  clientId: PLACEHOLDER_VALUE,
  clientSecret: PLACEHOLDER_VALUE,
};

/** What the secret must hold, for error messages (no real values, ever). */
export const SECRET_SHAPE = '{"clientId":"<Domo client id>","clientSecret":"<Domo client secret>"}';

export type DomoSecret = { kind: 'credentials'; credentials: DomoCredentials } | { kind: 'placeholder' };

/**
 * How to put the Domo client into the secret: through a file, because a value on the command line
 * lands in shell history; a fresh file only its owner can read, because a fixed name in a shared
 * /tmp is readable by others and can be planted; removed after. No shell's command: the message
 * reaches operators on bash, zsh and PowerShell alike (review R-WINOPS H3: the bash one-liner it
 * printed cannot run in PowerShell), so it says what to do and where each shell's command is
 * (README step 4: the echo off while pasting, the file removed on Ctrl-C too; docs/windows.md).
 * The one wording every message uses (handler warning, errors, CLI).
 */
export const secretFixSteps = (secretId: string): string =>
  `put ${SECRET_SHAPE} into a new file only you can read, never on the command line (it lands in shell history), run aws secretsmanager put-secret-value --secret-id ${secretId} --secret-string file://<that file>, then remove the file; the commands that do it without showing the secret are in README step 4 (bash, zsh) and docs/windows.md (PowerShell)`;

/** The secret's content is not usable. The message names the secret and the problem, never its value. */
export class DomoSecretError extends Error {
  constructor(secretId: string, problem: string) {
    super(
      `Secrets Manager secret "${secretId}" is not usable: ${problem}. To fix it, ${secretFixSteps(secretId)}`,
    );
    this.name = 'DomoSecretError';
  }
}

const credentialsSchema = z.lazy(() =>
  z.object({
    clientId: z.string().trim().min(1),
    clientSecret: z.string().trim().min(1),
  }),
);

const describeShape = (value: unknown): string => {
  if (value === undefined || value === null) return 'it has no SecretString (a binary or empty secret)';
  // The console's Plaintext tab, edited by hand, is where a first deploy's secret most often breaks.
  if (typeof value === 'string')
    return value.trimStart().startsWith('{')
      ? 'its SecretString is not a JSON object: it begins like one but does not parse (a quote, a comma or the closing brace missing, or single quotes where JSON needs double ones)'
      : 'its SecretString is not a JSON object (a value alone, such as the client secret, is not enough): both values go in one object';
  if (Array.isArray(value)) return 'it holds a JSON array, not an object';
  return `it holds a JSON ${typeof value}, not an object`;
};

const FIELDS = ['clientId', 'clientSecret'] as const;
type Field = (typeof FIELDS)[number];

/**
 * Domo's own names for the two fields (its OAuth token request and its developer portal's client
 * page say client_id and client_secret): taken as the fields they name, since a Domo admin copies
 * them from there.
 */
const DOMO_NAMES: Record<Field, string> = { clientId: 'client_id', clientSecret: 'client_secret' };

/**
 * A field's name with case, `_`, `-`, `.`, spaces and a leading `domo` set aside: `ClientID`,
 * `client-id`, `CLIENT_ID`, and `DOMO_CLIENT_ID` as an environment variable would name it.
 */
const looseName = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[-_.\s]/g, '')
    .replace(/^domo/, '');

/**
 * Other tools' names for the two fields (loose, as {@link looseName} makes them): `{"id","secret"}`,
 * `{"username","password"}`, `{"key","secret"}`, as a generic credentials secret holds them.
 */
const OTHER_NAMES: Record<Field, readonly string[]> = {
  clientId: ['id', 'username', 'user', 'login', 'client', 'key', 'apikey', 'accesskey', 'accesskeyid'],
  clientSecret: ['secret', 'password', 'pass', 'pwd', 'apisecret', 'secretkey', 'secretaccesskey'],
};

/** Whether `key` spells `field` otherwise (`client_id`, `ClientID`). */
const spells = (key: string, field: Field): boolean => looseName(key) === field.toLowerCase();

/** Whether `key` is another tool's name for `field` (`id`, `password`). */
const otherNameOf = (key: string, field: Field): boolean => OTHER_NAMES[field].includes(looseName(key));

/**
 * Whether a field's name is one this knows (its own, Domo's, a spelling of either, another tool's):
 * only those are shown, since a short client id pasted as a name (`{"<id>":"<secret>"}`) reads as
 * a plain name and no pattern tells the two apart.
 */
const knownName = (name: string): boolean =>
  FIELDS.some((field) => spells(name, field) || otherNameOf(name, field));

/**
 * The secret's field names, for a message that has no rename to offer: the known ones, and of the
 * others only their length (a value pasted as a name is never shown).
 */
function fieldNamesHeld(record: Record<string, unknown>): string {
  const keys = Object.keys(record);
  if (keys.length === 0) return 'it holds no field';
  const names = keys.map((key) =>
    knownName(key)
      ? `"${key}"`
      : `an unexpected field (its name of ${key.length} character${key.length === 1 ? '' : 's'} not shown, as it may be a value)`,
  );
  return `the fields it holds: ${names.join(', ')}`;
}

/** What {@link fieldsOf} found: the fields, the names they have in the secret, and what is wrong. */
interface SecretFields {
  fields: Record<string, unknown>;
  /** Each field's name as the secret spells it (`client_id`), for the messages about it. */
  names: Record<Field, string>;
  /** The renames that would make other spellings of a missing field readable (`ClientId`). */
  renames: string[];
  /** The renames of other tools' names for a missing field (`id`, `password`). */
  otherNames: string[];
  /** Fields held under both names, with different values: which is meant cannot be told. */
  conflicts: string[];
}

/**
 * The secret's fields under the names this reads: `clientId` as such, else Domo's `client_id`,
 * either when both hold the same value.
 */
function fieldsOf(record: Record<string, unknown>): SecretFields {
  const found: SecretFields = {
    fields: {},
    names: { clientId: 'clientId', clientSecret: 'clientSecret' },
    renames: [],
    otherNames: [],
    conflicts: [],
  };
  for (const field of FIELDS) {
    const domo = DOMO_NAMES[field];
    const name = field in record ? field : domo in record ? domo : undefined;
    if (name !== undefined) {
      found.fields[field] = record[name];
      found.names[field] = name;
      if (name === field && domo in record && record[domo] !== record[field])
        found.conflicts.push(`keep the right value under "${field}" and delete "${domo}"`);
      continue;
    }
    noteRename(field, record, found);
  }
  return found;
}

/** Notes the rename that would make a missing `field` readable: of a spelling, else of another name. */
function noteRename(field: Field, record: Record<string, unknown>, found: SecretFields): void {
  const spelled = Object.keys(record).find((key) => spells(key, field));
  if (spelled !== undefined) {
    found.renames.push(`rename "${spelled}" to "${field}"`);
    return;
  }
  const other = Object.keys(record).find((key) => otherNameOf(key, field));
  if (other !== undefined) found.otherNames.push(`"${other}" to "${field}"`);
}

/**
 * Interprets a secret value as middy's secrets-manager middleware hands it over (a JSON object
 * when the SecretString parsed, else the raw string). `clientId`/`clientSecret` are the names the
 * stack's placeholder and every message use; Domo's `client_id`/`client_secret` are read as them
 * (and named as such in what is said about them), both names with different values are refused,
 * and other spellings of them are refused with the rename to make.
 *
 * @throws DomoSecretError naming the secret id and which field is wrong; it never echoes a value.
 */
export function parseDomoSecret(secretId: string, value: unknown): DomoSecret {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new DomoSecretError(secretId, describeShape(value));
  }
  const { fields, names, renames, otherNames, conflicts } = fieldsOf(value as Record<string, unknown>);
  if (conflicts.length > 0)
    throw new DomoSecretError(
      secretId,
      `it holds a field under both names, with different values: ${conflicts.join(', and ')}`,
    );
  if (fields.clientId === PLACEHOLDER_VALUE || fields.clientSecret === PLACEHOLDER_VALUE) {
    return { kind: 'placeholder' };
  }
  if (renames.length > 0)
    throw new DomoSecretError(secretId, `its field names are misspelled: ${renames.join(' and ')}`);
  if (otherNames.length > 0)
    throw new DomoSecretError(
      secretId,
      `its fields have other names than the ones read (clientId, clientSecret): rename ${otherNames.join(' and ')}`,
    );
  const quoted = { clientId: `"${names.clientId}"`, clientSecret: `"${names.clientSecret}"` };
  const result = credentialsSchema.safeParse(fields);
  if (!result.success) {
    const missing = [...new Set(result.error.issues.map((issue) => issue.path[0] as Field))];
    // A field that is there but blank needs a value, not a name: the names held help a missing one.
    const absent = missing.some((field) => fields[field] === undefined);
    const held = absent ? ` (${fieldNamesHeld(value as Record<string, unknown>)})` : '';
    throw new DomoSecretError(
      secretId,
      `${missing.map((field) => quoted[field]).join(' and ')} must be a non-empty string${held}`,
    );
  }
  const overlong = overlongFields(result.data, quoted);
  if (overlong.length > 0) throw new DomoSecretError(secretId, overlongProblem(overlong));
  return { kind: 'credentials', credentials: result.data };
}

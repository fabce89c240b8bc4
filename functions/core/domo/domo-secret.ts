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
 * lands in shell history; a fresh file only its owner can read (mktemp, umask 077), removed after,
 * because a fixed name in a shared /tmp is readable by others (umask 022) and can be planted. One
 * command, in a subshell so the umask and the file name go with it. The one wording every message
 * uses (handler warning, errors, CLI).
 */
export const secretFixSteps = (secretId: string): string =>
  `put ${SECRET_SHAPE} into a file only you can read, never on the command line (it lands in shell history): run (umask 077; f=$(mktemp); cat > "$f"; aws secretsmanager put-secret-value --secret-id ${secretId} --secret-string "file://$f"; rm -f "$f"), paste the JSON, then press Enter and Ctrl-D`;

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
  if (typeof value === 'string') return 'its SecretString is not a JSON object';
  if (Array.isArray(value)) return 'it holds a JSON array, not an object';
  return `it holds a JSON ${typeof value}, not an object`;
};

/**
 * Interprets a secret value as middy's secrets-manager middleware hands it over (a JSON object
 * when the SecretString parsed, else the raw string).
 *
 * @throws DomoSecretError naming the secret id and which field is wrong; it never echoes a value.
 */
export function parseDomoSecret(secretId: string, value: unknown): DomoSecret {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new DomoSecretError(secretId, describeShape(value));
  }
  const record = value as Record<string, unknown>;
  if (record.clientId === PLACEHOLDER_VALUE || record.clientSecret === PLACEHOLDER_VALUE) {
    return { kind: 'placeholder' };
  }
  const result = credentialsSchema.safeParse(record);
  if (!result.success) {
    const fields = [...new Set(result.error.issues.map((issue) => String(issue.path[0])))];
    throw new DomoSecretError(
      secretId,
      `${fields.map((field) => `"${field}"`).join(' and ')} must be a non-empty string`,
    );
  }
  const overlong = overlongFields(result.data, { clientId: '"clientId"', clientSecret: '"clientSecret"' });
  if (overlong.length > 0) throw new DomoSecretError(secretId, overlongProblem(overlong));
  return { kind: 'credentials', credentials: result.data };
}

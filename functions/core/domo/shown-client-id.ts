/**
 * How messages name the Domo API client, the one place that decides whether its id may be shown.
 * The id is no secret, but it is the value people paste the secret into: swapped or pasted into the
 * wrong field, "API client '<id>'" would print the secret whole into logs, the Lambda's error, the
 * failed-invocation queue and the run record kept under Object Lock for a year.
 */

/** Domo's client ids are UUIDs (the developer portal's "Client ID"); its secrets are 64 hex digits. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * A readable name such as the simulator's `sim-client`: short words of letters or digits joined by
 * `-`, `_` or `.`. A part mixing letters and digits is at most 12 characters (a UUID's longest),
 * which a password or a token run together is not.
 */
const NAME = /^[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*$/;
const MAX_NAME = 40;
const MAX_MIXED_PART = 12;
/** 32 or more hex digits in one run: Domo's secret (64), or a key or hash of any kind. */
const LONG_HEX = /^[0-9a-f]{32,}$/i;
/** A run of 20 or more characters without separators, from a Base64-like alphabet. */
const TOKEN_LIKE = /^[A-Za-z0-9+/=]{20,}$/;

/** Whether `value` reads as a client id, shown whole in messages. */
export function looksLikeClientId(value: string): boolean {
  if (UUID.test(value)) return true;
  if (value.length > MAX_NAME || !NAME.test(value)) return false;
  return value
    .split(/[-_.]/)
    .every((part) => /^[A-Za-z]+$/.test(part) || /^\d+$/.test(part) || part.length <= MAX_MIXED_PART);
}

/**
 * Whether `value` is 32 or more hex digits: Domo's client secret, or a key or hash of any kind,
 * never a name a person gives (also the secret-name check's rule: secret-reference.ts).
 */
export function looksLikeHexSecret(value: string): boolean {
  return LONG_HEX.test(value);
}

/** Whether `value` reads as a secret: long hex, or a long run mixing letters and digits. */
export function looksLikeSecret(value: string): boolean {
  if (looksLikeHexSecret(value)) return true;
  return TOKEN_LIKE.test(value) && /\d/.test(value) && /[A-Za-z]/.test(value) && new Set(value).size >= 12;
}

/**
 * The client as a message names it after "API client": `'<id>'` when the id looks like one;
 * otherwise a note that it is not shown, and, when it looks like a secret, that the id and the
 * secret look swapped (neither is shown).
 */
export function shownClientId(clientId: string): string {
  if (looksLikeClientId(clientId)) return `'${clientId}'`;
  if (looksLikeSecret(clientId)) {
    return '(id not shown: it looks like a client secret, so the client id and secret look swapped)';
  }
  return `(id not shown: its ${clientId.length} characters do not look like a client id)`;
}

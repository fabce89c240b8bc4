/**
 * Longest client id or client secret accepted, in characters. Domo's secrets are 64 hex digits and
 * its ids a UUID; nothing bounded them, and the redactor searches every form of the secret in each
 * message (review R-LEAK M1: a secret of 2,800 characters broke it, its Base64 quoted in the
 * window's failure message). 1 KiB is 16 times a real secret: room for a format Domo may adopt,
 * none for a file or a token pasted by mistake.
 */
export const MAX_CREDENTIAL_CHARS = 1024;

/** The names of the fields over {@link MAX_CREDENTIAL_CHARS}, as `names` calls them. */
export function overlongFields(
  credentials: { clientId: string; clientSecret: string },
  names: { clientId: string; clientSecret: string },
): string[] {
  return (['clientId', 'clientSecret'] as const)
    .filter((field) => credentials[field].length > MAX_CREDENTIAL_CHARS)
    .map((field) => names[field]);
}

/**
 * Why `fields` are refused, never their values (a value that long is no Domo credential; it may be
 * something else secret, pasted by mistake).
 */
export const overlongProblem = (fields: readonly string[]): string =>
  `${fields.join(' and ')} ${fields.length > 1 ? 'are' : 'is'} longer than ${MAX_CREDENTIAL_CHARS} characters, which no Domo client id or secret is (a secret is 64 hex digits): most likely another value was pasted`;

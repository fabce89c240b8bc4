/**
 * The shape of a Secrets Manager secret's name or ARN, for the CLI and for the stack's config
 * check (infra/config/instance-secret.ts). A value of another shape is refused without being
 * shown: the likeliest such value is the secret's content (`{"clientId":…,"clientSecret":…}`)
 * pasted where its name was due, and a message quoting it would print the secret.
 */

import { looksLikeHexSecret } from './shown-client-id.ts';

/** A secret's name: the characters Secrets Manager allows, 1 to 512 of them. */
export const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
/** A secret's ARN, complete (ending in the "-" and 6 random characters Secrets Manager appends to the name) or partial. */
export const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):\d{12}:secret:([A-Za-z0-9/_+=.@-]+)$/;

/** Whether `value` has the shape of a secret's name or ARN (a name never starts with `arn:`). */
export function isSecretReference(value: string): boolean {
  return value.startsWith('arn:') ? SECRET_ARN.test(value) : SECRET_NAME.test(value);
}

/**
 * Why `value` cannot name a secret, in words that never repeat it; undefined when it can. Only its
 * length and, for JSON or a run of hex digits, that it looks like the secret's content are told.
 * A name of 32 or more hex digits is refused although Secrets Manager allows it: it is far likelier
 * the Domo client secret (64 hex digits) pasted where the name was due, which would otherwise be
 * printed and sent to AWS as a secret id; a secret really named so is reached by its ARN.
 */
export function secretReferenceProblem(value: string): string | undefined {
  const trimmed = value.trim();
  if (looksLikeHexSecret(trimmed)) {
    return (
      `looks like a client secret, not a secret's name (${value.length} characters, not shown: 32 or more hex digits in a row): ` +
      "give the secret's name or its ARN, never its value (a secret really named so is reached by its ARN)"
    );
  }
  if (trimmed !== value && isSecretReference(trimmed)) {
    return 'has surrounding whitespace (a space or a line break, copied with it): give the name or ARN without it';
  }
  if (isSecretReference(value)) return undefined;
  const content = /^\s*[{["]/.test(value) ? ', and looks like a secret value (JSON), not a name' : '';
  return (
    `is not the name or ARN of a Secrets Manager secret (${value.length} characters, not shown as it may be a credential${content}): ` +
    'give the secret\'s name (letters, digits and /_+=.@-) or its ARN "arn:aws:secretsmanager:<region>:<account>:secret:<name>", never its value'
  );
}

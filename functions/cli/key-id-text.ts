import { visibleLine } from '../core/visible-line.ts';

/**
 * The longest key id shown whole: a KMS key ARN is about 80 characters, an alias's up to about
 * 300, and the report's JSON gives every one whole.
 */
export const SHOWN_KEY_ID_CHARS = 160;

/**
 * A digest's `key_id` for a line of text: read from the lake, not covered by the signature, so
 * anyone able to write the lake chooses it. Quoted as a JSON string, so that it cannot pass for
 * the line's own words ("… key/x integrity: OK …"), on one line, and cut to
 * {@link SHOWN_KEY_ID_CHARS} characters with the length it had (review R-SECOND L5).
 */
export function quotedKeyId(keyId: string): string {
  const chars = [...visibleLine(keyId)];
  if (chars.length <= SHOWN_KEY_ID_CHARS) return JSON.stringify(chars.join(''));
  return `${JSON.stringify(`${chars.slice(0, SHOWN_KEY_ID_CHARS).join('')}…`)} (cut, of ${chars.length} characters)`;
}

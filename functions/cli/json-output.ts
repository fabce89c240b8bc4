/**
 * Characters JSON.stringify leaves as they are that a terminal acts on or hides: DEL and the C1
 * controls (U+009B starts an escape sequence on some terminals), bidi controls and direction marks
 * (they reorder what is shown), and the line and paragraph separators.
 */
const INVISIBLE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * `value` as the JSON a command prints (two-space indent, a final newline), with the characters
 * above written as `\uXXXX` escapes: the same JSON to a parser, nothing a Domo string holds acts on
 * or hides in the terminal it is read in (JSON.stringify escapes only U+0000-U+001F).
 */
export function jsonOutput(value: unknown): string {
  const text = JSON.stringify(value, null, 2).replace(
    INVISIBLE,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `${text}\n`;
}

import { BIDI_CONTROL_CHARS, C1_CONTROL_CHARS, OTHER_LINE_BREAK_CHARS } from '../core/visible-text.ts';

/**
 * Characters JSON.stringify leaves as they are that a terminal acts on or hides: DEL and the C1
 * controls, bidi controls and direction marks (they reorder what is shown), and the other line
 * breaks, as visible-text.ts names them for the report.
 */
const INVISIBLE = new RegExp(`[${C1_CONTROL_CHARS}${BIDI_CONTROL_CHARS}${OTHER_LINE_BREAK_CHARS}]`, 'g');

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

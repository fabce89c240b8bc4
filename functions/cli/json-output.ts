import { randomBytes } from 'node:crypto';
import { BIDI_CONTROL_CHARS, C1_CONTROL_CHARS, OTHER_LINE_BREAK_CHARS } from '../core/visible-text.ts';

/**
 * Characters JSON.stringify leaves as they are that a terminal acts on or hides: DEL and the C1
 * controls, bidi controls and direction marks (they reorder what is shown), and the other line
 * breaks, as visible-text.ts names them for the report.
 */
const INVISIBLE = new RegExp(`[${C1_CONTROL_CHARS}${BIDI_CONTROL_CHARS}${OTHER_LINE_BREAK_CHARS}]`, 'g');

/**
 * JSON.stringify's text of `value` with each bigint written as the number literal of every digit
 * (`12345678901234567`, as a query row holds a whole number past 2^53): JSON.stringify throws on
 * a bigint, and Node 20 has no JSON.rawJSON. Each is first written as a string `"<mark><digits>"`,
 * then unquoted; the mark is a word found nowhere in the text without them, so no string of the
 * value can be taken for one.
 */
const randomMark = (): string => `bigint_${randomBytes(8).toString('hex')}_`;

function exactJson(value: unknown): string {
  let bigints = false;
  const plain = JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v !== 'bigint') return v;
      bigints = true;
      return 0;
    },
    2,
  );
  if (!bigints) return plain;
  // Random, so no text can make the search walk it mark after mark (a counted mark did: a string
  // of 50,000 of them took 10 s); drawn again in the rare case the text holds it.
  let mark = randomMark();
  while (plain.includes(mark)) mark = randomMark();
  const marked = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${mark}${v}` : v), 2);
  return marked.replace(new RegExp(`"${mark}(-?\\d+)"`, 'g'), '$1');
}

/**
 * `value` as the JSON a command prints (two-space indent, a final newline, bigints as exact number
 * literals), with the characters above written as `\uXXXX` escapes: the same JSON to a parser,
 * nothing a Domo string holds acts on or hides in the terminal it is read in (JSON.stringify
 * escapes only U+0000-U+001F).
 */
export function jsonOutput(value: unknown): string {
  const text = exactJson(value).replace(
    INVISIBLE,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `${text}\n`;
}

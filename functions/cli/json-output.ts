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
 * a bigint, and Node 20 has no JSON.rawJSON. Each is written as a string `"<mark><digits>"`, then
 * unquoted. The mark is random, so no text can be made to hold it (a counted mark could: a string
 * of 50,000 of them made the search walk it mark after mark, 10 s). The value is stringified once;
 * only if more were unquoted than there were bigints (a key or string of the value happened to
 * hold the mark, about 2^-64 a run) is it stringified again with another (`nextMark`: tests).
 */
const randomMark = (): string => `bigint_${randomBytes(8).toString('hex')}_`;

export function exactJson(value: unknown, nextMark: () => string = randomMark): string {
  for (;;) {
    const mark = nextMark();
    let bigints = 0;
    const marked = JSON.stringify(
      value,
      (_key, v: unknown) => {
        if (typeof v !== 'bigint') return v;
        bigints++;
        return `${mark}${v}`;
      },
      2,
    );
    if (bigints === 0) return marked;
    let unquoted = 0;
    const text = marked.replace(new RegExp(`"${mark}(-?\\d+)"`, 'g'), (_match, digits: string) => {
      unquoted++;
      return digits;
    });
    if (unquoted === bigints) return text;
  }
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

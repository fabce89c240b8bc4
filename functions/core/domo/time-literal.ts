import { COLON, QUOTE, skipJsonWhitespace } from './json-text.ts';
import { topLevelNumberLiterals } from './number-literals.ts';

const PLAIN_DIGITS = /^-?\d+$/;
const NUMBER_LITERAL = /^-?(\d+)(?:\.(\d+))?(?:[eE]([-+]?\d+))?$/;

/**
 * The literal of the number `time` as the entry's text gives it (`1796464829000.0000000000001`,
 * which `JSON.parse` reads as 1796464829000). The first `"time"` member found is taken when its
 * literal is plain digits of the same value, as Domo writes it, and no object or array opens
 * before it (it is then a member of the entry itself); any other is read by a scan of the top-level
 * members. Written for speed: this runs for every entry (~0.1 µs, where the scan takes ~1 µs).
 */
export function timeLiteral(text: string, time: number): string {
  const found = firstTimeLiteral(text);
  if (found !== undefined && PLAIN_DIGITS.test(found) && Number(found) === time) return found;
  return topLevelNumberLiterals(text).get('time') ?? String(time);
}

function firstTimeLiteral(text: string): string | undefined {
  const start = firstTimeValueAt(text);
  if (start < 0) return undefined;
  let at = start;
  while (at < text.length && isNumberChar(text.charCodeAt(at))) at++;
  return at > start ? text.slice(start, at) : undefined;
}

/**
 * Whether the number `time`'s literal as sent is a whole number ({@link isWholeLiteral} of
 * {@link timeLiteral}), told without a string, a regex or `Number` when the first `"time"` is a
 * top-level member of plain digits, at most 15 (read exactly), of the same value, as Domo writes
 * it: this runs for every entry with a number time.
 */
export function isWholeAsSent(text: string, time: number): boolean {
  const start = firstTimeValueAt(text);
  if (start >= 0 && plainDigitsValue(text, start) === time) return true;
  return isWholeLiteral(timeLiteral(text, time));
}

/** Where the value of the first `"time"` starts when it is a member of the entry itself, or -1. */
function firstTimeValueAt(text: string): number {
  const key = firstTimeKey(text);
  if (key < 0 || opensBefore(text, '{', 1, key) || opensBefore(text, '[', 0, key)) return -1;
  const at = skipJsonWhitespace(text, key + 6);
  if (text.charCodeAt(at) !== COLON) return -1;
  return skipJsonWhitespace(text, at + 1);
}

/** Most digits whose value `value * 10 + digit` reads exactly (below 2^53). */
const EXACT_DIGITS = 15;

/** The value of a literal of plain digits (an optional minus) at `start`; undefined for any other. */
function plainDigitsValue(text: string, start: number): number | undefined {
  const negative = text.charCodeAt(start) === 0x2d;
  const first = negative ? start + 1 : start;
  let at = first;
  let value = 0;
  for (let c = text.charCodeAt(at); c >= 0x30 && c <= 0x39; c = text.charCodeAt(++at))
    value = value * 10 + (c - 0x30);
  if (at === first || at - first > EXACT_DIGITS || isNumberChar(text.charCodeAt(at))) return undefined;
  return negative ? -value : value;
}

/**
 * Where the first `"time"` of the text starts, or -1: found as `time"` with a quote before it,
 * since V8 finds `time"` ~2.5 times faster than `"time"` in an entry's text (a pattern opening
 * with the quote stops at every one of the ~60 quotes of an entry; this runs for every entry).
 */
function firstTimeKey(text: string): number {
  let at = text.indexOf('time"', 1);
  while (at > 0 && text.charCodeAt(at - 1) !== QUOTE) at = text.indexOf('time"', at + 1);
  return at < 0 ? -1 : at - 1;
}

/**
 * Whether `open` occurs in `text` from `from` on before `end`: a nested object or array there may
 * hold the `"time"` found (or a string holding the character: then the scan decides, slower only).
 * A string holding `"time"` cannot match it: its quotes would be escaped.
 */
function opensBefore(text: string, open: string, from: number, end: number): boolean {
  const at = text.indexOf(open, from);
  return at >= 0 && at < end;
}

/** `-`, `+`, `.`, a digit, `e` or `E`: what a JSON number literal is made of. */
const isNumberChar = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x65 || c === 0x45;

/**
 * Whether a JSON number literal is a whole number exactly as written: `1796464829000.0` and
 * `1.796464829e12` are, `1796464829000.0000000000001` is not (JSON.parse rounds it to a whole
 * number, and the entry was judged after rounding: review R-DRIFT L3).
 */
export function isWholeLiteral(literal: string): boolean {
  if (PLAIN_DIGITS.test(literal)) return true;
  const match = NUMBER_LITERAL.exec(literal);
  if (match === null) return false;
  const digits = `${match[1]}${match[2] ?? ''}`;
  const point = (match[1] ?? '').length + Number(match[3] ?? 0);
  return /^0*$/.test(digits.slice(Math.max(0, point)));
}

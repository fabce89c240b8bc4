import { isAscii, isUtf8 } from 'node:buffer';

/**
 * Whether an entry's text holds a character past U+00FF, served as is or as a `\uXXXX` escape.
 *
 * V8 keeps a string at one byte a character while every character is Latin-1 (U+0000-U+00FF), and
 * at two bytes a character as soon as one is not: measured, 20,000 decoded texts of 3,400 ASCII
 * characters after one `é` took 1.01 bytes of heap per UTF-8 byte, after one `€` 2.01; parsed, an
 * escaped `\u20ac` made its string take 2.01 where `\u00e9` took 1.01. A read's raw texts, parsed
 * values, records and lines then all take twice what their bytes say (a run given 1,024 MB ran out
 * of heap at 1,175-1,193 MB on hours of such entries weighed by their bytes: review R-HOSTILE
 * HIGH-1). A replaced byte of invalid UTF-8 (U+FFFD) makes a text two-byte too.
 */
const PAST_LATIN_1 = /[\u0100-\uffff]/;

/**
 * What one page says about its bytes, learnt with native scans before any entry is weighed: an
 * ASCII page (the most of them) costs nothing more to weigh, and only the escapes found are looked at.
 */
export class PageCharacters {
  /** Every byte is ASCII: no text decoded from it holds a character past U+007F. */
  private readonly ascii: boolean;
  /** The page is valid UTF-8: an entry whose text is as long as its bytes is ASCII. */
  private readonly utf8: boolean;
  /** The next `\u` at or after the entries looked at so far; -1 past the last. */
  private nextEscape: number;

  constructor(private readonly bytes: Buffer) {
    this.ascii = isAscii(bytes);
    this.utf8 = this.ascii || isUtf8(bytes);
    this.nextEscape = bytes.indexOf(ESCAPE_U);
  }

  /** Whether the entry `text`, decoded from `bytes[start, end)`, holds a character past U+00FF. */
  wide(text: string, start: number, end: number): boolean {
    const escaped = this.wideEscapeIn(start, end);
    if (escaped || this.ascii) return escaped;
    // Valid UTF-8 as long as its bytes is ASCII, the usual entry of a page holding a few others.
    if (this.utf8 && text.length === end - start) return false;
    return PAST_LATIN_1.test(text);
  }

  /** Whether `bytes[start, end)` is valid UTF-8: checked alone only when the page is not. */
  validUtf8(start: number, end: number): boolean {
    return this.utf8 || isUtf8(this.bytes.subarray(start, end));
  }

  /** Whether an escape in `[start, end)` stands for a character past U+00FF; entries come in order. */
  private wideEscapeIn(start: number, end: number): boolean {
    const { bytes } = this;
    // An escape before the entry lay between entries (none can) or in one not weighed.
    if (this.nextEscape >= 0 && this.nextEscape < start) this.nextEscape = bytes.indexOf(ESCAPE_U, start);
    let wide = false;
    while (this.nextEscape >= 0 && this.nextEscape < end && !wide) {
      wide = isWideEscape(bytes, this.nextEscape);
      this.nextEscape = bytes.indexOf(ESCAPE_U, this.nextEscape + 2);
    }
    return wide;
  }
}

const ESCAPE_U = Buffer.from('\\u');
const BACKSLASH = 0x5c;
const ZERO = 0x30;

/**
 * Whether the `\u` at `at` is an escape of a character past U+00FF: not itself the second half of
 * an escaped backslash (`\\u20ac` is a backslash and the letters `u20ac`), and not `\u00XX`.
 */
function isWideEscape(bytes: Buffer, at: number): boolean {
  let backslashes = 0;
  while (bytes[at - 1 - backslashes] === BACKSLASH) backslashes++;
  if (backslashes % 2 === 1) return false;
  return bytes[at + 2] !== ZERO || bytes[at + 3] !== ZERO;
}

/** A `\u` escape past U+00FF, not preceded by an odd run of backslashes (which would escape it). */
const WIDE_ESCAPE = /(?<!\\)(?:\\\\)*\\u(?!00)/;

/** {@link PageCharacters.wide} of a text alone, for a source that does not weigh its entries. */
export const holdsWideCharacters = (text: string): boolean =>
  PAST_LATIN_1.test(text) || WIDE_ESCAPE.test(text);

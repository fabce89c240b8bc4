import {
  CLOSE_ARRAY,
  CLOSE_OBJECT,
  COLON,
  closingQuote,
  OPEN_ARRAY,
  OPEN_OBJECT,
  QUOTE,
  skipJsonWhitespace,
} from './json-text.ts';

const NUMBER_CHAR = /[-+0-9.eE]/;

/**
 * The literal text of each number that is a direct member of the JSON object `text`, by key (the
 * last one for a repeated key, as `JSON.parse` keeps). `JSON.parse` turns `12345678901234567890`
 * into `12345678901234567000`; the literal is what Domo sent. Nested values are skipped; the scan
 * is one pass without recursion. Text that is not a well-formed object gives what it could read
 * (callers have parsed it with `JSON.parse` already).
 */
export function topLevelNumberLiterals(text: string): Map<string, string> {
  return topLevelMembers(text).literals;
}

/**
 * {@link topLevelNumberLiterals}, and every member name of the object in the order written,
 * repeated names as often as written (`JSON.parse` keeps one: the last).
 */
export function topLevelMembers(text: string): { literals: Map<string, string>; names: string[] } {
  const scan: Scan = { depth: 0, key: undefined, literals: new Map(), names: [] };
  for (let i = 0; i < text.length; i++) i = scanAt(text, i, scan);
  return { literals: scan.literals, names: scan.names };
}

interface Scan {
  depth: number;
  /** The member name just read at depth 1, until its value is. */
  key: string | undefined;
  literals: Map<string, string>;
  names: string[];
}

/** Reads the character (or string, or number) at `i`; returns the index of its last character. */
function scanAt(text: string, i: number, scan: Scan): number {
  const c = text.charCodeAt(i);
  if (c === QUOTE) return stringAt(text, i, scan);
  if (c === OPEN_OBJECT || c === OPEN_ARRAY) scan.depth++;
  else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) scan.depth--;
  else if (c === COLON && scan.depth === 1 && scan.key !== undefined) return memberValueAt(text, i, scan);
  return i;
}

/** A string: at depth 1, one followed by ':' is a member name; any other string is a value. */
function stringAt(text: string, open: number, scan: Scan): number {
  const closing = closingQuote(text, open);
  const end = closing < 0 ? text.length : closing;
  if (scan.depth === 1 && text.charCodeAt(skipJsonWhitespace(text, end + 1)) === COLON) {
    scan.key = JSON.parse(text.slice(open, end + 1)) as string;
    scan.names.push(scan.key);
  }
  return end;
}

/** The value after the member name's ':', kept when it is a number literal. */
function memberValueAt(text: string, colon: number, scan: Scan): number {
  const start = skipJsonWhitespace(text, colon + 1);
  let end = start;
  while (end < text.length && NUMBER_CHAR.test(text[end] as string)) end++;
  if (end > start && scan.key !== undefined) scan.literals.set(scan.key, text.slice(start, end));
  scan.key = undefined;
  return end - 1;
}

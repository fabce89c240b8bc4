import { describe, expect, it } from 'vitest';
import {
  closingQuote,
  isJsonWhitespace,
  skipJsonWhitespace,
} from '../../../functions/core/domo/json-text.ts';

describe('closingQuote', () => {
  it('finds the quote that closes a string, past escaped quotes and escaped backslashes', () => {
    expect(closingQuote('"abc" x', 0)).toBe(4);
    // One backslash escapes the quote; two escape each other and the quote closes; three escape it.
    expect(closingQuote(String.raw`"a\"b"`, 0)).toBe(5);
    expect(closingQuote(String.raw`"a\\"b"`, 0)).toBe(4);
    expect(closingQuote(String.raw`"a\\\"b" "`, 0)).toBe(7);
    expect(closingQuote('x "open', 2)).toBe(-1);
  });
});

describe('JSON whitespace', () => {
  it('is space, tab, line feed and carriage return only', () => {
    for (const c of ' \t\n\r') expect(isJsonWhitespace(c.charCodeAt(0)), JSON.stringify(c)).toBe(true);
    for (const c of '\u00a0\v\fx') expect(isJsonWhitespace(c.charCodeAt(0)), JSON.stringify(c)).toBe(false);
    expect(skipJsonWhitespace(' \t\r\n x', 0)).toBe(5);
    expect(skipJsonWhitespace('  ', 0)).toBe(2);
  });
});

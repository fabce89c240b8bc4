const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

const NUMBER_CHAR = /[-+0-9.eE]/;

/**
 * The literal text of each number that is a direct member of the JSON object `text`, by key (the
 * last one for a repeated key, as `JSON.parse` keeps). `JSON.parse` turns `12345678901234567890`
 * into `12345678901234567000`; the literal is what Domo sent. Nested values are skipped; the scan
 * is one pass without recursion. Text that is not a well-formed object gives what it could read
 * (callers have parsed it with `JSON.parse` already).
 */
export function topLevelNumberLiterals(text: string): Map<string, string> {
  const literals = new Map<string, string>();
  let depth = 0;
  let key: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = closingQuote(text, i);
      // At depth 1 a string followed by ':' is a member name; any other string is a value.
      if (depth === 1 && text.charCodeAt(skipSpace(text, end + 1)) === COLON) {
        key = JSON.parse(text.slice(i, end + 1)) as string;
      }
      i = end;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      depth++;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
    } else if (c === COLON && depth === 1 && key !== undefined) {
      const start = skipSpace(text, i + 1);
      let end = start;
      while (end < text.length && NUMBER_CHAR.test(text[end] as string)) end++;
      if (end > start) literals.set(key, text.slice(start, end));
      key = undefined;
      i = end - 1;
    }
  }
  return literals;
}

function closingQuote(text: string, open: number): number {
  let at = text.indexOf('"', open + 1);
  while (at >= 0) {
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
    at = text.indexOf('"', at + 1);
  }
  return text.length;
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && /\s/.test(text[i] as string)) i++;
  return i;
}

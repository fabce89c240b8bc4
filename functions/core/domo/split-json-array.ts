import {
  CLOSE_ARRAY,
  CLOSE_OBJECT,
  COMMA,
  closingQuote,
  isJsonWhitespace,
  OPEN_ARRAY,
  OPEN_OBJECT,
  QUOTE,
  skipJsonWhitespace,
} from './json-text.ts';

/** The JSON text is not one top-level array of values; says where it went wrong. */
export class JsonArraySplitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonArraySplitError';
  }
}

/**
 * The text of each element of a top-level JSON array, exactly as written: a slice of `text`
 * without the whitespace around it, so big integers, duplicate keys, key order and escapes survive
 * byte for byte (`JSON.parse` then `JSON.stringify` loses all four).
 *
 * It only tracks strings, escapes and bracket depth, in one pass and without recursion, so any
 * nesting depth is safe; it does not check the grammar of numbers and literals: callers parse the
 * body with `JSON.parse` as well and compare the element counts.
 */
export function splitJsonArray(text: string): string[] {
  const state: SplitState = { texts: [], depth: 0, start: -1 };
  let i = skipJsonWhitespace(text, 0);
  if (text.charCodeAt(i) !== OPEN_ARRAY) throw new JsonArraySplitError('the text does not start with [');
  for (i++; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (state.start < 0 && !isJsonWhitespace(c)) state.start = i;
    if (c === QUOTE) i = stringEnd(text, i);
    else if (closesArray(text, state, i, c)) return finish(text, state, i, c);
  }
  throw new JsonArraySplitError('the top-level array is not closed');
}

interface SplitState {
  texts: string[];
  /** Open brackets inside the top-level array. */
  depth: number;
  /** Where the current element starts; -1 before its first character. */
  start: number;
}

/** Tracks depth and element ends at character `c`; true when it closes the top-level array. */
function closesArray(text: string, state: SplitState, at: number, c: number): boolean {
  switch (c) {
    case OPEN_ARRAY:
    case OPEN_OBJECT:
      state.depth++;
      return false;
    case CLOSE_ARRAY:
    case CLOSE_OBJECT:
      if (state.depth === 0) return true;
      state.depth--;
      return false;
    case COMMA:
      if (state.depth === 0) {
        pushElement(text, state.texts, state.start, at);
        state.start = -1;
      }
      return false;
    default:
      return false;
  }
}

/** At the `]` closing the top-level array: the last element, then only whitespace may follow. */
function finish(text: string, state: SplitState, at: number, c: number): string[] {
  const { texts, start } = state;
  if (c !== CLOSE_ARRAY) throw new JsonArraySplitError(`unbalanced } at ${at}`);
  if (start !== at) pushElement(text, texts, start, at);
  else if (texts.length > 0) throw new JsonArraySplitError(`trailing comma before ${at}`);
  if (skipJsonWhitespace(text, at + 1) !== text.length) {
    throw new JsonArraySplitError(`text after the top-level array at ${at + 1}`);
  }
  return texts;
}

function pushElement(text: string, texts: string[], start: number, end: number): void {
  const element = start < 0 ? '' : text.slice(start, end).trimEnd();
  if (!element) throw new JsonArraySplitError(`empty element before ${end}`);
  texts.push(element);
}

/** Index of the `"` that closes the string opened at `open`: one not preceded by an odd run of `\`. */
function stringEnd(text: string, open: number): number {
  const end = closingQuote(text, open);
  if (end < 0) throw new JsonArraySplitError(`string opened at ${open} is not closed`);
  return end;
}

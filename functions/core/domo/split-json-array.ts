import { entryWeight } from './entry-weight.ts';
import { PageCharacters } from './wide-characters.ts';

// The byte values as local constants, not json-text.ts's: read through import bindings, this loop
// measured up to twice as slow.
const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const COMMA = 0x2c;
const MINUS = 0x2d;
const COLON = 0x3a;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
/** The bit that makes `[` and `]` into `{` and `}` (and a capital letter lower-case). */
const LOWER_CASE = 0x20;
const SPACE = 0x20;
const TAB = 0x09;
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * What each element costs, filled by {@link splitJsonArray} when asked: its bytes, and its weight
 * (see `entry-weight.ts`): its bytes, or what its containers and values take parsed when that is more.
 */
export interface ElementSizes {
  bytes: number[];
  weights: number[];
  /**
   * The indexes of the elements whose bytes are not valid UTF-8 (their texts hold U+FFFD where the
   * bytes were): filled when given, looked for only on a page that is not valid UTF-8 as a whole.
   */
  invalidUtf8?: number[];
}

/** The bytes are not one top-level JSON array of values; says where it went wrong (byte offsets). */
export class JsonArraySplitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonArraySplitError';
  }
}

/**
 * The text of each element of a top-level JSON array given as UTF-8 bytes, exactly as written:
 * the element's bytes without the whitespace around them, decoded alone, so big integers,
 * duplicate keys, key order and escapes survive byte for byte (`JSON.parse` then `JSON.stringify`
 * loses all four). Working on the bytes, a page (~475 KB) is never held as one string: a string
 * that large is allocated apart from V8's young generation, which cost more than parsing it.
 *
 * It only tracks strings, escapes and bracket depth, in one pass and without recursion, so any
 * nesting depth is safe; it does not check the grammar of numbers and literals: callers parse each
 * element with `JSON.parse`. Given `sizes`, it also weighs each element by its bytes, brackets and
 * commas outside strings, and characters past U+00FF (what its parsed value costs: `entryWeight`).
 */
export function splitJsonArray(bytes: Uint8Array, sizes?: ElementSizes): string[] {
  return splitJsonArrayUpTo(bytes, Number.POSITIVE_INFINITY, sizes).texts;
}

/** The elements {@link splitJsonArrayUpTo} made texts of, and how many the array holds. */
export interface SplitElements {
  texts: string[];
  /** Every element of the array, those past `maxTexts` included. */
  elements: number;
}

/**
 * {@link splitJsonArray} that makes the text (and the sizes) of the first `maxTexts` elements
 * only, and counts the rest: a hostile 8 MiB page of millions of tiny elements (`[0,0,…]`,
 * `[{},{},…]`) took 540-710 MB as millions of strings, where a page asked for 1,000 entries is
 * refused past 1,000 anyway. The whole text is still checked to the end, so a broken page is
 * refused as broken whatever its length.
 *
 * Inside an element the loop only looks for quotes, brackets and commas: where the element starts
 * and ends is found at its edges (whitespace skipped after a comma, trimmed before the next), and
 * a string is skipped by the native `indexOf` (see {@link closingQuote}). Keeping the start and end
 * up to date at every byte took about half of the loop's time.
 */
// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: one loop over every byte of every page; written with a state object and step functions it ran 2-3x slower.
export function splitJsonArrayUpTo(bytes: Uint8Array, maxTexts: number, sizes?: ElementSizes): SplitElements {
  const buffer = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const texts: string[] = [];
  const n = buffer.length;
  const chars = sizes ? new PageCharacters(buffer) : undefined;
  const open = skipWhitespace(buffer, 0);
  if (buffer[open] !== OPEN_ARRAY) throw new JsonArraySplitError('the text does not start with [');
  /** Elements ended so far, kept or only counted. */
  let elements = 0;
  /** Where the current element starts: its first byte, never whitespace. */
  let start = skipWhitespace(buffer, open + 1);
  if (buffer[start] === CLOSE_ARRAY) {
    closeArray(buffer, start);
    return { texts, elements };
  }
  start = elementStart(buffer, start);
  /** Open brackets inside the current element. */
  let depth = 0;
  /** The current element's `[` and `{`, and its commas (values past the first of a container). */
  let containers = 0;
  let commas = 0;
  /** Keeps the element that ends before the `,` or `]` at `end`, while `maxTexts` are not kept. */
  const keep = (end: number): void => {
    if (elements < maxTexts)
      keepElement(buffer, texts, start, trimEnd(buffer, end), {
        containers,
        commas,
        sizes,
        chars,
        index: elements,
      });
  };
  for (let i = start; i < n; i++) {
    const c = buffer[i] as number;
    // Digits, `:`, `-` and `.` (the most of the bytes outside strings) are passed over first.
    if (c >= MINUS && c <= COLON) continue;
    if (c === QUOTE) {
      i = closingQuote(buffer, i);
    } else if (c === COMMA) {
      if (depth > 0) {
        commas++;
        continue;
      }
      keep(i);
      elements++;
      containers = 0;
      commas = 0;
      start = i + 1;
      // Most elements start right after the comma; else past whitespace, skipped here (a call per
      // element made pages of `0, 0, …` 3x slower), or the array is broken.
      let next = buffer[start];
      while (next === SPACE || next === LINE_FEED || next === CARRIAGE_RETURN || next === TAB)
        next = buffer[++start];
      if (next === undefined || next === COMMA || (next | LOWER_CASE) === CLOSE_OBJECT)
        elementStart(buffer, start);
      i = start - 1;
    } else if ((c | LOWER_CASE) === OPEN_OBJECT) {
      depth++;
      containers++;
    } else if ((c | LOWER_CASE) === CLOSE_OBJECT) {
      if (depth > 0) {
        depth--;
        continue;
      }
      closeArray(buffer, i);
      keep(i);
      return { texts, elements: elements + 1 };
    }
  }
  throw new JsonArraySplitError('the top-level array is not closed');
}

/**
 * Where the element after the `[` or a top-level comma starts, past the whitespace at `from`; says
 * what is wrong when a comma or a closing bracket comes first (at the end of the text, the loop
 * says the array is not closed).
 */
function elementStart(buffer: Buffer, from: number): number {
  const at = skipWhitespace(buffer, from);
  const c = buffer[at];
  if (c === COMMA) throw new JsonArraySplitError(`empty element before ${at}`);
  if (c === CLOSE_ARRAY) throw new JsonArraySplitError(`trailing comma before ${at}`);
  if (c === CLOSE_OBJECT) throw new JsonArraySplitError(`unbalanced } at ${at}`);
  return at;
}

/**
 * The index of the quote closing the string opened at `open`. The native `indexOf` finds the
 * first quote (strings are most of a page's bytes, and a long one is found without stepping
 * through it); with no backslash right before it, no escape can reach it, so it closes the string.
 * Otherwise the string is stepped through byte by byte, escapes and all: a string of many escaped
 * quotes would take one `indexOf` call every two bytes (5x slower on an 8 MiB page of them).
 */
function closingQuote(buffer: Buffer, open: number): number {
  const at = buffer.indexOf(QUOTE, open + 1);
  if (at >= 0 && buffer[at - 1] !== BACKSLASH) return at;
  const n = at < 0 ? 0 : buffer.length;
  for (let i = open + 1; i < n; i++) {
    const d = buffer[i];
    if (d === BACKSLASH) i++;
    else if (d === QUOTE) return i;
  }
  throw new JsonArraySplitError(`string opened at ${open} is not closed`);
}

/** What weighing an element needs beside its bytes: its brackets and commas, the page's characters. */
interface Weighing {
  /** The element's place in the array. */
  index: number;
  containers: number;
  commas: number;
  sizes: ElementSizes | undefined;
  chars: PageCharacters | undefined;
}

/** The element from `start` to `end` (exclusive): its text, weighed when asked. */
function keepElement(buffer: Buffer, texts: string[], start: number, end: number, weighing: Weighing): void {
  const text = buffer.toString('utf8', start, end);
  texts.push(text);
  const { sizes, chars, containers, commas } = weighing;
  if (!sizes || !chars) return;
  if (sizes.invalidUtf8 && !chars.validUtf8(start, end)) sizes.invalidUtf8.push(weighing.index);
  const bytes = end - start;
  sizes.bytes.push(bytes);
  const wideChars = chars.wide(text, start, end) ? text.length : 0;
  sizes.weights.push(entryWeight(bytes, containers, commas, wideChars));
}

/** At a `]` or `}` that would close the top-level array: only a `]` does, and only whitespace may follow. */
function closeArray(buffer: Buffer, at: number): void {
  if (buffer[at] !== CLOSE_ARRAY) throw new JsonArraySplitError(`unbalanced } at ${at}`);
  if (skipWhitespace(buffer, at + 1) !== buffer.length) {
    throw new JsonArraySplitError(`text after the top-level array at ${at + 1}`);
  }
}

/** The end of an element ended at `at`: after its last byte that is not whitespace. */
function trimEnd(buffer: Buffer, at: number): number {
  let i = at;
  for (
    let c = buffer[i - 1];
    c === SPACE || c === LINE_FEED || c === CARRIAGE_RETURN || c === TAB;
    c = buffer[i - 1]
  )
    i--;
  return i;
}

function skipWhitespace(buffer: Buffer, from: number): number {
  let i = from;
  for (let c = buffer[i]; c === SPACE || c === LINE_FEED || c === CARRIAGE_RETURN || c === TAB; c = buffer[i])
    i++;
  return i;
}

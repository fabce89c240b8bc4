import { entryWeight } from './entry-weight.ts';

// The byte values as local constants, not json-text.ts's: read through import bindings, this loop
// measured up to twice as slow.
const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const COMMA = 0x2c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
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
 * commas outside strings (what its parsed value costs: `entryWeight`).
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
 */
// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: one loop over every byte of every page; written with a state object and step functions it ran 2-3x slower.
export function splitJsonArrayUpTo(bytes: Uint8Array, maxTexts: number, sizes?: ElementSizes): SplitElements {
  const buffer = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const texts: string[] = [];
  /** Elements ended so far, kept or only counted. */
  let elements = 0;
  const n = buffer.length;
  let i = skipWhitespace(buffer, 0);
  if (buffer[i] !== OPEN_ARRAY) throw new JsonArraySplitError('the text does not start with [');
  /** Open brackets inside the top-level array. */
  let depth = 0;
  /** Where the current element starts (-1 before its first byte) and ends (after its last non-space byte). */
  let start = -1;
  let end = -1;
  /** The current element's `[` and `{`, and its commas (values past the first of a container). */
  let containers = 0;
  let commas = 0;
  for (i++; i < n; i++) {
    const c = buffer[i] as number;
    if (c === QUOTE) {
      if (start < 0) start = i;
      const open = i;
      for (i++; i < n; i++) {
        const d = buffer[i];
        if (d === BACKSLASH) i++;
        else if (d === QUOTE) break;
      }
      if (i >= n) throw new JsonArraySplitError(`string opened at ${open} is not closed`);
      end = i + 1;
      continue;
    }
    if (c === SPACE || c === LINE_FEED || c === CARRIAGE_RETURN || c === TAB) continue;
    if (start < 0) start = i;
    if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      depth++;
      containers++;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      if (depth === 0) {
        if (elements < maxTexts && sizes && start !== i) weighElement(sizes, end - start, containers, commas);
        finish(buffer, texts, start, end, i, elements, maxTexts);
        return { texts, elements: start === i ? elements : elements + 1 };
      }
      depth--;
    } else if (c === COMMA) {
      if (depth === 0) {
        const keep = elements < maxTexts;
        if (keep && sizes && start !== i) weighElement(sizes, end - start, containers, commas);
        start = endElement(buffer, texts, start, end, i, keep);
        elements++;
        containers = 0;
        commas = 0;
        continue;
      }
      commas++;
    }
    end = i + 1;
  }
  throw new JsonArraySplitError('the top-level array is not closed');
}

function weighElement(sizes: ElementSizes, bytes: number, containers: number, commas: number): void {
  sizes.bytes.push(bytes);
  sizes.weights.push(entryWeight(bytes, containers, commas));
}

/** At a top-level comma: the element before it (its text when `keep`); the next one has not started. */
function endElement(
  buffer: Buffer,
  texts: string[],
  start: number,
  end: number,
  at: number,
  keep: boolean,
): number {
  if (start === at) throw new JsonArraySplitError(`empty element before ${at}`);
  if (keep) texts.push(buffer.toString('utf8', start, end));
  return -1;
}

/**
 * At the `]` closing the top-level array, after `elements` others: the last element (its text if
 * fewer than `maxTexts` came before), then only whitespace may follow.
 */
function finish(
  buffer: Buffer,
  texts: string[],
  start: number,
  end: number,
  at: number,
  elements: number,
  maxTexts: number,
): void {
  if (buffer[at] !== CLOSE_ARRAY) throw new JsonArraySplitError(`unbalanced } at ${at}`);
  if (start !== at) {
    if (elements < maxTexts) texts.push(buffer.toString('utf8', start, end));
  } else if (elements > 0) {
    throw new JsonArraySplitError(`trailing comma before ${at}`);
  }
  if (skipWhitespace(buffer, at + 1) !== buffer.length) {
    throw new JsonArraySplitError(`text after the top-level array at ${at + 1}`);
  }
}

function skipWhitespace(buffer: Buffer, from: number): number {
  let i = from;
  for (let c = buffer[i]; c === SPACE || c === LINE_FEED || c === CARRIAGE_RETURN || c === TAB; c = buffer[i])
    i++;
  return i;
}

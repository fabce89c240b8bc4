import { COMMA, closingQuote, OPEN_ARRAY, OPEN_OBJECT, QUOTE } from './json-text.ts';
import { holdsWideCharacters } from './wide-characters.ts';

/**
 * Heap one `[` or `{` of an entry takes once parsed, and one value past the first of a container
 * (a comma), in bytes: measured with `JSON.parse` of 2,000 entries of each shape and
 * `process.memoryUsage().heapUsed` after a full GC, an empty array took 40 bytes, an empty object
 * 64, one nesting level of a deep array 56, a property of a 900-key object 55, a small number or
 * `null` in an array 8; a typical activity entry (~450 characters, one object, 13 commas) took
 * about its length (1.0 byte per character).
 */
const CONTAINER_WEIGHT = 64;
const VALUE_WEIGHT = 24;

/**
 * What holding an entry parsed costs, in the unit of its JSON's bytes (what the memory ceiling of
 * one read counts): its bytes, or what its containers and values take when that is more. A typical
 * entry (long strings, few values) weighs its bytes; one of nested empty arrays (`[[],[],…]`) took
 * 13 times its bytes once parsed, and weighs 29 times them, so the ceiling stops such a read before
 * the heap runs out rather than after.
 *
 * An entry holding a character past U+00FF (`wide`, see `wide-characters.ts`) is held by V8 at two
 * bytes a character, its text and its strings parsed alike, so it weighs two bytes for each of its
 * `chars` (UTF-16 units) when that is more than its bytes: an ASCII text with one `€` weighs about
 * twice its bytes, a Japanese one (three bytes a character) its bytes.
 */
export function entryWeight(bytes: number, containers: number, commas: number, wideChars = 0): number {
  return Math.max(bytes, TWO_BYTES * wideChars, CONTAINER_WEIGHT * containers + VALUE_WEIGHT * commas);
}

/** What V8 takes for each character of a string holding one past U+00FF. */
const TWO_BYTES = 2;

/**
 * {@link entryWeight} of an entry's JSON text, for a source that does not weigh its entries as it
 * splits its pages (the audit client does, on the bytes): one pass, strings skipped.
 */
export function entryWeightOfText(text: string): number {
  let containers = 0;
  let commas = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = closingQuote(text, i);
      if (i < 0) break;
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) containers++;
    else if (c === COMMA) commas++;
  }
  const wideChars = holdsWideCharacters(text) ? text.length : 0;
  return entryWeight(Buffer.byteLength(text), containers, commas, wideChars);
}

import { wellFormed } from '../visible-text.ts';

/**
 * Lone UTF-16 surrogates in lake lines. A Domo string can hold one (JSON's `\ud83d` escape parses
 * to half an emoji); `JSON.stringify` then writes it back as that escape, which JSON's grammar
 * allows but which names no character: DuckDB's JSON reader refuses the whole file ("no low
 * surrogate in string"), and I-JSON (RFC 7493) forbids it, so Athena's SerDes may refuse it too.
 * The ingest therefore stores U+FFFD in its place, as the alerts already show it, and enrich
 * rewrites the hours stored before it did.
 */

/**
 * ES2024's `String.prototype.isWellFormed`, which Node 20 has and the ES2023 library types lack.
 * V8 answers at once for a string it holds one byte per character (most of a record's), which
 * cannot hold a surrogate; other strings it scans natively.
 */
const isWellFormed = (text: string): boolean =>
  (text as unknown as { isWellFormed(): boolean }).isWellFormed();

/**
 * A first look at an entry's JSON text as served: false when no string parsed from it can hold a
 * lone surrogate, which is almost always. A lone surrogate reaches a parsed string only as a
 * `\ud800`-`\udfff` escape (text decoded from UTF-8 holds none of its own), so a text without
 * `\u` is cleared by one native scan: ~0.1 µs for an entry of ~500 characters. True also for a
 * whole pair spelt as escapes, or an escaped backslash before `ud83d`: the closer look is cheap.
 */
export const mayHoldLoneSurrogate = (jsonText: string): boolean =>
  !isWellFormed(jsonText) || (jsonText.includes('\\u') && SURROGATE_ESCAPE.test(jsonText));

const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

/** Whether a string in `value` holds a lone surrogate, at any depth (keys aside: they are column names). */
export function holdsLoneSurrogate(value: object): boolean {
  const fields = value as Record<string, unknown>;
  for (const key in fields) {
    const field = fields[key];
    if (typeof field === 'string') {
      if (!isWellFormed(field)) return true;
    } else if (typeof field === 'object' && field !== null && holdsLoneSurrogate(field)) {
      return true;
    }
  }
  return false;
}

/** Every string of a JSON value, nested ones included, with lone surrogates as U+FFFD. */
const wellFormedStrings = (_key: string, value: unknown): unknown =>
  typeof value === 'string' ? wellFormed(value) : value;

/**
 * The record with U+FFFD for each lone surrogate in its strings, at any depth; the record itself
 * when it holds none. A lake record is JSON through and through, so a JSON round trip copies it.
 * `raw` keeps its bytes: it is the text Domo served, decoded from UTF-8, which holds no lone
 * surrogate, and its `\ud83d` escapes are letters inside a string.
 */
export const wellFormedRecord = <T extends object>(record: T): T =>
  holdsLoneSurrogate(record) ? (JSON.parse(JSON.stringify(record, wellFormedStrings)) as T) : record;

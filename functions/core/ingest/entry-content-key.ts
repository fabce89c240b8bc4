import { canonicalJson, ENTRY_LIMITS } from '../domo/canonical-json.ts';
import { exactValue } from '../domo/exact-numbers.ts';
import type { ServedEntry } from './served-entry.ts';

/**
 * Keys already built, by the parsed value (a page's entry object, which each read of its row
 * shares): a tied row is keyed on each page that re-reads it, and by each check that matches rows.
 * Weak, so a page's keys go with its entries.
 */
const built = new WeakMap<object, string>();

/**
 * An entry's content, as its event id has it: the canonical JSON of the value, with each number
 * `JSON.parse` lost digits of written as served (`exactValue`). The one key every match of rows by
 * content uses (re-read rows, ties, strays of split ranges, seconds asked alone), so none can tell
 * apart less or more than the ids do: two entries equal but for digits past 2^53 were one content
 * to the matches and two to the ids, so a re-read tie took one twice, lost the other, and each
 * re-pull in a new order stored more copies (review R-HOSTFIX M1). For an entry with no such number
 * (every entry Domo serves) `exactValue` gives the value back after a ~0.1 µs check, so the key is
 * the canonical JSON of the value, as before.
 */
export function entryContentKey(entry: ServedEntry): string {
  const { value } = entry;
  const cacheable = value !== null && typeof value === 'object';
  const known = cacheable ? built.get(value) : undefined;
  if (known !== undefined) return known;
  // Unbounded, as the hash of a quarantined entry: a key never refuses an entry.
  const key = canonicalJson(exactValue(value, entry.text, ENTRY_LIMITS.maxDepth));
  if (cacheable) built.set(value, key);
  return key;
}

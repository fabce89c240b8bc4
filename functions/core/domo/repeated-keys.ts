import { ENTRY_STRING_FIELDS } from './audit-entry.ts';
import { topLevelMembers } from './number-literals.ts';

/** The keys the lake reads: a repeat of one of them decides a column or the time. */
const READ_KEYS: ReadonlySet<string> = new Set([...Object.keys(ENTRY_STRING_FIELDS), 'time']);

/**
 * The first key the lake reads that the entry's text gives more than once at its top level
 * (`"userId":"162017","userId":"999"`), or undefined. `JSON.parse` keeps the last; other readers
 * of `raw` may keep the first, so the lake and they would disagree on who did what (review
 * R-DRIFT L2). `value` is the parsed entry: when the text holds no more colons than it has keys,
 * no key can repeat (each member takes a colon outside any string), and the text is not scanned,
 * as for almost every entry Domo serves.
 */
export function repeatedReadKey(value: object, text: string): string | undefined {
  const keys = Object.keys(value).length;
  let colons = 0;
  for (let at = text.indexOf(':'); at >= 0 && colons <= keys; at = text.indexOf(':', at + 1)) colons++;
  if (colons <= keys) return undefined;
  const seen = new Set<string>();
  for (const name of topLevelMembers(text).names) {
    if (seen.has(name) && READ_KEYS.has(name)) return name;
    seen.add(name);
  }
  return undefined;
}

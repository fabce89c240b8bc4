import { ENTRY_STRING_FIELDS } from './audit-entry.ts';
import { topLevelMembers } from './number-literals.ts';

/** The keys the lake reads: a repeat of one of them decides a column or the time. */
const READ_KEYS: ReadonlySet<string> = new Set([...Object.keys(ENTRY_STRING_FIELDS), 'time']);

const QUOTE = 0x22;

/**
 * The first key the lake reads that the entry's text gives more than once at its top level
 * (`"userId":"162017","userId":"999"`), or undefined. `JSON.parse` keeps the last; other readers
 * of `raw` may keep the first, so the lake and they would disagree on who did what (review
 * R-DRIFT L2). `value` is the parsed entry: when the text holds no more colons right after a quote
 * than it has keys, no key can repeat (each member's colon follows its name's closing quote), and
 * the text is not scanned, as for almost every entry Domo serves: colons inside strings (an event
 * text's "Login: …", a URL) seldom follow a quote, where a count of every colon sent ~30 % of
 * entries to the scan.
 */
export function repeatedReadKey(value: object, text: string): string | undefined {
  let keys = 0;
  // A count without Object.keys: this runs for every event, and the array is garbage at once.
  for (const _ in value) keys++;
  let members = 0;
  for (let at = text.indexOf(':'); at >= 0 && members <= keys; at = text.indexOf(':', at + 1)) {
    if (afterQuote(text, at)) members++;
  }
  if (members <= keys) return undefined;
  const seen = new Set<string>();
  for (const name of topLevelMembers(text).names) {
    if (seen.has(name) && READ_KEYS.has(name)) return name;
    seen.add(name);
  }
  return undefined;
}

/** Whether the last character before `at` that is not JSON whitespace is a quote. */
function afterQuote(text: string, at: number): boolean {
  let i = at - 1;
  for (
    let c = text.charCodeAt(i);
    c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
    c = text.charCodeAt(i)
  )
    i--;
  return text.charCodeAt(i) === QUOTE;
}

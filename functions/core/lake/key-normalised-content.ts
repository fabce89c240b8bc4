import { ENTRY_LIMITS } from '../domo/canonical-json.ts';
import { ExactNumber, exactValue } from '../domo/exact-numbers.ts';

/**
 * What an entry says with its field names' spelling set aside: the entry parsed from `raw`, each
 * key lower-cased without `_`, `-` or spaces (`userName`, `user_name` and `UserName` are one field),
 * each scalar as its text (an id sent as a number or a string is one value; a number JSON.parse
 * loses digits of, as sent), empty strings and
 * nulls left out (as a field left out), and the top-level `time` left out (the time is compared as
 * instants by whoever matches). Canonical JSON, keys sorted. Undefined for a `raw` that is not a
 * JSON object.
 *
 * Domo renaming a field changes the entry's hash, so its id, and every column the old name filled:
 * this is how a re-pull still knows the event it stored (review R-DRIFT H2). Parsing is the cost,
 * so callers use it only on the rare path (an event whose id was not served again).
 */
export function keyNormalisedContent(raw: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  // Numbers JSON.parse lost digits of are kept as sent: entries equal but for digits past 2^53
  // are two events to the ids, so to this match too.
  const entry = { ...(exactValue(value, raw, ENTRY_LIMITS.maxDepth) as Record<string, unknown>) };
  delete entry.time;
  return JSON.stringify(normalised(entry));
}

const SPELLING = /[_\-\s]/g;

function normalised(value: unknown): unknown {
  if (value === null || value === undefined || value === '') return null;
  if (Array.isArray(value)) return value.map(normalised);
  if (value instanceof ExactNumber) return value.text;
  if (typeof value !== 'object') return String(value);
  const keyed = new Map<string, unknown>();
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    const read = normalised(inner);
    if (read !== null) keyed.set(key.replace(SPELLING, '').toLowerCase(), read);
  }
  return Object.fromEntries([...keyed].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The scalar leaves of what an entry says with its field names' spelling set aside (as
 * {@link keyNormalisedContent}: keys lower-cased without `_`, `-` or spaces, scalars as text, nulls
 * and empty strings left out, the top-level `time` left out), each as its path (nested keys joined
 * by `.`) and its text. Undefined for a `raw` that is not a JSON object. For the matches that ask
 * whether one entry says all another says (stored ⊆ incoming), or most of it under other keys
 * (a field renamed to another word, nested, nulled: review R-DRIFT H2, H3).
 */
export function normalisedLeaves(raw: string): [path: string, text: string][] | undefined {
  const content = keyNormalisedContent(raw);
  if (content === undefined) return undefined;
  const leaves: [string, string][] = [];
  const walk = (value: unknown, path: string): void => {
    if (value === null) return;
    if (typeof value !== 'object') leaves.push([path, String(value)]);
    else for (const [key, inner] of Object.entries(value)) walk(inner, path === '' ? key : `${path}.${key}`);
  };
  walk(JSON.parse(content), '');
  return leaves;
}

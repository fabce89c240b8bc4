import type { ObjectStore } from '../ports.ts';
import type { Digest } from './digest.ts';
import { readDigests, tailSequences } from './digest-tail.ts';
import { coverageKey } from './layout.ts';

/** Digests read at once while walking the chain back from its head. */
const STORED_SEARCH_BATCH = 16;

/**
 * The hours among `hoursMs` whose coverage manifest a digest of the chain lists (written, read
 * again or adopted): hours stored once, so a loss of theirs is a deletion, whenever it came, and
 * no skip (review STATUS7: a span wider than the hours lost when it was written took a later
 * deletion of an hour it names for the skip, as its `written_at` bounds when the hours ended, not
 * which of them were missing). The chain is read from its head back to the first digest written
 * before the earliest of them began (no digest before it can list it): for status's 7 days, the
 * digests of 7 days. A digest that is missing or does not decode is passed over (the integrity
 * check reports it); a chain that cannot be read finds none.
 */
export async function hoursStoredOnce(
  store: ObjectStore,
  instance: string,
  hoursMs: readonly number[],
): Promise<Set<number>> {
  const found = new Set<number>();
  if (hoursMs.length === 0) return found;
  const wanted = new Map(hoursMs.map((hourMs) => [coverageKey(instance, hourMs), hourMs]));
  const earliestMs = Math.min(...hoursMs);
  const [head] = await tailSequences(store, instance, 1).catch(() => []);
  for (let top = head ?? -1; top >= 0 && found.size < wanted.size; top -= STORED_SEARCH_BATCH) {
    const sequences = Array.from({ length: Math.min(STORED_SEARCH_BATCH, top + 1) }, (_, at) => top - at);
    const digests = await readDigests(store, instance, sequences).catch(() => []);
    if (noteListed(digests, wanted, found) < earliestMs) break;
  }
  return found;
}

/**
 * Adds to `found` the hours of `wanted` (by manifest key) that `digests` list; returns when the
 * earliest of them was written (infinity: none decoded).
 */
function noteListed(
  digests: readonly (Digest | undefined)[],
  wanted: ReadonlyMap<string, number>,
  found: Set<number>,
): number {
  let earliestMs = Number.POSITIVE_INFINITY;
  for (const digest of digests) {
    if (digest === undefined) continue;
    for (const object of digest.objects) {
      const hourMs = wanted.get(object.key);
      if (hourMs !== undefined) found.add(hourMs);
    }
    earliestMs = Math.min(earliestMs, Date.parse(digest.created_at));
  }
  return earliestMs;
}

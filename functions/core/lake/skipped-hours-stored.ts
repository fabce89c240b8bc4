import type { ObjectStore } from '../ports.ts';
import type { Digest } from './digest.ts';
import { readDigests, tailSequences } from './digest-tail.ts';
import { coverageKey } from './layout.ts';

/** Digests read at once while walking the chain back from its head. */
const STORED_SEARCH_BATCH = 16;

/** Where a search bounded by its digests stopped before it had read back far enough. */
export interface StoredSearchCut {
  /** How many digests it read: the chain's last ones. */
  digestsRead: number;
  /** The oldest digest read; those before it were not. */
  oldestSequence: number;
  /** When that digest says it was written ('' when it does not decode). */
  oldestWrittenAt: string;
}

/**
 * The hours among `hoursMs` whose coverage manifest a digest of the chain lists (written, read
 * again or adopted): hours stored once, so a loss of theirs is a deletion, whenever it came, and
 * no skip (review STATUS7: a span wider than the hours lost when it was written took a later
 * deletion of an hour it names for the skip, as its `written_at` bounds when the hours ended, not
 * which of them were missing). The chain is read from its head back to the first digest written
 * before the earliest of them began (no digest before it can list it): for status's 7 days, the
 * digests of 7 days. A digest that is missing or does not decode is passed over (the integrity
 * check reports it); a chain that cannot be read finds none.
 *
 * `maxDigests` bounds the digests read: a first backfill, or a range re-pulled, writes a digest
 * per hour, all after the hours the schedule pulls next, so the walk read a year's backfill whole
 * (review CHAIN2: 6,622 GETs for 6 hours skipped on a lake of a year). `cut` says where it
 * stopped when that left digests unread that may list one of the hours not found.
 */
export async function hoursStoredOnce(
  store: ObjectStore,
  instance: string,
  hoursMs: readonly number[],
  maxDigests = Number.POSITIVE_INFINITY,
): Promise<{ stored: Set<number>; cut?: StoredSearchCut }> {
  const found = new Set<number>();
  if (hoursMs.length === 0) return { stored: found };
  const wanted = new Map(hoursMs.map((hourMs) => [coverageKey(instance, hourMs), hourMs]));
  const earliestMs = Math.min(...hoursMs);
  const [head] = await tailSequences(store, instance, 1).catch(() => []);
  const top = head ?? -1;
  const stop = Math.max(0, top - maxDigests + 1);
  let oldest: Digest | undefined;
  for (let next = top; next >= stop && found.size < wanted.size; next -= STORED_SEARCH_BATCH) {
    const sequences = Array.from(
      { length: Math.min(STORED_SEARCH_BATCH, next - stop + 1) },
      (_, at) => next - at,
    );
    const digests = await readDigests(store, instance, sequences).catch(() => []);
    oldest = digests.at(-1);
    if (noteListed(digests, wanted, found) < earliestMs) return { stored: found };
  }
  if (stop === 0 || found.size === wanted.size) return { stored: found };
  const cut = {
    digestsRead: top - stop + 1,
    oldestSequence: stop,
    oldestWrittenAt: oldest?.created_at ?? '',
  };
  return { stored: found, cut };
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

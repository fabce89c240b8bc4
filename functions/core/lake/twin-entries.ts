/**
 * Identical twins in an hour (review R-DRIFT H4): entries Domo served byte for byte alike are
 * stored as distinct events by design (docs/ingest.md, "Event ids, identical twins and merging":
 * a bulk action), each further copy under the first's id with `-1`, `-2`, …. A serialiser or
 * replica fault that serves rows twice is stored so too and doubles every count; these say when an
 * hour's twins look like that rather than like bulk actions.
 */

/** Twins of an hour: its ids with a `-k` suffix (an id is 64 hex digits; a twin's has its ordinal after them). */
export function twinsOf(ids: Iterable<string>): number {
  let twins = 0;
  for (const id of ids) if (id.length > EVENT_HASH_LENGTH) twins++;
  return twins;
}

const EVENT_HASH_LENGTH = 64;

/** Twins of more than this share of an hour's events (and at least {@link TWINS_WARNED_MIN}) are warned of. */
export const TWINS_WARNED_SHARE = 0.1;
/** Fewer twins than this in an hour are never warned of: a few bulk actions. */
export const TWINS_WARNED_MIN = 5;

/**
 * Whether an hour of `events` holding `twins` looks doubled: at least {@link TWINS_WARNED_MIN}
 * twins, and more than a tenth of its events (each row served twice makes half of them twins).
 */
export const twinsWarned = (twins: number, events: number): boolean =>
  twins >= TWINS_WARNED_MIN && twins > events * TWINS_WARNED_SHARE;

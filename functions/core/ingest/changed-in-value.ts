import { eventIdentity } from '../lake/event-identity.ts';
import type { EventRecord } from '../lake/event-record.ts';
import { LeavesOf, matchStoredElsewhere, pairedInTime } from './events-stored-elsewhere.ts';

/**
 * Pairs of a reshaped hour it takes at least to be one (review R-DRIFT H2): fewer are stored again
 * (a few events whose values changed, or a quiet hour: see docs/decisions.md).
 */
export const RESHAPE_MIN_PAIRS = 10;

/**
 * The match of events stored under another id (`matchStoredElsewhere`); then, of what it left, the
 * events of an hour Domo now serves in another shape (`reshaped`: left out, not stored again); else
 * how many of the incoming events it left new are, one for one, a stored event it left unmatched
 * with the same identity (`eventIdentity`, `changed`): Domo changed a value of the entry (or nested
 * a field) since the hour was stored. Those are stored again, as nothing else tells them from an
 * event of the same user, action and object in the same millisecond, but they are no late events:
 * the caller counts them apart. Only events with an identity count (a user or an action); or, when
 * more, the pairs of a reshape too few to be one (a field renamed in a quiet hour: its events
 * stored again, but told as changed, not late: review R2-DRIFT).
 *
 * Reshaped: the stored events left pair one for one with incoming events left at the same time
 * (within its precision) whose entries share most of their values, keys aside (a field renamed to
 * another word, nested, nulled, an action renamed: {@link reshapePairs}), and those pairs are at
 * least {@link RESHAPE_MIN_PAIRS} and nine in ten of the stored events left: the hour's events
 * vanished and came back at their times saying mostly the same, which late events do not do.
 */
export function storedElsewhereAndChanged(
  stored: readonly EventRecord[],
  incoming: readonly EventRecord[],
): { matched: Set<EventRecord>; changed: number; reshaped: number } {
  const { matched, taken } = matchStoredElsewhere(stored, incoming);
  const storedLeft = stored.filter((record) => !taken.has(record));
  const incomingLeft = incoming.filter((record) => !matched.has(record));
  const pairs =
    storedLeft.length > 0 && incomingLeft.length > 0 ? reshapePairs(storedLeft, incomingLeft) : new Map();
  if (pairs.size >= RESHAPE_MIN_PAIRS && pairs.size * 10 >= storedLeft.length * 9) {
    for (const record of pairs.keys()) matched.add(record);
    return { matched, changed: 0, reshaped: pairs.size };
  }
  // Below the count (or share) of a reshape the pairs are stored again, but they are events that
  // vanished and came back at their times, not late ones: counted changed as the identity's are.
  return { matched, changed: Math.max(changedInValue(storedLeft, incomingLeft), pairs.size), reshaped: 0 };
}

/**
 * The incoming events left that pair, one for one, with a stored event left at the same time
 * (within its precision) that shares more than half of the values of the larger of the two
 * entries, keys and nesting aside (as texts, spelling aside: `normalisedLeaves`), each taking the
 * one that shares most.
 */
export function reshapePairs(
  stored: readonly EventRecord[],
  incoming: readonly EventRecord[],
): Map<EventRecord, EventRecord> {
  const leaves = new LeavesOf();
  return pairedInTime(stored, incoming, (a, b) => {
    const values = leaves.of(a).map(([, text]) => text);
    const others = leaves.of(b).map(([, text]) => text);
    const shared = sharedCount(values, others);
    return shared * 2 > Math.max(values.length, others.length) ? shared : 0;
  });
}

/** How many of `a` are in `b`, as multisets. */
function sharedCount(a: readonly string[], b: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const text of b) counts.set(text, (counts.get(text) ?? 0) + 1);
  let shared = 0;
  for (const text of a) {
    const left = counts.get(text) ?? 0;
    if (left === 0) continue;
    counts.set(text, left - 1);
    shared++;
  }
  return shared;
}

/** Of `incoming`, how many take one for one a stored event of `stored` with the same identity. */
function changedInValue(stored: readonly EventRecord[], incoming: readonly EventRecord[]): number {
  const left = new Map<string, number>();
  for (const record of stored) {
    const key = eventIdentity(record);
    if (key !== undefined) left.set(key, (left.get(key) ?? 0) + 1);
  }
  let changed = 0;
  for (const record of incoming) {
    const key = eventIdentity(record);
    if (key === undefined) continue;
    const count = left.get(key) ?? 0;
    if (count === 0) continue;
    left.set(key, count - 1);
    changed++;
  }
  return changed;
}

import { eventIdentity } from '../lake/event-identity.ts';
import type { EventRecord } from '../lake/event-record.ts';
import { matchStoredElsewhere } from './events-stored-elsewhere.ts';

/**
 * The match of events stored under another id (`matchStoredElsewhere`), and how many of the
 * incoming events it left new are, one for one, a stored event it left unmatched with the same
 * identity (`eventIdentity`): Domo changed a value of the entry (or nested a field) since the
 * hour was stored (review R-DRIFT H2). They are stored again, as nothing else tells them from an
 * event of the same user, action and object in the same millisecond, but they are no late events:
 * the caller counts them apart. Only events with an identity count (a user or an action).
 */
export function storedElsewhereAndChanged(
  stored: readonly EventRecord[],
  incoming: readonly EventRecord[],
): { matched: Set<EventRecord>; changed: number } {
  const { matched, taken } = matchStoredElsewhere(stored, incoming);
  const left = new Map<string, number>();
  for (const record of stored) {
    const key = taken.has(record) ? undefined : eventIdentity(record);
    if (key !== undefined) left.set(key, (left.get(key) ?? 0) + 1);
  }
  let changed = 0;
  for (const record of incoming) {
    const key = matched.has(record) ? undefined : eventIdentity(record);
    if (key === undefined) continue;
    const count = left.get(key) ?? 0;
    if (count === 0) continue;
    left.set(key, count - 1);
    changed++;
  }
  return { matched, changed };
}

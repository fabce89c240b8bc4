import { columnsRead } from '../lake/event-columns-read.ts';
import type { EventRecord } from '../lake/event-record.ts';
import { keyNormalisedContent } from '../lake/key-normalised-content.ts';
import { SECOND_MS } from '../time-units.ts';
import { precisionSlackMs } from './normalise-window.ts';

/**
 * The events of `incoming` (ids not stored) that are stored already under another id: Domo served
 * them in another shape (a field added, an id sent as a number, `time` as an ISO string instead of
 * epoch ms), which gives the entry another id. An incoming event is one of the stored events
 * whose ids were not served this time (`stored`) when it says the same (`columnsRead`) at the
 * same time; each stored event answers for one incoming event, so of identical twins as many are
 * left out as were stored, and the rest are new. A time string without milliseconds is only as
 * exact as its precision (`precisionSlackMs`: rounded or cut to the second, Domo does not say): a
 * time that close matches.
 *
 * Among events that say the same, both sides are taken in time order, and each incoming event
 * takes the earliest stored one still free within its precision: taken in the order served (newest
 * first), or nearest first, an event could take its neighbour's stored record within the second
 * and leave that neighbour to be stored again (a service account repeating one action on one
 * object every second). In time order the matching is as large as it can be.
 *
 * What the columns leave unmatched is matched again on the entry with its field names' spelling set
 * aside (`keyNormalisedContent`): a field Domo renamed (`userName` to `user_name`) empties the
 * column it filled, so the columns differ while the entry says the same.
 *
 * A stored event's id is served again in every pull of its hour while Domo serves it the same way,
 * so in the usual pull `stored` is empty and nothing is left out; a late event beside a stored
 * twin is new for the same reason.
 */
export function eventsStoredElsewhere(
  stored: readonly EventRecord[],
  incoming: readonly EventRecord[],
): Set<EventRecord> {
  return matchStoredElsewhere(stored, incoming).matched;
}

/** {@link eventsStoredElsewhere}, with the stored events the matched ones took (`taken`). */
export function matchStoredElsewhere(
  stored: readonly EventRecord[],
  incoming: readonly EventRecord[],
): { matched: Set<EventRecord>; taken: Set<EventRecord> } {
  const found = matchedBy(columnsRead, stored, incoming);
  const storedLeft = stored.filter((record) => !found.taken.has(record));
  const incomingLeft = incoming.filter((record) => !found.matched.has(record));
  if (storedLeft.length === 0 || incomingLeft.length === 0) return found;
  // A renamed field leaves its column empty (or fills another): the columns differ, the entry
  // with its keys' spelling set aside does not (review R-DRIFT H2). Parsed only for what is left.
  const again = matchedBy(spellingFree, storedLeft, incomingLeft);
  for (const record of again.matched) found.matched.add(record);
  for (const record of again.taken) found.taken.add(record);
  return found;
}

/** Key of an event's entry with field names' spelling set aside; its id for one that is no object. */
const spellingFree = (record: EventRecord): string => keyNormalisedContent(record.raw) ?? record.event_id;

/**
 * The incoming events that take a stored one of the same `key` within their precision (`matched`),
 * and the stored events so taken (`taken`).
 */
function matchedBy(
  key: (record: EventRecord) => string,
  stored: readonly EventRecord[],
  incoming: readonly EventRecord[],
): { matched: Set<EventRecord>; taken: Set<EventRecord> } {
  const candidates = new Map<string, EventRecord[]>();
  for (const record of stored) {
    const k = key(record);
    const same = candidates.get(k);
    if (same) same.push(record);
    else candidates.set(k, [record]);
  }
  const byTime = (a: EventRecord, b: EventRecord) => a.event_time_ms - b.event_time_ms;
  const groups = new Map<string, { stored: EventRecord[]; next: number }>();
  for (const [k, same] of candidates) groups.set(k, { stored: same.sort(byTime), next: 0 });
  const matched = new Set<EventRecord>();
  const taken = new Set<EventRecord>();
  for (const record of [...incoming].sort(byTime)) {
    const group = groups.get(key(record));
    const other = group && take(group, record);
    if (other) {
      matched.add(record);
      taken.add(other);
    }
  }
  return { matched, taken };
}

/**
 * Takes the earliest stored event of `group` still free that `record` matches (its time within
 * either's precision), if any. Stored events more than a second before `record` can match no later
 * incoming event either (they come in time order): `next` moves past them, and past those taken.
 */
function take(group: { stored: EventRecord[]; next: number }, record: EventRecord): EventRecord | undefined {
  const { stored } = group;
  const t = record.event_time_ms;
  while (group.next < stored.length && (stored[group.next] as EventRecord).event_time_ms < t - SECOND_MS)
    group.next++;
  for (let i = group.next; i < stored.length; i++) {
    const other = stored[i] as EventRecord;
    if (other.event_time_ms > t + SECOND_MS) return undefined;
    const slack = Math.max(precisionSlackMs(record.time_raw), precisionSlackMs(other.time_raw));
    if (Math.abs(other.event_time_ms - t) > slack) continue;
    stored.splice(i, 1);
    return other;
  }
  return undefined;
}

import { columnsRead } from '../lake/event-columns-read.ts';
import type { EventRecord } from '../lake/event-record.ts';
import { precisionSlackMs } from './normalise-window.ts';

const SECOND_MS = 1000;

/** Events by what they say and the whole second of their time, each taken out once matched. */
type Candidates = Map<string, EventRecord[]>;

const bucketKey = (columns: string, second: number): string => `${second} ${columns}`;

/**
 * The events of `incoming` (ids not stored) that are stored already under another id: Domo served
 * them in another shape (a field added, an id sent as a number, `time` as an ISO string instead of
 * epoch ms), which gives the entry another id. An incoming event is one of the stored events
 * whose ids were not served this time (`stored`) when it says the same (`columnsRead`) at the
 * same time; each stored event answers for one incoming event, so of identical twins as many are
 * left out as were stored, and the rest are new. A time string without milliseconds is only as
 * exact as its precision (`precisionSlackMs`: rounded or cut to the second, Domo does not say): an
 * event still unmatched then matches a stored one that close, once the exact times have been
 * matched.
 *
 * A stored event's id is served again in every pull of its hour while Domo serves it the same way,
 * so in the usual pull `stored` is empty and nothing is left out; a late event beside a stored
 * twin is new for the same reason.
 */
export function eventsStoredElsewhere(
  stored: readonly EventRecord[],
  incoming: readonly EventRecord[],
): Set<EventRecord> {
  const candidates: Candidates = new Map();
  for (const record of stored) {
    const key = bucketKey(columnsRead(record), Math.floor(record.event_time_ms / SECOND_MS));
    const bucket = candidates.get(key);
    if (bucket) bucket.push(record);
    else candidates.set(key, [record]);
  }
  const found = new Set<EventRecord>();
  const inexact: EventRecord[] = [];
  for (const record of incoming) {
    if (take(candidates, record, () => 0)) found.add(record);
    else inexact.push(record);
  }
  for (const record of inexact) {
    const slack = (other: EventRecord) =>
      Math.max(precisionSlackMs(record.time_raw), precisionSlackMs(other.time_raw));
    if (take(candidates, record, slack)) found.add(record);
  }
  return found;
}

/**
 * Takes out of `candidates` the stored event `record` matches, if any: one saying the same, its
 * time at most `slack` ms away (looked for in this second and the two beside it: no precision is
 * coarser than a second).
 */
function take(candidates: Candidates, record: EventRecord, slack: (other: EventRecord) => number): boolean {
  const columns = columnsRead(record);
  const second = Math.floor(record.event_time_ms / SECOND_MS);
  for (const near of [second, second - 1, second + 1]) {
    const bucket = candidates.get(bucketKey(columns, near));
    const i =
      bucket?.findIndex((other) => Math.abs(other.event_time_ms - record.event_time_ms) <= slack(other)) ??
      -1;
    if (bucket && i >= 0) {
      bucket.splice(i, 1);
      return true;
    }
  }
  return false;
}

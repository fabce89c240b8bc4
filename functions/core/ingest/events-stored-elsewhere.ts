import { columnsRead, READ_COLUMNS } from '../lake/event-columns-read.ts';
import type { EventRecord } from '../lake/event-record.ts';
import { keyNormalisedContent, normalisedLeaves } from '../lake/key-normalised-content.ts';
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
 * Among events that say the same, the pairing is as large as can be, and of pairings as large, the
 * one that pairs the nearest times ({@link pairedInTime}): taken in the order served (newest
 * first), or nearest first alone, an event could take its neighbour's stored record within the
 * second and leave that neighbour to be stored again (a service account repeating one action on
 * one object every second); taken in time order alone, a late event just before a stored one took
 * it, and was never stored.
 *
 * What the columns leave unmatched is matched again on the entry with its field names' spelling set
 * aside (`keyNormalisedContent`): a field Domo renamed (`userName` to `user_name`) empties the
 * column it filled, so the columns differ while the entry says the same. What is still left is
 * matched when the incoming event says all the stored one said, and more (review R-DRIFT H3): every
 * column the stored event fills is the same in the incoming one (a column it left null, a field
 * Domo did not send then, matches any value: `actorType` added), or every field of its entry,
 * spelling aside, is in the incoming entry with the same value.
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
  const storedRest = storedLeft.filter((record) => !again.taken.has(record));
  const incomingRest = incomingLeft.filter((record) => !again.matched.has(record));
  if (storedRest.length === 0 || incomingRest.length === 0) return found;
  const more = pairedInTime(storedRest, incomingRest, saysAllOf(new LeavesOf()));
  for (const [record, other] of more) {
    found.matched.add(record);
    found.taken.add(other);
  }
  return found;
}

/** Parses each event's entry once into its leaves (normalisedLeaves), on the rare path only. */
export class LeavesOf {
  private readonly parsed = new Map<EventRecord, [string, string][]>();
  of(record: EventRecord): [string, string][] {
    let leaves = this.parsed.get(record);
    if (leaves === undefined) {
      leaves = normalisedLeaves(record.raw) ?? [];
      this.parsed.set(record, leaves);
    }
    return leaves;
  }
}

/**
 * Whether `incoming` says all `stored` says: each column `stored` fills is the same in `incoming`
 * (the columns it left null match anything), or each leaf of its entry, spelling aside, is one of
 * `incoming`'s.
 */
const saysAllOf =
  (leaves: LeavesOf) =>
  (stored: EventRecord, incoming: EventRecord): boolean => {
    if (READ_COLUMNS.every((c) => stored[c] === null || stored[c] === '' || stored[c] === incoming[c]))
      return true;
    const held = new Set(leaves.of(incoming).map(([path, text]) => `${path}=${text}`));
    return leaves.of(stored).every(([path, text]) => held.has(`${path}=${text}`));
  };

/**
 * Pairs, one for one, incoming events with stored events within their precision that `score` rates
 * above 0 (a boolean: true is 1). For what the keyed matches left: a few events at most within a
 * second, so the scan stays short.
 *
 * Two pairings are made, and the larger kept, ties to the second. In time order: each incoming
 * event (of those at one time, the one with fewer columns filled first, so that the event that says
 * least takes the stored one it matches) takes the free stored event it rates highest (ties to the
 * earliest), which pairs as many as can be when a time string's rounding moved every time by a
 * second. Closest first: the pairs rated highest, then nearest in time, are taken first (of each
 * incoming event's {@link CLOSEST_KEPT} best). Taken in time order only, a late event served just
 * before a stored one that it matches as well as that stored event's own new shape does (a
 * whole-second number, a second-precision string, a reshaped entry sharing as many values) took
 * the stored one: the late event was left out as stored, never stored, and the stored event stored
 * again (review R2-DRIFT).
 */
export function pairedInTime(
  stored: readonly EventRecord[],
  incoming: readonly EventRecord[],
  score: (stored: EventRecord, incoming: EventRecord) => number | boolean,
): Map<EventRecord, EventRecord> {
  const free = [...stored].sort(byTime);
  const filled = (record: EventRecord) => READ_COLUMNS.filter((c) => record[c] !== null).length;
  const order = [...incoming].sort((a, b) => byTime(a, b) || filled(a) - filled(b));
  const inOrder = new Map<EventRecord, EventRecord>();
  const takenInOrder = new Set<EventRecord>();
  const candidates: Candidate[] = [];
  let next = 0;
  for (const [rank, record] of order.entries()) {
    while (next < free.length && (free[next] as EventRecord).event_time_ms < record.event_time_ms - SECOND_MS)
      next++;
    const own = candidatesOf(record, rank, free, next, score);
    // Ties to the earliest: the first rated highest.
    let best: Candidate | undefined;
    for (const candidate of own)
      if (!takenInOrder.has(candidate.other) && candidate.rated > (best?.rated ?? 0)) best = candidate;
    if (best !== undefined) {
      inOrder.set(record, best.other);
      takenInOrder.add(best.other);
    }
    candidates.push(...own.sort(closer).slice(0, CLOSEST_KEPT));
  }
  if (inOrder.size === 0) return inOrder;
  const closest = closestFirst(candidates);
  return closest.size >= inOrder.size ? closest : inOrder;
}

/** The stored events of `free` (in time order, from `from`) within `record`'s precision that `score` rates above 0. */
function candidatesOf(
  record: EventRecord,
  rank: number,
  free: readonly EventRecord[],
  from: number,
  score: (stored: EventRecord, incoming: EventRecord) => number | boolean,
): Candidate[] {
  const t = record.event_time_ms;
  const own: Candidate[] = [];
  for (let at = from; at < free.length && (free[at] as EventRecord).event_time_ms <= t + SECOND_MS; at++) {
    const other = free[at] as EventRecord;
    if (!withinPrecision(record, other)) continue;
    const rated = Number(score(other, record));
    if (rated > 0) own.push({ record, other, rated, apart: Math.abs(other.event_time_ms - t), rank, at });
  }
  return own;
}

/** How many of an incoming event's best-rated stored events the closest-first pairing weighs. */
const CLOSEST_KEPT = 4;

/** An incoming event, a stored one it may be, how `score` rates them, how far apart in time. */
interface Candidate {
  record: EventRecord;
  other: EventRecord;
  rated: number;
  apart: number;
  /** The incoming event's place in time order; the stored event's. */
  rank: number;
  at: number;
}

const closer = (a: Candidate, b: Candidate): number =>
  b.rated - a.rated || a.apart - b.apart || a.rank - b.rank || a.at - b.at;

/** Pairs taken best first ({@link closer}), each event once. */
function closestFirst(candidates: Candidate[]): Map<EventRecord, EventRecord> {
  const pairs = new Map<EventRecord, EventRecord>();
  const taken = new Set<EventRecord>();
  for (const { record, other } of candidates.sort(closer)) {
    if (pairs.has(record) || taken.has(other)) continue;
    pairs.set(record, other);
    taken.add(other);
  }
  return pairs;
}

const byTime = (a: EventRecord, b: EventRecord) => a.event_time_ms - b.event_time_ms;

/** Key of an event's entry with field names' spelling set aside; its id for one that is no object. */
const spellingFree = (record: EventRecord): string => keyNormalisedContent(record.raw) ?? record.event_id;

/**
 * The incoming events that take a stored one of the same `key` within their precision (`matched`),
 * and the stored events so taken (`taken`): paired within each key as {@link pairedInTime} pairs.
 */
function matchedBy(
  key: (record: EventRecord) => string,
  stored: readonly EventRecord[],
  incoming: readonly EventRecord[],
): { matched: Set<EventRecord>; taken: Set<EventRecord> } {
  const groups = new Map<string, { stored: EventRecord[]; incoming: EventRecord[] }>();
  for (const record of stored) {
    const k = key(record);
    const group = groups.get(k);
    if (group) group.stored.push(record);
    else groups.set(k, { stored: [record], incoming: [] });
  }
  for (const record of incoming) groups.get(key(record))?.incoming.push(record);
  const matched = new Set<EventRecord>();
  const taken = new Set<EventRecord>();
  for (const group of groups.values()) {
    if (group.incoming.length === 0) continue;
    for (const [record, other] of pairsOf(group)) {
      matched.add(record);
      taken.add(other);
    }
  }
  return { matched, taken };
}

const sameKey = (): boolean => true;

/** A group's pairs: one of each (the usual group), paired when within precision, without sorting. */
function pairsOf(group: { stored: EventRecord[]; incoming: EventRecord[] }): Map<EventRecord, EventRecord> {
  const [one, ...others] = group.stored;
  const [record, ...more] = group.incoming;
  if (others.length > 0 || more.length > 0 || one === undefined || record === undefined)
    return pairedInTime(group.stored, group.incoming, sameKey);
  return withinPrecision(record, one) ? new Map([[record, one]]) : new Map();
}

/**
 * Whether an incoming event's time and a stored one's may be one instant: equal, or as close as
 * the coarser of their precisions allows. A time string without milliseconds is cut or rounded to
 * its second (`precisionSlackMs`). An incoming epoch-ms number on a whole second, against a stored
 * time with milliseconds, is taken as that time cut to its second (review R-DRIFT H5: Domo serving
 * epoch ms without their milliseconds, still numbers): the stored time is within the second from
 * it. Not the other way: a stored whole-second number is exact, so an event served a millisecond
 * after it is another.
 */
function withinPrecision(incoming: EventRecord, stored: EventRecord): boolean {
  const slack = Math.max(precisionSlackMs(incoming.time_raw), precisionSlackMs(stored.time_raw));
  const after = stored.event_time_ms - incoming.event_time_ms;
  if (Math.abs(after) <= slack) return true;
  return after > 0 && after < SECOND_MS && wholeSecondNumber(incoming);
}

/** An epoch-ms time (a number, or digits) on a whole second. */
const wholeSecondNumber = (record: EventRecord): boolean =>
  record.event_time_ms % SECOND_MS === 0 && EPOCH_MS.test(record.time_raw);

const EPOCH_MS = /^\s*\d+\s*$/;

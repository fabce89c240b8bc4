import { columnsRead, readsNothing } from '../lake/event-columns-read.ts';
import type { EventRecord } from '../lake/event-record.ts';
import { precisionSlackMs } from './normalise-window.ts';

/** The widest a time's precision leaves it: a whole second (precisionSlackMs). */
const SECOND_MS = 1000;

/**
 * Pairs the second pass may check, over all its searches of one pull: enough for any hour Domo
 * serves in a new shape (each search looks only at events saying the same within a second of its
 * own), and a bound on an hour of tens of thousands of identical entries in one second, where a
 * search could walk them all. Spent, the pass stops: the match it has is valid, only not the
 * largest, so an event may be stored twice, never lost.
 */
const SEARCH_BUDGET = 1_000_000;

const byTime = (a: EventRecord, b: EventRecord) => a.event_time_ms - b.event_time_ms;

/** The events of one pull that say the same (one `columnsRead`), stored and incoming. */
interface SameColumns {
  stored: EventRecord[];
  incoming: EventRecord[];
}

/**
 * The events of `incoming` (ids not stored) that are stored already under another id: Domo served
 * them in another shape (a field added, an id sent as a number, `time` as an ISO string instead of
 * epoch ms), which gives the entry another id. An incoming event is one of the stored events whose
 * ids were not served this time (`stored`) when both say the same (`columnsRead`) at the same time;
 * each stored event answers for one incoming event, so of identical twins as many are left out as
 * were stored, and the rest are new. A time string without milliseconds is only as exact as its
 * precision (`precisionSlackMs`: rounded or cut to the second, Domo does not say): a time that
 * close matches. An event that says nothing (every column read left out) matches none: only its id
 * tells it apart.
 *
 * The match is as large as it can be: among events that say the same, first each incoming event
 * takes the earliest free stored event within its precision, both sides in time order (taken in
 * the order served, an event repeated every second could take its neighbour's record and leave
 * that neighbour to be stored again); then each incoming event left over looks for a chain of
 * stored events it could take whose holders could take another, ending at a free one (an
 * augmenting path), which closes what time order alone leaves when precisions differ between
 * events (two time formats in one hour).
 *
 * A renamed or nested field changes what the event says (its column reads as left out), so such
 * an entry is not matched: matching it on its other columns would let a late event that leaves
 * the same column out take the record of one Domo still serves, and lose it.
 *
 * A stored event's id is served again in every pull of its hour while Domo serves it the same way,
 * so in the usual pull `stored` is empty and nothing is left out; a late event beside a stored
 * twin is new for the same reason.
 */
export function eventsStoredElsewhere(
  stored: readonly EventRecord[],
  incoming: readonly EventRecord[],
): Set<EventRecord> {
  const found = new Set<EventRecord>();
  if (stored.length === 0 || incoming.length === 0) return found;
  const budget = { left: SEARCH_BUDGET };
  for (const same of sayingTheSame(stored, incoming)) {
    const match = new StoredMatch(same.stored.sort(byTime), same.incoming.sort(byTime), budget);
    match.takeInTimeOrder();
    match.augment();
    for (const record of match.matchedIncoming()) found.add(record);
  }
  return found;
}

/** The events of both sides grouped by what they say, where both sides have some. */
function sayingTheSame(stored: readonly EventRecord[], incoming: readonly EventRecord[]): SameColumns[] {
  const groups = new Map<string, SameColumns>();
  for (const record of stored) {
    const columns = columnsRead(record);
    if (readsNothing(columns)) continue;
    const group = groups.get(columns);
    if (group) group.stored.push(record);
    else groups.set(columns, { stored: [record], incoming: [] });
  }
  for (const record of incoming) groups.get(columnsRead(record))?.incoming.push(record);
  return [...groups.values()].filter((group) => group.incoming.length > 0);
}

/** An incoming event on a search's path, and the stored events it may fit by time: [next, end). */
interface Frame {
  u: number;
  next: number;
  end: number;
  /** Whether a free stored event it fits has been looked for. */
  freeChecked: boolean;
}

/**
 * The two sides of events saying the same, in time order, and which incoming event holds each
 * stored one (-1: free).
 */
class StoredMatch {
  private readonly holder: Int32Array;
  private readonly storedSlack: number[];
  private readonly incomingSlack: number[];
  private readonly storedTimes: number[];
  private readonly seen: Int32Array;
  private readonly widestStoredSlack: number;
  /** For a held stored event, an index after it with only held ones between (freeFrom). */
  private readonly skip: Int32Array;
  private searches = 0;
  /** The first stored event the time-ordered pass may still give. */
  private next = 0;

  constructor(
    private readonly stored: readonly EventRecord[],
    private readonly incoming: readonly EventRecord[],
    private readonly budget: { left: number },
  ) {
    this.holder = new Int32Array(stored.length).fill(-1);
    this.seen = new Int32Array(stored.length);
    this.storedSlack = stored.map((record) => precisionSlackMs(record.time_raw));
    this.incomingSlack = incoming.map((record) => precisionSlackMs(record.time_raw));
    this.storedTimes = stored.map((record) => record.event_time_ms);
    this.skip = Int32Array.from({ length: stored.length }, (_, index) => index + 1);
    this.widestStoredSlack = this.storedSlack.reduce((widest, slack) => Math.max(widest, slack), 0);
  }

  /**
   * First pass: each incoming event takes the earliest stored event still free within the
   * precision of either. Stored events more than a second before an incoming event can match no
   * later one either (they come in time order): `next` moves past them, and past those taken.
   */
  takeInTimeOrder(): void {
    for (let u = 0; u < this.incoming.length; u++) this.take(u);
  }

  private take(u: number): void {
    const t = (this.incoming[u] as EventRecord).event_time_ms;
    const passed = (s: number) => this.holder[s] !== -1 || (this.storedTimes[s] as number) < t - SECOND_MS;
    while (this.next < this.stored.length && passed(this.next)) this.next++;
    for (let s = this.next; s < this.stored.length; s++) {
      if ((this.storedTimes[s] as number) > t + SECOND_MS) return;
      if (this.holder[s] === -1 && this.withinPrecision(u, s)) {
        this.holder[s] = u;
        return;
      }
    }
  }

  /**
   * Second pass: each incoming event left unmatched, while a stored event is free, searches for an
   * augmenting path (depth first, each stored event visited once a search) and, found, shifts the
   * events along it by one. Stops when the budget of pairs checked is spent.
   */
  augment(): void {
    let free = this.holder.reduce((count, holder) => count + (holder === -1 ? 1 : 0), 0);
    if (free === 0) return;
    const held = new Set(this.holder);
    for (let u = 0; u < this.incoming.length && free > 0 && this.budget.left > 0; u++) {
      if (held.has(u)) continue;
      if (this.search(u)) free--;
    }
  }

  /**
   * One depth-first search from incoming event `root`; true when it found a free stored event.
   * Each event on the path first looks for a free stored event it fits, then for one held by an
   * event that could move: the short paths, which are nearly all, are found first.
   */
  private search(root: number): boolean {
    const stamp = ++this.searches;
    const frames = [this.frameOf(root)];
    // via[k]: the stored event frame k + 1 was entered by (its holder is that frame's event).
    const via: number[] = [];
    while (frames.length > 0) {
      const frame = frames.at(-1) as Frame;
      const free = this.freeFit(frame);
      if (free !== undefined) {
        this.shift(frames, via, free);
        return true;
      }
      const s = this.nextHeldFit(frame, stamp);
      if (s === undefined) {
        frames.pop();
        via.pop();
        continue;
      }
      this.seen[s] = stamp;
      via.push(s);
      frames.push(this.frameOf(this.holder[s] as number));
    }
    return false;
  }

  /** A free stored event `frame`'s event fits, looked for once per frame. */
  private freeFit(frame: Frame): number | undefined {
    if (frame.freeChecked) return undefined;
    frame.freeChecked = true;
    for (let s = this.freeFrom(frame.next); s < frame.end && this.budget.left > 0; s = this.freeFrom(s + 1)) {
      this.budget.left--;
      if (this.withinPrecision(frame.u, s)) return s;
    }
    return undefined;
  }

  /**
   * The first free stored event at or after index `s` (the length if none). A stored event once
   * held stays held (a path moves it to another holder), so each index points past the held ones
   * after it, the path halved as it is walked: a run of identical events taken one by one is
   * skipped in one step, not walked again for each.
   */
  private freeFrom(s: number): number {
    let at = s;
    while (at < this.holder.length && this.holder[at] !== -1) {
      const next = this.skip[at] as number;
      if (next < this.holder.length && this.holder[next] !== -1) this.skip[at] = this.skip[next] as number;
      at = next;
    }
    return at;
  }

  /** The next held stored event, not yet visited by this search, that `frame`'s event fits. */
  private nextHeldFit(frame: Frame, stamp: number): number | undefined {
    while (frame.next < frame.end && this.budget.left > 0) {
      const s = frame.next++;
      this.budget.left--;
      if (this.holder[s] !== -1 && this.seen[s] !== stamp && this.withinPrecision(frame.u, s)) return s;
    }
    return undefined;
  }

  /** Along a path found: the last frame's event takes `free`, each before it the stored event its successor held. */
  private shift(frames: readonly Frame[], via: readonly number[], free: number): void {
    this.holder[free] = (frames.at(-1) as Frame).u;
    for (let k = via.length - 1; k >= 0; k--) this.holder[via[k] as number] = (frames[k] as Frame).u;
  }

  /**
   * The stored events incoming event `u` may fit by time, as a range of indices: within its
   * precision or the widest of the stored events' (all exact: the same millisecond).
   */
  private frameOf(u: number): Frame {
    const t = (this.incoming[u] as EventRecord).event_time_ms;
    const reach = Math.max(this.incomingSlack[u] as number, this.widestStoredSlack);
    return {
      u,
      next: this.firstAtOrAfter(t - reach),
      end: this.firstAtOrAfter(t + reach + 1),
      freeChecked: false,
    };
  }

  private firstAtOrAfter(ms: number): number {
    let lo = 0;
    let hi = this.storedTimes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.storedTimes[mid] as number) < ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private withinPrecision(u: number, s: number): boolean {
    const slack = Math.max(this.incomingSlack[u] as number, this.storedSlack[s] as number);
    return (
      Math.abs((this.storedTimes[s] as number) - (this.incoming[u] as EventRecord).event_time_ms) <= slack
    );
  }

  matchedIncoming(): Set<EventRecord> {
    const found = new Set<EventRecord>();
    for (const u of this.holder) if (u !== -1) found.add(this.incoming[u] as EventRecord);
    return found;
  }
}

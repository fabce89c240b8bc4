import type { AuditSource } from '../domo/audit-source.ts';
import { MINUTE_MS, SECOND_MS } from '../time-units.ts';
import { zoneOffsetMs } from '../zoned-time.ts';
import { entryContentKey } from './entry-content-key.ts';
import type { AskedBounds, FetchRangeOptions } from './fetch-range.ts';
import { PRECISION_SLACK_MS, pickReading, precisionSlackMs } from './normalise-window.ts';
import { askedFor, askSecondsAlone, type ReadHour, secondOf, servedTime } from './seconds-alone.ts';
import type { ServedEntry } from './served-entry.ts';

/** The entries of an hour read alone whose neighbour's time was not confirmed, and what checking cost. */
interface CheckedNeighbours {
  /** Entries whose reading is wrong: they are quarantined, not left to the neighbouring hour. */
  unconfirmed: Set<ServedEntry>;
  pages: number;
  requests: number;
}

/**
 * The second an entry's time names, when its string has no zone and reads as a neighbouring
 * hour's time within what the hour's request may return (the request's edges and the precision
 * slack): normalisation leaves such an entry to that hour, which stores it only if its own request
 * returns it too. The same for a string of whole seconds with its own zone, which Domo may have
 * rounded past the instant it filed the entry at. Undefined for every other entry (a reading inside
 * the hour or far outside the request, a time in epoch ms or with milliseconds and its zone).
 *
 * A string of the repeated local hour (clocks going back) has two readings: the one normalisation
 * goes by ({@link pickReading}) is the one judged. With one reading inside the hour, it is that
 * one (an entry at the hour's edge, settled by repeated-hour-edge.ts); with none, it may be the
 * one just outside, as for `01:59:59 AM` written in Chicago's second 1 AM and read as New York's:
 * its later reading is the last second of the hour before, which never returns it.
 */
function neighbourSecond(
  value: unknown,
  hour: ReadHour,
  asked: AskedBounds,
  docTimeZone: string,
): number | undefined {
  const time = servedTime(value, docTimeZone);
  if (time === undefined) return undefined;
  // A whole-second string with its own zone may be rounded off the instant Domo filed it at: the
  // neighbour's request may miss it just as it misses a wrong zone's reading.
  const raw = (value as { time: unknown }).time;
  if (time.zoneless !== true && precisionSlackMs(raw) === 0) return undefined;
  // As normalisation judges it: against the bounds the hour's request asked (ingest-window.ts).
  const ms = pickReading(time.ms, time.laterMs, hour, {
    requestedStartMs: asked.startMs,
    requestedEndMs: asked.endMs,
  });
  const inHour = ms >= hour.startMs && ms < hour.endMs;
  const inReach = ms >= asked.startMs - PRECISION_SLACK_MS && ms <= asked.endMs + PRECISION_SLACK_MS;
  return inHour || !inReach ? undefined : secondOf(ms);
}

/**
 * The seconds fields a zone-less string can have when it reads outside the hour but within reach
 * of its request (the request's bounds and the precision slack), when the zone's offset is whole
 * minutes (the reading then keeps the string's seconds and fraction). For a request of the hour
 * itself: just before the hour, 58 or 59 (58 with a fraction of .999: one ms and the second of
 * slack before the start); at or just after its end, 00 or 01 (01.000 is the last instant of the
 * slack). Computed once an hour, from the bounds; undefined when a side reaches a minute or more.
 */
function edgeSeconds(hour: ReadHour, asked: AskedBounds): ReadonlySet<string> | undefined {
  const sides = [
    [asked.startMs - PRECISION_SLACK_MS, hour.startMs - 1],
    [hour.endMs, asked.endMs + PRECISION_SLACK_MS],
  ] as const;
  const fields = new Set<string>();
  for (const [fromMs, toMs] of sides) {
    const first = Math.floor(fromMs / SECOND_MS);
    const last = Math.floor(toMs / SECOND_MS);
    if (last - first >= 59) return undefined;
    for (let s = first; s <= last; s++) fields.add(String(((s % 60) + 60) % 60).padStart(2, '0'));
  }
  return fields;
}

/**
 * Whether an entry's time may be a zone-less string whose seconds field is one of `fields`
 * ({@link edgeSeconds}): read from the text, as parsing every entry's time again cost 4-7 us an
 * entry. The documented form `yyyy-MM-dd hh:mm:ss a` has its seconds after its second colon; a
 * number or a string with fewer colons is never zone-less.
 */
function mayReadAtEdge(value: unknown, fields: ReadonlySet<string>): boolean {
  if (value === null || typeof value !== 'object' || !('time' in value)) return false;
  const time = (value as { time: unknown }).time;
  if (typeof time !== 'string') return false;
  const first = time.indexOf(':');
  const second = first < 0 ? -1 : time.indexOf(':', first + 1);
  return second >= 0 && fields.has(time.slice(second + 1, second + 3));
}

/**
 * Whether `docTimeZone`'s offset is whole minutes at both ends of what the hour's request may
 * return, so that {@link mayReadAtEdge} may stand in for parsing. Every zone's is, from 2000 (the
 * earliest time accepted) on; a zone that ever is not has every entry's time parsed instead.
 */
const offsetsInWholeMinutes = (asked: AskedBounds, docTimeZone: string): boolean =>
  [asked.startMs - PRECISION_SLACK_MS, asked.endMs + PRECISION_SLACK_MS].every(
    (ms) => zoneOffsetMs(ms, docTimeZone) % MINUTE_MS === 0,
  );

/** The entries {@link neighbourSecond} names a second for, by that second. */
function entriesToCheck(
  entries: readonly ServedEntry[],
  hour: ReadHour,
  docTimeZone: string,
): Map<number, ServedEntry[]> {
  const bySecond = new Map<number, ServedEntry[]>();
  const asked = askedFor(hour);
  const fields = offsetsInWholeMinutes(asked, docTimeZone) ? edgeSeconds(hour, asked) : undefined;
  for (const entry of entries) {
    if (fields && !mayReadAtEdge(entry.value, fields)) continue;
    const second = neighbourSecond(entry.value, hour, asked, docTimeZone);
    if (second === undefined) continue;
    const doubted = bySecond.get(second);
    if (doubted) doubted.push(entry);
    else bySecond.set(second, [entry]);
  }
  return bySecond;
}

/**
 * Checks the entries of an hour read alone that a zone-less time string places just outside it
 * (see {@link neighbourSecond}). Right, the reading is up to a second from the instant Domo filters
 * on, and the neighbouring hour's request returns the entry too. Read in a wrong `docTimeZone`, it
 * is hours from the instant, which lies inside this hour: no other request returns it, and left to
 * the neighbour it would be stored nowhere (about one entry in 3,600 with a zone an hour off: those
 * of the hour's first or last second). The second the reading names is asked of Domo alone (one ms
 * early, to the second's end): the copies of a content it returns are neighbours, any more are not
 * confirmed, and the caller quarantines them with the reason. One request per such second, at most
 * a few an hour, and only for hours that hold such an entry.
 */
export async function checkZonelessNeighbours(
  source: AuditSource,
  entries: readonly ServedEntry[],
  hour: ReadHour,
  docTimeZone: string,
  options: FetchRangeOptions,
): Promise<CheckedNeighbours> {
  const toCheck = entriesToCheck(entries, hour, docTimeZone);
  const answers = await askSecondsAlone(source, toCheck.keys(), options);
  const checked: CheckedNeighbours = {
    unconfirmed: new Set(),
    pages: answers.pages,
    requests: answers.requests,
  };
  for (const [second, doubted] of toCheck) {
    const served = answers.copies.get(second);
    // Each copy the second returned confirms one entry of its content.
    const confirmed = new Map<string, number>();
    for (const entry of doubted) {
      const key = entryContentKey(entry);
      const used = confirmed.get(key) ?? 0;
      if (used < (served?.get(key)?.length ?? 0)) confirmed.set(key, used + 1);
      else checked.unconfirmed.add(entry);
    }
  }
  return checked;
}

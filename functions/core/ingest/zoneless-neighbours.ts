import type { AuditSource } from '../domo/audit-source.ts';
import { canonicalJson } from '../domo/canonical-json.ts';
import { parseDomoTime } from '../domo/domo-time.ts';
import { zoneOffsetMs } from '../zoned-time.ts';
import { type FetchRangeOptions, fetchRange, type ServedEntry } from './fetch-range.ts';
import { PRECISION_SLACK_MS, pickReading } from './normalise-window.ts';
import type { ReadHour } from './repeated-hour-edge.ts';

const SECOND_MS = 1000;

/** The entries of an hour read alone whose neighbour's time was not confirmed, and what checking cost. */
export interface CheckedNeighbours {
  /** Entries whose reading is wrong: they are quarantined, not left to the neighbouring hour. */
  unconfirmed: Set<ServedEntry>;
  pages: number;
  requests: number;
}

/**
 * The second an entry's time names, when its string has no zone and reads as a neighbouring
 * hour's time within what the hour's request may return (the request's edges and the precision
 * slack): normalisation leaves such an entry to that hour, which stores it only if its own request
 * returns it too. Undefined for every other entry (a reading inside the hour or far outside the
 * request, a time with its own zone).
 *
 * A string of the repeated local hour (clocks going back) has two readings: the one normalisation
 * goes by ({@link pickReading}) is the one judged. With one reading inside the hour, it is that
 * one (an entry at the hour's edge, settled by repeated-hour-edge.ts); with none, it may be the
 * one just outside, as for `01:59:59 AM` written in Chicago's second 1 AM and read as New York's:
 * its later reading is the last second of the hour before, which never returns it.
 */
function neighbourSecond(value: unknown, hour: ReadHour, docTimeZone: string): number | undefined {
  if (value === null || typeof value !== 'object' || !('time' in value)) return undefined;
  const time = parseDomoTime((value as { time: unknown }).time, docTimeZone);
  if (!time.ok || time.zoneless !== true) return undefined;
  // The hour's request, as normalisation is given it (ingest-window.ts): one ms early, to its end.
  const ms = pickReading(time.ms, time.laterMs, hour, {
    requestedStartMs: hour.startMs - 1,
    requestedEndMs: hour.endMs,
  });
  const inHour = ms >= hour.startMs && ms < hour.endMs;
  const inReach = ms >= hour.startMs - 1 - PRECISION_SLACK_MS && ms <= hour.endMs + PRECISION_SLACK_MS;
  return inHour || !inReach ? undefined : Math.floor(ms / SECOND_MS) * SECOND_MS;
}

/**
 * The seconds fields of a zone-less string that can read within reach of an hour's edges, when the
 * zone's offset is whole minutes (the reading then keeps the string's seconds and fraction): just
 * before the hour, 59 or 58 with a fraction of .999 (one ms and the second of slack before the
 * start); at or just after its end, 00 or 01 (01.000 is the last instant of the slack).
 */
const EDGE_SECONDS = new Set(['58', '59', '00', '01']);

/**
 * Whether an entry's time may be a zone-less string whose seconds field is one of
 * {@link EDGE_SECONDS}: read from the text, as parsing every entry's time again cost 4-7 us an entry.
 * The documented form `yyyy-MM-dd hh:mm:ss a` has its seconds after its second colon; a number or
 * a string with fewer colons is never zone-less.
 */
function mayReadAtEdge(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || !('time' in value)) return false;
  const time = (value as { time: unknown }).time;
  if (typeof time !== 'string') return false;
  const first = time.indexOf(':');
  const second = first < 0 ? -1 : time.indexOf(':', first + 1);
  return second >= 0 && EDGE_SECONDS.has(time.slice(second + 1, second + 3));
}

/**
 * Whether `docTimeZone`'s offset is whole minutes at both ends of what the hour's request may
 * return, so that {@link mayReadAtEdge} may stand in for parsing. Every zone's is, from 2000 (the
 * earliest time accepted) on; a zone that ever is not has every entry's time parsed instead.
 */
const offsetsInWholeMinutes = (hour: ReadHour, docTimeZone: string): boolean =>
  [hour.startMs - 1 - PRECISION_SLACK_MS, hour.endMs + PRECISION_SLACK_MS].every(
    (ms) => zoneOffsetMs(ms, docTimeZone) % 60_000 === 0,
  );

/** The entries {@link neighbourSecond} names a second for, by that second. */
function entriesToCheck(
  entries: readonly ServedEntry[],
  hour: ReadHour,
  docTimeZone: string,
): Map<number, ServedEntry[]> {
  const bySecond = new Map<number, ServedEntry[]>();
  const byText = offsetsInWholeMinutes(hour, docTimeZone);
  for (const entry of entries) {
    if (byText && !mayReadAtEdge(entry.value)) continue;
    const second = neighbourSecond(entry.value, hour, docTimeZone);
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
  const checked: CheckedNeighbours = { unconfirmed: new Set(), pages: 0, requests: 0 };
  for (const [second, doubted] of entriesToCheck(entries, hour, docTimeZone)) {
    const fetched = await fetchRange(source, second, second + SECOND_MS, options);
    checked.pages += fetched.pages;
    checked.requests += fetched.requests;
    const served = new Map<string, number>();
    for (const entry of fetched.entries) {
      const key = canonicalJson(entry.value);
      served.set(key, (served.get(key) ?? 0) + 1);
    }
    for (const entry of doubted) {
      const key = canonicalJson(entry.value);
      const left = served.get(key) ?? 0;
      if (left > 0) served.set(key, left - 1);
      else checked.unconfirmed.add(entry);
    }
  }
  return checked;
}

import type { AuditSource } from '../domo/audit-source.ts';
import { zoneOffsetMs } from '../zoned-time.ts';
import { entryContentKey } from './entry-content-key.ts';
import type { AskedBounds, FetchRangeOptions } from './fetch-range.ts';
import { PRECISION_SLACK_MS } from './normalise-window.ts';
import { askedFor, askSecondsAlone, type ReadHour, secondOf, servedTime } from './seconds-alone.ts';
import type { ServedEntry } from './served-entry.ts';

/** One hour's entries with entries in doubt settled, and what settling them cost. */
interface SettledHour {
  entries: ServedEntry[];
  pages: number;
  requests: number;
}

/**
 * The second inside the hour that an entry's time names, when its string falls in the hour that
 * repeats as clocks go back and the hour's request (`asked`) could also have returned it by its
 * other reading; undefined for every other entry. Both readings fit a request of the hour only at
 * the hour's edges (it reaches one ms past each end, and the two readings are the shift apart). A
 * reading is the start of the second its string names, the instant up to a second later: it fits
 * a second before the request's start but never past its end (`01:00:01 AM` cannot come back from
 * a request that ends at the other `01:00:00 AM`). `01:00:00 AM` read in the hour of its first
 * occurrence may be the instant that starts the next hour, returned when Domo's `end` is
 * inclusive; `01:59:59 AM` read in the hour of its second occurrence may be the last ms of the
 * previous hour, returned when Domo's `start` is inclusive. (At a half-hour offset, as in St
 * John's, one UTC hour holds both edges: its first and last seconds may both be in doubt.)
 */
function secondInDoubt(
  value: unknown,
  hour: ReadHour,
  asked: AskedBounds,
  docTimeZone: string,
): number | undefined {
  const time = servedTime(value, docTimeZone);
  if (time?.laterMs === undefined) return undefined;
  const inHour = (ms: number) => ms >= hour.startMs && ms < hour.endMs;
  const fits = (ms: number) => ms >= asked.startMs - PRECISION_SLACK_MS && ms <= asked.endMs;
  const readings = [time.ms, time.laterMs];
  const own = readings.filter(inHour);
  if (own.length !== 1 || !readings.every(fits)) return undefined;
  return secondOf(own[0] as number);
}

/**
 * Whether the zone changes its offset within what the hour's request may return (a clock change
 * lies between the two readings of every string that has two): the cheap test that spares the
 * other hours' entries a second parse.
 */
const clocksChangeNear = (asked: AskedBounds, docTimeZone: string): boolean =>
  zoneOffsetMs(asked.startMs - PRECISION_SLACK_MS, docTimeZone) !==
  zoneOffsetMs(asked.endMs + PRECISION_SLACK_MS, docTimeZone);

/**
 * Settles the entries of an hour read alone whose time string has two readings that both fit the
 * hour's request (see {@link secondInDoubt}): the hour's answer cannot tell a copy at the hour's
 * own edge second from one at the neighbour's edge ms, so both were stored, one in each hour, an
 * hour apart. The second the string names inside the hour is asked of Domo alone (one ms early, to
 * the second's end, so it is covered whether Domo's bounds are inclusive or not); the other
 * reading, a shift of minutes away, cannot come back from that request. The hour keeps exactly the
 * copies of such an entry that the second holds, and none of those its own answer held: which of
 * its copies were the neighbour's cannot be told, and the copies of a content are alike. Every
 * other entry is kept as read.
 */
export async function settleRepeatedHourEdges(
  source: AuditSource,
  entries: ServedEntry[],
  hour: ReadHour,
  docTimeZone: string,
  options: FetchRangeOptions,
): Promise<SettledHour> {
  const settled: SettledHour = { entries, pages: 0, requests: 0 };
  const asked = askedFor(hour);
  if (!clocksChangeNear(asked, docTimeZone)) return settled;
  const doubts = entriesInDoubt(entries, hour, asked, docTimeZone);
  if (doubts.size === 0) return settled;
  const seconds = new Set([...doubts.values()].map((doubt) => doubt.second));
  const held = await askSecondsAlone(source, seconds, options);
  settled.pages = held.pages;
  settled.requests = held.requests;
  // The second's copies take the place of the first copy the hour's answer held, in its order. A
  // second's request reaches one ms past each end, where another second in doubt of the same hour
  // may have its other reading (the last second's request of a St John's hour ends at the other
  // reading of its first second): only the copies a content's own second returned take its place,
  // or they would be stored twice.
  settled.entries = [];
  for (const [i, entry] of entries.entries()) {
    const doubt = doubts.get(i);
    if (doubt === undefined) {
      settled.entries.push(entry);
      continue;
    }
    const ofSecond = held.copies.get(doubt.second);
    settled.entries.push(...(ofSecond?.get(doubt.content) ?? []));
    ofSecond?.delete(doubt.content);
  }
  return settled;
}

/** The entries in doubt, by index: the second each one's time names inside the hour, and its content. */
function entriesInDoubt(
  entries: readonly ServedEntry[],
  hour: ReadHour,
  asked: AskedBounds,
  docTimeZone: string,
): Map<number, { second: number; content: string }> {
  const doubts = new Map<number, { second: number; content: string }>();
  for (const [i, entry] of entries.entries()) {
    const second = secondInDoubt(entry.value, hour, asked, docTimeZone);
    if (second !== undefined) doubts.set(i, { second, content: entryContentKey(entry) });
  }
  return doubts;
}

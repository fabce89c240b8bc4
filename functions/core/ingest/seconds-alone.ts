import type { AuditSource } from '../domo/audit-source.ts';
import { parseDomoTime, type TimeParse } from '../domo/domo-time.ts';
import { SECOND_MS } from '../time-units.ts';
import { entryContentKey } from './entry-content-key.ts';
import { type AskedBounds, askedBounds, type FetchRangeOptions, fetchRange } from './fetch-range.ts';
import type { ServedEntry } from './served-entry.ts';

/** One hour read alone: `[startMs, endMs)`, and the bounds its request asked Domo for. */
export interface ReadHour {
  startMs: number;
  endMs: number;
  /**
   * The bounds the hour's entries were asked of Domo with ({@link askedBounds} of the range the
   * request covered, as normalisation is given them); absent, those of a request of the hour itself.
   */
  asked?: AskedBounds;
}

/** The bounds the hour's request asked Domo for. */
export const askedFor = (hour: ReadHour): AskedBounds => hour.asked ?? askedBounds(hour.startMs, hour.endMs);

/** The start of the second `ms` falls in: the second a time string without a fraction names. */
/** The parsed `time` of an entry as served; undefined when it has none that parses. */
export function servedTime(
  value: unknown,
  docTimeZone: string,
): Extract<TimeParse, { ok: true }> | undefined {
  if (value === null || typeof value !== 'object' || !('time' in value)) return undefined;
  const time = parseDomoTime((value as { time: unknown }).time, docTimeZone);
  return time.ok ? time : undefined;
}

export const secondOf = (ms: number): number => Math.floor(ms / SECOND_MS) * SECOND_MS;

/** What each second asked alone returned, and what asking cost. */
interface SecondsAlone {
  /** Per second asked: the copies of each content (canonical JSON) its request returned, in Domo's order. */
  copies: Map<number, Map<string, ServedEntry[]>>;
  pages: number;
  requests: number;
}

/**
 * Asks Domo for each of `seconds` (each the start of a second) alone, one request after another:
 * one ms early, to the second's end (fetchRange), so the second is covered whichever of Domo's
 * bounds is inclusive. An hour's answer cannot tell an entry at its edge from a neighbour's (the
 * repeated hour's edges, repeated-hour-edge.ts) or a right reading from a wrong zone's
 * (zoneless-neighbours.ts); the copies of a content that its second's request returns can. One
 * request per second, for the few seconds an hour holds such an entry in.
 */
export async function askSecondsAlone(
  source: AuditSource,
  seconds: Iterable<number>,
  options: FetchRangeOptions,
): Promise<SecondsAlone> {
  const asked: SecondsAlone = { copies: new Map(), pages: 0, requests: 0 };
  for (const second of seconds) {
    const fetched = await fetchRange(source, second, second + SECOND_MS, options);
    asked.pages += fetched.pages;
    asked.requests += fetched.requests;
    const byContent = new Map<string, ServedEntry[]>();
    for (const entry of fetched.entries) {
      const key = entryContentKey(entry);
      const copies = byContent.get(key);
      if (copies) copies.push(entry);
      else byContent.set(key, [entry]);
    }
    asked.copies.set(second, byContent);
  }
  return asked;
}

import type { ObjectStore } from '../ports.ts';
import { DAY_MS } from '../time-units.ts';
import { runPool } from '../worker-pool.ts';
import { digestScopePrefixes } from './digest.ts';
import type { PulledHours } from './digest-open-runs.ts';
import { type LakeTable, TABLE_PREFIXES, tableDayPrefix, windowStartFromKey } from './layout.ts';
import { ListingOutOfTime } from './listing-out-of-time.ts';

/**
 * Whether a sweep of `hours` reads `key`. An object of no one hour (a key the layout does not
 * name, such as the folder marker the S3 console's "Create folder" leaves) is read wherever a
 * listing finds it (inside the day partitions listed, when the sweep lists only those): nothing
 * tells which run's hours it belongs to, and the ingest writes none.
 */
export const inHours = (key: string, hours: readonly PulledHours[]): boolean => {
  const hour = windowStartFromKey(key);
  if (hour === undefined) return true;
  return hours.some(
    ({ fromMs, toMs }) => (fromMs === null || hour >= fromMs) && (toMs === null || hour < toMs),
  );
};

/**
 * The most days whose partitions a sweep lists one by one; beyond, it lists the instance's tables
 * whole. A day partition holds at most 24 objects a table, so one LIST request each, sent
 * {@link LISTS_IN_FLIGHT} at once: 31 days (93 requests over the three tables) take 6 round trips.
 * A whole listing takes one request per 1,000 keys (about 41 days of a table), one page after the
 * other, and grows with the lake: 6 round trips is a lake of ~80 days, a lake of three years ~80
 * round trips and ~80,000 keys listed however few hours are swept. The usual sweep (the lookback of
 * a scheduled run that died, a short re-pull) is one or two days. Past a month of days the whole
 * listing is kept: its cost stays that of the lake while the days' grows with the hours swept (a
 * dead re-pull of a year: 1,100 requests), and the hours to read then cost more than either.
 */
export const MOST_DAYS_LISTED = 31;

/** LIST requests in flight when listing day partitions (as many as the sweep's GETs). */
const LISTS_IN_FLIGHT = 16;

/**
 * The start of each UTC day `hours` touch, in order, when every range is bounded and they touch
 * at most {@link MOST_DAYS_LISTED} days; undefined otherwise (list the tables whole).
 */
function daysToList(hours: readonly PulledHours[]): number[] | undefined {
  const days = new Set<number>();
  for (const { fromMs, toMs } of hours) {
    if (fromMs === null || toMs === null) return undefined;
    for (let day = Math.floor(fromMs / DAY_MS) * DAY_MS; day < toMs; day += DAY_MS) {
      days.add(day);
      if (days.size > MOST_DAYS_LISTED) return undefined;
    }
  }
  return [...days].sort((a, b) => a - b);
}

/**
 * The keys of the instance's tables that `wanted` keeps, of the `hours` swept: the day partitions
 * of those hours when they are bounded and few ({@link daysToList}), otherwise (and with no
 * `hours`) every key under the instance's table prefixes. `outOfTime` is asked before each
 * partition and between the keys of a listing (so between its pages): once it says so the listing
 * throws {@link ListingOutOfTime}, rather than a long listing use up the time its GETs need.
 */
export async function sweptKeys(
  store: ObjectStore,
  instance: string,
  wanted: (key: string) => boolean,
  hours?: readonly PulledHours[],
  outOfTime: () => boolean = () => false,
): Promise<string[]> {
  const days = hours === undefined ? undefined : daysToList(hours);
  const tables = Object.keys(TABLE_PREFIXES) as LakeTable[];
  const prefixes =
    days === undefined
      ? digestScopePrefixes(instance)
      : tables.flatMap((table) => days.map((day) => tableDayPrefix(table, instance, day)));
  // Kept by prefix, so the keys come in the order of a listing one prefix after the other.
  const found = prefixes.map((): string[] => []);
  let listed = 0;
  let finished = 0;
  let stopped = false;
  const listOne = async (at: number): Promise<void> => {
    for await (const key of store.list(prefixes[at] as string)) {
      if (outOfTime()) {
        stopped = true;
        return;
      }
      listed++;
      if (wanted(key)) found[at]?.push(key);
    }
    finished++;
  };
  const size = Math.min(days === undefined ? 1 : LISTS_IN_FLIGHT, prefixes.length);
  await runPool(prefixes.keys(), Math.max(1, size), listOne, () => stopped || outOfTime());
  if (finished < prefixes.length) throw new ListingOutOfTime(listed);
  return found.flat();
}

import { type CoveredExtent, extentOf, manifestHourOf } from '../lake/coverage.ts';
import { tableDayPrefix, tableInstancePrefix } from '../lake/layout.ts';
import type { ObjectStore } from '../ports.ts';
import { DAY_MS, HOUR_MS } from '../time-units.ts';

/**
 * Coverage keys status lists of a lake without a checkpoint or run record before it stops counting
 * its hours: one S3 LIST page, 41 days of hours.
 */
export const COUNTED_KEYS = 1000;

/**
 * The hours a lake without state holds: its first covered hour to the end of its last, and how many
 * between them have a manifest, when counted (a lake of at most {@link COUNTED_KEYS} keys).
 */
export type HeldSpan = Omit<CoveredExtent, 'hours'> & { hours?: number };

const dayOf = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;

/**
 * The first and last hour with a manifest before `beforeMs`, in bounded requests whatever the
 * lake's age: the first {@link COUNTED_KEYS} keys are listed, and count the hours when that is all
 * of them; past them the last hour is searched for day by halved day ({@link lastHourBefore}), and
 * the hours are left uncounted. Listing every key cost a LIST page per 1,000 hours, 9 a year, for a
 * count status only words as "N hours not covered: run verify" (review STATUS9, CFGSTATUS).
 */
export async function heldSpan(
  store: ObjectStore,
  instance: string,
  beforeMs: number,
): Promise<HeldSpan | null> {
  const hours = new Set<number>();
  let listed = 0;
  for await (const key of store.list(tableInstancePrefix('coverage', instance), { pageSize: COUNTED_KEYS })) {
    const windowStartMs = manifestHourOf(instance, key);
    // Keys list in hour order: a manifest of an hour not begun (forged, verify names it) follows
    // every hour held, which are all counted then; one past the cap left them uncounted.
    if (windowStartMs !== undefined && windowStartMs >= beforeMs) break;
    // Past the cap only once an hour is known: strays before the first manifest do not hide it.
    if (++listed > COUNTED_KEYS && hours.size > 0) {
      const first = Math.min(...hours);
      const last = await lastHourBefore(store, instance, Math.max(...hours), beforeMs);
      return { fromMs: first, toMs: last + HOUR_MS };
    }
    if (windowStartMs !== undefined) hours.add(windowStartMs);
  }
  return extentOf(hours);
}

/**
 * The last hour with a manifest before `beforeMs`, one held at `knownMs`: a binary search of the
 * days from there, a LIST of one key each ({@link firstHourFrom}), then a LIST of the last day
 * held. About 10 requests for a year, 13 for ten.
 */
async function lastHourBefore(
  store: ObjectStore,
  instance: string,
  knownMs: number,
  beforeMs: number,
): Promise<number> {
  let last = knownMs;
  // No hour is held from this day on: the day after the one `beforeMs` ends in.
  let endDay = dayOf(beforeMs - 1) + DAY_MS;
  for (let days = (endDay - dayOf(last)) / DAY_MS; days > 1; days = (endDay - dayOf(last)) / DAY_MS) {
    const middle = dayOf(last) + Math.ceil(days / 2) * DAY_MS;
    const found = await firstHourFrom(store, instance, middle, beforeMs);
    if (found === undefined) endDay = middle;
    else last = found;
  }
  for await (const key of store.list(tableDayPrefix('coverage', instance, dayOf(last)))) {
    const windowStartMs = manifestHourOf(instance, key);
    if (windowStartMs !== undefined && windowStartMs < beforeMs) last = Math.max(last, windowStartMs);
  }
  return last;
}

/** The first hour with a manifest from the day at `dayMs` on, if it is before `beforeMs`. */
async function firstHourFrom(
  store: ObjectStore,
  instance: string,
  dayMs: number,
  beforeMs: number,
): Promise<number | undefined> {
  const startAfter = tableDayPrefix('coverage', instance, dayMs);
  for await (const key of store.list(tableInstancePrefix('coverage', instance), {
    startAfter,
    pageSize: 1,
  })) {
    // A store may ignore startAfter and list from the start.
    if (key <= startAfter) continue;
    const windowStartMs = manifestHourOf(instance, key);
    if (windowStartMs !== undefined) return windowStartMs < beforeMs ? windowStartMs : undefined;
  }
  return undefined;
}

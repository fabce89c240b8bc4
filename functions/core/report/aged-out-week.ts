/**
 * A week older than the lake keeps: the lake expires its hours after `retention.maxDays`, so a
 * report of such a week finds them gone by policy. Said as such, not as the lake beginning in the
 * week, an outage or an empty week to look into (review R-PRIVACY H1): those notes send the reader
 * to re-pull hours the deployment chose to delete.
 */

import { agedOutBefore } from '../lake/aged-out.ts';

export interface AgedOutWeek {
  /** The first hour the lake still keeps whole (UTC ms): the week's hours before it aged out. */
  keptFromMs: number;
  maxDays: number;
  /** Every hour of the week is older than the lake keeps. */
  whole: boolean;
}

/**
 * The part of the week `[startMs, endMs)` the lake has aged out at `nowMs` under `maxDays`;
 * undefined without a bound or when the whole week is still kept.
 */
export function agedOutWeek(
  week: { startMs: number; endMs: number },
  nowMs: number,
  maxDays: number | undefined,
): AgedOutWeek | undefined {
  if (maxDays === undefined) return undefined;
  const keptFromMs = agedOutBefore(nowMs, maxDays);
  if (week.startMs >= keptFromMs) return undefined;
  return { keptFromMs, maxDays, whole: week.endMs <= keptFromMs };
}

/** `older than the lake keeps (retention.maxDays 400)`: the words every aged-out note shares. */
export const olderThanKept = (maxDays: number): string =>
  `older than the lake keeps (retention.maxDays ${maxDays})`;

/**
 * The note on a week the lake has aged out, wholly or in part: what is gone by policy, and that
 * no re-pull is for it. `when` shows a UTC instant on the report's clock.
 */
export function agedOutWeekNote(isoWeek: string, aged: AgedOutWeek, when: (ms: number) => string): string {
  const policy =
    "aged out by policy: deleted by the deployment's retention, not lost to a fault, and pulling them again would keep them past it";
  if (aged.whole)
    return `${isoWeek} is ${olderThanKept(aged.maxDays)}: its hours are ${policy}. The figures cover only what is not deleted yet.`;
  return `The hours of ${isoWeek} before ${when(aged.keptFromMs)} are ${olderThanKept(aged.maxDays)}: ${policy}. The figures cover the week from then on.`;
}

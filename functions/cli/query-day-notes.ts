import { parseLakeTimestamp, utcDate } from '../core/lake/layout.ts';
import type { QueryResult } from '../core/ports.ts';
import type { QueryDefinition } from '../core/queries/query-definition.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../core/time-units.ts';
import { wallTimeOf, zonedWallTimeToUtc } from '../core/zoned-time.ts';

/**
 * The notes on partial local days of a query that counts by day or counts days (active_days):
 * under the table, and in the provenance of every format (JSON and CSV print none, to stay bare rows).
 */
export function dayNotes(
  query: QueryDefinition,
  params: Record<string, string>,
  result: Pick<QueryResult, 'rows'>,
  nowMs: number,
): string[] {
  // The period and zone the query ran with (--param may have set them), as the header shows them.
  const { from_ts, to_ts, time_zone: zone } = params;
  if (zone === undefined || from_ts === undefined || to_ts === undefined) return [];
  const period = { fromMs: parseLakeTimestamp(from_ts), toMs: parseLakeTimestamp(to_ts), nowMs };
  // Only days the rows hold: a partial day without events has no row whose counts could mislead.
  if (query.columns.includes('day')) {
    return partialDayNotes(period, zone, new Set(result.rows.map((row) => String(row.day))));
  }
  if (query.columns.includes('active_days') && result.rows.length > 0) return activeDayNotes(period, zone);
  return [];
}

/**
 * most_active_users' active_days counts local dates in the zone: one event in the few hours of a
 * date the period touches counts that whole day, as daily_activity's rows of a partial day count
 * only its hours (review R-ANALYST3 L4: a one-day UTC period in Tokyo gave most users 2).
 */
function activeDayNotes(period: { fromMs: number; toMs: number; nowMs: number }, zone: string): string[] {
  const partial = partialDays(period.fromMs, period.toMs, zone);
  if (partial.length === 0) return [];
  const days = partial.map((d) => `${d.day} (${d.hours} of its ${d.dayHours} hours)`).join(' and ');
  return [
    `note: active_days counts dates in ${zone}, and the period covers only part of ${days}: an event in those hours counts the whole day`,
    wholeDaysAdvice(period, zone),
  ];
}

/** How to ask for whole local days around the period, or that none has ended yet. */
function wholeDaysAdvice(period: { fromMs: number; toMs: number; nowMs: number }, zone: string): string {
  const { fromMs: wholeFrom, toMs: wholeTo } = wholeLocalDays(period.fromMs, period.toMs, zone, period.nowMs);
  // A period inside the one local day still in progress has no whole day to point to: the only
  // whole day ends in the future, and a query of it would show the same partial counts (R-FINAL2 L4).
  return wholeTo > period.nowMs
    ? `note: no whole day in ${zone} has ended in the period: this day ends at ${zonedIso(wholeTo, zone)}`
    : `note: for whole days in ${zone}, give --from ${zonedIso(wholeFrom, zone)} --to ${zonedIso(wholeTo, zone)}`;
}

/**
 * A note for each partial local day the table shows, and then how to ask for whole days: bare
 * dates are UTC midnights, so a zone other than UTC gets a partial day at each end (review R-OP2 L9).
 */
function partialDayNotes(
  period: { fromMs: number; toMs: number; nowMs: number },
  zone: string,
  shown: ReadonlySet<string>,
): string[] {
  const partial = partialDays(period.fromMs, period.toMs, zone).filter((d) => shown.has(d.day));
  if (partial.length === 0) return [];
  const advice = wholeDaysAdvice(period, zone);
  return [
    ...partial.map(
      (d) =>
        `note: ${d.day} is a partial day in ${zone}: the period covers ${d.hours} of its ${d.dayHours} hours`,
    ),
    advice,
  ];
}

/**
 * The local days of `zone` around `[fromMs, toMs)`: from the midnight at or before its start to the
 * one at or after its end, or, when that one is still to come (`nowMs`: the default period ends
 * now), to the one at or before its end (review R-MINE4 L6: the advice pointed into the future).
 */
export function wholeLocalDays(
  fromMs: number,
  toMs: number,
  zone: string,
  nowMs = Number.POSITIVE_INFINITY,
): { fromMs: number; toMs: number } {
  const start = zonedWallTimeToUtc(localMidnight(fromMs, zone), zone);
  const after = zonedWallTimeToUtc(localMidnight(toMs - 1, zone) + DAY_MS, zone);
  const before = zonedWallTimeToUtc(localMidnight(toMs, zone), zone);
  return { fromMs: start, toMs: after > nowMs && before > start ? before : after };
}

/** The wall time (as UTC ms) of the midnight that starts the local day of `utcMs` in `zone`. */
const localMidnight = (utcMs: number, zone: string): number =>
  Math.floor(wallTimeOf(utcMs, zone) / DAY_MS) * DAY_MS;

/** `utcMs` as `zone`'s wall time with its offset, to the minute: `2026-11-20T00:00+01:00`. */
function zonedIso(utcMs: number, zone: string): string {
  const wall = wallTimeOf(utcMs, zone);
  const offsetMinutes = Math.round((wall - utcMs) / MINUTE_MS);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${new Date(wall).toISOString().slice(0, 16)}${offset}`;
}

interface PartialDay {
  /** The local date, `YYYY-MM-DD`. */
  day: string;
  /** Hours of the day inside the period (a fraction for a period or zone off the whole hour). */
  hours: number;
  /** Hours the day has: 24, or 23 and 25 on a daylight saving change. */
  dayHours: number;
}

const hoursOf = (ms: number): number => Math.floor((ms / HOUR_MS) * 100) / 100;

/**
 * The local days in `zone` that `[fromMs, toMs)` covers only in part: at most the first and the
 * last (every day between is whole), first first. A period of whole local days has none.
 */
export function partialDays(fromMs: number, toMs: number, zone: string): PartialDay[] {
  const dayAt = (utcMs: number) => {
    const wallDay = localMidnight(utcMs, zone);
    return {
      day: utcDate(wallDay),
      startMs: zonedWallTimeToUtc(wallDay, zone),
      endMs: zonedWallTimeToUtc(wallDay + DAY_MS, zone),
    };
  };
  const ends = [dayAt(fromMs), dayAt(toMs - 1)];
  const days = ends[0]?.day === ends[1]?.day ? ends.slice(0, 1) : ends;
  return days.flatMap(({ day, startMs, endMs }) => {
    const covered = Math.min(toMs, endMs) - Math.max(fromMs, startMs);
    return covered < endMs - startMs
      ? [{ day, hours: hoursOf(covered), dayHours: hoursOf(endMs - startMs) }]
      : [];
  });
}

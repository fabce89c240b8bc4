import { DAY_MS, MINUTE_MS } from '../../functions/core/time-units.ts';
import { zonedWallTimeToUtc } from '../../functions/core/zoned-time.ts';

/**
 * How long after a week ends (Monday 00:00 in `zone`) the UTC hour holding its last minute ends:
 * 0 in a zone of whole-hour offsets, 30 in India (the week ends at 18:30 UTC), 45 in Nepal. The
 * ingest pulls whole UTC hours. Every Monday of a year is looked at, for zones whose daylight
 * saving shifts by half an hour.
 */
export function weekEndHourRestMinutes(zone: string): number {
  let rest = 0;
  for (let week = 0; week < 53; week++) {
    const weekEndMs = zonedWallTimeToUtc(Date.UTC(2026, 0, 5 + week * 7), zone);
    rest = Math.max(rest, (60 - new Date(weekEndMs).getUTCMinutes()) % 60);
  }
  return rest;
}

const WEEK_MS = 7 * DAY_MS;

/** A week's end in an instance's zone, and the first firing of the report at or after it (UTC ms). */
interface WeekClaim {
  /** The Monday the week ends on, `YYYY-MM-DD`. */
  monday: string;
  weekEnd: number;
  claim: number;
  /** The last firing before the week ends (UTC ms). */
  before: number;
}

/**
 * Over a year's Mondays (and the next year's first), when each week of `zone` ends and which
 * firing of the schedule is the first after it: the schedule fires at `firings` (minutes into a
 * week of `scheduleZone`), whose weeks are a few hours off those of `zone`, so that firing may be
 * in the schedule's week before or after.
 */
export function weekClaims(firings: readonly number[], scheduleZone: string, zone: string): WeekClaim[] {
  return Array.from({ length: 54 }, (_, week) => {
    const monday = Date.UTC(2026, 0, 5 + week * 7);
    const weekEnd = zonedWallTimeToUtc(monday, zone);
    const fires = [monday - WEEK_MS, monday, monday + WEEK_MS].flatMap((start) =>
      firings.map((minute) => zonedWallTimeToUtc(start + minute * MINUTE_MS, scheduleZone)),
    );
    const claim = Math.min(...fires.filter((at) => at >= weekEnd));
    const before = Math.max(...fires.filter((at) => at < weekEnd));
    return { monday: new Date(monday).toISOString().slice(0, 10), weekEnd, claim, before };
  });
}

/**
 * The first week of `claims` no run reports: two weeks of the zone ending before the same firing
 * (around a change of daylight saving time in one of the zones), whose run reports the later
 * only. Its end as the Monday's date, or undefined.
 */
export function weekNeverReported(claims: readonly WeekClaim[]): string | undefined {
  return claims.find((week, i) => week.claim === claims[i + 1]?.claim)?.monday;
}

/** The fewest minutes by which a firing of `claims` comes before its week ends. */
export const shortestLeadMinutes = (claims: readonly WeekClaim[]): number =>
  Math.min(...claims.map((week) => Math.round((week.weekEnd - week.before) / MINUTE_MS)));

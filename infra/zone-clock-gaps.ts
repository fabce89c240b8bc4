import { DAY_MS, MINUTE_MS } from '../functions/core/time-units.ts';
import { zoneOffsetMs } from '../functions/core/zoned-time.ts';

/** A stretch of one local day whose wall times never show in a zone: clocks jump over it. */
export interface ClockGap {
  /** The local date, e.g. 2026-03-29. */
  year: number;
  month: number;
  day: number;
  /** 0 = Monday … 6 = Sunday. */
  isoWeekday: number;
  /** First skipped minute of the local day, and the first that shows again (1440: the day's end). */
  fromMinute: number;
  toMinute: number;
}

/** Offset changes are months apart (a Ramadan pause of DST weeks): a 5-day step sees each. */
const STEP_MS = 5 * DAY_MS;

/** The first instant of (lo, hi] at `hi`'s offset: a change lies there, on a whole minute. */
function changeAt(lo: number, hi: number, zone: string): number {
  const after = zoneOffsetMs(hi, zone);
  let [a, b] = [lo, hi];
  while (b - a > MINUTE_MS) {
    const mid = Math.floor((a + b) / 2);
    if (zoneOffsetMs(mid, zone) === after) b = mid;
    else a = mid;
  }
  return Math.floor(b / MINUTE_MS) * MINUTE_MS;
}

/** A skipped stretch of wall time [fromWall, toWall) split by local day. */
function byDay(fromWall: number, toWall: number): ClockGap[] {
  const gaps: ClockGap[] = [];
  for (let dayStart = fromWall - (fromWall % DAY_MS); dayStart < toWall; dayStart += DAY_MS) {
    const date = new Date(dayStart);
    gaps.push({
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      isoWeekday: (date.getUTCDay() + 6) % 7,
      fromMinute: Math.max(0, fromWall - dayStart) / MINUTE_MS,
      toMinute: Math.min(DAY_MS, toWall - dayStart) / MINUTE_MS,
    });
  }
  return gaps;
}

const cache = new Map<string, ClockGap[]>();

/**
 * The wall times `zone` skips from `fromYear` on, for `years` years: where clocks go forward (a
 * spring-forward hour, most at 02:00 local; some zones at 00:00, e.g. America/Santiago, America/Havana).
 * Read from the runtime's time zone data, so a zone whose rules change follows the data.
 */
export function clockGaps(zone: string, fromYear: number, years: number): readonly ClockGap[] {
  const key = `${zone} ${fromYear} ${years}`;
  const known = cache.get(key);
  if (known) return known;
  const gaps: ClockGap[] = [];
  const end = Date.UTC(fromYear + years, 0, 1);
  let before = zoneOffsetMs(Date.UTC(fromYear, 0, 1), zone);
  for (let at = Date.UTC(fromYear, 0, 1); at < end; at += STEP_MS) {
    const next = Math.min(at + STEP_MS, end);
    const after = zoneOffsetMs(next, zone);
    if (after > before) {
      const change = changeAt(at, next, zone);
      gaps.push(...byDay(change + before, change + after));
    }
    before = after;
  }
  cache.set(key, gaps);
  return gaps;
}

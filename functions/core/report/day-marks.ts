/**
 * What the per-day activity says beside (or instead of) a day's count when the count is not the
 * whole day: a day the lake does not hold, a day of a preview still under way or yet to come, a day
 * whose stored hours lost events. Shared by the HTML and the text, so both mark the same days.
 */
import { HOUR_MS } from '../time-units.ts';
import { localToUtc, wallTimeOf } from '../zoned-time.ts';
import { plural } from './number-format.ts';
import type { DayActivity, WeeklyReportModel } from './report-model.ts';

type ReportClock = Pick<WeeklyReportModel, 'generatedAt' | 'timeZone'>;

/** The local date the report was made on, in its zone: the day in progress of a preview. */
const reportDay = (model: ReportClock): string =>
  new Date(wallTimeOf(Date.parse(model.generatedAt), model.timeZone)).toISOString().slice(0, 10);

/**
 * What a day's bar says instead of its zeros when the lake holds nothing of the day: `not ingested`
 * (no hour of it has a coverage manifest, so "0 events, 0 users" would pass for a quiet day),
 * `not yet` for a day of a preview that has not begun, and for the day a preview is made on that
 * it is under way with nothing of it in yet (early in the day the ingest has not reached it; it did
 * not skip it). Undefined for a day with data or covered hours, and for models archived before days
 * counted their hours.
 */
export function dayNotInLake(day: DayActivity, model: ReportClock): string | undefined {
  if (day.coveredHours !== 0 || day.events > 0) return undefined;
  const today = reportDay(model);
  if (day.day > today) return 'not yet';
  return day.day === today ? 'in progress, not ingested yet' : 'not ingested';
}

/** Why a day's drawn count is less than the whole day; `lost` when events are gone, not yet to come. */
export interface DayCaveat {
  text: string;
  lost: boolean;
}

/**
 * The UTC hour windows that start within a local date in `zone`: the hours a whole day of the lake
 * holds (24, or 23 and 25 on the days clocks change; the same for zones off the hour, whose days
 * take the 24 windows starting at :30 or :45).
 */
export function hourWindowsOfDay(day: string, zone: string): number {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const start = localToUtc(year, month, date, 0, zone);
  const end = localToUtc(year, month, date + 1, 0, zone);
  return Math.ceil(end / HOUR_MS) - Math.ceil(start / HOUR_MS);
}

/**
 * What keeps a day's count, drawn as usual, from being the whole day: the day a preview was made
 * on is still under way (its count is the day so far, not a drop), a day the lake holds only some
 * hours of, or none although it has events (a gap the ingest left, the lake's first day, removed
 * manifests), and hours of the day that hold fewer
 * events than the ingest stored (the count undercounts, it is not a quiet day). Empty for a whole
 * day, and for models archived before days counted their hours and losses.
 */
export function dayCaveats(day: DayActivity, model: ReportClock): DayCaveat[] {
  const caveats: DayCaveat[] = [];
  const today = reportDay(model);
  if (day.day === today) caveats.push({ text: 'day in progress', lost: false });
  // No covered hour counts too: a day with events but no manifest left (removed, or lost) is not
  // whole either. A day with neither is dayNotInLake's, and never reaches here drawn as a bar.
  if (day.day < today && day.coveredHours !== undefined) {
    const whole = hourWindowsOfDay(day.day, model.timeZone);
    if (day.coveredHours < whole) {
      caveats.push({ text: `${day.coveredHours} of ${whole} hours in the lake`, lost: false });
    }
  }
  const gone = day.shortEvents ?? 0;
  if (gone > 0) caveats.push({ text: `${plural(gone, 'event')} gone`, lost: true });
  return caveats;
}

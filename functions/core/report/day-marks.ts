/**
 * What the per-day activity says beside (or instead of) a day's count when the count is not the
 * whole day: a day the lake does not hold, a day of a preview yet to come, a day whose stored hours
 * lost events. Shared by the HTML and the text, so both mark the same days.
 */
import { wallTimeOf } from '../zoned-time.ts';
import { plural } from './report-format.ts';
import type { DayActivity, WeeklyReportModel } from './report-model.ts';

type ReportClock = Pick<WeeklyReportModel, 'generatedAt' | 'timeZone'>;

/** The local date the report was made on, in its zone. */
const reportDay = (model: ReportClock): string =>
  new Date(wallTimeOf(Date.parse(model.generatedAt), model.timeZone)).toISOString().slice(0, 10);

/**
 * What a day's bar says instead of its zeros when the lake holds nothing of the day: `not ingested`
 * (no hour of it has a coverage manifest, so "0 events, 0 users" would pass for a quiet day), or
 * `not yet` for a day of a preview that has not begun. Undefined for a day with data or covered
 * hours, and for models archived before days counted their hours.
 */
export function dayNotInLake(day: DayActivity, model: ReportClock): string | undefined {
  if (day.coveredHours !== 0 || day.events > 0) return undefined;
  return day.day > reportDay(model) ? 'not yet' : 'not ingested';
}

/** Why a day's drawn count is less than the whole day; `lost` when events are gone. */
export interface DayCaveat {
  text: string;
  lost: boolean;
}

/**
 * What keeps a day's count, drawn as usual, from being the whole day: hours of the day that hold
 * fewer events than the ingest stored (the count undercounts, it is not a quiet day). Empty for a
 * whole day, and for models archived before days counted their losses.
 */
export function dayCaveats(day: DayActivity): DayCaveat[] {
  const caveats: DayCaveat[] = [];
  const gone = day.shortEvents ?? 0;
  if (gone > 0) caveats.push({ text: `${plural(gone, 'event')} gone`, lost: true });
  return caveats;
}

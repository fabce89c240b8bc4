import { dayCaveats, dayNotInLake } from './day-marks.ts';
import { plural } from './number-format.ts';
import type { WeeklyReportModel } from './report-model.ts';
import { figureList } from './text-figure-list.ts';
import { heading } from './text-prose.ts';
import { formatDay } from './time-format.ts';

/** The week's events and active users per day; a day the lake lacks says why instead of a count. */
export function dailyLines(model: WeeklyReportModel): string[] {
  return [
    ...heading('Activity per day'),
    ...figureList(
      model.daily.map((d) => ({
        name: formatDay(d.day),
        value: d.events,
        extra: `${plural(d.activeUsers, 'user')}`,
        missing: dayNotInLake(d, model),
        caveat: dayCaveats(d, model)
          .map((c) => c.text)
          .join(', '),
      })),
      'No activity.',
    ),
  ];
}

/**
 * The activity-per-day section of the report's HTML: a bar a day of the week, its events and active
 * users, a day not in the lake said instead of its bar, and a day that is not whole drawn paler with
 * why under its date.
 */

import { dayCaveats, dayNotInLake } from './day-marks.ts';
import { type Bar, list } from './html-bars.ts';
import { sectionTitle } from './html-section.ts';
import { formatCount } from './number-format.ts';
import type { WeeklyReportModel } from './report-model.ts';
import { formatDay } from './time-format.ts';

export function dailySection(model: WeeklyReportModel): string {
  const daily = model.daily.map((d): Bar => {
    const missing = dayNotInLake(d, model);
    return {
      label: formatDay(d.day),
      value: d.events,
      extra: { text: `${formatCount(d.activeUsers)}` },
      ...(missing === undefined ? { caveats: dayCaveats(d, model) } : { missing }),
    };
  });
  return `${sectionTitle(
    'Activity per day',
    'days',
    `Events per day; the right-hand column counts active users.${
      daily.some((d) => (d.caveats ?? []).length > 0)
        ? ' A paler bar is not the whole day (said under its date).'
        : ''
    }`,
  )}
${list('days', daily, 'No activity.', ['day', 'events', 'users'])}`;
}

import { clipToWidth } from '../display-width.ts';
import { countryLabel } from '../geo/country-names.ts';
import { capped, type RenderLimits } from '../mail/render-limits.ts';
import { noneThisWeek } from './comparable-weeks.ts';
import { unknownCountryLines } from './health-sentences.ts';
import { plural } from './number-format.ts';
import type { WeeklyReportModel } from './report-model.ts';
import { figureList } from './text-figure-list.ts';
import { heading, prose } from './text-prose.ts';

/** Sign-ins per country, and how many of the unknown were never looked up. */
export function countryLines(model: WeeklyReportModel, limits: RenderLimits): string[] {
  const { shown, more } = capped(model.loginsByCountry ?? [], limits.countries);
  return [
    ...heading('Logins by country'),
    ...figureList(
      shown.map((c) => ({
        name: clipToWidth(countryLabel(c.country), limits.name),
        value: c.logins,
        extra: plural(c.users, 'user'),
      })),
      noneThisWeek(model, 'No logins this week.'),
      more,
      'countries',
    ),
    ...unknownCountryLines(model.health).flatMap(prose),
  ];
}

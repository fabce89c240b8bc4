/**
 * The logins-by-country section of the report's HTML: a bar a country, as the geo database places
 * the week's logins, and the lines on logins it could not place.
 */

import { countryLabel } from '../geo/country-names.ts';
import { clip } from '../mail/clip.ts';
import { capped, type RenderLimits } from '../mail/render-limits.ts';
import { noneThisWeek } from './comparable-weeks.ts';
import { unknownCountryLines } from './health-sentences.ts';
import { BARS_TABLE, barRows } from './html-bars.ts';
import { emptyLine, moreLine, sectionBody, sectionTitle, warnLine } from './html-section.ts';
import { formatCount } from './number-format.ts';
import type { WeeklyReportModel } from './report-model.ts';

/** Sign-ins per country as bars; absent for models archived before the geo columns existed. */
export function countrySection(model: WeeklyReportModel, limits: RenderLimits): string {
  const countries = model.loginsByCountry;
  if (countries === undefined) return '';
  const { shown, more } = capped(countries, limits.countries);
  const unknown = unknownCountryLines(model.health);
  const bars = shown.map((c) => ({
    label: clip(countryLabel(c.country), limits.name),
    value: c.logins,
    extra: { text: formatCount(c.users) },
  }));
  return (
    sectionTitle(
      'Logins by country',
      'countries',
      'Where the geo database places each login; the right-hand column counts users.',
    ) +
    // Whether there were logins is the model's to say: the cap can leave no bar to show.
    sectionBody(
      countries.length === 0
        ? emptyLine(noneThisWeek(model, 'No logins this week.'))
        : (bars.length > 0 ? barRows(bars, ['country', 'logins', 'users']) : '') +
            moreLine(more, 'countries', 4) +
            unknown.map((line) => warnLine(line, 4)).join(''),
      bars.length > 0 ? 'countries' : undefined,
      BARS_TABLE,
    )
  );
}

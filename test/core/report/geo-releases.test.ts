import { describe, expect, it } from 'vitest';
import { GEO_ATTRIBUTION } from '../../../functions/core/geo/country-names.ts';
import { buildReportModel } from '../../../functions/core/report/build-report-model.ts';
import { reportWeek } from '../../../functions/core/report/iso-week.ts';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { renderText } from '../../../functions/core/report/render-text.ts';
import type { WeeklyReportModel } from '../../../functions/core/report/report-model.ts';
import { runOfWeek } from '../../../functions/core/report/report-run.ts';
import { reportSubject } from '../../../functions/core/report/report-subject.ts';
import { ATTRIBUTION_HTML, creditHtml } from '../../support/geo-credit-html.ts';
import { textWords } from '../../support/text-part.ts';
import { CONTRACT_ROWS, FakeEngine, GEO_DB_VERSION } from './fake-engine.ts';
import { sampleModel } from './model-fixture.ts';

// Addresses move between countries and network owners from one geo data release to the next: a
// reader judging a surprising country needs to know which release placed the week's sign-ins.

const MAY = 'dbip-country@2.3.2026050120+asn@2.3.2026051719';
const run = runOfWeek(reportWeek('2026-W47', 'UTC'), Date.parse('2026-11-23T07:00:00Z'));

const modelOf = (countries = CONTRACT_ROWS.logins_by_country) =>
  buildReportModel(new FakeEngine({ ...CONTRACT_ROWS, logins_by_country: countries ?? [] }), {
    instance: 'acme',
    run,
  });

const rendered = (model: WeeklyReportModel) => ({
  text: textWords(renderText(model)),
  html: renderHtml(model, reportSubject(model)),
});

describe('the geo data releases that placed the week', () => {
  it("the model gathers every country row's, once each", async () => {
    expect((await modelOf()).geoDbVersions).toEqual([GEO_DB_VERSION]);
    const mixed = await modelOf([
      { country: 'US', logins: 8, users: 5, geo_db_versions: `${MAY}, ${GEO_DB_VERSION}` },
      { country: 'DE', logins: 1, users: 1, geo_db_versions: GEO_DB_VERSION },
      { country: null, logins: 1, users: 1, geo_db_versions: null },
    ]);
    expect(mixed.geoDbVersions).toEqual([MAY, GEO_DB_VERSION]);
  });

  it('are none when no sign-in was looked up', async () => {
    const model = await modelOf([{ country: null, logins: 3, users: 2, geo_db_versions: null }]);
    expect(model.geoDbVersions).toEqual([]);
  });

  it('both parts date them beside the attribution', () => {
    const { text, html } = rendered(sampleModel({ geoDbVersions: [MAY, GEO_DB_VERSION] }));
    const credit = `Places from geo data released 2026-05-01 and 2026-06-01. ${GEO_ATTRIBUTION}`;
    expect(text).toContain(credit);
    expect(html).toContain(creditHtml(credit));
  });

  it('say nothing when none placed a sign-in, or the model is older than the field', () => {
    for (const model of [sampleModel({ geoDbVersions: [] }), sampleModel({ geoDbVersions: undefined })]) {
      const { text, html } = rendered(model);
      expect(text).toContain(GEO_ATTRIBUTION);
      expect(html).toContain(ATTRIBUTION_HTML);
      expect(text).not.toContain('Places from geo data');
      expect(html).not.toContain('Places from geo data');
    }
  });
});

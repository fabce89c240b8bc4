import { describe, expect, it } from 'vitest';
import { buildReportModel } from '../../../functions/core/report/build-report-model.ts';
import { reportWeek } from '../../../functions/core/report/iso-week.ts';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { renderText } from '../../../functions/core/report/render-text.ts';
import type { WeeklyReportModel } from '../../../functions/core/report/report-model.ts';
import { runOfWeek } from '../../../functions/core/report/report-run.ts';
import { reportSubject } from '../../../functions/core/report/report-subject.ts';
import { textWords } from '../../support/text-part.ts';
import { CONTRACT_ROWS, FakeEngine } from './fake-engine.ts';
import { fullHealth, sampleModel } from './model-fixture.ts';

const UNPLACED =
  '49 of 49 logins (100%) could not be placed (no geo data): the place checks (new country, new network owner, impossible travel) could not judge them; run enrich for the week, then make the report again.';

/** The week of the repro: every login stored while the ingest's geo database was missing. */
const withoutGeo = (overrides: Partial<WeeklyReportModel> = {}) =>
  sampleModel({
    suspiciousLogins: [],
    loginsByCountry: [{ country: null, logins: 49, users: 7 }],
    health: fullHealth({ logins: 49, unplacedLogins: 49 }),
    ...overrides,
  });

describe('a week whose logins could not be placed', () => {
  it('reads the counts from data_health', async () => {
    const engine = new FakeEngine({
      ...CONTRACT_ROWS,
      data_health: [{ ...CONTRACT_ROWS.data_health?.[0], logins: 49, unplaced_logins: 12 }],
    });
    const model = await buildReportModel(engine, {
      instance: 'acme',
      run: runOfWeek(reportWeek('2026-W47', 'UTC'), Date.parse('2026-11-23T07:00:00Z')),
    });
    expect(model.health).toMatchObject({ logins: 49, unplacedLogins: 12 });
  });

  it('says how many logins were not judged instead of a flat "none", in text and HTML', () => {
    const model = withoutGeo();
    const text = textWords(renderText(model));
    expect(text).toContain(`No suspicious logins found, but ${UNPLACED}`);
    expect(text).not.toContain('No suspicious logins this week.');
    expect(text).toContain(
      'Unknown includes 49 logins that could not be placed (no geo data); run enrich for the week.',
    );
    // Too long for the 72 columns of the text part, the value wraps within its column.
    expect(renderText(model)).toContain(
      '\nLogins without geo data     49 of 49 logins (100%): run enrich for the\n                            week\n',
    );
    const html = renderHtml(model, reportSubject(model));
    expect(html).toContain(`No suspicious logins found, but ${UNPLACED}`);
    expect(html).not.toContain('No suspicious logins this week.');
    expect(html).toContain('Unknown includes 49 logins that could not be placed (no geo data)');
    expect(html).toContain('Logins without geo data: 49 of 49 logins (100%): run enrich for the week');
  });

  it('counts them beside the suspicious logins in the subject', () => {
    expect(reportSubject(withoutGeo())).toBe(
      'Domo activity 2026-W47 (acme): 0 suspicious logins (49 logins not placed), 1 lockout, 12,345 events (+8%)',
    );
  });

  it('puts the share beside the findings when some logins were placed and judged', () => {
    const model = withoutGeo({
      suspiciousLogins: sampleModel().suspiciousLogins,
      health: fullHealth({ logins: 190, unplacedLogins: 19 }),
    });
    const share =
      '19 of 190 logins (10%) could not be placed (no geo data): the place checks (new country, new network owner, impossible travel) could not judge them; run enrich for the week, then make the report again.';
    const text = textWords(renderText(model));
    expect(text).toContain(`NOTE: ${share}`);
    expect(text.indexOf(`NOTE: ${share}`)).toBeLessThan(text.indexOf('LOGINS BY COUNTRY'));
    expect(renderHtml(model, reportSubject(model))).toContain(share);
  });

  it('says "no logins" in data health for a week without any, not "0 of 0 logins (0%)"', () => {
    const none = sampleModel({ health: fullHealth({ logins: 0, unplacedLogins: 0 }) });
    expect(renderText(none)).toMatch(/\nLogins without geo data +no logins\n/);
    const html = renderHtml(none, reportSubject(none));
    expect(html).toContain('Logins without geo data: no logins</td>');
    for (const rendered of [renderText(none), html]) expect(rendered).not.toContain('0 of 0 logins');
  });

  it('changes nothing when every login was looked up, nor for a model archived before the count', () => {
    const placed = sampleModel({
      suspiciousLogins: [],
      health: fullHealth({ logins: 190, unplacedLogins: 0 }),
    });
    expect(renderText(placed)).toContain('No suspicious logins this week.');
    expect(renderText(placed)).toMatch(/\nLogins without geo data +0 of 190 logins \(0%\)\n/);
    expect(reportSubject(placed)).toContain(': 0 suspicious logins, ');
    const archived = sampleModel({ suspiciousLogins: [] });
    expect(renderText(archived)).toContain('No suspicious logins this week.');
    for (const rendered of [renderText(archived), renderHtml(archived, reportSubject(archived))]) {
      expect(rendered).not.toMatch(/could not be placed|without geo data/);
    }
  });
});

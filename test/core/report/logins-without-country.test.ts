/**
 * Review R-GEO L1: sign-ins from an address the geo database looked up and could not place (a
 * private, reserved or unknown one) are judged by none of the place checks, like sign-ins without
 * an address; the report said nothing of them, so a week of them read as "3 unusual-hour findings"
 * and a bare "unknown" country. It says so now, in the text and the HTML (docs/report.md).
 */
import { describe, expect, it } from 'vitest';
import { esc } from '../../../functions/core/mail/html-escape.ts';
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

const NOTE =
  '311 of 319 logins (97.5%) came from an address the geo data has no country for (private, reserved or unknown): the place checks (new country, new network owner, impossible travel) could not judge them.';

/** The reviewer's week: 319 sign-ins, 311 from 10.0.0.5 (looked up, no country), 8 without one. */
const week = (overrides: Partial<WeeklyReportModel> = {}) =>
  sampleModel({
    suspiciousLogins: [],
    loginsByCountry: [{ country: null, logins: 319, users: 40 }],
    loginHistory: { users: 0, shortHistoryUsers: 0, minHistoryLogins: 10, historyDays: 30 },
    health: fullHealth({ logins: 319, unplacedLogins: 0, loginsWithoutIp: 8, loginsWithoutCountry: 311 }),
    ...overrides,
  });

const rendered = (model: WeeklyReportModel) => ({
  text: textWords(renderText(model)),
  html: renderHtml(model, reportSubject(model)),
});

describe('logins from an address without a country', () => {
  it('reads the count from data_health', async () => {
    const engine = new FakeEngine({
      ...CONTRACT_ROWS,
      data_health: [{ ...CONTRACT_ROWS.data_health?.[0], logins: 10, logins_without_country: 4 }],
    });
    const model = await buildReportModel(engine, {
      instance: 'acme',
      run: runOfWeek(reportWeek('2026-W47', 'UTC'), Date.parse('2026-11-23T07:00:00Z')),
    });
    expect(model.health).toMatchObject({ logins: 10, loginsWithoutCountry: 4 });
  });

  it('says the place checks could not judge them, what "unknown" holds, and the figure, in text and HTML', () => {
    const { text, html } = rendered(week());
    expect(text).toContain(NOTE);
    expect(html).toContain(esc(NOTE));
    for (const part of [text, html]) {
      expect(part).not.toContain('No suspicious logins this week.');
      expect(part).toContain(
        'Unknown includes 311 logins from an address the geo data has no country for (private, reserved or unknown).',
      );
    }
    expect(text).toContain('Logins without a country 311 of 319 logins (97.5%)');
    expect(html).toContain('Logins without a country: 311 of 319 logins (97.5%)');
  });

  it('changes nothing when there are none, nor for a model archived before the count', () => {
    const none = week({ health: fullHealth({ logins: 319, unplacedLogins: 0, loginsWithoutCountry: 0 }) });
    const archived = sampleModel({ suspiciousLogins: [] });
    for (const model of [none, archived]) {
      const { text, html } = rendered(model);
      for (const part of [text, html])
        expect(part).not.toMatch(/has no country for|address without a country/);
    }
  });
});

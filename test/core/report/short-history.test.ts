import { describe, expect, it } from 'vitest';
import { buildReportModel } from '../../../functions/core/report/build-report-model.ts';
import { reportWeek } from '../../../functions/core/report/iso-week.ts';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { renderText } from '../../../functions/core/report/render-text.ts';
import type { WeeklyReportModel } from '../../../functions/core/report/report-model.ts';
import { runOfWeek } from '../../../functions/core/report/report-run.ts';
import { reportSubject } from '../../../functions/core/report/report-subject.ts';
import { asText, textWords } from '../../support/text-part.ts';
import { CONTRACT_ROWS, FakeEngine } from './fake-engine.ts';
import { fullHealth, sampleModel } from './model-fixture.ts';

const SHORT =
  '39 of 40 users who signed in had too little history (fewer than 10 logins in the 30 days before) to be judged by the new-country, new-network and unusual-hour checks.';

/** The demo lake's second week: one user of 40 had the 10 earlier logins the checks need. */
const young = (overrides: Partial<WeeklyReportModel> = {}) =>
  sampleModel({
    suspiciousLogins: [],
    loginHistory: { users: 40, shortHistoryUsers: 39, minHistoryLogins: 10, historyDays: 30 },
    ...overrides,
  });

const html = (model: WeeklyReportModel) => renderHtml(model, reportSubject(model));

describe('a week whose users had too little history to be judged', () => {
  it('reads the counts from login_history, asked with the history window and bar of the report', async () => {
    const engine = new FakeEngine({
      ...CONTRACT_ROWS,
      login_history: [{ users: 40, short_history_users: 39, short_placed_history_users: 40 }],
    });
    const model = await buildReportModel(engine, {
      instance: 'acme',
      run: runOfWeek(reportWeek('2026-W47', 'UTC'), Date.parse('2026-11-23T07:00:00Z')),
      historyDays: 7,
      minHistoryLogins: 5,
    });
    expect(model.loginHistory).toEqual({
      users: 40,
      shortHistoryUsers: 39,
      shortPlacedHistoryUsers: 40,
      minHistoryLogins: 5,
      historyDays: 7,
    });
    expect(engine.calls.find((c) => c.name === 'login_history')?.params).toEqual({
      instance: 'acme',
      from_dt: '2026-11-16',
      to_dt: '2026-11-22',
      from_ts: '2026-11-16 00:00:00.000',
      to_ts: '2026-11-23 00:00:00.000',
      history_from_dt: '2026-11-09',
      history_from_ts: '2026-11-09 00:00:00.000',
      min_history_logins: '5',
    });
    expect(textWords(renderText(model))).toContain(
      '40 of 40 users who signed in had too little placed history (fewer than 5 logins with a known country in the 7 days before)',
    );
  });

  it('counts users short of placed history apart: not judged by the place checks, by the hour check only', () => {
    // 10 history logins, one without an address: judged for the hour, never for a new country.
    const placeOnly = young({
      loginHistory: {
        users: 40,
        shortHistoryUsers: 0,
        shortPlacedHistoryUsers: 2,
        minHistoryLogins: 10,
        historyDays: 30,
      },
    });
    const placed =
      '2 of 40 users who signed in had too little placed history (fewer than 10 logins with a known country in the 30 days before) to be judged by the new-country and new-network checks.';
    expect(textWords(renderText(placeOnly))).toContain(`No suspicious logins found, but ${placed}`);
    expect(html(placeOnly)).toContain(`No suspicious logins found, but ${placed}</td>`);
    for (const rendered of [renderText(placeOnly), html(placeOnly)]) {
      expect(rendered).not.toContain('No suspicious logins this week.');
      expect(rendered).not.toContain('unusual-hour');
    }
    const both = young({
      loginHistory: {
        users: 40,
        shortHistoryUsers: 1,
        shortPlacedHistoryUsers: 21,
        minHistoryLogins: 10,
        historyDays: 30,
      },
    });
    expect(textWords(renderText(both))).toContain(
      '21 of 40 users who signed in had too little placed history (fewer than 10 logins with a known country in the 30 days before) to be judged by the new-country and new-network checks; 1 of them had fewer than 10 logins of any kind, too few for the unusual-hour check as well.',
    );
    // The subject counts by the place checks' rule: 21 of 40 missed those.
    expect(reportSubject(both)).toContain('0 suspicious logins (21 of 40 users not judged)');
    expect(reportSubject(placeOnly)).not.toContain('not judged');
  });

  it('says how many users were not judged instead of a flat "none", in text and HTML', () => {
    const model = young();
    expect(renderText(model)).toContain(`\n${asText(`No suspicious logins found, but ${SHORT}`)}\n`);
    expect(html(model)).toContain(`No suspicious logins found, but ${SHORT}</td>`);
    for (const rendered of [renderText(model), html(model)]) {
      expect(rendered).not.toContain('No suspicious logins this week.');
    }
  });

  it('puts the line above the findings when there are some', () => {
    const model = young({ suspiciousLogins: sampleModel().suspiciousLogins });
    const text = renderText(model);
    expect(text).toContain(`\n${asText(`NOTE: ${SHORT}`)}\n`);
    expect(text.indexOf(asText(`NOTE: ${SHORT}`))).toBeLessThan(
      text.indexOf('unusual hour', text.indexOf('SUSPICIOUS LOGINS')),
    );
    const rendered = html(model);
    expect(rendered).toContain(`><b>Note:</b> ${SHORT}</td>`);
    expect(rendered.indexOf(SHORT)).toBeLessThan(rendered.indexOf('unusual hour</span>'));
    expect(rendered).not.toContain('No suspicious logins found');
  });

  it('gives both reasons when logins could not be placed either, the first after "but"', () => {
    const model = young({ health: fullHealth({ logins: 49, unplacedLogins: 49 }) });
    const unplaced =
      '49 of 49 logins (100%) could not be placed (no geo data): the place checks (new country, new network owner, impossible travel) could not judge them; run enrich for the week, then make the report again.';
    // Each reason a paragraph of its own, the second right under the first.
    expect(renderText(model)).toContain(
      `\n${asText(`No suspicious logins found, but ${unplaced}`)}\n${asText(`NOTE: ${SHORT}`)}\n`,
    );
    expect(html(model)).toContain(
      'No suspicious logins found, but 49 of 49 logins (100%) could not be placed',
    );
    expect(html(model)).toContain(`><b>Note:</b> ${SHORT}</td>`);
  });

  it("states the history the checks used in the section's caption, 30 days for a model archived before", () => {
    const model = young({
      loginHistory: { users: 40, shortHistoryUsers: 2, minHistoryLogins: 10, historyDays: 14 },
    });
    expect(html(model)).toContain('the user had not used in the previous 14 days');
    expect(html(sampleModel({ suspiciousLogins: [] }))).toContain(
      'the user had not used in the previous 30 days',
    );
  });

  it('words one user and one login in the singular', () => {
    const model = young({
      loginHistory: { users: 1, shortHistoryUsers: 1, minHistoryLogins: 1, historyDays: 1 },
    });
    expect(textWords(renderText(model))).toContain(
      'No suspicious logins found, but 1 of 1 user who signed in had too little history (fewer than 1 login in the 1 day before)',
    );
  });

  it('changes nothing when every user had the history, nor for a model archived before the count', () => {
    const judged = young({
      loginHistory: { users: 40, shortHistoryUsers: 0, minHistoryLogins: 10, historyDays: 30 },
    });
    const archived = sampleModel({ suspiciousLogins: [] });
    for (const model of [judged, archived]) {
      for (const rendered of [renderText(model), html(model)]) {
        expect(rendered).toContain('No suspicious logins this week.');
        expect(rendered).not.toContain('too little history');
      }
    }
  });
});

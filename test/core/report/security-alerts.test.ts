import { describe, expect, it } from 'vitest';
import { esc } from '../../../functions/core/mail/html-escape.ts';
import { DEFAULT_ALERT_SETTINGS } from '../../../functions/core/queries/alert-settings.ts';
import { type AlertJudging, buildReportModel } from '../../../functions/core/report/build-report-model.ts';
import { reportWeek } from '../../../functions/core/report/iso-week.ts';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { renderText } from '../../../functions/core/report/render-text.ts';
import type { WeeklyReportModel } from '../../../functions/core/report/report-model.ts';
import { runOfWeek } from '../../../functions/core/report/report-run.ts';
import { reportSubject } from '../../../functions/core/report/report-subject.ts';
import { asText, textWords } from '../../support/text-part.ts';
import { CONTRACT_ROWS, FakeEngine } from './fake-engine.ts';
import { fullHealth, sampleModel } from './model-fixture.ts';

const SENTENCE =
  "Security alerts judge each hour against the 30 days before that hour, not the week against the 30 days before the week, so they can list logins this report does not, or the reverse: see the alert messages, or run the suspicious_logins query over the alert's hour.";

const html = (model: WeeklyReportModel) => renderHtml(model, reportSubject(model));

/** The suspicious-logins section of each rendering: from its heading to the next section's. */
const section = (rendered: string, start: string) =>
  rendered.slice(rendered.indexOf(start), rendered.indexOf('Logins by country', rendered.indexOf(start)));

const build = (options: {
  alertsEnabled?: boolean;
  historyDays?: number;
  minHistoryLogins?: number;
  alertJudging?: Partial<AlertJudging>;
}) =>
  buildReportModel(new FakeEngine(CONTRACT_ROWS), {
    instance: 'acme',
    run: runOfWeek(reportWeek('2026-W47', 'UTC'), Date.parse('2026-11-23T07:00:00Z')),
    ...options,
  });

describe('the report of an instance whose security alerts are enabled', () => {
  it("records the report's history and the alerts' own, each for its half, and says so in both parts", async () => {
    // The report's query runs with 7 days; the alerts keep their setting, whatever the report's is.
    const model = await build({ alertsEnabled: true, historyDays: 7 });
    expect(model.securityAlerts).toEqual({
      historyDays: 7,
      alertHistoryDays: DEFAULT_ALERT_SETTINGS.historyDays,
    });
    const sentence = SENTENCE.replace(
      'the 30 days before that hour',
      `the ${DEFAULT_ALERT_SETTINGS.historyDays} days before that hour`,
    ).replace('the 30 days before the week', 'the 7 days before the week');
    expect(renderText(model)).toContain(`\n\n${asText(sentence)}\n`);
    expect(html(model)).toContain(`>${esc(sentence)}</td>`);
  });

  it("says the alerts' history for the hour and the report's for the week, not one for both", () => {
    const model = sampleModel({ securityAlerts: { historyDays: 7, alertHistoryDays: 45 } });
    const sentence = SENTENCE.replace('the 30 days before that hour', 'the 45 days before that hour').replace(
      'the 30 days before the week',
      'the 7 days before the week',
    );
    expect(textWords(renderText(model))).toContain(sentence);
    expect(html(model)).toContain(esc(sentence));
  });

  it("says the one recorded history for both halves in a model archived before the alerts' was", () => {
    const model = sampleModel({ securityAlerts: { historyDays: 7 } });
    const sentence = SENTENCE.replaceAll('30 days', '7 days');
    expect(textWords(renderText(model))).toContain(sentence);
    expect(html(model)).toContain(esc(sentence));
  });

  it('puts the sentence under the findings, inside the suspicious-logins section', () => {
    const model = sampleModel({ securityAlerts: { historyDays: 30 } });
    const text = textWords(section(renderText(model), 'SUSPICIOUS LOGINS'));
    expect(text).toContain(SENTENCE);
    expect(text.indexOf(SENTENCE)).toBeGreaterThan(text.indexOf('0 of 42 logins'));
    const page = section(html(model), 'Suspicious logins (');
    expect(page).toContain(esc(SENTENCE));
    expect(page.indexOf(esc(SENTENCE))).toBeGreaterThan(page.indexOf('0 of 42 logins'));
  });

  it('keeps it under "No suspicious logins this week.", where it matters most', () => {
    const model = sampleModel({ suspiciousLogins: [], securityAlerts: { historyDays: 30 } });
    expect(renderText(model)).toContain(`\nNo suspicious logins this week.\n\n${asText(SENTENCE)}\n`);
    const page = section(html(model), 'Suspicious logins (');
    expect(page.indexOf(esc(SENTENCE))).toBeGreaterThan(page.indexOf('No suspicious logins this week.'));
  });

  it('leaves it out under "No data for this week.": the alerts read the same empty lake', () => {
    const empty = sampleModel({
      status: 'empty',
      health: fullHealth({ coveredHours: 0, coveragePct: 0, events: 0, logins: 0 }),
      suspiciousLogins: [],
      securityAlerts: { historyDays: 30 },
    });
    const text = section(renderText(empty), 'SUSPICIOUS LOGINS');
    expect(text).toContain('No data for this week.');
    expect(text).not.toContain('Security alerts');
    const page = section(html(empty), 'Suspicious logins (');
    expect(page).toContain('No data for this week.');
    expect(page).not.toContain('Security alerts');
  });

  it('words a history of one day in the singular', () => {
    const model = sampleModel({ securityAlerts: { historyDays: 1 } });
    expect(textWords(renderText(model))).toContain(
      'Security alerts judge each hour against the 1 day before that hour, not the week against the 1 day before the week,',
    );
  });
});

// The note said 30 days for the alerts whatever alerts.historyDays the stack gave them.
describe('the report of an instance whose alerts judge sign-ins by settings of their own', () => {
  const JUDGING_SENTENCE =
    "They also need 5 logins of history before a user's new country, network owner or hour counts (this report: 10), and call a journey faster than 800 km/h impossible (this report: 1,000 km/h).";

  it("states the alerts' history as set, and nothing more when the rest is the report's", async () => {
    const model = await build({ alertsEnabled: true, alertJudging: { historyDays: 60 } });
    expect(model.securityAlerts).toEqual({ historyDays: 30, alertHistoryDays: 60 });
    const sentence = SENTENCE.replace('the 30 days before that hour', 'the 60 days before that hour');
    expect(renderText(model)).toContain(`\n\n${asText(sentence)}\n`);
    expect(html(model)).toContain(`>${esc(sentence)}</td>`);
  });

  it("states the alerts' history sign-ins and speed where they differ from the report's, in both parts", async () => {
    const model = await build({
      alertsEnabled: true,
      alertJudging: { historyDays: 30, minHistoryLogins: 5, maxSpeedKmh: 800 },
    });
    expect(model.securityAlerts).toEqual({
      historyDays: 30,
      alertHistoryDays: 30,
      minHistoryLogins: { alerts: 5, report: 10 },
      maxSpeedKmh: { alerts: 800, report: 1000 },
    });
    const sentence = `${SENTENCE} ${JUDGING_SENTENCE}`;
    expect(renderText(model)).toContain(`\n\n${asText(sentence)}\n`);
    expect(html(model)).toContain(`>${esc(sentence)}</td>`);
  });

  it("compares with the report's own settings, not the defaults: the same value is not stated", async () => {
    const model = await build({
      alertsEnabled: true,
      minHistoryLogins: 5,
      alertJudging: { minHistoryLogins: 5, maxSpeedKmh: 2000 },
    });
    expect(model.securityAlerts).toEqual({
      historyDays: 30,
      alertHistoryDays: 30,
      maxSpeedKmh: { alerts: 2000, report: 1000 },
    });
    expect(textWords(renderText(model))).toContain(
      `${SENTENCE} They also call a journey faster than 2,000 km/h impossible (this report: 1,000 km/h).`,
    );
  });

  it('words one history sign-in in the singular', () => {
    const model = sampleModel({
      securityAlerts: { historyDays: 30, minHistoryLogins: { alerts: 1, report: 10 } },
    });
    expect(textWords(renderText(model))).toContain(
      `${SENTENCE} They also need 1 login of history before a user's new country, network owner or hour counts (this report: 10).`,
    );
  });
});

describe('the report of an instance without security alerts', () => {
  it('records none and says nothing of them, nor for a model archived before they were recorded', async () => {
    const model = await build({});
    expect(model).not.toHaveProperty('securityAlerts');
    const off = await build({ alertsEnabled: false });
    expect(off).not.toHaveProperty('securityAlerts');
    for (const m of [model, off, sampleModel()]) {
      for (const rendered of [renderText(m), html(m)]) expect(rendered).not.toContain('Security alerts');
    }
  });
});

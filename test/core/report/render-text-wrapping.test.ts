/**
 * The text part's sentences wrap at 72 columns: a mail client shows text/plain as it is, and the
 * security alerts' sentence alone was one line of 263 columns. Every sentence must still read
 * whole once its lines are joined, and the tables must keep their columns.
 */
import { describe, expect, it } from 'vitest';
import { displayWidth } from '../../../functions/core/display-width.ts';
import { GEO_ATTRIBUTION } from '../../../functions/core/geo/country-names.ts';
import { forMail, unlinked } from '../../../functions/core/mail/mail-links.ts';
import { RENDER_LIMITS } from '../../../functions/core/mail/render-limits.ts';
import { TEXT_WIDTH } from '../../../functions/core/mail/text-width.ts';
import { noChangesSentence } from '../../../functions/core/report/comparable-weeks.ts';
import { suspiciousCaveats, unplacedCountryLine } from '../../../functions/core/report/health-sentences.ts';
import { reportWeek } from '../../../functions/core/report/iso-week.ts';
import { renderText } from '../../../functions/core/report/render-text.ts';
import type { WeeklyReportModel } from '../../../functions/core/report/report-model.ts';
import { runOfWeek } from '../../../functions/core/report/report-run.ts';
import { securityAlertsSentence } from '../../../functions/core/report/security-alerts-note.ts';
import { placeLabel } from '../../../functions/core/report/suspicious-labels.ts';
import { describeWeekStatus } from '../../../functions/core/report/week-notes.ts';
import { textWords } from '../../support/text-part.ts';
import { fullHealth, sampleModel } from './model-fixture.ts';

const LONG_LINK = `https://example.org/domo/${'a-long-path-segment/'.repeat(4)}login`;

/** A week with every sentence the text part can hold: the notes, both caveats, the alerts' note. */
function everySentence(): WeeklyReportModel {
  const week = reportWeek('2026-W47', 'UTC');
  const health = fullHealth({
    coveredHours: 150,
    coveragePct: 89.3,
    gapCount: 2,
    firstMissingHour: '2026-11-18 04:00:00.000',
    shortHours: 2,
    shortEvents: 40,
    logins: 190,
    unplacedLogins: 19,
  });
  const previousHealth = fullHealth({ coveredHours: 120, coveragePct: 71.4 });
  const [finding] = sampleModel().suspiciousLogins;
  if (!finding) throw new Error('the sample model has a suspicious login');
  return sampleModel({
    status: 'partial',
    notes: describeWeekStatus({
      run: runOfWeek(week, week.endMs + 3_600_000),
      status: 'partial',
      health,
      previousHealth,
      activeUsers: 40,
    }),
    health,
    previousHealth,
    loginHistory: { users: 40, shortHistoryUsers: 3, minHistoryLogins: 10, historyDays: 30 },
    securityAlerts: { historyDays: 30, alertHistoryDays: 30 },
    suspiciousLogins: [
      finding,
      {
        ...finding,
        reason: 'impossible_travel',
        org: 'Deutsche Telekom AG, a network owner with a long registered name',
        evidence: `US to DE: 7,200 km in 35 min, see ${LONG_LINK}`,
      },
      finding,
    ],
  });
}

/** Every sentence of the text part, as one line each (the NOTE: before the notes and caveats). */
function sentencesOf(model: WeeklyReportModel): string[] {
  const optional = [
    noChangesSentence(model),
    securityAlertsSentence(model),
    unplacedCountryLine(model.health),
  ];
  return [
    ...model.notes.map((note) => `NOTE: ${note}`),
    ...suspiciousCaveats(model).map((caveat) => `NOTE: ${caveat}`),
    ...optional.filter((sentence): sentence is string => sentence !== undefined),
    ...model.suspiciousLogins.slice(0, 2).flatMap((s) => [placeLabel(s), s.evidence ?? '']),
    "and 1 more finding (all of them are in the report's archive, reports/instance=acme/2026-W47.json)",
    'Generated Mon 23 Nov 07:00 (UTC) by domo-activity-lake',
    GEO_ATTRIBUTION,
  ];
}

describe('the text part of a full report', () => {
  const model = everySentence();
  const text = renderText(model, { ...RENDER_LIMITS, suspiciousLogins: 2 });
  const lines = text.split('\n');
  // The mail defangs the evidence's link (mail-links.ts): its sentence reads as the mail shows it.
  const sentences = sentencesOf(forMail(model));

  it('needs wrapping: some of its sentences are far wider than 72 columns', () => {
    expect(sentences.length).toBeGreaterThan(10);
    expect(Math.max(...sentences.map(displayWidth))).toBeGreaterThan(200);
  });

  it('has no line wider than 72 columns but one holding a single word or URL', () => {
    const wide = lines.filter((line) => displayWidth(line) > TEXT_WIDTH);
    expect(wide).toEqual([`    ${unlinked(LONG_LINK)}`]);
  });

  it('says every sentence whole once its lines are joined, and keeps the tables in columns', () => {
    // Joined, the lines hold each sentence word for word: none was cut inside a word or a URL.
    const words = textWords(text);
    for (const sentence of sentences) expect(words).toContain(textWords(sentence));
    // The tables: the totals, the days with their figures, the data health.
    expect(lines).toContainEqual(expect.stringMatching(/^Events +12,345 {4}11,431$/));
    expect(lines).toContainEqual(expect.stringMatching(/^Mon 16 Nov {2}2,500 {2}35 users$/));
    expect(lines).toContain('Quarantined entries         2');
  });

  it('hangs the rest of a NOTE under its text, of an evidence under its indent, of a value in its column', () => {
    const note = lines.findIndex((line) => line.startsWith('NOTE: Only 150 of 168 hours'));
    expect(lines[note + 1]).toMatch(/^ {6}\S/);
    const evidence = lines.findIndex((line) => line.startsWith('    US to DE: 7,200 km'));
    expect(lines[evidence + 1]).toMatch(/^ {4}\S/);
    const health = lines.findIndex((line) => line.startsWith('Logins without geo data'));
    expect(lines.slice(health, health + 2)).toEqual([
      'Logins without geo data     19 of 190 logins (10%): run enrich for the',
      '                            week',
    ]);
    // The alerts' sentence is a paragraph: its lines start at the margin.
    const alerts = lines.findIndex((line) => line.startsWith('Security alerts judge each hour'));
    expect(lines[alerts + 1]).toMatch(/^\S/);
    expect(textWords(lines.slice(alerts, alerts + 4).join(' '))).toContain(
      "run the suspicious_logins query over the alert's hour.",
    );
  });
});

/**
 * The mail named users by display name alone (an id only for namesakes or a name cut short), so an
 * investigator could not go from it to `user_activity`, which takes the id, and two users of one
 * name read as one (review R-INVEST L1). Every user row now ends with the user's Domo id.
 */
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../../functions/core/report/render-report.ts';
import type { WeeklyReportModel } from '../../../functions/core/report/report-model.ts';
import { sampleModel } from './model-fixture.ts';

const HEBREW = '\u05e9\u05e8\u05d4 \u05db\u05d4\u05df';

function investigated(): WeeklyReportModel {
  const base = sampleModel();
  const [login] = base.suspiciousLogins;
  const [failed] = base.failedLogins;
  const [top] = base.topUsers;
  if (!login || !failed || !top) throw new Error('the fixture lists a user in each');
  return {
    ...base,
    suspiciousLogins: [{ ...login, userId: '1670010276', userName: 'Wei Tanaka' }],
    failedLogins: [{ ...failed, userId: '1218445954', userName: 'Jamal Petrov' }],
    topUsers: [
      { ...top, userId: '1931247587', userName: 'Amara Petrov' },
      { ...top, userId: '1500000001', userName: HEBREW },
    ],
  };
}

describe('every user the mail names comes with their Domo id', () => {
  const { html, text } = renderReport(investigated());

  it('in the HTML: suspicious logins, failed logins and most active users', () => {
    expect(html).toContain('Wei Tanaka (1670010276)');
    expect(html).toMatch(/>Jamal Petrov \(1218445954\)</);
    expect(html).toMatch(/>Amara Petrov \(1931247587\)</);
  });

  it('in the text part', () => {
    expect(text).toMatch(/\d\d:\d\d {2}Wei Tanaka \(1670010276\) {2}unusual hour/);
    expect(text).toMatch(/\nJamal Petrov \(1218445954\) +8 /);
    expect(text).toMatch(/\nAmara Petrov \(1931247587\) +900 /);
  });

  it('a right-to-left name keeps its id after it: a left-to-right mark ends the name', () => {
    expect(html).toContain(`>${HEBREW}&lrm; (1500000001)<`);
    expect(text).toContain(`\n\u200e${HEBREW}\u200e (1500000001)\u200e `);
  });

  it('cards and pages keep their names alone', () => {
    expect(html).toMatch(/>Revenue by Region</);
    expect(text).toMatch(/\nSales Overview +400 /);
  });
});

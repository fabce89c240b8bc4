import { describe, expect, it } from 'vitest';
import { renderReport } from '../../../functions/core/report/render-report.ts';
import type { WeeklyReportModel } from '../../../functions/core/report/report-model.ts';
import { sampleModel } from './model-fixture.ts';

/**
 * RFC 5322 caps a line of a message at 998 octets. The file mailer quoted-prints the HTML, but SES
 * builds the MIME of Simple content itself and need not re-encode it, so the HTML keeps its own
 * lines short: a newline between table rows and cells, and inside a row before each part that can
 * hold a clipped, escaped Domo string.
 */
const RFC_5322_LINE_OCTETS = 998;

/** Every Domo string `ch` repeated past any clip length, in full lists whose rows all differ a little. */
function heavyModel(ch: string, rows: number): WeeklyReportModel {
  const base = sampleModel();
  const heavy = (i: number) => `${ch.repeat(600)}${i}`;
  const failed = base.failedLogins[0];
  const suspicious = base.suspiciousLogins[0];
  if (!failed || !suspicious) throw new Error('the fixture has a failed and a suspicious login');
  return {
    ...base,
    // Notes are the report's own sentences (no Domo string), the longest about 450 characters.
    notes: ['A sentence of the report about the week. '.repeat(12), 'Another one, as long. '.repeat(22)],
    topUsers: Array.from({ length: rows }, (_, i) => ({
      ...(base.topUsers[0] as WeeklyReportModel['topUsers'][0]),
      userId: heavy(i),
      userName: heavy(i),
    })),
    topCards: Array.from({ length: rows }, (_, i) => ({
      cardId: heavy(i),
      cardName: heavy(i),
      views: 3,
      previousViews: 1,
      change: 2,
      changePct: 200,
    })),
    topPages: Array.from({ length: rows }, (_, i) => ({
      pageId: heavy(i),
      pageName: heavy(i),
      views: 3,
      viewers: 1,
    })),
    loginsByCountry: Array.from({ length: rows }, (_, i) => ({ country: heavy(i), logins: 3, users: 1 })),
    suspiciousLogins: Array.from({ length: rows }, (_, i) => ({
      ...suspicious,
      userId: heavy(i),
      userName: heavy(i),
      reason: heavy(i),
      ipAddress: heavy(i),
      country: heavy(i),
      asn: 64512,
      org: heavy(i),
      network: heavy(i),
      evidence: heavy(i),
    })),
    failedLogins: Array.from({ length: rows }, (_, i) => ({
      ...failed,
      userId: heavy(i),
      userName: heavy(i),
      lastLockout: '2026-11-18 09:06:30.000',
      lastFailure: i % 2 ? '2026-11-20 22:59:00.000' : heavy(i),
    })),
  };
}

const longestLine = (text: string) =>
  Math.max(...text.split(/\r?\n/).map((line) => Buffer.byteLength(line, 'utf8')));

describe('the lines of the mail', () => {
  for (const ch of ['"', '&', "'", '<', 'é', '😀', 'x']) {
    it(`stay within RFC 5322's 998 octets for Domo strings of ${JSON.stringify(ch)}`, () => {
      const { html, text } = renderReport(heavyModel(ch, 20));
      expect(longestLine(html)).toBeLessThanOrEqual(RFC_5322_LINE_OCTETS);
      expect(longestLine(text)).toBeLessThanOrEqual(RFC_5322_LINE_OCTETS);
    });
  }
});

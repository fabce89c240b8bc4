import { describe, expect, it } from 'vitest';
import { localDigFurther } from '../../../functions/cli/commands/alerts.ts';
import { digQuery, IN_ATHENA, inAthena } from '../../../functions/core/alerts/dig-further.ts';
import { renderAlertMessage } from '../../../functions/core/alerts/render-alerts.ts';
import { archivedAlerts } from '../../../functions/core/alerts/unlisted-alerts.ts';
import { renderReport } from '../../../functions/core/report/render-report.ts';
import type { WeeklyReportModel } from '../../../functions/core/report/report-model.ts';
import { alertOf } from '../alerts/support/alert-fixtures.ts';
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
    loginsAfterFailures: Array.from({ length: rows }, (_, i) => ({
      eventTime: heavy(i),
      userId: heavy(i),
      userName: heavy(i),
      ipAddress: heavy(i),
      failedAttempts: 6,
      lockouts: 1,
      firstFailure: heavy(i),
      lastFailure: heavy(i),
      fromFailingIp: true,
      userRows: 2,
    })),
    loginsAfterFailuresTotal: rows,
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

/**
 * The alerts mail too: its query lists every alerted user, and a catch-up of 2,000 users wrote them
 * on one line of 44,019 octets (each `'` is `&#39;` in the HTML); an alert's row with hostile
 * names was 1,695. Alerts of 10-digit ids (about 45 make one list 998 octets), and of ids and names
 * of `ch` past any clip, as the deployed function, the CLI over S3 and over a lake on disk (a
 * shell command line, where a quote is `'\''`) write the query.
 */
describe('the lines of the alerts mail', () => {
  const NOW = Date.parse('2026-11-18T15:00:00Z');
  const digs = {
    athena: inAthena({ database: 'domo_activity', workGroup: 'domo-activity' }),
    s3: IN_ATHENA,
    disk: localDigFurther('/srv/lake'),
  };
  const alerts = (users: number, id: (i: number) => string, name: (i: number) => string, older: boolean) =>
    Array.from({ length: users }, (_, i) =>
      alertOf({
        id: `${i}`.padStart(32, '0'),
        instance: 'acme',
        user_id: id(i),
        user_name: name(i),
        event_time_ms: NOW - (older ? 30 : 1) * 3_600_000 - i * 1000,
        evidence: `${'"'.repeat(600)}${i}`,
        ip_address: `${'&'.repeat(600)}${i}`,
      }),
    );
  const cases = [
    ...[45, 50, 2000].map((users) => ({
      what: `${users} users of 10-digit ids`,
      alerts: alerts(
        users,
        (i) => `${1_000_000_000 + i}`,
        (i) => `User ${i}`,
        users > 50,
      ),
    })),
    // Past any clip, and for 2,000 users shorter: the lists are as long, the test ten times faster.
    ...['"', '&', "'", '😀'].flatMap((ch) =>
      [45, 50, 2000].map((users) => {
        const long = (i: number) => `${ch.repeat(users > 50 ? 30 : 600)}${i}`;
        return {
          what: `${users} users of ids and names of ${JSON.stringify(ch)}`,
          alerts: alerts(users, long, long, users > 50),
        };
      }),
    ),
  ];
  for (const { what, alerts: given } of cases) {
    it(`stay within RFC 5322's 998 octets for ${what}`, () => {
      for (const digFurther of Object.values(digs)) {
        const options = { instance: 'acme', timeZone: 'UTC', nowMs: NOW, mailOlderThanHours: 24, digFurther };
        const { html, text } = renderAlertMessage(given, options);
        expect(longestLine(html)).toBeLessThanOrEqual(RFC_5322_LINE_OCTETS);
        expect(longestLine(text)).toBeLessThanOrEqual(RFC_5322_LINE_OCTETS);
      }
    });
  }

  it("stay within RFC 5322's 998 octets sent late, after refusals and messages of unknown outcome", () => {
    const given = alerts(
      3,
      (i) => `${1_000_000_000 + i}`,
      (i) => `User ${i}`,
      true,
    );
    // The most a notice names one by one: three messages, ten alerts of seven kinds between them.
    const notice = (k: number, ids: number) => ({
      at: new Date(NOW - (10 - k) * 3_600_000).toISOString(),
      alert_ids: Array.from({ length: ids }, (_, i) => `${k}${i}`.padStart(32, 'f')),
      kinds: { lockout: 1, failed_login_burst: 1, password_spray: 1, impossible_travel: 1, new_country: 1 },
      oldest_ms: NOW - 400 * 3_600_000,
      newest_ms: NOW - 3_600_000,
    });
    for (const digFurther of Object.values(digs)) {
      for (const unlisted of [
        archivedAlerts({ database: 'domo_activity', workGroup: 'domo-activity' }),
        undefined,
      ]) {
        const { html, text } = renderAlertMessage(given, {
          instance: 'acme',
          timeZone: 'America/New_York',
          nowMs: NOW,
          mailOlderThanHours: 72,
          digFurther,
          ...(unlisted ? { unlisted } : {}),
          channelRefused: { refusals: 1234, lastError: "'".repeat(2000), oldestMs: 0 },
          unknownNotices: [notice(1, 4), notice(2, 3), notice(3, 3)],
        });
        expect(html).toContain('may not have arrived');
        expect(longestLine(html)).toBeLessThanOrEqual(RFC_5322_LINE_OCTETS);
        expect(longestLine(text)).toBeLessThanOrEqual(RFC_5322_LINE_OCTETS);
      }
    }
  });

  it('list the users of the query at most four to a line, within the mail column of ~78 characters', () => {
    const given = alerts(
      50,
      (i) => `${1_000_000_000 + i}`,
      (i) => `User ${i}`,
      false,
    );
    const query = digQuery('acme', given);
    const ids = query.split('\n').map((line) => line.match(/'\d{10}'/g)?.length ?? 0);
    expect(Math.max(...ids)).toBe(4);
    expect(ids.reduce((a, b) => a + b)).toBe(50);
    for (const line of query.split('\n').filter((l) => l.includes("'1")))
      expect(line.length).toBeLessThanOrEqual(78);
  });
});

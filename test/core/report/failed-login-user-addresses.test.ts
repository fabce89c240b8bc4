/**
 * R-USER: the spray block ("IP 3.78.72.49 … 14 users") ran straight into the users' table, whose
 * first row, a lockout from another address, read as part of the spray, and that address was
 * nowhere in the report. The section now heads both parts and names each user's addresses.
 */
import { describe, expect, it } from 'vitest';
import { buildReportModel } from '../../../functions/core/report/build-report-model.ts';
import { reportWeek } from '../../../functions/core/report/iso-week.ts';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { renderText } from '../../../functions/core/report/render-text.ts';
import type { FailedLoginUser, WeeklyReportModel } from '../../../functions/core/report/report-model.ts';
import { runOfWeek } from '../../../functions/core/report/report-run.ts';
import { FakeEngine } from './fake-engine.ts';
import { sampleModel } from './model-fixture.ts';

const user = (over: Partial<FailedLoginUser>): FailedLoginUser => ({
  userId: '1',
  userName: 'Sam Hopper',
  failedAttempts: 7,
  lockouts: 1,
  distinctIps: 1,
  ipAddresses: ['3.76.228.63'],
  firstFailure: '2026-11-19 11:50:00.000',
  lastFailure: '2026-11-19 11:58:00.000',
  lastLockout: '2026-11-19 11:59:00.000',
  ...over,
});

function sprayWeek(): WeeklyReportModel {
  return sampleModel({
    failedLoginAddresses: [
      {
        ipAddress: '3.78.72.49',
        users: 14,
        failedAttempts: 18,
        firstFailure: '2026-11-20 01:10:00.000',
        lastFailure: '2026-11-20 01:13:00.000',
        country: 'DE',
        asn: 16509,
        org: 'Amazon.com, Inc.',
      },
    ],
    failedLoginAddressCount: 1,
    failedLogins: [
      user({}),
      user({
        userId: '2',
        userName: 'Wei Euler',
        failedAttempts: 2,
        lockouts: 0,
        ipAddresses: ['3.78.72.49'],
        lastLockout: null,
      }),
      user({
        userId: '3',
        userName: 'Ada Ito',
        failedAttempts: 6,
        lockouts: 0,
        distinctIps: 5,
        ipAddresses: ['1.1.1.1', '2.2.2.2', '3.78.72.49'],
        lastLockout: null,
      }),
    ],
    failedLoginUsers: 3,
  });
}

describe("the failed-logins section's addresses and users", () => {
  it('reads the first addresses of each user from the query into the model', async () => {
    const week = reportWeek('2026-W47', 'UTC');
    const model = await buildReportModel(new FakeEngine(), {
      instance: 'acme',
      run: runOfWeek(week, Date.parse('2026-11-23T07:00:00Z')),
    });
    expect(model.failedLogins[0]?.ipAddresses).toEqual(['203.0.113.77']);
  });

  it('text: a heading over the addresses and over the users, each user with its addresses', () => {
    const text = renderText(sprayWeek());
    const section = text.slice(text.indexOf('By address\n'), text.indexOf('MOST ACTIVE USERS'));
    expect(section).toMatch(/^By address\nAddresses that failed to sign in for 5 or more users/);
    expect(section).toMatch(
      /\n\nBy user\nEach user's failed logins and lockouts this week, and the addresses/,
    );
    expect(section).toMatch(
      /\nSam Hopper \(1\) +7 +1 +1 +locked Thu 19 Nov 11:59\n {2}from IP 3\.76\.228\.63\n/,
    );
    expect(section).toMatch(/\nWei Euler .*\n {2}from IP 3\.78\.72\.49\n/);
    expect(section).toMatch(/\nAda Ito .*\n {2}from IPs 1\.1\.1\.1, 2\.2\.2\.2, 3\.78\.72\.49 and 2 more\n/);
  });

  it('HTML: the same headings, and the addresses under each name, at phone and desktop widths alike', () => {
    const html = renderHtml(sprayWeek(), 'subject');
    const byAddress = html.indexOf('>By address</h3>');
    const byUser = html.indexOf('>By user</h3>');
    expect(byAddress).toBeGreaterThan(0);
    expect(byUser).toBeGreaterThan(html.indexOf('IP 3.78.72.49'));
    expect(byUser).toBeLessThan(html.indexOf('Sam Hopper (1)<br>'));
    expect(html).toMatch(
      /Sam Hopper \(1\)<br><span style="font-size:12px;color:[^"]+">from IP 3\.76\.228\.63<\/span>/,
    );
    expect(html).toContain('from IPs 1.1.1.1, 2.2.2.2, 3.78.72.49 and 2 more</span>');
  });

  it('no headings without addresses above the users, and no line for a model archived before them', () => {
    const model = sampleModel();
    const text = renderText(model);
    expect(text).not.toContain('By user');
    expect(renderHtml(model, 'subject')).not.toContain('By user');
    expect(text).not.toMatch(/from IPs? /);
  });
});

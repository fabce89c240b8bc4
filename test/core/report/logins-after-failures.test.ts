/**
 * The report's sign-ins after failed logins (login_after_failures.sql): a user signing in right
 * after a run of their failures or a lockout, the alerts' `login_after_failures` over the week. The
 * query was in the catalog and the mail had no word of it.
 */
import { describe, expect, it } from 'vitest';
import { encodedBytes, HTML_BUDGET_BYTES } from '../../../functions/core/mail/render-limits.ts';
import { buildReportModel, REPORT_QUERY_COUNT } from '../../../functions/core/report/build-report-model.ts';
import { reportWeek } from '../../../functions/core/report/iso-week.ts';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { renderReport } from '../../../functions/core/report/render-report.ts';
import { renderText } from '../../../functions/core/report/render-text.ts';
import {
  LOGIN_AFTER_FAILURES_ROWS,
  type LoginAfterFailures,
  type WeeklyReportModel,
} from '../../../functions/core/report/report-model.ts';
import { runOfWeek } from '../../../functions/core/report/report-run.ts';
import { reportSubject } from '../../../functions/core/report/report-subject.ts';
import { weekSummary } from '../../../functions/core/report/week-summary.ts';
import { CONTRACT_ROWS, FakeEngine } from './fake-engine.ts';
import { hostile, hostileEscaped, sampleModel, signInAfterFailures } from './model-fixture.ts';

const guessed = signInAfterFailures;

const withRows = (rows: LoginAfterFailures[], total = rows.length): WeeklyReportModel => ({
  ...sampleModel(),
  loginsAfterFailures: rows,
  loginsAfterFailuresTotal: total,
});

const run = runOfWeek(reportWeek('2026-W47', 'UTC'), Date.parse('2026-11-23T07:00:00Z'));

describe('sign-ins after failed logins in the weekly report', () => {
  it('are read from login_after_failures with the alerts threshold and the hour before the week', async () => {
    const engine = new FakeEngine({
      ...CONTRACT_ROWS,
      login_after_failures: [
        {
          event_time: '2026-11-18 09:06:00.000',
          user_id: '1039710626',
          user_name: 'Wei Euler',
          ip_address: '198.51.100.9',
          failed_attempts: 6,
          lockouts: 1,
          first_failure: '2026-11-18 09:00:00.000',
          last_failure: '2026-11-18 09:05:00.000',
          // Athena's boolean, as text.
          from_failing_ip: 'true',
          event_id: 'e1',
          user_rows: 1,
          total_rows: 3,
        },
      ],
    });
    const model = await buildReportModel(engine, { instance: 'acme', run });
    expect(model.loginsAfterFailures).toEqual([guessed]);
    expect(model.loginsAfterFailuresTotal).toBe(3);
    const call = engine.calls.find((c) => c.name === 'login_after_failures');
    expect(call?.params).toMatchObject({
      failures_before_login: '4',
      lookback_from_ts: '2026-11-15 23:00:00.000',
      lookback_from_dt: '2026-11-15',
      from_ts: '2026-11-16 00:00:00.000',
      max_rows: String(LOGIN_AFTER_FAILURES_ROWS),
    });
    expect(engine.calls).toHaveLength(REPORT_QUERY_COUNT);
  });

  // Review R-SECOND5 M1: the section ran with 4 whatever the alerts' failuresBeforeLogin was.
  it("run with the deployed alerts' failuresBeforeLogin, which the caption names", async () => {
    const engine = new FakeEngine(CONTRACT_ROWS);
    const model = await buildReportModel(engine, { instance: 'acme', run, failuresBeforeLogin: 7 });
    const call = engine.calls.find((c) => c.name === 'login_after_failures');
    expect(call?.params).toMatchObject({ failures_before_login: '7' });
    expect(model.failuresBeforeLogin).toBe(7);
    const shown = { ...withRows([guessed]), failuresBeforeLogin: 7 };
    const caption =
      'A user signing in after 7 or more failed logins of theirs, or a lockout, in the hour before';
    expect(renderHtml(shown, 'subject')).toContain(caption);
    expect(renderText(shown).replace(/\s+/g, ' ')).toContain(caption);
    // A model archived before the setting was recorded ran with the default.
    expect(renderText(withRows([guessed])).replace(/\s+/g, ' ')).toContain('after 4 or more failed logins');
  });

  // Review R-SECOND5 L5: a sign-in with no usable address read "all from other IPs".
  it('say the address is unknown when the sign-in has none, not that the failures came from others', () => {
    for (const ipAddress of [null, '', 'unknown', ' - ']) {
      const model = withRows([{ ...guessed, ipAddress, fromFailingIp: false }]);
      expect(renderHtml(model, 'subject')).toContain(
        '6 failed logins, 1 lockout from 09:00 to 09:05, address unknown',
      );
      expect(renderText(model).replace(/\s+/g, ' ')).toContain('from 09:00 to 09:05, address unknown');
      expect(renderText(model)).not.toContain('other IPs');
    }
  });

  it('are listed in both parts, said in the first line and the subject', () => {
    const model = withRows([guessed, { ...guessed, fromFailingIp: false, lockouts: 0, userRows: 2 }]);
    const html = renderHtml(model, 'subject');
    const text = renderText(model);
    expect(html).toContain('Sign-ins after failed logins (2)');
    expect(html).toContain('6 failed logins, 1 lockout from 09:00 to 09:05, some from this IP');
    expect(html).toContain('6 failed logins from 09:00 to 09:05, all from other IPs');
    expect(html).toContain('2 such sign-ins of this user this week');
    expect(text).toContain('SIGN-INS AFTER FAILED LOGINS (2)');
    expect(text).toMatch(/Wed 18 Nov 09:06 +Wei Euler \(1039710626\) +IP 198\.51\.100\.9/);
    expect(text).toContain('6 failed logins, 1 lockout from 09:00 to 09:05, some from this IP');
    expect(weekSummary(model)).toContain('2 sign-ins right after failed logins ·');
    expect(reportSubject(model)).toContain(': 1 suspicious login, 2 sign-ins after failed logins, 1 lockout');
  });

  it('says how many of them the mail lists when it cannot list them all', () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({ ...guessed, userId: String(1000 + i) }));
    const model = withRows(rows, 1234);
    const { html, text } = renderReport(model);
    expect(weekSummary(model)).toContain('1,234 sign-ins right after failed logins (20 of 1,234 listed)');
    expect(html).toContain('20 of 1,234 listed: each user');
    expect(text).toContain('20 of 1,234 listed: each user');
    expect(text.replace(/\s+/g, ' ')).toContain(
      '1,234 sign-ins right after failed logins (20 of 1,234 listed)',
    );
  });

  it('says there were none, and shows no section for a model archived before they were read', () => {
    const none = withRows([], 0);
    expect(renderHtml(none, 's')).toContain('No sign-in after a run of failed logins this week.');
    expect(renderText(none)).toContain('No sign-in after a run of failed logins this week.');
    expect(weekSummary(none)).not.toContain('right after failed logins');
    expect(reportSubject(none)).not.toContain('after failed logins');
    const archived = sampleModel();
    expect(archived.loginsAfterFailures).toBeUndefined();
    expect(renderHtml(archived, 's')).not.toContain('Sign-ins after failed logins');
    expect(renderText(archived)).not.toContain('SIGN-INS AFTER FAILED LOGINS');
  });

  it('escapes Domo strings and keeps a week of hostile names under the budget', () => {
    const rows = Array.from({ length: LOGIN_AFTER_FAILURES_ROWS }, (_, i) => ({
      ...guessed,
      userId: hostile(`id${i}`),
      userName: hostile('name'),
      ipAddress: hostile('ip'),
    }));
    const { html } = renderReport(withRows(rows, 50_000));
    expect(html).toContain(`IP ${hostileEscaped('ip')}`);
    expect(html).not.toContain('<script>');
    expect(encodedBytes(html)).toBeLessThanOrEqual(HTML_BUDGET_BYTES);
  });
});

/**
 * The report's privileged changes (admin_changes.sql over the week): a role raised, a user added to
 * a group, an access token made. Review R-CISO H1: an intruder who made an account Admin was in the
 * catalog and nowhere in the weekly mail.
 */
import { describe, expect, it } from 'vitest';
import { encodedBytes, HTML_BUDGET_BYTES } from '../../../functions/core/mail/render-limits.ts';
import { buildReportModel, REPORT_QUERY_COUNT } from '../../../functions/core/report/build-report-model.ts';
import { reportWeek } from '../../../functions/core/report/iso-week.ts';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { renderReport } from '../../../functions/core/report/render-report.ts';
import { renderText } from '../../../functions/core/report/render-text.ts';
import {
  PRIVILEGED_CHANGE_ROWS,
  type PrivilegedChange,
  type WeeklyReportModel,
} from '../../../functions/core/report/report-model.ts';
import { reportModelJson } from '../../../functions/core/report/report-model-json.ts';
import { runOfWeek } from '../../../functions/core/report/report-run.ts';
import { reportSubject } from '../../../functions/core/report/report-subject.ts';
import { weekSummary } from '../../../functions/core/report/week-summary.ts';
import { CONTRACT_ROWS, FakeEngine } from './fake-engine.ts';
import { hostile, hostileEscaped, madeAdmin, sampleModel } from './model-fixture.ts';

const withRows = (rows: PrivilegedChange[], total = rows.length): WeeklyReportModel => ({
  ...sampleModel(),
  privilegedChanges: rows,
  privilegedChangesTotal: total,
});

/** admin_changes' row of madeAdmin. */
const ADMIN_ROW = {
  event_time: '2026-11-18 14:46:34.000',
  user_id: '1650012345',
  user_name: 'Zoe Santos',
  actor_id: null,
  actor_name: null,
  action_type: 'UPDATED',
  event_text: 'Updated user',
  object_type: 'USER',
  object_id: '42',
  object_name: 'Ada Kaur',
  additional_comment: 'Role changed from Participant to Admin',
  ip_address: '193.36.124.86',
  country: 'JP',
  asn: 9009,
  org: 'M247',
  authentication_method: null,
  category: 'admin',
  event_id: 'e1',
  twins: 0,
  total_rows: 3,
};

const run = runOfWeek(reportWeek('2026-W47', 'UTC'), Date.parse('2026-11-23T07:00:00Z'));

describe('privileged changes in the weekly report', () => {
  it("are read from admin_changes over the week, each actor's gravest first", async () => {
    const engine = new FakeEngine({
      ...CONTRACT_ROWS,
      admin_changes: [ADMIN_ROW],
    });
    const model = await buildReportModel(engine, { instance: 'acme', run });
    expect(model.privilegedChanges).toEqual([madeAdmin]);
    expect(model.privilegedChangesTotal).toBe(3);
    const call = engine.calls.find((c) => c.name === 'admin_changes');
    expect(call?.params).toMatchObject({
      from_ts: '2026-11-16 00:00:00.000',
      to_ts: '2026-11-23 00:00:00.000',
      max_rows: String(PRIVILEGED_CHANGE_ROWS),
      keep_rows: 'gravest',
    });
    expect(engine.calls).toHaveLength(REPORT_QUERY_COUNT);
    // The archived JSON gives the time as an instant, as every other lake time.
    expect(reportModelJson(model).privilegedChanges?.[0]?.eventTime).toBe('2026-11-18T14:46:34.000Z');
  });

  it('list a change Domo served twice once, saying so in both parts', async () => {
    // admin_changes folds the copy into X's row: its twins, the copies beside it.
    const engine = new FakeEngine({
      ...CONTRACT_ROWS,
      admin_changes: [{ ...ADMIN_ROW, twins: 1, total_rows: 1 }],
    });
    const model = await buildReportModel(engine, { instance: 'acme', run });
    expect(model.privilegedChanges).toEqual([{ ...madeAdmin, twins: 1 }]);
    const html = renderHtml(model, 'subject');
    expect(html).toContain('Privileged changes (1)');
    expect(html).toContain(
      'Role changed from Participant to Admin · IP 193.36.124.86 · Domo served it 2 times',
    );
    expect(renderText(model).replace(/\s+/g, ' ')).toContain('IP 193.36.124.86 · Domo served it 2 times');
  });

  it('are listed in both parts and counted in the first line', () => {
    const model = withRows([
      madeAdmin,
      { ...madeAdmin, objectType: 'GROUP', objectName: 'Admins', comment: null },
    ]);
    const html = renderHtml(model, 'subject');
    const text = renderText(model);
    expect(html).toContain('Privileged changes (2)');
    expect(html).toContain('updated user &quot;Ada Kaur&quot;');
    expect(html).toContain('Role changed from Participant to Admin · IP 193.36.124.86');
    expect(html).toContain('updated group &quot;Admins&quot;');
    expect(text).toContain('PRIVILEGED CHANGES (2)');
    expect(text).toMatch(/Wed 18 Nov 14:46 +Zoe Santos \(1650012345\)/);
    expect(text).toContain('    updated user "Ada Kaur"');
    expect(weekSummary(model)).toContain('2 privileged changes');
  });

  // Review R-CISO2: a week whose one finding was a user made Admin had the subject
  // `0 suspicious logins, 0 lockouts, 12,345 events (+8%)`, an all clear in the inbox.
  it('count the grave ones in the subject, after the sign-ins after failed logins', () => {
    const quiet = { suspiciousLogins: [], failedLogins: [] };
    const token: PrivilegedChange = {
      ...madeAdmin,
      actionType: 'CREATED',
      objectType: 'ACCESS_TOKEN',
      objectName: 'Zoe automation',
      comment: 'Zoe Santos created access token Zoe automation.',
    };
    const asAnother: PrivilegedChange = { ...token, actorId: '77', actorName: 'Yara Varga' };
    const model = { ...withRows([madeAdmin, token, asAnother, token]), ...quiet };
    model.totals.lockouts = { current: 0, previous: 0, delta: 0, pct: null };
    expect(reportSubject(model)).toBe(
      'Domo activity 2026-W47 (acme): 0 suspicious logins, 2 grave privileged changes, 0 lockouts, 12,345 events (+8%)',
    );
    // A token made from the address of a suspicious sign-in is grave too; routine ones are not.
    const flagged = sampleModel().suspiciousLogins.map((s) => ({ ...s, reason: 'new_country' }));
    const fromFlagged = { ...token, ipAddress: flagged[0]?.ipAddress ?? null };
    expect(reportSubject({ ...withRows([token, fromFlagged]), suspiciousLogins: flagged })).toContain(
      '1 suspicious login, 1 grave privileged change, 1 lockout',
    );
    expect(reportSubject(withRows([token, token]))).not.toContain('privileged');
  });

  it('say how many the mail lists when it cannot list them all, and stay in the budget', () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({
      ...madeAdmin,
      userId: String(1000 + i),
      userName: hostile('user'),
      // Each done by another as the user: one more line a row, in the same budget.
      actorId: String(5000 + i),
      actorName: hostile('actor'),
      objectName: hostile('object'),
      comment: hostile('comment'),
    }));
    const model = withRows(rows, 1234);
    const { html, text } = renderReport(model);
    expect(html).toContain('Listed: 10 of 1,234, gravest first');
    expect(text.replace(/\s+/g, ' ')).toContain('Listed: 10 of 1,234, gravest first');
    expect(weekSummary(model)).toContain('1,234 privileged changes');
    expect(html).toContain(hostileEscaped('object'));
    expect(html).toContain(`acting as ${hostileEscaped('user')}`);
    expect(html).not.toContain(hostile('comment'));
    expect(encodedBytes(html)).toBeLessThanOrEqual(HTML_BUDGET_BYTES);
  });

  it('say there were none, and show no section for a model archived before they were read', () => {
    const none = withRows([], 0);
    expect(renderHtml(none, 's')).toContain(
      'No change to users, groups, roles, access tokens or sign-in settings',
    );
    expect(renderText(none)).toContain(
      'No change to users, groups, roles, access tokens or sign-in settings',
    );
    expect(weekSummary(none)).not.toContain('privileged');
    const archived = sampleModel();
    expect(archived.privilegedChanges).toBeUndefined();
    expect(renderHtml(archived, 's')).not.toContain('Privileged changes');
    expect(renderText(archived)).not.toContain('PRIVILEGED CHANGES');
  });
});

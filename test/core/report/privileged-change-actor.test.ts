/**
 * Who acted on a privileged change (review R-INSIDER H1, a Domo admin hiding from the weekly
 * report): an admin acting as another user was listed as that user, the actor nowhere.
 */
import { describe, expect, it } from 'vitest';
import { RENDER_LIMITS } from '../../../functions/core/mail/render-limits.ts';
import { attentionItems } from '../../../functions/core/report/attention.ts';
import { buildReportModel } from '../../../functions/core/report/build-report-model.ts';
import { reportWeek } from '../../../functions/core/report/iso-week.ts';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { renderText } from '../../../functions/core/report/render-text.ts';
import type { PrivilegedChange, WeeklyReportModel } from '../../../functions/core/report/report-model.ts';
import { runOfWeek } from '../../../functions/core/report/report-run.ts';
import { CONTRACT_ROWS, FakeEngine } from './fake-engine.ts';
import { sampleModel } from './model-fixture.ts';

const COMMAND =
  'npx --no domo-activity-lake query user_activity --athena --workgroup wg --database db --instance acme --from 2026-11-16 --to 2026-11-23 --time-zone UTC --param user_id=';

/** Yara, an admin, raising herself to Admin while acting as Sam (the review's reproduction). */
const asSam: PrivilegedChange = {
  eventTime: '2026-11-20 10:00:00.000',
  userId: '1141446289',
  userName: 'Sam Hopper',
  actorId: '1263963830',
  actorName: 'Yara Varga',
  actionType: 'CHANGED',
  objectType: 'USER',
  objectId: '1263963830',
  objectName: 'Yara Varga',
  comment: 'Sam Hopper changed the role of Yara Varga from Participant to Admin.',
  ipAddress: '88.72.181.75',
};

const withRows = (rows: PrivilegedChange[], total = rows.length): WeeklyReportModel =>
  sampleModel({ privilegedChanges: rows, privilegedChangesTotal: total, userActivityCommand: COMMAND });

const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('who acted on a privileged change', () => {
  it('is read from admin_changes with the user acted as', async () => {
    const engine = new FakeEngine({
      ...CONTRACT_ROWS,
      admin_changes: [
        {
          event_time: '2026-11-20 10:00:00.000',
          user_id: '1141446289',
          user_name: 'Sam Hopper',
          actor_id: '1263963830',
          actor_name: 'Yara Varga',
          action_type: 'CHANGED',
          event_text: 'Changed user role',
          object_type: 'USER',
          object_id: '1263963830',
          object_name: 'Yara Varga',
          additional_comment: 'Sam Hopper changed the role of Yara Varga from Participant to Admin.',
          ip_address: '88.72.181.75',
          country: 'DE',
          asn: 3320,
          org: 'Deutsche Telekom AG',
          authentication_method: null,
          category: 'admin',
          event_id: 'e1',
          total_rows: 1,
        },
      ],
    });
    const run = runOfWeek(reportWeek('2026-W47', 'UTC'), Date.parse('2026-11-23T07:00:00Z'));
    const model = await buildReportModel(engine, { instance: 'acme', run });
    expect(model.privilegedChanges).toEqual([asSam]);
  });

  it('is named in both parts and in Needs attention, acting as the user', () => {
    const model = withRows([asSam]);
    const text = renderText(model);
    const html = renderHtml(model, 'subject');
    // The section: the actor in the who column, the user acted as under it.
    expect(text).toMatch(
      /Fri 20 Nov 10:00 +Yara Varga \(1263963830\)\n {4}acting as Sam Hopper \(1141446289\)\n/,
    );
    expect(html).toContain('Yara Varga (1263963830)<br>');
    expect(html).toContain('acting as Sam Hopper (1141446289)</span>');
    // Needs attention names the gravest, the actor first, and digs into the actor's week.
    const item = attentionItems(model, RENDER_LIMITS).find((i) => i.kind === 'privileged_changes');
    expect(item?.sentence).toBe(
      '1 privileged change: by Yara Varga (1263963830) acting as Sam Hopper (1141446289), CHANGED USER "Yara Varga"',
    );
    expect(item?.command).toBe(`${COMMAND}1263963830`);
    expect(flat(text)).toContain('change: by Yara Varga (1263963830) acting as Sam Hopper (1141446289)');
  });

  it('is the user when the actor names nobody or the user', () => {
    for (const actorId of ['0', '', ' 0 ', null, '1141446289']) {
      const c = { ...asSam, actorId, actorName: actorId === '1141446289' ? 'Sam Hopper' : '' };
      const text = renderText(withRows([c]));
      expect(text).toMatch(/Fri 20 Nov 10:00 +Sam Hopper \(1141446289\)\n {4}CHANGED USER "Yara Varga"/);
      expect(text).not.toContain('acting as');
    }
  });
});

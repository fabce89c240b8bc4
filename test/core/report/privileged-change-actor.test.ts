/**
 * Who acted, and which changes the mail lists (review R-INSIDER, a Domo admin hiding from the
 * weekly report). H1: an admin acting as another user was listed as that user, the actor nowhere.
 * M1: the first 10 in time were listed, so ten harmless changes on the Monday pushed an admin's own
 * off the mail (the demo's leaver made the week's 14th change, its token, unlisted).
 */
import { describe, expect, it } from 'vitest';
import { RENDER_LIMITS } from '../../../functions/core/mail/render-limits.ts';
import { attentionItems } from '../../../functions/core/report/attention.ts';
import { buildReportModel } from '../../../functions/core/report/build-report-model.ts';
import { reportWeek } from '../../../functions/core/report/iso-week.ts';
import {
  changeKind,
  changesToList,
  suspiciousSignIns,
} from '../../../functions/core/report/privileged-change-rank.ts';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { renderText } from '../../../functions/core/report/render-text.ts';
import type {
  PrivilegedChange,
  SuspiciousLogin,
  WeeklyReportModel,
} from '../../../functions/core/report/report-model.ts';
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

/** A routine change by one of the week's admins. */
const routine = (i: number, who = { id: '1000', name: 'Ada Kaur' }): PrivilegedChange => ({
  eventTime: `2026-11-16 09:${String(i).padStart(2, '0')}:00.000`,
  userId: who.id,
  userName: who.name,
  actorId: '0',
  actorName: '',
  actionType: 'UPDATED',
  objectType: 'USER',
  objectId: String(2000 + i),
  objectName: `User ${i}`,
  comment: `Ada Kaur updated the title of User ${i}.`,
  ipAddress: '73.35.22.75',
});

/** The leaver's token, made on the Sunday: the week's last change. */
const leaversToken: PrivilegedChange = {
  eventTime: '2026-11-22 09:46:45.000',
  userId: '1263963830',
  userName: 'Yara Varga',
  actorId: '0',
  actorName: '',
  actionType: 'CREATED',
  objectType: 'ACCESS_TOKEN',
  objectId: '922471',
  objectName: 'Yara sync',
  comment: 'Yara Varga created access token Yara sync.',
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
          twins: 0,
          total_rows: 1,
        },
      ],
    });
    const run = runOfWeek(reportWeek('2026-W47', 'UTC'), Date.parse('2026-11-23T07:00:00Z'));
    const model = await buildReportModel(engine, { instance: 'acme', run });
    expect(model.privilegedChanges).toEqual([asSam]);
  });

  it('is named in both parts and in Needs attention, acting as the user', () => {
    const model = withRows([routine(1), asSam]);
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
      '2 privileged changes: gravest by Yara Varga (1263963830) acting as Sam Hopper (1141446289), changed user "Yara Varga" (Domo\'s comment: "Sam Hopper changed the role of Yara Varga from Participant to Admin.")',
    );
    expect(item?.command).toBe(`${COMMAND}1263963830`);
    expect(flat(text)).toContain('gravest by Yara Varga (1263963830) acting as Sam Hopper (1141446289)');
  });

  it('is the user when the actor names nobody or the user', () => {
    for (const actorId of ['0', '', ' 0 ', null, '1141446289']) {
      const c = { ...asSam, actorId, actorName: actorId === '1141446289' ? 'Sam Hopper' : '' };
      const text = renderText(withRows([c]));
      expect(text).toMatch(/Fri 20 Nov 10:00 +Sam Hopper \(1141446289\)\n {4}changed user "Yara Varga"/);
      expect(text).not.toContain('acting as');
    }
  });
});

describe('which privileged changes the mail lists', () => {
  it("lists an admin's change after ten harmless ones, and says what it left out", () => {
    const model = withRows([...Array.from({ length: 12 }, (_, i) => routine(i)), leaversToken]);
    const text = flat(renderText(model));
    const html = flat(renderHtml(model, 'subject'));
    // The token (Sunday, the 13th in time) is listed first, Ada's first routine changes after it.
    expect(text).toMatch(
      /Sun 22 Nov 09:46 Yara Varga \(1263963830\) created access token "Yara sync".*Mon 16 Nov 09:00 Ada Kaur/,
    );
    expect(html).toContain('created access token &quot;Yara sync&quot;');
    const listed =
      "Listed: 10 of 13, gravest first (each actor's gravest kept before anyone's second); left out: 3 other changes; query admin_changes lists them all.";
    expect(text).toContain(listed);
    expect(html).toContain(listed.replaceAll("'", '&#39;'));
  });

  it("lists every actor's gravest before a second change of anyone's", () => {
    // Twelve tokens by one account on the Monday, one by another on the Sunday: the same kind.
    const tokens = Array.from({ length: 12 }, (_, i) => ({
      ...leaversToken,
      ...routine(i),
      actionType: 'CREATED',
      objectType: 'ACCESS_TOKEN',
      comment: null,
    }));
    const { shown, leftOut } = changesToList([...tokens, leaversToken], 10);
    expect(shown).toHaveLength(10);
    expect(shown).toContain(leaversToken);
    // Shown gravest first, then in time: the one actor's nine, then the other's token.
    expect(shown).toEqual([...tokens.slice(0, 9), leaversToken]);
    expect(leftOut).toEqual(tokens.slice(9));
  });

  it('ranks by kind: as another, admin power, own account, sign-in settings, token made, other', () => {
    const own = { ...routine(1), objectId: '1000', comment: 'Ada Kaur changed her email.' };
    const sso = { ...routine(2), objectType: 'SSO_PAGE', objectName: 'SSO', comment: null };
    const group = { ...routine(3), objectType: 'GROUP', objectName: 'Admins', comment: null };
    const deleted = { ...leaversToken, actionType: 'DELETED' };
    const all = [routine(0), deleted, leaversToken, sso, own, group, asSam];
    expect(all.map((c) => changeKind(c))).toEqual([
      'other',
      'other',
      'token_made',
      'sign_in_settings',
      'own_account',
      'admin',
      'as_another',
    ]);
    expect(changesToList(all, 10).shown).toEqual([asSam, group, own, sso, leaversToken, routine(0), deleted]);
  });

  it("tells the reader the ranking's order, in both parts (review R2PRIV)", () => {
    const model = withRows([routine(1), asSam]);
    const order =
      "Order: tied to a suspicious sign-in, done as another user, about admin power, to the actor's own account, to sign-in settings, a token made, the rest; each actor's gravest before anyone's second.";
    expect(flat(renderText(model))).toContain(order);
    expect(
      flat(
        renderHtml(model, 'subject')
          .replace(/<[^>]*>/g, '')
          .replaceAll('&#39;', "'"),
      ),
    ).toContain(order);
  });

  it('says the changes after those read were not ranked', () => {
    const model = withRows([...Array.from({ length: 12 }, (_, i) => routine(i)), leaversToken], 1234);
    expect(flat(renderText(model))).toContain(
      "Listed: 10 of 1,234, gravest first (each actor's gravest kept before anyone's second); left out: 3 other changes, 1,221 less grave changes past the 13 read, not ranked; query admin_changes lists them all.",
    );
  });
});

/**
 * A change tied to a suspicious sign-in of the week ranks first of all (review R-INSIDER, the demo
 * week: Amara Petrov's token, made from the address of her own impossible-travel sign-in, was left
 * out behind graver kinds by others).
 */
describe('privileged changes tied to a suspicious sign-in', () => {
  const amara = { id: '1931247587', name: 'Amara Petrov' };
  const travel: SuspiciousLogin = {
    ...(sampleModel().suspiciousLogins[0] as SuspiciousLogin),
    eventTime: '2026-11-19 10:54:20.456',
    userId: amara.id,
    userName: amara.name,
    reason: 'impossible_travel',
    ipAddress: '13.206.48.189',
  };
  const amarasToken: PrivilegedChange = {
    ...leaversToken,
    eventTime: '2026-11-19 10:57:11.925',
    userId: amara.id,
    userName: amara.name,
    objectName: 'Amara sync',
    comment: 'Amara Petrov created access token Amara sync.',
    ipAddress: '13.206.48.189',
  };
  /** Ten changes of a graver kind, each by another admin acting as another user. */
  const graver = Array.from({ length: 10 }, (_, i) => ({
    ...asSam,
    eventTime: `2026-11-16 0${i % 10}:00:00.000`,
    actorId: String(3000 + i),
    actorName: `Admin ${i}`,
  }));
  const withTravel = (rows: PrivilegedChange[], logins = [travel]) =>
    sampleModel({
      privilegedChanges: rows,
      privilegedChangesTotal: rows.length,
      suspiciousLogins: logins,
      userActivityCommand: COMMAND,
    });

  it("lists a token from a suspicious sign-in's address before ten graver kinds by others", () => {
    const model = withTravel([...graver, amarasToken]);
    const text = flat(renderText(model));
    const html = flat(renderHtml(model, 'subject'));
    expect(text).toMatch(
      /PRIVILEGED CHANGES \(11\).*? Thu 19 Nov 10:57 Amara Petrov \(1931247587\) from the address of a suspicious sign-in created access token "Amara sync"/,
    );
    expect(html).toContain('from the address of a suspicious sign-in</span>');
    expect(text).toContain('left out: 1 change done as another user;');
    const item = attentionItems(model, RENDER_LIMITS).find((i) => i.kind === 'privileged_changes');
    expect(item?.sentence).toBe(
      '11 privileged changes: gravest by Amara Petrov (1931247587), created access token "Amara sync" (Domo\'s comment: "Amara Petrov created access token Amara sync."), from the address of a suspicious sign-in',
    );
  });

  it("ranks a flagged user's change from elsewhere first, but not one made before the sign-in", () => {
    const elsewhere = { ...amarasToken, ipAddress: '86.163.200.124' };
    const before = { ...elsewhere, eventTime: '2026-11-17 12:00:00.000' };
    const { shown, leftOut } = changesToList([...graver, before, elsewhere], 10, suspiciousSignIns([travel]));
    expect(shown[0]).toBe(elsewhere);
    expect(leftOut).toContain(before);
    expect(flat(renderText(withTravel([...graver, elsewhere])))).toContain(
      'Amara Petrov (1931247587) after a suspicious sign-in of this user created',
    );
  });

  it('ranks the changes tied to a suspicious sign-in by what they did', () => {
    // Amara raises a user to Admin after making her token, both from the sign-in's address.
    const raise = { ...asSam, ...amarasToken, eventTime: '2026-11-19 10:58:00.000', objectType: 'ROLE' };
    const { shown } = changesToList([amarasToken, raise], 10, suspiciousSignIns([travel]));
    expect(shown).toEqual([raise, amarasToken]);
    expect(changeKind(raise, suspiciousSignIns([travel]))).toBe('suspicious_sign_in');
  });

  it('takes no address from a sign-in flagged only for its hour', () => {
    const office = { ...travel, reason: 'unusual_hour', userId: '1000', userName: 'Ada Kaur' };
    const { shown } = changesToList([...graver, amarasToken], 10, suspiciousSignIns([office]));
    expect(shown).not.toContain(amarasToken);
  });
});

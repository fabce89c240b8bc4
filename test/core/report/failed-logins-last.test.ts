import { describe, expect, it } from 'vitest';
import { displayWidth } from '../../../functions/core/display-width.ts';
import { renderReport } from '../../../functions/core/report/render-report.ts';
import type { FailedLoginUser } from '../../../functions/core/report/report-model.ts';
import { sampleModel } from './model-fixture.ts';

function render(users: readonly Partial<FailedLoginUser>[]) {
  const model = sampleModel();
  const base = model.failedLogins[0];
  if (!base) throw new Error('the fixture has a failed login');
  model.failedLogins = users.map((user) => ({ ...base, ...user }));
  return renderReport(model);
}

/** The text part's failed-logins table: its header and rows. */
const failedTable = (text: string) => {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => /^User\s+Failed\s+Lockouts\s+IPs\s+Last$/.test(line));
  const end = lines.findIndex((line, i) => i > start && line === '');
  return lines.slice(start, end);
};

describe('the failed-logins "Last" column', () => {
  const goneOn = {
    userName: 'Alan Turing',
    failedAttempts: 60,
    lockouts: 1,
    lastLockout: '2026-11-18 09:06:30.000',
    lastFailure: '2026-11-20 22:59:00.000',
  };

  it('shows failures that went on after the lockout, and the lockout beside them', () => {
    const { html, text } = render([goneOn]);
    expect(failedTable(text)[1]).toMatch(/ Fri 20 Nov 22:59 \(locked Wed 09:06\)$/);
    expect(html).toMatch(/>Fri 20 Nov 22:59<br><span style="[^"]*">locked Wed 09:06<\/span><\/td>/);
    expect(html).not.toContain('locked Wed 18 Nov 09:06');
  });

  it('shows the lockout when it came last, and the last failure without one', () => {
    const { html, text } = render([
      { lastFailure: '2026-11-18 09:06:00.000', lastLockout: '2026-11-18 09:06:30.000' },
      { userName: 'Ada', lockouts: 0, lastLockout: null, lastFailure: '2026-11-19 10:00:00.000' },
    ]);
    const [, locked, failed] = failedTable(text);
    expect(locked).toMatch(/ locked Wed 18 Nov 09:06$/);
    expect(failed).toMatch(/ Thu 19 Nov 10:00$/);
    expect(html).toContain('>locked Wed 18 Nov 09:06</td>');
    expect(html).toContain('>Thu 19 Nov 10:00</td>');
  });

  it('keeps the text columns in line, the longest Last cell included', () => {
    const table = failedTable(
      render([
        { ...goneOn, userName: 'Regional Sales Operations Manager for the Nordics' },
        { userName: 'Ada', lockouts: 0, lastLockout: null },
        { userName: '山田太郎', lastFailure: '2026-11-18 09:00:00.000' },
      ]).text,
    );
    // Two Last cells wrap under their column rather than pass 78 columns (TABLE_WIDTH).
    expect(table).toHaveLength(6);
    for (const line of table) expect(displayWidth(line)).toBeLessThanOrEqual(78);
    // Where each line's Last cell (or the rest of one) starts, in columns of a fixed-width font: one place for all.
    const lastCell =
      /(Last|(locked )?[A-Z][a-z]{2} \d\d? [A-Z][a-z]{2}( \d\d:\d\d)?|\(locked [A-Z][a-z]{2} \d\d:\d\d\)|\d\d:\d\d)$/;
    const starts = table.map((line) => displayWidth(line) - displayWidth(lastCell.exec(line)?.[0] ?? line));
    expect(new Set(starts).size, table.join('\n')).toBe(1);
    expect(table[1]).toMatch(/ Fri 20 Nov 22:59$/);
    expect(table[2]).toMatch(/^ +\(locked Wed 09:06\)$/);
  });
});

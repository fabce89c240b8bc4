/**
 * The text part's tables keep to 78 columns: a mail client wraps or cuts a longer line at its
 * edge, and a failed-logins row of a 32-column name, a million failures and failures after a
 * lockout was 99 columns. The last column wraps under itself between its words.
 */
import { describe, expect, it } from 'vitest';
import { displayWidth } from '../../../functions/core/display-width.ts';
import { renderReport } from '../../../functions/core/report/render-report.ts';
import { TABLE_WIDTH } from '../../../functions/core/report/text-columns.ts';
import { longTopLists } from './model-fixture.ts';

function heavyWeek() {
  const model = longTopLists(
    10,
    (kind, i) => `Regional Sales Operations Manager ${kind} ${i} of the Nordics`,
  );
  const base = model.failedLogins[0];
  if (!base) throw new Error('the fixture has a failed login');
  model.failedLogins = Array.from({ length: 5 }, (_, i) => ({
    ...base,
    userId: `10000000${i}`,
    userName: `Konstantinopoulou Alexandrovna Papadimitriou ${i}`,
    failedAttempts: 1_000_009,
    lockouts: 1_234,
    distinctIps: 300_000,
    lastLockout: '2026-11-18 09:06:30.000',
    lastFailure: '2026-11-20 22:59:00.000',
  }));
  return model;
}

describe('the text part of a week of long names and large counts', () => {
  it(`keeps every line of its tables within ${TABLE_WIDTH} columns`, () => {
    const { text } = renderReport(heavyWeek());
    // The command that lists a user's week stays one line, to be copied whole.
    const long = text
      .split('\n')
      .filter((line) => displayWidth(line) > TABLE_WIDTH && !/^ {2}node /.test(line));
    expect(long).toEqual([]);
    expect(TABLE_WIDTH).toBe(78);
  });

  it('wraps a Last cell under its column', () => {
    const lines = renderReport(heavyWeek()).text.split('\n');
    const row = lines.findIndex((line) => line.startsWith('Konstantinopoulou') && line.includes('1,000,009'));
    const first = lines[row] ?? '';
    const next = lines[row + 1] ?? '';
    expect(first).toMatch(/1,000,009 +1,234 +300,000 {2}\S/);
    const column = first.length - (/ {2}(\S+(?: \S+)*)$/.exec(first)?.[1]?.length ?? 0);
    expect(next.slice(0, column).trim()).toBe('');
    expect(next.slice(column)).toMatch(/^\S/);
  });
});

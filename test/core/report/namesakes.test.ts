/**
 * Two users, cards or pages whose names read the same (namesakes, or a user who took an admin's
 * display name, with a zero-width space or another case to pass a uniqueness check) showed as one
 * row twice. Within a list, such rows now carry their ids, in the HTML and the text alike.
 */
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../../functions/core/report/render-report.ts';
import type { WeeklyReportModel } from '../../../functions/core/report/report-model.ts';
import { nameKey, rowNames } from '../../../functions/core/report/row-names.ts';
import { sampleModel } from './model-fixture.ts';

function namesakeModel(): WeeklyReportModel {
  const base = sampleModel();
  const user = base.topUsers[0] as WeeklyReportModel['topUsers'][0];
  const failed = base.failedLogins[0] as WeeklyReportModel['failedLogins'][0];
  const login = base.suspiciousLogins[0] as WeeklyReportModel['suspiciousLogins'][0];
  return {
    ...base,
    topUsers: [
      { ...user, userId: '7', userName: 'Maria Admin' },
      { ...user, userId: '666', userName: 'Maria\u200B Admin' },
      { ...user, userId: '8', userName: 'Ada Lovelace' },
    ],
    topCards: [
      { cardId: '11', cardName: 'Revenue', views: 9, previousViews: 1, change: 8, changePct: 800 },
      { cardId: '12', cardName: 'revenue ', views: 8, previousViews: 1, change: 7, changePct: 700 },
    ],
    topPages: [
      { pageId: '21', pageName: 'Sales', views: 9, viewers: 2 },
      { pageId: '22', pageName: 'Sales\ufeff', views: 8, viewers: 2 },
    ],
    failedLogins: [
      { ...failed, userId: '7', userName: 'Maria Admin' },
      { ...failed, userId: '666', userName: 'Maria  Admin' },
    ],
    // One user's two findings are one user, not namesakes.
    suspiciousLogins: [
      { ...login, userId: '103', userName: 'Grace Hopper' },
      { ...login, userId: '103', userName: 'Grace Hopper', reason: 'new_country' },
    ],
  };
}

describe('namesakes in one list', () => {
  it('read the same after cleaning, spacing and case', () => {
    expect(nameKey('Maria\u200B  ADMIN\u202e')).toBe(nameKey('maria admin'));
    expect(nameKey('Maria Admin')).not.toBe(nameKey('Maria Admins'));
  });

  it('read the same whatever hides in them or stands in for a Latin letter', () => {
    const lookAlikes = [
      'Ma\u00adria Admin', // soft hyphen
      'Mari\u034fa Admin', // combining grapheme joiner (default-ignorable, not a format character)
      'Maria\ufe00 Admin', // variation selector
      'Maria\u3164Admin', // Hangul filler: shows as a blank
      'Maria\uffa0Admin', // its half-width form
      'Maria\u2800Admin', // braille blank
      'M\u0430ria Admin', // Cyrillic a
      '\u041c\u0430ri\u0430 \u0410dmin', // Cyrillic M, a, a, A
      'M\u03b1ria \u0391dmin', // Greek alpha, Alpha
      '\uff2daria Admin', // full-width M
    ];
    for (const name of lookAlikes) expect(nameKey(name), JSON.stringify(name)).toBe('maria admin');
    expect(
      rowNames(
        [{ name: 'Maria Admin', id: '7' }, ...lookAlikes.map((name, i) => ({ name, id: String(100 + i) }))],
        'user',
        48,
      ).slice(0, 2),
    ).toEqual(['Maria Admin (7)', 'Ma\u00adria Admin (100)']);
    // Only the look-alikes are mapped: a Cyrillic name keeps its other letters, so reads as itself.
    expect(nameKey('\u0418\u0432\u0430\u043d')).toBe('\u0438bah');
    expect(nameKey('Mariaadmin')).not.toBe(nameKey('Maria\u3164Admin'));
  });

  it('read the same in Cyrillic and Greek when only their case differs, as Latin ones do', () => {
    // A capital whose small letter does not look Latin (Н/н, В/в) once kept the two apart.
    expect(nameKey('Нина Петрова')).toBe(nameKey('НИНА ПЕТРОВА'));
    expect(nameKey('Вера Ким')).toBe(nameKey('вера ким'));
    expect(nameKey('Βήτα')).toBe(nameKey('ΒΉΤΑ'));
    expect(
      rowNames(
        [
          { name: 'Нина Петрова', id: '101' },
          { name: 'НИНА ПЕТРОВА', id: '666' },
        ],
        'user',
        48,
      ),
    ).toEqual(['Нина Петрова (101)', 'НИНА ПЕТРОВА (666)']);
  });

  it('get their ids in the HTML', () => {
    const { html } = renderReport(namesakeModel());
    expect(html).toContain('>Maria Admin (7)<');
    // Format characters stay (nothing of them shows); the id is what tells the rows apart.
    expect(html).toContain('>Maria\u200B Admin (666)<');
    expect(html).toContain('>Revenue (11)<');
    expect(html).toContain('>revenue  (12)<');
    expect(html).toContain('>Sales (21)<');
    expect(html).toContain('>Sales\ufeff (22)<');
    // The failed-logins list: "Maria  Admin" is "Maria Admin" to a reader too.
    expect(html).toMatch(/>Maria {2}Admin \(666\)</);
    // Every user has their id (review R-INVEST L1); a card or page only as a namesake.
    expect(html).toContain('>Ada Lovelace (8)<');
    expect(html).toContain('Grace Hopper (103)');
  });

  it('get their ids in the text', () => {
    const { text } = renderReport(namesakeModel());
    const lines = text.split('\n');
    const starting = (start: string) => lines.filter((line) => line.startsWith(start));
    expect(starting('Maria Admin (7) ')).toHaveLength(2);
    expect(starting('Maria\u200B Admin (666) ')).toHaveLength(1);
    expect(starting('Maria  Admin (666) ')).toHaveLength(1);
    expect(starting('Revenue (11) ')).toHaveLength(1);
    expect(starting('revenue (12) ')).toHaveLength(1);
    expect(starting('Sales (22) ')).toHaveLength(1);
    expect(starting('Ada Lovelace (8) ')).toHaveLength(1);
    expect(text).toContain('Grace Hopper (103)');
  });

  it('are told apart by the shown rows only, and a name without an id stays as it is', () => {
    expect(
      rowNames(
        [
          { name: 'Ann', id: '1' },
          { name: 'ann', id: null },
          { name: 'Bob', id: '2' },
        ],
        'user',
        48,
      ),
    ).toEqual(['Ann (1)', 'ann', 'Bob (2)']);
    expect(rowNames([{ name: 'Ann', id: '1' }], 'user', 48)).toEqual(['Ann (1)']);
    expect(rowNames([{ name: 'Sales', id: '21' }], 'page', 48)).toEqual(['Sales']);
  });
});

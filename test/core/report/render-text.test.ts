import { describe, expect, it } from 'vitest';
import { displayWidth } from '../../../functions/core/display-width.ts';
import { formatChange, formatCount, formatPct } from '../../../functions/core/report/number-format.ts';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { renderText } from '../../../functions/core/report/render-text.ts';
import { reportSubject } from '../../../functions/core/report/report-subject.ts';
import { rowName } from '../../../functions/core/report/row-names.ts';
import { columns } from '../../../functions/core/report/text-columns.ts';
import { columnName } from '../../../functions/core/report/text-names.ts';
import { formatDayRange } from '../../../functions/core/report/time-format.ts';
import { asText, textLines } from '../../support/text-part.ts';
import { fullHealth, modelWithMissingDay, sampleModel } from './model-fixture.ts';

describe('renderText', () => {
  it('has every section, with the totals as aligned columns', () => {
    const text = renderText(sampleModel());
    for (const heading of [
      'TOTALS',
      'ACTIVITY PER DAY',
      'SUSPICIOUS LOGINS (1)',
      'FAILED LOGINS AND LOCKOUTS (14 FAILED LOGINS, 1 LOCKOUT)',
      'MOST ACTIVE USERS (EVENTS, LOGINS)',
      'TOP CARDS (VIEWS, CHANGE)',
      'TOP PAGES (VIEWS, VIEWERS)',
      'DATA HEALTH',
    ]) {
      expect(text).toContain(`\n${heading}\n`);
    }
    const lines = text.split('\n');
    const start = lines.indexOf('TOTALS') + 2;
    const totals = lines.slice(start, start + 7);
    expect(totals[0]).toMatch(/^\s+this week\s+2026-W46\s+change$/);
    // The HTML's boxes' order, the suspicious logins first, without a change (review R-A11Y L4).
    expect(totals.slice(1).map((l) => /^\D+?(?=\s{2})/.exec(l)?.[0])).toEqual([
      'Suspicious logins',
      'Lockouts',
      'Failed logins',
      'Events',
      'Active users',
      'Logins',
    ]);
    expect(totals[1]).toMatch(/^Suspicious logins\s+1$/);
    expect(totals[2]).toMatch(/^Lockouts\s+1\s+0\s+new$/);
    expect(totals[4]).toMatch(/^Events\s+12,345\s+11,431\s+\+8%$/);
    // Right-aligned columns: every row with a change ends at the same place.
    expect(new Set([totals[0], ...totals.slice(2)].map((l) => l?.length)).size).toBe(1);
  });

  // Review R-CISO2: a week with 8 of its 168 hours missing said nothing of failed logins gone
  // from 1 to 26; the missing hours can only make a rise larger.
  it('shows a rise as the least it can be when only this week undercounts, and no fall', () => {
    const cases = [
      sampleModel({ status: 'partial', health: fullHealth({ coveredHours: 144, coveragePct: 85.7 }) }),
      sampleModel({ status: 'in-progress' }),
    ];
    const reasons = ['this week is only partly in the lake', 'the week is not over yet'];
    cases.forEach((model, i) => {
      const lines = renderText(model).split('\n');
      const start = lines.indexOf('TOTALS') + 2;
      expect(lines[start]).toMatch(/^\s+this week\s+2026-W46\s+change$/);
      expect(lines[start + 2]).toMatch(/^Lockouts\s+1\s+0\s+new$/);
      expect(lines[start + 3]).toMatch(/^Failed logins\s+14\s+9\s+\+5 or more$/);
      expect(lines[start + 4]).toMatch(/^Events\s+12,345\s+11,431\s+\+8% or more$/);
      expect(lines[start + 5]).toMatch(/^Active users\s+38\s+40\s+not comparable$/);
      expect(lines.slice(start + 7, start + 9).join(' ')).toBe(
        `Rises shown as the least they can be, falls not: ${reasons[i]}, so its figures undercount.`,
      );
    });
  });

  it('leaves the change column out of the totals, and says why, when the weeks do not compare', () => {
    const cases = [sampleModel({ previousHealth: fullHealth({ coveredHours: 3, events: 190 }) })];
    const reasons = ['the week before is only partly in the lake'];
    cases.forEach((model, i) => {
      const lines = renderText(model).split('\n');
      const start = lines.indexOf('TOTALS') + 2;
      expect(lines[start]).toMatch(/^\s+this week\s+2026-W46$/);
      expect(lines[start + 4]).toMatch(/^Events\s+12,345\s+11,431$/);
      expect(lines[start + 2]).toMatch(/^Lockouts\s+1\s+0$/);
      expect(lines[start + 7]).toBe(`No changes shown: ${reasons[i]}.`);
      // The top cards show their views alone, without a change column.
      const cards = lines.indexOf('TOP CARDS (VIEWS)') + 2;
      expect(cards).toBeGreaterThan(1);
      expect(lines[cards]).toMatch(/^Revenue by Region +300$/);
      expect(lines[cards + 1]).toMatch(/^Churn +120$/);
    });
    const lines = renderText(sampleModel()).split('\n');
    const cards = lines.indexOf('TOP CARDS (VIEWS, CHANGE)') + 2;
    expect(lines[cards]).toMatch(/ 300 {2}\+50$/);
    expect(lines[cards + 1]).toMatch(/ 120 {2}new$/);
  });

  it('leaves out the column of a week before the lake holds no data for, and says so', () => {
    const model = sampleModel({ previousHealth: fullHealth({ coveredHours: 0, events: 0 }) });
    const lines = renderText(model).split('\n');
    const start = lines.indexOf('TOTALS') + 2;
    expect(lines[start]).toMatch(/^\s+this week$/);
    expect(lines[start + 4]).toMatch(/^Events\s+12,345$/);
    expect(lines[start + 2]).toMatch(/^Lockouts\s+1$/);
    const sentence =
      'No changes shown: the lake holds no data for the week before, 2026-W46 (Mon 9 Nov to Sun 15 Nov 2026).';
    expect(lines.slice(start + 7, start + 7 + textLines(sentence).length)).toEqual(textLines(sentence));
    const neither = sampleModel({
      status: 'empty',
      health: fullHealth({ coveredHours: 0, coveragePct: 0, events: 0 }),
      previousHealth: fullHealth({ coveredHours: 0, events: 0 }),
    });
    expect(renderText(neither)).toContain(
      `\n${asText('No changes shown: the lake holds no data for this week or the week before, 2026-W46 (Mon 9 Nov to Sun 15 Nov 2026).')}\n`,
    );
  });

  it('marks a day the lake does not hold as not ingested, not as a quiet day', () => {
    const text = renderText(modelWithMissingDay());
    expect(text).toMatch(/\nWed 18 Nov {2}not ingested\n/);
    // A quiet day that was ingested keeps its zeros.
    expect(text).toMatch(/\nSat 21 Nov {6}0 {3}0 users\n/);
    // A preview's days that have not begun are "not yet", not "not ingested".
    const preview = modelWithMissingDay({ status: 'in-progress', generatedAt: '2026-11-19T12:00:00.000Z' });
    preview.daily = preview.daily.map((d) =>
      d.day > '2026-11-19' ? { ...d, events: 0, coveredHours: 0 } : d,
    );
    const lines = renderText(preview).split('\n');
    expect(lines).toContain('Wed 18 Nov  not ingested');
    expect(lines).toContain('Fri 20 Nov  not yet');
    expect(lines).toContain('Sun 22 Nov  not yet');
    // Nothing of the preview's own day in yet: under way, not a day the ingest skipped.
    preview.daily = preview.daily.map((d) =>
      d.day === '2026-11-19' ? { ...d, events: 0, coveredHours: 0 } : d,
    );
    expect(renderText(preview).split('\n')).toContain('Thu 19 Nov  in progress, not ingested yet');
    // Models archived before days counted their hours render as before.
    expect(renderText(sampleModel())).not.toMatch(/not ingested|not yet/);
  });

  it('marks the day a preview was made on as in progress, so its count is not read as a drop', () => {
    const preview = modelWithMissingDay({ status: 'in-progress', generatedAt: '2026-11-20T09:30:00.000Z' });
    preview.daily = preview.daily.map((d) => {
      if (d.day === '2026-11-20') return { ...d, events: 310, activeUsers: 12, coveredHours: 9 };
      return d.day > '2026-11-20' ? { ...d, events: 0, activeUsers: 0, coveredHours: 0 } : d;
    });
    const lines = renderText(preview).split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^Fri 20 Nov +310 +12 users {2}day in progress$/));
    expect(lines).toContain('Sat 21 Nov  not yet');
    // A whole day of the preview, and any day of a finished week, carries no mark.
    expect(lines).toContainEqual(expect.stringMatching(/^Thu 19 Nov +2,200 +32 users$/));
    expect(renderText(modelWithMissingDay())).not.toContain('in progress');
  });

  it('marks a day whose stored hours lost events, so its count is not read as a quiet day', () => {
    const model = modelWithMissingDay({ health: fullHealth({ shortHours: 3, shortEvents: 161 }) });
    model.daily = model.daily.map((d) =>
      d.day === '2026-11-19'
        ? { ...d, events: 600, shortHours: 3, shortEvents: 161 }
        : { ...d, shortHours: 0, shortEvents: 0 },
    );
    const lines = renderText(model).split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^Thu 19 Nov +600 +32 users {2}161 events gone$/));
    expect(lines.filter((line) => line.endsWith(' gone'))).toHaveLength(1);
    // The day in progress that lost events says both.
    const preview = { ...model, status: 'in-progress' as const, generatedAt: '2026-11-19T20:00:00.000Z' };
    expect(renderText(preview)).toMatch(/\nThu 19 Nov .* 32 users {2}day in progress, 161 events gone\n/);
  });

  it('marks a past day the lake holds only some hours of, so its count is not read as a quiet day', () => {
    const model = modelWithMissingDay();
    model.daily = model.daily.map((d) =>
      d.day === '2026-11-17' ? { ...d, events: 900, coveredHours: 20 } : d,
    );
    const lines = renderText(model).split('\n');
    expect(lines).toContainEqual(
      expect.stringMatching(/^Tue 17 Nov +900 +\d+ users {2}20 of 24 hours in the lake$/),
    );
    expect(lines.filter((line) => line.endsWith(' hours in the lake'))).toHaveLength(1);
    // The day a preview is made on is partial by nature: it says "in progress" only.
    const preview = { ...model, status: 'in-progress' as const, generatedAt: '2026-11-17T20:00:00.000Z' };
    expect(renderText(preview)).toMatch(/\nTue 17 Nov .* users {2}day in progress\n/);
  });

  it('lists the days with their figures and shows local times of suspicious logins with their evidence', () => {
    const text = renderText(sampleModel());
    expect(text).toMatch(/Mon 16 Nov {2}2,500 {2}35 users/);
    expect(text).toMatch(/Sun 22 Nov {4}400 {3}5 users/);
    expect(text).toContain(
      'Wed 18 Nov 03:04  Grace Hopper (103)  unusual hour\n    IP 198.51.100.7 (198.51.100.0/24)\n',
    );
    expect(text).toContain('    login at 03:00 UTC; 0 of 42 logins');
    expect(text).toMatch(/Alan Turing \(104\)\s+8\s+1\s+2\s+locked Wed 18 Nov 09:06/);
  });

  it('places each suspicious login (country code and name, network owner), counts logins by country, credits the data', () => {
    const text = renderText(sampleModel());
    expect(text).toContain(
      '    US (United States) · AS7922 Comcast Cable Communications, LLC\n    login at 03:00 UTC',
    );
    expect(text).toContain('\nLOGINS BY COUNTRY\n');
    expect(text).toMatch(/US \(United States\)\s+40\s+20 users/);
    expect(text).toMatch(/DE \(Germany\)\s+12\s+4 users/);
    expect(text).toMatch(/unknown\s+2\s+2 users/);
    // The users' counts line up as numbers: `1 user` is not right-aligned whole under `20 users`.
    const countries = text.split('\n');
    const us = countries.find((line) => line.startsWith('US (United States)')) ?? '';
    const gb = countries.find((line) => line.startsWith('GB (United Kingdom)')) ?? '';
    expect(gb).toMatch(/ 1 user$/);
    expect(gb.indexOf(' 1 user') + 1).toBe(us.indexOf('20 users') + 1);
    expect(text).toContain('IP geolocation by DB-IP (https://db-ip.com)');
    expect(text).toContain('licensed under CC BY 4.0');
    // A model archived before the geo columns has no such section.
    expect(renderText({ ...sampleModel(), loginsByCountry: undefined })).not.toContain('LOGINS BY COUNTRY');
  });

  it('shows times in the report zone', () => {
    const text = renderText(sampleModel({ timeZone: 'America/Denver' }));
    expect(text).toContain('Tue 17 Nov 20:04  Grace Hopper');
    expect(text).toContain('times in America/Denver');
  });

  it('keeps each Domo string on one line and leaves it unescaped', () => {
    const model = sampleModel();
    const [first] = model.topUsers;
    if (!first) throw new Error('fixture has users');
    first.userName = 'Eve\n<b>"Evil" & Co</b>\tx';
    const text = renderText(model);
    expect(text).toContain('Eve <b>"Evil" & Co</b> x');
    expect(text).not.toContain('&amp;');
  });

  it('lays out columns with the last one unpadded', () => {
    expect(
      columns(
        [
          ['a', '1', 'x'],
          ['bbb', '22', 'yy'],
        ],
        'lrl',
      ),
    ).toEqual(['a     1  x', 'bbb  22  yy']);
  });

  it('aligns by display width: a Japanese name or a combining accent keeps its figures in line', () => {
    const model = sampleModel();
    const [first] = model.topUsers;
    if (!first) throw new Error('the fixture has a top user');
    model.topUsers = [
      { ...first, userId: '1', userName: 'Ada Lovelace', events: 900 },
      { ...first, userId: '2', userName: '山田太郎', events: 800 },
      { ...first, userId: '3', userName: 'Zoe\u0301', events: 700 },
      { ...first, userId: '4', userName: 'Ann 🚀', events: 600 },
    ];
    const lines = renderText(model).split('\n');
    const bars = model.topUsers.map((u) => {
      const line = lines.find((l) => l.startsWith(u.userName ?? ''));
      if (!line) throw new Error(`no line for ${u.userName}`);
      // Columns up to the end of the events: the name's own width, then its padding and figure.
      const name = u.userName ?? '';
      const events = line.indexOf(formatCount(u.events)) + formatCount(u.events).length;
      return displayWidth(name) + events - name.length;
    });
    expect(new Set(bars).size).toBe(1);
    expect(
      columns(
        [
          ['山田', '1'],
          ['Zoe\u0301', '22'],
        ],
        'lr',
      ),
    ).toEqual(['山田   1', 'Zoe\u0301   22']);
  });

  it('bounds a right-to-left name by left-to-right marks, so the figures after it stay in their columns', () => {
    // Unbounded, a bidi-aware view ran the padding and the figures into the Hebrew name's run.
    const hebrew = '\u05e9\u05e8\u05d4 \u05db\u05d4\u05df';
    expect(
      columns(
        [
          [hebrew, '8', 'locked'],
          ['Maria Admin', '8', hebrew],
        ],
        'lrl',
      ),
    ).toEqual([`\u200e${hebrew}\u200e      8  locked`, `Maria Admin  8  ${hebrew}`]);
    const model = sampleModel();
    const [first] = model.failedLogins;
    if (!first) throw new Error('the fixture has a failed login');
    model.failedLogins = [{ ...first, userId: '12', userName: hebrew }];
    // The mark after the name keeps its id after it too.
    expect(renderText(model)).toContain(`\n\u200e${hebrew}\u200e (12)\u200e `);
  });

  it('cuts a name to the column width by display width, keeping the id', () => {
    const model = sampleModel();
    const [first] = model.topUsers;
    if (!first) throw new Error('the fixture has a top user');
    const long = '山田'.repeat(20);
    model.topUsers = [{ ...first, userId: '77', userName: long }];
    const line = renderText(model)
      .split('\n')
      .find((l) => l.startsWith('山田'));
    const name = line?.split('  ')[0] ?? '';
    expect(name).toMatch(/^(山田)+山?… \(77\)$/);
    // The name column of the text part is 32 columns wide.
    expect(displayWidth(name)).toBeLessThanOrEqual(32);
    expect(displayWidth(name)).toBeGreaterThanOrEqual(31);
  });
});

describe('names cut short in a row', () => {
  const shared = 'Regional Sales Operations Manager for Northern and Central Europe';
  const twins = () => {
    const model = sampleModel();
    const [first] = model.topUsers;
    if (!first) throw new Error('the fixture has a top user');
    model.topUsers = [
      { ...first, userId: '501', userName: `${shared} (Oslo)` },
      { ...first, userId: '502', userName: `${shared} (Riga)`, events: 800 },
    ];
    const [failed] = model.failedLogins;
    if (!failed) throw new Error('the fixture has a failed-login user');
    model.failedLogins = model.topUsers.map((u) => ({ ...failed, userId: u.userId, userName: u.userName }));
    return model;
  };

  it('keep the id, so two users whose names share a long start stay two rows', () => {
    expect(rowName(`${shared} (Oslo)`, '501', 'user', 48)).toBe(`${shared.slice(0, 41)}… (501)`);
    expect(rowName(`${shared} (Oslo)`, '501', 'user', 48)).toHaveLength(48);
    // Short names, and names made from the id, are as before.
    expect(rowName('Ada Lovelace', '101', 'user', 48)).toBe('Ada Lovelace');
    expect(rowName(null, '9'.repeat(60), 'user', 48)).toBe(`user ${'9'.repeat(42)}…`);
    expect(rowName(shared, null, 'user', 48)).toBe(`${shared.slice(0, 47).trimEnd()}…`);
    // A cut after a space leaves no space before the ellipsis, in the HTML and the text part.
    expect(rowName(shared, '1050152943', 'user', 48)).toBe('Regional Sales Operations Manager… (1050152943)');
    expect(columnName('Regional Sales Operations', null, 'user', 16)).toBe('Regional Sales…');
    // A long id takes at most half the room.
    expect(rowName(shared, 'x'.repeat(60), 'user', 48)).toBe(`${shared.slice(0, 20)}… (${'x'.repeat(23)}…)`);

    const model = twins();
    const text = renderText(model);
    const html = renderHtml(model, reportSubject(model));
    // The sections, below the findings ranked at the top (attention.ts).
    const textSections = text.slice(text.indexOf('\nTOTALS'));
    const htmlSections = html.slice(html.indexOf('>Activity per day<'));
    for (const id of ['501', '502']) {
      // Most active users and failed logins, in both parts.
      expect(textSections.split(`… (${id})`).length - 1).toBe(2);
      expect(htmlSections.split(`… (${id})`).length - 1).toBe(2);
    }
  });
});

describe('formatPct and formatChange', () => {
  it('round without claiming a change that did not happen', () => {
    expect(formatPct(7.4)).toBe('+7%');
    expect(formatPct(-12.6)).toBe('-13%');
    expect(formatPct(0.44)).toBe('+0.4%');
    expect(formatPct(0)).toBe('±0%');
    expect(formatPct(-100)).toBe('-100%');
    expect(formatPct(250)).toBe('+250%');
    // Not zero: never ±0% (or +0%/-0%).
    expect(formatPct(0.004)).toBe('+<0.1%');
    expect(formatPct(-0.049)).toBe('-<0.1%');
    // Not a fall to zero: never -100%.
    expect(formatPct(-99.99)).toBe('-99.9%');
    expect(formatPct(-99.5)).toBe('-99.5%');
    expect(formatPct(-99.4)).toBe('-99%');
  });

  it("work from the counts, not the model's pct rounded to one decimal", () => {
    // 1 event against 20,000: the model stores -100 (rounded), but the figure is not zero.
    expect(formatChange({ current: 1, previous: 20_000, pct: -100 })).toBe('-99.9%');
    expect(formatChange({ current: 0, previous: 20_000, pct: -100 })).toBe('-100%');
    // One more than 100,000: stored as 0, shown as a rise.
    expect(formatChange({ current: 100_001, previous: 100_000, pct: 0 })).toBe('+<0.1%');
    expect(formatChange({ current: 5, previous: 5, pct: 0 })).toBe('±0%');
    expect(formatChange({ current: 3, previous: 0, pct: null })).toBe('new');
    expect(formatChange({ current: 0, previous: 0, pct: null })).toBe('-');
  });

  it('keep -100% out of the subject and the boxes for a figure that is not zero', () => {
    const model = sampleModel();
    model.totals.events = { current: 1, previous: 20_000, delta: -19_999, pct: -100 };
    expect(reportSubject(model)).toContain(', 1 event (-99.9%)');
    expect(renderText(model)).toMatch(/\nEvents +1 +20,000 +-99\.9%\n/);
    expect(renderHtml(model, reportSubject(model))).toContain('">-99.9%</div>');
  });
});

describe('reportSubject', () => {
  it('names the week, the instance and the headline figures', () => {
    expect(reportSubject(sampleModel())).toBe(
      'Domo activity 2026-W47 (acme): 1 suspicious login, 1 lockout, 12,345 events (+8%)',
    );
  });

  it('leaves out the change when there is nothing to compare with, and pluralises', () => {
    const model = sampleModel();
    model.totals.events = { current: 2, previous: 0, delta: 2, pct: null };
    model.totals.lockouts = { current: 0, previous: 0, delta: 0, pct: null };
    model.suspiciousLogins = [];
    expect(reportSubject(model)).toBe(
      'Domo activity 2026-W47 (acme): 0 suspicious logins, 0 lockouts, 2 events',
    );
  });

  it('says so when the week is empty, partial or still running', () => {
    expect(reportSubject(sampleModel({ status: 'empty' }))).toBe(
      'Domo activity 2026-W47 (acme): no data for this week',
    );
    expect(
      reportSubject(
        sampleModel({ status: 'partial', health: fullHealth({ coveredHours: 120, coveragePct: 71.4 }) }),
      ),
    ).toMatch(/\) \[partial: 71\.4% of hours\]: .*1 lockout, [\d,]+ events$/);
    expect(reportSubject(sampleModel({ status: 'in-progress' }))).toMatch(
      /\) \[preview: week in progress\]: .*1 lockout, [\d,]+ events$/,
    );
  });

  it('leaves out a change computed against a partial previous week, as the body says', () => {
    const model = sampleModel({
      previousHealth: fullHealth({ coveredHours: 3, coveragePct: 1.8, events: 190 }),
    });
    model.totals.events = { current: 10_131, previous: 190, delta: 9_941, pct: 5232.1 };
    expect(reportSubject(model)).toBe(
      'Domo activity 2026-W47 (acme): 1 suspicious login, 1 lockout, 10,131 events',
    );
  });

  it('leaves out the change of a partial week: part of a week against a whole one', () => {
    const model = sampleModel({
      status: 'partial',
      health: fullHealth({ coveredHours: 144, coveragePct: 85.7 }),
    });
    model.totals.events = { current: 9_615, previous: 11_210, delta: -1_595, pct: -14.2 };
    expect(reportSubject(model)).toBe(
      'Domo activity 2026-W47 (acme) [partial: 85.7% of hours]: 1 suspicious login, 1 lockout, 9,615 events',
    );
  });

  it('leaves out the change of a week still running: part of a week against a whole one', () => {
    const model = sampleModel({ status: 'in-progress' });
    model.totals.events = { current: 1_830, previous: 11_431, delta: -9_601, pct: -84 };
    expect(reportSubject(model)).toBe(
      'Domo activity 2026-W47 (acme) [preview: week in progress]: 1 suspicious login, 1 lockout, 1,830 events',
    );
    const finished = sampleModel();
    finished.totals.events = model.totals.events;
    expect(reportSubject(finished)).toContain('1,830 events (-84%)');
  });

  it('names both years in the header of a week that spans two', () => {
    const days = [
      '2024-12-30',
      '2024-12-31',
      '2025-01-01',
      '2025-01-02',
      '2025-01-03',
      '2025-01-04',
      '2025-01-05',
    ];
    expect(formatDayRange(days)).toBe('Mon 30 Dec 2024 to Sun 5 Jan 2025');
    expect(formatDayRange(['2026-11-16', '2026-11-22'])).toBe('Mon 16 Nov to Sun 22 Nov 2026');
    const model = sampleModel({ week: { ...sampleModel().week, isoWeek: '2025-W01', days } });
    expect(renderText(model)).toContain('Mon 30 Dec 2024 to Sun 5 Jan 2025');
  });

  it('labels any report made before its week ended as a preview, even a partial or empty one', () => {
    const early = { generatedAt: '2026-11-20T12:00:00.000Z' };
    expect(reportSubject(sampleModel({ ...early, status: 'empty' }))).toBe(
      'Domo activity 2026-W47 (acme) [preview: week in progress]: no data for this week',
    );
    expect(reportSubject(sampleModel({ ...early, status: 'partial' }))).toMatch(
      /\) \[preview: week in progress\]: /,
    );
    expect(renderText(sampleModel({ ...early, status: 'empty' }))).toMatch(
      /^Domo activity 2026-W47, instance acme \(preview: week in progress\)\n/,
    );
    expect(renderText(sampleModel())).toMatch(/^Domo activity 2026-W47, instance acme\n/);
  });
});

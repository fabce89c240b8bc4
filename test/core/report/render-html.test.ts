import { describe, expect, it } from 'vitest';
import { esc } from '../../../functions/core/mail/html-escape.ts';
import {
  encodedBytes,
  HTML_BUDGET_BYTES,
  RENDER_LIMITS,
} from '../../../functions/core/mail/render-limits.ts';
import { WIDE_CSS } from '../../../functions/core/report/html-style.ts';
import { formatCount } from '../../../functions/core/report/number-format.ts';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { renderReport } from '../../../functions/core/report/render-report.ts';
import type { WeeklyReportModel } from '../../../functions/core/report/report-model.ts';
import { reportSubject } from '../../../functions/core/report/report-subject.ts';
import { ATTRIBUTION_HREFS, ATTRIBUTION_HTML } from '../../support/geo-credit-html.ts';
import { fullHealth, hostile, hostileEscaped, modelWithMissingDay, sampleModel } from './model-fixture.ts';

/** A model in which every string that comes from Domo is hostile and tagged with its field. */
function hostileModel(): WeeklyReportModel {
  const base = sampleModel();
  return {
    ...base,
    topUsers: [
      { ...(base.topUsers[0] as WeeklyReportModel['topUsers'][0]), userName: hostile('tu-name') },
      { ...(base.topUsers[1] as WeeklyReportModel['topUsers'][0]), userName: null, userId: hostile('tu-id') },
    ],
    topCards: [
      { cardId: '1', cardName: hostile('tc-name'), views: 3, previousViews: 1, change: 2, changePct: 200 },
      { cardId: hostile('tc-id'), cardName: null, views: 2, previousViews: 0, change: 2, changePct: null },
    ],
    topPages: [
      { pageId: '1', pageName: hostile('tp-name'), views: 3, viewers: 1 },
      { pageId: hostile('tp-id'), pageName: '', views: 2, viewers: 1 },
    ],
    suspiciousLogins: [
      {
        eventTime: hostile('sl-time'),
        userId: '5',
        userName: hostile('sl-name'),
        reason: hostile('sl-reason'),
        ipAddress: hostile('sl-ip'),
        country: null,
        asn: null,
        org: null,
        network: hostile('sl-net'),
        localHour: 3,
        evidence: hostile('sl-evidence'),
      },
      {
        eventTime: '2026-11-18 03:04:05.000',
        userId: hostile('sl-id'),
        userName: null,
        reason: 'new_network',
        ipAddress: null,
        country: null,
        asn: null,
        org: null,
        network: null,
        localHour: null,
        evidence: null,
      },
    ],
    failedLogins: [
      {
        userId: '9',
        userName: hostile('fl-name'),
        failedAttempts: 1,
        lockouts: 0,
        distinctIps: 1,
        firstFailure: null,
        lastFailure: hostile('fl-last'),
        lastLockout: null,
      },
      {
        userId: hostile('fl-id'),
        userName: null,
        failedAttempts: 1,
        lockouts: 1,
        distinctIps: 1,
        firstFailure: null,
        lastFailure: null,
        lastLockout: hostile('fl-lock'),
      },
    ],
    health: { ...base.health, firstMissingHour: hostile('dh-missing'), lastEventTime: hostile('dh-last') },
  };
}

const TAGS = [
  'tu-name',
  'tu-id',
  'tc-name',
  'tc-id',
  'tp-name',
  'tp-id',
  'sl-time',
  'sl-name',
  'sl-reason',
  'sl-ip',
  'sl-net',
  'sl-evidence',
  'sl-id',
  'fl-name',
  'fl-last',
  'fl-id',
  'fl-lock',
  'dh-missing',
  'dh-last',
];

/**
 * Rows in a list far past its caps: enough for a count of four digits ("and 1,180 more", the
 * thousands separator), which is all a larger week changes in what is drawn. Each row still costs
 * the report's counts over every row (~0.3 s a render of 5,000 with 600-character strings under
 * coverage, and the budget renders several times): the lists of 5,000 these cases had cost ~8 CPU-s.
 */
const HUGE_LIST = 1_200;

/**
 * The headline boxes of a week that does not compare with the one before: when only this week
 * undercounts (`risesOnly`), a rise is at least what it shows (review R-CISO2) and a fall is
 * nothing; else no box shows a change.
 */
function expectBoxes(html: string, reason: string, risesOnly: boolean): void {
  if (risesOnly) {
    expect(occurrences(html, '>not comparable</div>')).toBe(1);
    for (const floor of ['#b3261e;padding-top:2px;">new<', '#b3261e;padding-top:2px;">+5 or more<'])
      expect(html).toContain(floor);
    for (const floor of ['#1e7b34;padding-top:2px;">+8% or more<', '#1e7b34;padding-top:2px;">+6% or more<'])
      expect(html).toContain(floor);
    expect(html).toContain(
      `Rises shown as the least they can be, falls not: ${reason}, so its figures undercount. The week before, 2026-W46 (`,
    );
    return;
  }
  // No red or green change: every box says, in grey, that the weeks do not compare.
  expect(occurrences(html, '>not comparable</div>')).toBe(5);
  expect(html).not.toMatch(/color:#(b3261e|1e7b34);padding-top:2px;">/);
  expect(html).toContain(`No changes shown: ${reason}. The week before, 2026-W46 (`);
}

describe('esc', () => {
  it('escapes the five HTML-significant characters and drops control characters', () => {
    expect(esc(`<a href="x">&'\u0000\u001b`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;');
    expect(esc(null)).toBe('');
    expect(esc(12)).toBe('12');
  });
});

describe('renderHtml', () => {
  it('escapes <script>, quotes and & in every field that comes from Domo', () => {
    const { html } = renderReport(hostileModel());
    expect(html).not.toMatch(/<script/i);
    for (const tag of TAGS) expect(html, tag).toContain(hostileEscaped(tag));
    // Every ampersand left is the start of an entity.
    expect(html).not.toMatch(/&(?!(amp|lt|gt|quot|#39|nbsp|middot);)/);
  });

  it('is self-contained email HTML: tables, inline styles, no scripts, SVG, images, links but the geo data credit', () => {
    const { html } = renderReport(sampleModel());
    expect(html).toMatch(/^<!DOCTYPE html>/);
    // Fluid up to 600 px; Outlook for Windows (no max-width) gets a fixed 600 px ghost table.
    expect(html).toMatch(
      /<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%" bgcolor="#ffffff" style="width:100%;max-width:600px;/,
    );
    expect(html).toContain(
      '<!--[if mso]><table role="presentation" cellpadding="0" cellspacing="0" border="0" width="600"><tr><td><![endif]-->',
    );
    for (const banned of [/<script/i, /<svg/i, /<img/i, /<link/i, /\bsrc=/i]) {
      expect(html).not.toMatch(banned);
    }
    // The geo data's licences ask for links to its sources (review R-GEO L3): those, and no other.
    expect([...html.matchAll(/\bhref="([^"]*)"/gi)].map((m) => m[1])).toEqual(ATTRIBUTION_HREFS);
    expect(html.match(/\bhref=/gi)).toHaveLength(ATTRIBUTION_HREFS.length);
    expect(html).toContain(ATTRIBUTION_HTML);
    // One style block, holding only the wide windows' media query, and Outlook's own; classes only
    // for them.
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]?.trim());
    expect(styles).toHaveLength(2);
    expect(styles[0]).toMatch(/^@media only screen and \(min-width: 481px\) \{[^{}]*(\{[^{}]*\}[^{}]*)+\}$/);
    expect(html).toMatch(/<!--\[if mso\]><style>[^<]*<\/style><!\[endif\]-->/);
    expect(new Set([...html.matchAll(/class="([^"]*)"/g)].map((m) => m[1]))).toEqual(
      new Set(['outer', 'tile', 'pad', 'padt', 'gap']),
    );
  });

  it('keeps the failed-logins columns apart: 8 px before every column after the first, 14 wide', () => {
    const { html } = renderReport(sampleModel());
    const header = /<tr><th scope="col" align="left"[^>]*>User<\/th>[\s\S]*?<\/tr>/.exec(html)?.[0] ?? '';
    expect(header).toMatch(/padding:0 0 4px 0px;[^>]*>User</);
    for (const column of ['Failed', 'Lockouts', 'IPs', 'Last']) {
      expect(header).toMatch(new RegExp(`padding:0 0 4px 8px;[^>]*>${column}<`));
    }
    expect(WIDE_CSS).toContain('.gap, .gap td { padding-left: 14px !important; }');
  });

  it('draws per-day bars as table cells sized to the largest day', () => {
    const { html } = renderReport(sampleModel());
    // Monday has the most events (2,500): a full bar; Sunday's 400 is 16% of it.
    // A bar is one cell in a table as wide as its share: no blank cell after it.
    expect(html).toMatch(/Mon 16 Nov<\/th>\s*<td[^>]*><table[^>]*width="100%"><tr><td bgcolor="#2f6fdf"/);
    expect(html).toMatch(
      /Sun 22 Nov<\/th>\s*<td[^>]*><table[^>]*width="16%"><tr><td bgcolor="#2f6fdf"[^>]*>&nbsp;<\/td><\/tr><\/table>/,
    );
  });

  it('marks a day the lake does not hold as not ingested instead of drawing a zero bar', () => {
    const { html } = renderReport(modelWithMissingDay());
    expect(html).toMatch(/Wed 18 Nov<\/th>\s*<td colspan="3"[^>]*>not ingested<\/td><\/tr>/);
    // A quiet day that was ingested keeps its (empty) bar cell and zeros.
    expect(html).toMatch(/Sat 21 Nov<\/th>\s*<td[^>]*><\/td>\s*<td[^>]*>0<\/td>/);
    expect(occurrences(html, 'not ingested')).toBe(1);
    expect(renderReport(sampleModel()).html).not.toContain('not ingested');
  });

  it('marks a day that lost events under its date, with a paler bar', () => {
    const model = modelWithMissingDay({ health: fullHealth({ shortHours: 3, shortEvents: 161 }) });
    model.daily = model.daily.map((d) =>
      d.day === '2026-11-19' ? { ...d, events: 600, shortHours: 3, shortEvents: 161 } : d,
    );
    const { html } = renderReport(model);
    const row = (day: string) => html.match(new RegExp(`<tr>\\s*<th[^>]*>${day}.*?</tr>`, 's'))?.[0] ?? '';
    expect(row('Thu 19 Nov')).toMatch(
      /Thu 19 Nov<br><span [^>]*font-style:italic;color:#b3261e;">161 events gone<\/span><\/th>/,
    );
    // Its count stays, drawn paler than a whole day's.
    expect(row('Thu 19 Nov')).toContain('background-color:#9dbcf2;');
    expect(row('Tue 17 Nov')).toContain('background-color:#2f6fdf;');
    expect(row('Tue 17 Nov')).not.toContain('<br>');
    expect(html).toContain('active users. A paler bar is not the whole day (said under its date).');
    expect(renderReport(modelWithMissingDay()).html).not.toContain('paler bar');
  });

  it('marks a past day the lake holds only some hours of under its date, with a paler bar', () => {
    const model = modelWithMissingDay();
    model.daily = model.daily.map((d) => (d.day === '2026-11-20' ? { ...d, coveredHours: 9 } : d));
    const { html } = renderReport(model);
    const row = html.match(/<tr>\s*<th[^>]*>Fri 20 Nov.*?<\/tr>/s)?.[0] ?? '';
    expect(row).toMatch(
      /Fri 20 Nov<br><span [^>]*font-style:italic;color:#4b5563;">9 of 24 hours in the lake<\/span><\/th>/,
    );
    expect(row).toContain('background-color:#9dbcf2;');
  });

  it('marks the day a preview is made on as in progress, with a paler bar, and the days after as not yet', () => {
    const model = modelWithMissingDay({ status: 'in-progress', generatedAt: '2026-11-20T09:30:00.000Z' });
    model.daily = model.daily.map((d) => {
      if (d.day === '2026-11-20') return { ...d, events: 310, activeUsers: 12, coveredHours: 9 };
      return d.day > '2026-11-20' ? { ...d, events: 0, activeUsers: 0, coveredHours: 0 } : d;
    });
    const { html } = renderReport(model);
    const row = (day: string) => html.match(new RegExp(`<tr>\\s*<th[^>]*>${day}.*?</tr>`, 's'))?.[0] ?? '';
    expect(row('Fri 20 Nov')).toMatch(
      /Fri 20 Nov<br><span [^>]*font-style:italic;color:#4b5563;">day in progress<\/span><\/th>/,
    );
    expect(row('Fri 20 Nov')).toContain('background-color:#9dbcf2;');
    // Its count stays: the day so far.
    expect(html).toMatch(
      /day in progress<\/span><\/th>\s*<td[^>]*><table.*?<\/table><\/td>\s*<td[^>]*>310<\/td>/,
    );
    expect(row('Thu 19 Nov')).not.toContain('<br>');
    expect(row('Sat 21 Nov')).toMatch(/>not yet<\/td><\/tr>/);
    // The same day with nothing in yet is under way, not a day the ingest skipped.
    model.daily = model.daily.map((d) => (d.day === '2026-11-20' ? { ...d, events: 0, coveredHours: 0 } : d));
    expect(renderReport(model).html).toMatch(
      /Fri 20 Nov<\/th>\s*<td colspan="3"[^>]*>in progress, not ingested yet<\/td>/,
    );
    // A finished week has no day in progress.
    expect(renderReport(modelWithMissingDay()).html).not.toContain('in progress');
  });

  it('shows totals with their change, and the notes of a partial week', () => {
    const { html: complete } = renderReport(sampleModel());
    expect(complete).toContain('12,345');
    expect(complete).toContain('+8%');
    expect(complete).toContain('Changes are against 2026-W46');
    // Lockouts from 0 to 1: "new", in the red of a rise in a figure where more is bad.
    expect(complete).toContain('color:#b3261e;padding-top:2px;">new</div>');
    const model0 = sampleModel();
    model0.totals.events = { current: 5, previous: 0, delta: 5, pct: null };
    model0.totals.lockouts = { current: 0, previous: 0, delta: 0, pct: null };
    const fromZero = renderReport(model0).html;
    expect(fromZero).toContain('color:#1e7b34;padding-top:2px;">new</div>');
    expect(fromZero).toContain('color:#4b5563;padding-top:2px;">-</div>');
    const model = sampleModel({
      status: 'partial',
      notes: ['Only 120 of 168 hours of 2026-W47 are in the lake.'],
      health: fullHealth({ coveredHours: 120, coveragePct: 71.4 }),
    });
    const { html } = renderReport(model);
    expect(html).toContain('12,345');
    expect(html).toContain('Only 120 of 168 hours of 2026-W47 are in the lake.');
    expect(html).toContain('Coverage: 120 of 168 hours (71.4%)');
  });

  it('shows no change in the headline boxes but rises, nor in the top cards, when either week is partial or a preview', () => {
    const partialBefore = sampleModel({ previousHealth: fullHealth({ coveredHours: 3, events: 190 }) });
    const cases: [WeeklyReportModel, string][] = [
      [
        sampleModel({ status: 'partial', health: fullHealth({ coveredHours: 144, coveragePct: 85.7 }) }),
        'this week is only partly in the lake',
      ],
      [sampleModel({ status: 'in-progress' }), 'the week is not over yet'],
      [sampleModel({ generatedAt: '2026-11-20T12:00:00.000Z' }), 'the week is not over yet'],
      [partialBefore, 'the week before is only partly in the lake'],
    ];
    for (const [model, reason] of cases) {
      const { html } = renderReport(model);
      for (const pct of ['+8%', '-5%', '+6%', '+56%']) expect(html).not.toContain(`>${pct}<`);
      expect(html).not.toContain('Changes are against');
      expectBoxes(html, reason, model !== partialBefore);
      // Nor do the top cards: no change column, and the caption says why.
      expect(html).not.toMatch(/>(\+50|new)<\/td>/);
      expect(html).not.toContain('>change</th>');
      expect(html).toContain(`Card views. No change shown: ${reason}.`);
      // Its column stays, blank, so the bars line up with the other sections'.
      expect(html).toMatch(
        /Card views\. No change shown[\s\S]*?>views<\/th><td width="56" style="width:56px;"><\/td><\/tr>/,
      );
      expect(html).not.toContain('with the change against the week before');
    }
    const { html } = renderReport(sampleModel());
    expect(html).toMatch(/>\+50<\/td>/);
    expect(html).toMatch(/>new<\/td>/);
    expect(html).toContain('Card views, with the change against the week before.');
  });

  it('says the lake holds no data for the week before instead of showing its zeros as figures', () => {
    const noneBefore = { previousHealth: fullHealth({ coveredHours: 0, events: 0 }) };
    const range = '2026-W46 (Mon 9 Nov to Sun 15 Nov 2026)';
    const cases: [WeeklyReportModel, string][] = [
      [sampleModel(noneBefore), `No changes shown: the lake holds no data for the week before, ${range}.`],
      [
        sampleModel({ ...noneBefore, status: 'partial', health: fullHealth({ coveredHours: 162 }) }),
        `No changes shown: this week is only partly in the lake, and the lake holds no data for the week before, ${range}.`,
      ],
    ];
    for (const [model, line] of cases) {
      const { html } = renderReport(model);
      expect(occurrences(html, '>not comparable</div>')).toBe(5);
      expect(html).toContain(`;">${line}</td></tr>`);
      expect(html).not.toContain('The week before, ');
      expect(html).not.toMatch(/: [\d,]+ events, [\d,]+ active users\./);
    }
  });

  it('stays under 100 KB for a huge week by capping lists and names, and says how many were left out', () => {
    const base = sampleModel();
    const long = (tag: string, i: number) => `${hostile(tag)} ${'x'.repeat(500)} ${i}`;
    const big: WeeklyReportModel = {
      ...base,
      topUsers: Array.from({ length: 50 }, (_, i) => ({
        ...(base.topUsers[0] as WeeklyReportModel['topUsers'][0]),
        userName: long('u', i),
        userId: long('i', i),
      })),
      topCards: Array.from({ length: 50 }, (_, i) => ({
        cardId: long('c', i),
        cardName: long('c', i),
        views: 100 - i,
        previousViews: 1,
        change: 99 - i,
        changePct: 1,
      })),
      topPages: Array.from({ length: 50 }, (_, i) => ({
        pageId: long('p', i),
        pageName: long('p', i),
        views: 100 - i,
        viewers: 3,
      })),
      suspiciousLogins: Array.from({ length: HUGE_LIST }, (_, i) => ({
        eventTime: '2026-11-18 03:04:05.000',
        userId: long('s', i),
        userName: long('s', i),
        reason: 'new_network',
        ipAddress: long('ip', i),
        country: null,
        asn: null,
        org: null,
        network: long('net', i),
        localHour: 3,
        evidence: long('e', i),
      })),
      failedLogins: Array.from({ length: HUGE_LIST }, (_, i) => ({
        userId: long('f', i),
        userName: long('f', i),
        failedAttempts: HUGE_LIST - i,
        lockouts: 1,
        distinctIps: 3,
        firstFailure: '2026-11-18 09:00:00.000',
        lastFailure: '2026-11-18 09:06:00.000',
        lastLockout: '2026-11-18 09:06:30.000',
      })),
    };
    const { html, text, limits } = renderReport(big);
    expect(encodedBytes(html)).toBeLessThanOrEqual(HTML_BUDGET_BYTES);
    expect(limits.suspiciousLogins).toBe(RENDER_LIMITS.suspiciousLogins);
    expect(html).toContain('and 1,180 more logins');
    expect(html).toContain('and 1,180 more users');
    expect(html).not.toContain('x'.repeat(200));
    expect(Buffer.byteLength(text, 'utf8')).toBeLessThan(100_000);
    expect(text).toContain('and 1,180 more');
  });

  it('places each suspicious login, draws logins by country as bars and credits the geo data', () => {
    const html = renderHtml(sampleModel(), 'subject');
    expect(html).toContain('&middot; US (United States) · AS7922 Comcast Cable Communications, LLC');
    expect(html).toContain('Logins by country');
    expect(html).toMatch(/DE \(Germany\)<\/th>/);
    expect(html).toMatch(/unknown<\/th>/);
    expect(html).toContain('IP geolocation by <a href="https://db-ip.com">DB-IP</a>');
    expect(html).toContain('CC BY 4.0');
    // No flag emoji: regional indicator symbols never appear.
    expect(/[\u{1F1E6}-\u{1F1FF}]/u.test(html)).toBe(false);
  });

  it('counts the suspicious logins a list capped to nothing left out, never calling it empty', () => {
    const model = sampleModel();
    const html = renderHtml(model, 'subject', { ...RENDER_LIMITS, suspiciousLogins: 0 });
    expect(html).toContain('and 1 more login');
    expect(html).not.toContain('No suspicious logins');
  });

  it('says plainly when lists are empty', () => {
    const { html } = renderReport(
      sampleModel({
        suspiciousLogins: [],
        failedLogins: [],
        topUsers: [],
        topCards: [],
        topPages: [],
        // Quarantined entries may be failed logins, which the section then says (quarantined-entries.test.ts).
        health: fullHealth({ quarantined: 0 }),
      }),
    );
    for (const line of [
      'No suspicious logins this week.',
      'No failed logins or lockouts this week.',
      'No user activity this week.',
      'No card views this week.',
      'No page views this week.',
    ]) {
      expect(html).toContain(line);
    }
  });

  it('says there is no data, not that there was no activity, for a week the lake holds nothing of', () => {
    const empty = sampleModel({
      status: 'empty',
      health: fullHealth({ coveredHours: 0, coveragePct: 0, events: 0 }),
      loginsByCountry: [],
      loginHistory: { users: 0, shortHistoryUsers: 0, minHistoryLogins: 10, historyDays: 30 },
      suspiciousLogins: [],
      failedLogins: [],
      topUsers: [],
      topCards: [],
      topPages: [],
    });
    const { html, text } = renderReport(empty);
    for (const part of [html, text]) {
      expect(part).not.toMatch(
        /No (suspicious logins|logins|failed logins or lockouts|user activity|card views|page views) this week\./,
      );
      // Suspicious logins, logins by country, failed logins, users, cards, pages.
      expect(occurrences(part, 'No data for this week.')).toBe(6);
    }
  });
});

/** A model whose every Domo string is `ch` repeated past any clip length, with `rows` in each capped list. */
function heavyModel(ch: string, rows: number): WeeklyReportModel {
  const base = sampleModel();
  const heavy = ch.repeat(600);
  const top = Math.min(rows, 10);
  return {
    ...base,
    topUsers: Array.from({ length: top }, () => ({
      ...(base.topUsers[0] as WeeklyReportModel['topUsers'][0]),
      userName: heavy,
      userId: heavy,
    })),
    topCards: Array.from({ length: top }, () => ({
      cardId: heavy,
      cardName: heavy,
      views: 3,
      previousViews: 1,
      change: 2,
      changePct: 200,
    })),
    topPages: Array.from({ length: top }, () => ({ pageId: heavy, pageName: heavy, views: 3, viewers: 1 })),
    suspiciousLogins: Array.from({ length: rows }, () => ({
      eventTime: '2026-11-18 03:04:05.000',
      userId: heavy,
      userName: heavy,
      reason: 'new_network',
      ipAddress: heavy,
      country: null,
      asn: null,
      org: null,
      network: heavy,
      localHour: 3,
      evidence: heavy,
    })),
    failedLogins: Array.from({ length: rows }, () => ({
      userId: heavy,
      userName: heavy,
      failedAttempts: 3,
      lockouts: 1,
      distinctIps: 2,
      firstFailure: null,
      lastFailure: '2026-11-18 09:06:00.000',
      lastLockout: '2026-11-18 09:06:30.000',
    })),
  };
}

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe('the HTML size budget', () => {
  const cases = ['"', '&', "'", '<'].flatMap((ch) =>
    [0, 1, 5, 10, 11, 19, 20, 21, 40, HUGE_LIST].map((rows) => [ch, rows] as const),
  );

  it.each(cases)('holds on the escaped bytes for strings of %j with %i rows per list', (ch, rows) => {
    const model = heavyModel(ch, rows);
    const { html, text, limits } = renderReport(model);
    expect(bytes(html)).toBeLessThanOrEqual(HTML_BUDGET_BYTES);
    expect(html).not.toMatch(/&(?!(amp|lt|gt|quot|#39|nbsp|middot);)/);

    // Each list shows what its cap allows and says how many rows it left out, in both parts alike.
    const suspicious = Math.min(rows, limits.suspiciousLogins);
    expect(occurrences(html, '>new network owner</span>')).toBe(suspicious);
    // The IP after it, or on a line of its own when the row would pass the text's width.
    expect(text.split(/ {2}new network owner(?: {2}|\n)/).length - 1).toBe(suspicious);
    const failed = Math.min(rows, limits.failedLogins);
    expect(occurrences(html, 'locked Wed 18 Nov 09:06')).toBe(failed);
    // After a name of 32 columns the Last cell wraps under its column (78 columns a row).
    expect(occurrences(text.replace(/\n +/g, ' '), 'locked Wed 18 Nov 09:06')).toBe(failed);
    const more = [
      // Every row is one login (the same time, user and address), found again and again: findings.
      [rows - suspicious, rows - suspicious === 1 ? 'finding' : 'findings', 'more finding'],
      [rows - failed, 'users', 'more users'],
      [Math.min(rows, 10) - Math.min(rows, 10, limits.topList), 'top users', 'more top users'],
      [Math.min(rows, 10) - Math.min(rows, 10, limits.topList), 'top cards', 'more top cards'],
    ] as const;
    for (const [left, htmlWhat, textWhat] of more) {
      if (left > 0) {
        expect(html).toContain(`and ${formatCount(left)} more ${htmlWhat} (`);
        expect(text).toContain(`and ${formatCount(left)} ${textWhat}`);
      } else {
        expect(html).not.toContain(`more ${htmlWhat} (`);
      }
    }
  });

  it('shortens the lists only when the escaped HTML would be over budget', () => {
    // Quotes escape to six bytes: at the starting caps this week's HTML is over budget.
    const worst = heavyModel('"', HUGE_LIST);
    expect(bytes(renderHtml(worst, reportSubject(worst), RENDER_LIMITS))).toBeGreaterThan(HTML_BUDGET_BYTES);
    const shortened = renderReport(worst).limits;
    expect(shortened.suspiciousLogins).toBeLessThan(RENDER_LIMITS.suspiciousLogins);
    expect(shortened.suspiciousLogins).toBeGreaterThan(0);
    // Plain text of the same length fits with every row the caps allow: its quoted-printable form
    // is within the budget, though its base64 form (a third over the decoded bytes) would not be.
    const plain = heavyModel('x', HUGE_LIST);
    const full = renderHtml(plain, reportSubject(plain), RENDER_LIMITS);
    expect(encodedBytes(full)).toBeLessThanOrEqual(HTML_BUDGET_BYTES);
    expect(Math.ceil(bytes(full) / 3) * 4).toBeGreaterThan(HTML_BUDGET_BYTES);
    expect(renderReport(plain).limits).toEqual(RENDER_LIMITS);
    expect(renderReport(sampleModel()).limits).toEqual(RENDER_LIMITS);
  });
});

describe('invisible formatting characters from Domo', () => {
  const SPOOFS = [
    '\u202e',
    '\u202a',
    '\u202b',
    '\u202c',
    '\u202d',
    '\u2066',
    '\u2067',
    '\u2068',
    '\u2069',
    '\u200e',
    '\u200f',
    '\u061c',
  ];
  const BREAKS = ['\u2028', '\u2029', '\u0085'];
  const INVISIBLE = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\u0080-\u009f]/;

  function spoofModel(): WeeklyReportModel {
    const model = sampleModel();
    const [user] = model.topUsers;
    const [card] = model.topCards;
    const [login] = model.suspiciousLogins;
    const [failed] = model.failedLogins;
    if (!user || !card || !login || !failed) throw new Error('the fixture has a row in every list');
    // "admin" followed by a right-to-left override: a client would show "nimda.txt"-style reversals.
    user.userName = `Mallory${SPOOFS.join('')}nimda`;
    card.cardName = `Sales${BREAKS.join('')}Q4`;
    login.evidence = `seen\u202e from 10.0.0.1`;
    login.ipAddress = `198.51.100.7\u2066`;
    failed.userName = `Bob\u2028\u200fAdmin`;
    return model;
  }

  it('are removed from the HTML and the text alike, by the one helper both use', () => {
    const { html, text } = renderReport(spoofModel());
    expect(html).not.toMatch(INVISIBLE);
    expect(text).not.toMatch(INVISIBLE);
    expect(html).toContain('Mallorynimda');
    expect(text).toContain('Mallorynimda');
    expect(text).toContain('seen from 10.0.0.1');
    expect(text).toContain('IP 198.51.100.7');
    // Line and paragraph separators break a line like a newline would: in the text they become one space.
    expect(text).toContain('Sales Q4');
    expect(text).toContain('Bob Admin');
    expect(text.split('\n').some((line) => line.startsWith('Q4'))).toBe(false);
  });

  it('are removed by esc too', () => {
    expect(esc('a\u202eb\u2067c\u200fd')).toBe('abcd');
    expect(esc('a\u2028b')).toBe('a\nb');
    expect(esc('a\u0085b\u009bc')).toBe('a\nbc');
  });
});

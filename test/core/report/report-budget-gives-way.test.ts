/**
 * A week over the HTML budget by a little must lose only the rows the budget needs, and the
 * security lists last: halving every list at once cost a realistic week of Cyrillic names, over by
 * ~500 bytes, half its suspicious logins and failed logins (review R-SFU, stop 52).
 */
import { describe, expect, it } from 'vitest';
import {
  encodedBytes,
  HTML_BUDGET_BYTES,
  RENDER_LIMITS,
  shrinkListCaps,
} from '../../../functions/core/mail/render-limits.ts';
import { renderReport } from '../../../functions/core/report/render-report.ts';
import type { CountryLogins, WeeklyReportModel } from '../../../functions/core/report/report-model.ts';
import { sampleModel } from './model-fixture.ts';

type Row<K extends keyof WeeklyReportModel> = WeeklyReportModel[K] extends readonly (infer R)[] ? R : never;

const NAMES = ['Александр Кузнецов', 'Дмитрий Смирнов', 'Екатерина Иванова', 'Ольга Попова'];
const name = (i: number) => `${NAMES[i % NAMES.length]} ${i}`;
const REASONS = ['new_country', 'new_network', 'impossible_travel', 'unusual_hour'] as const;

/** Every list full, names in Cyrillic, evidence as long as the network-owner sentences run. */
function fullWeek(): WeeklyReportModel {
  const base = sampleModel();
  const login = base.suspiciousLogins[0] as Row<'suspiciousLogins'>;
  const failed = base.failedLogins[0] as Row<'failedLogins'>;
  const user = base.topUsers[0] as Row<'topUsers'>;
  const card = base.topCards[0] as Row<'topCards'>;
  const page = base.topPages[0] as Row<'topPages'>;
  const country = base.loginsByCountry?.[0] as CountryLogins;
  return {
    ...base,
    suspiciousLogins: Array.from({ length: 20 }, (_, i) => ({
      ...login,
      userId: String(1_000_000_000 + i),
      userName: name(i),
      reason: REASONS[i % 4] as Row<'suspiciousLogins'>['reason'],
      evidence:
        'first login from network owner AS3352 (Telefónica de España S.A.U.) in 30 days of history; 2 owners known; network 83.45.120.0/24',
    })),
    failedLogins: Array.from({ length: 20 }, (_, i) => ({
      ...failed,
      userId: String(2_000_000_000 + i),
      userName: name(i + 3),
    })),
    topUsers: Array.from({ length: 10 }, (_, i) => ({
      ...user,
      userId: String(3_000_000_000 + i),
      userName: name(i + 5),
    })),
    topCards: Array.from({ length: 10 }, (_, i) => ({
      ...card,
      cardId: String(400_000 + i),
      cardName: `Prévisions de ventes régionales — Amérique du Nord ${i}`,
    })),
    topPages: Array.from({ length: 10 }, (_, i) => ({
      ...page,
      pageId: String(500_000 + i),
      pageName: `Übersicht Vertriebsleistung Geschäftsjahr ${i}`,
    })),
    loginsByCountry: ['US', 'DE', 'GB', 'FR', 'ES', 'IT', 'NL', 'SE', 'PL', 'BR', 'JP', 'IN'].map(
      (code, i) => ({
        ...country,
        country: code,
        logins: 100 - i,
      }),
    ),
  };
}

/** The week with every name longer by `extra` letters: a way to set how far over the budget it is. */
const longerNames = (model: WeeklyReportModel, extra: number): WeeklyReportModel => {
  const pad = 'Ж'.repeat(extra);
  return {
    ...model,
    suspiciousLogins: model.suspiciousLogins.map((r) => ({ ...r, userName: `${r.userName}${pad}` })),
    failedLogins: model.failedLogins.map((r) => ({ ...r, userName: `${r.userName}${pad}` })),
    topUsers: model.topUsers.map((r) => ({ ...r, userName: `${r.userName}${pad}` })),
  };
};

/**
 * The week with a note long enough to leave it under 1,000 bytes below the budget: the names are
 * cut at a width of their own, so their padding alone no longer reaches a budget with room to spare.
 */
function nearBudget(model: WeeklyReportModel): WeeklyReportModel {
  const withNote = (words: number): WeeklyReportModel => ({
    ...model,
    notes: [...model.notes, 'Volumen de datos importados. '.repeat(words)],
  });
  let words = 0;
  while (!renderReport(withNote(words + 30)).shortened) {
    words += 30;
    expect(words).toBeLessThan(HTML_BUDGET_BYTES / 20);
  }
  return withNote(words);
}

describe('a report a little over its budget', () => {
  it('keeps every suspicious and failed login, the activity lists giving way a row at a time', () => {
    const week = nearBudget(fullWeek());
    // The smallest padding that puts the whole report over the budget.
    let extra = 0;
    while (!renderReport(longerNames(week, extra)).shortened) {
      extra++;
      expect(extra).toBeLessThan(32);
    }
    const { html, text, limits } = renderReport(longerNames(week, extra));
    expect(encodedBytes(html)).toBeLessThanOrEqual(HTML_BUDGET_BYTES);
    expect(limits.suspiciousLogins).toBe(RENDER_LIMITS.suspiciousLogins);
    expect(limits.failedLogins).toBe(RENDER_LIMITS.failedLogins);
    // One step: a row fewer in the countries and each top list, no more.
    expect([limits.topList, limits.countries]).toEqual([
      RENDER_LIMITS.topList - 1,
      RENDER_LIMITS.countries - 1,
    ]);
    for (const part of [html, text]) {
      expect(part).not.toContain('more logins');
      expect(part).toContain('and 1 more top users');
    }
  });
});

describe('shrinkListCaps', () => {
  it('gives way in order: long top lists, activity lists to 5, security lists by quarters, then nothing', () => {
    const steps: string[] = [];
    let limits: ReturnType<typeof shrinkListCaps> = { ...RENDER_LIMITS, topList: 40 };
    while (limits) {
      steps.push(`${limits.topList}/${limits.countries}/${limits.suspiciousLogins}/${limits.failedLogins}`);
      limits = shrinkListCaps(limits);
    }
    expect(steps).toEqual([
      '40/10/20/20',
      '20/10/20/20',
      '10/10/20/20',
      '9/9/20/20',
      '8/8/20/20',
      '7/7/20/20',
      '6/6/20/20',
      '5/5/20/20',
      '5/5/15/15',
      '5/5/11/11',
      '5/5/8/8',
      '5/5/6/6',
      '5/5/4/4',
      '5/5/3/3',
      '5/5/2/2',
      '5/5/1/1',
      '5/5/0/0',
      '2/2/0/0',
      '1/1/0/0',
      '0/0/0/0',
    ]);
  });
});

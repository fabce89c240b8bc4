/**
 * A Domo string that holds a URL (a card named `Reset SSO at https://evil.example/sso`) must not
 * become a link in the mails: Gmail, Outlook and Apple Mail link bare `https://` and `www.` text,
 * which would put an insider's link in the admins' weekly report and alerts. Both parts of both
 * mails defang it (`https[:]//`, `www[.]`) before clipping; the terminal and the model do not.
 */
import { describe, expect, it } from 'vitest';
import { type Alert, alertId } from '../../../functions/core/alerts/alert.ts';
import { renderAlertMessage } from '../../../functions/core/alerts/render-alerts.ts';
import { lakeTimestamp } from '../../../functions/core/lake/layout.ts';
import { esc } from '../../../functions/core/mail/html-escape.ts';
import { unlinked } from '../../../functions/core/mail/mail-links.ts';
import { RENDER_LIMITS } from '../../../functions/core/mail/render-limits.ts';
import { renderReport } from '../../../functions/core/report/render-report.ts';
import type { WeeklyReportModel } from '../../../functions/core/report/report-model.ts';
import { rowName } from '../../../functions/core/report/row-names.ts';
import { columnName } from '../../../functions/core/report/text-names.ts';
import { sampleModel } from '../report/model-fixture.ts';

/** A web link to the planted hosts, whatever the case: what a client would make clickable. */
const LINKABLE = /[a-z]:\/\/[^\s]*evil|www\.evil/i;

function plantedModel(): WeeklyReportModel {
  const base = sampleModel();
  const user = base.topUsers[0] as WeeklyReportModel['topUsers'][0];
  const card = base.topCards[0] as WeeklyReportModel['topCards'][0];
  const page = base.topPages[0] as WeeklyReportModel['topPages'][0];
  const login = base.suspiciousLogins[0] as WeeklyReportModel['suspiciousLogins'][0];
  return {
    ...base,
    topUsers: [{ ...user, userId: '7', userName: 'IT desk www.evil.example' }],
    topCards: [{ ...card, cardId: '11', cardName: 'SSO https://evil.example/sso' }],
    topPages: [{ ...page, pageId: '21', pageName: 'HTTPS://EVIL.EXAMPLE/login' }],
    suspiciousLogins: [{ ...login, evidence: 'see ftp://evil.example/x and Www.Evil.example' }],
  };
}

describe('unlinked', () => {
  it('defangs every scheme, in any case, and a www. host start', () => {
    expect(unlinked('Reset SSO at https://evil.example/sso')).toBe('Reset SSO at https[:]//evil.example/sso');
    expect(unlinked('HTTPS://A ftp://b x-y+z.1://c')).toBe('HTTPS[:]//A ftp[:]//b x-y+z.1[:]//c');
    expect(unlinked('www.evil.example WWW.x')).toBe('www[.]evil.example WWW[.]x');
    expect(unlinked('https://www.evil.example')).toBe('https[:]//www[.]evil.example');
  });

  it('defangs a bare host followed by a path, query or port at its last dot', () => {
    // A failed login's user name is whatever the attacker typed (review R-ALERTS, L4).
    expect(unlinked('domo-sso-support.com/reset?u=admin')).toBe('domo-sso-support[.]com/reset?u=admin');
    expect(unlinked('see Evil.Example/sso or a.b.evil.example?x or evil.example:8443')).toBe(
      'see Evil[.]Example/sso or a.b.evil[.]example?x or evil[.]example:8443',
    );
    // Shown as defanged already by the scheme or www. rule: left as it is, and twice is once.
    expect(unlinked('https://evil.example/sso www.evil.example/x')).toBe(
      'https[:]//evil.example/sso www[.]evil.example/x',
    );
    expect(unlinked(unlinked('evil.example/sso'))).toBe('evil[.]example/sso');
  });

  it('leaves ordinary names, mail addresses and words with www inside alone', () => {
    for (const name of [
      'Ada Lovelace',
      'ann@example.com',
      'ann@example.com/x',
      'awww.x',
      'Sales: Q3 // EMEA',
      'a.www',
      'j.smith',
      'corp.com',
      '10.0.0.5/24',
      'v1.2/beta',
      'Sales.EMEA: Q3',
    ]) {
      expect(unlinked(name)).toBe(name);
    }
  });

  it('cannot be undone by a control removed after it, and twice is once', () => {
    expect(unlinked('https:\u202e//evil.example')).toBe('https[:]//evil.example');
    expect(unlinked('ww\u200ew.evil.example')).toBe('www[.]evil.example');
    const once = unlinked('https://www.evil.example');
    expect(unlinked(once)).toBe(once);
  });
});

describe('the weekly report mail', () => {
  it('has no link to a planted URL in its HTML or text part', () => {
    const { html, text } = renderReport(plantedModel());
    for (const part of [html, text]) {
      expect(part).not.toMatch(LINKABLE);
      expect(part).toContain('SSO https[:]//evil.example/sso');
      expect(part).toContain('HTTPS[:]//EVIL.EXAMPLE/login');
      expect(part).toContain('IT desk www[.]evil.example');
      expect(part).toContain('see ftp[:]//evil.example/x and Www[.]Evil.example');
    }
  });

  it('clips the defanged name, so the width holds and no cut leaves a scheme', () => {
    const base = plantedModel();
    const cardName = `${'Quarterly revenue by region '.repeat(2)}https://evil.example/sso`;
    const model = { ...base, topCards: base.topCards.map((c) => ({ ...c, cardName })) };
    const { html, text } = renderReport(model);
    // Cut short, the name keeps its id, all within the limit.
    const shown = rowName(unlinked(cardName), '11', 'card', RENDER_LIMITS.name);
    expect(shown).toBe('Quarterly revenue by region Quarterly reve… (11)');
    expect(Array.from(shown).length).toBeLessThanOrEqual(RENDER_LIMITS.name);
    expect(html).toContain(esc(shown));
    for (const part of [html, text]) expect(part).not.toMatch(LINKABLE);
  });

  it('tells apart two names that read the same once defanged (namesakes keep their ids)', () => {
    const base = plantedModel();
    const user = base.topUsers[0] as WeeklyReportModel['topUsers'][0];
    const model = {
      ...base,
      topUsers: [
        { ...user, userId: '7', userName: 'https://x.example' },
        { ...user, userId: '666', userName: 'https[:]//x.example' },
      ],
    };
    const { html, text } = renderReport(model);
    for (const part of [html, text]) {
      expect(part).toContain('https[:]//x.example (7)');
      expect(part).toContain('https[:]//x.example (666)');
    }
  });

  it('leaves the model (its JSON) and the terminal names as Domo sent them', () => {
    const model = plantedModel();
    const before = JSON.stringify(model);
    renderReport(model);
    expect(JSON.stringify(model)).toBe(before);
    expect(columnName('Reset https://evil.example', '7', 'user', RENDER_LIMITS.name, true)).toBe(
      'Reset https://evil.example (7)',
    );
  });
});

describe('the alerts mail', () => {
  const NOW = Date.parse('2026-11-18T15:00:00Z');
  const planted: Alert = {
    id: alertId('acme', 'lockout', ['1']),
    instance: 'acme',
    kind: 'lockout',
    user_id: '42',
    user_name: 'Reset SSO at HTTPS://evil.example/sso',
    event_time: lakeTimestamp(NOW - 3_600_000),
    event_time_ms: NOW - 3_600_000,
    evidence: 'locked out; see www.evil.example',
    ip_address: '203.0.113.7',
    event_ids: ['a'],
  };

  it('has no link to a planted URL in its HTML or text part', () => {
    const options = { instance: 'acme', timeZone: 'UTC', nowMs: NOW, mailOlderThanHours: 24 };
    const { html, text } = renderAlertMessage([planted], options);
    for (const part of [html, text]) {
      expect(part).not.toMatch(LINKABLE);
      expect(part).toContain('Reset SSO at HTTPS[:]//evil.example/sso (42)');
      expect(part).toContain('locked out; see www[.]evil.example');
    }
  });

  it('defangs a made-up user name of a failed login that reads as a host and path', () => {
    const options = { instance: 'acme', timeZone: 'UTC', nowMs: NOW, mailOlderThanHours: 24 };
    const burst: Alert = {
      ...planted,
      kind: 'failed_login_burst',
      user_id: null,
      user_name: 'sso-help.com/reset?u=admin',
    };
    const { html, text } = renderAlertMessage([burst], options);
    for (const part of [html, text]) {
      expect(part).not.toContain('sso-help.com/');
      expect(part).toContain('sso-help[.]com/reset');
    }
  });
});

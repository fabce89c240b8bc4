/**
 * `topN` (`report --top`) is the length of the top lists in the mail, not only in the queries: the
 * renderer starts from it rather than a fixed 10, and the size budget still shortens it, before it
 * touches the suspicious and failed logins.
 */
import { describe, expect, it } from 'vitest';
import { HTML_BUDGET_BYTES, RENDER_LIMITS } from '../../../functions/core/mail/render-limits.ts';
import type { MailMessage } from '../../../functions/core/ports.ts';
import { renderReport } from '../../../functions/core/report/render-report.ts';
import { sendWeeklyReport } from '../../../functions/core/report/send-weekly-report.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { CONTRACT_ROWS, FakeEngine } from './fake-engine.ts';
import { longTopLists, n2, sampleModel } from './model-fixture.ts';

const shownRows = (part: string, kind: string) => part.match(new RegExp(`${kind} \\d\\d`, 'g'))?.length ?? 0;

describe('top lists of topN rows', () => {
  it('shows as many rows as topN asks for, in both parts', () => {
    // 20 rows: 30 of each list are ~94 KB of HTML, over the budget as quoted-printable (~8 % more).
    const model = longTopLists(20);
    const { html, text, limits, shortened } = renderReport(model, 20);
    expect(limits.topList).toBe(20);
    expect(shortened).toBe(false);
    for (const kind of ['User', 'Card', 'Page']) {
      expect(shownRows(html, kind)).toBe(20);
      expect(shownRows(text, kind)).toBe(20);
    }
    expect(html).not.toContain('more top users');
    expect(text).not.toContain('more top users');
  });

  it('keeps 10 without a topN, and says how many are left out', () => {
    const { html, text, limits } = renderReport(longTopLists(30));
    expect(limits).toEqual(RENDER_LIMITS);
    expect(shownRows(html, 'User')).toBe(10);
    expect(text).toContain('and 20 more top users');
  });

  it('leaves the countries at their own length', () => {
    const model = sampleModel();
    const countries = model.loginsByCountry ?? [];
    expect(countries.length).toBeGreaterThan(1);
    expect(renderReport(model, 1).limits.countries).toBe(RENDER_LIMITS.countries);
    expect(renderReport(model, 1).html).not.toContain('more countries');
  });

  it('shortens long top lists first when the HTML is over budget, keeping the suspicious logins', () => {
    // Quotes escape to six bytes: 100 rows a list of 48 of them are far over the budget.
    const model = longTopLists(100, (kind, i) => `${kind} ${n2(i)} ${'"'.repeat(60)}`);
    const { html, limits, shortened } = renderReport(model, 100);
    expect(new TextEncoder().encode(html).byteLength).toBeLessThanOrEqual(HTML_BUDGET_BYTES);
    expect(shortened).toBe(true);
    expect(limits.topList).toBeLessThan(100);
    expect(limits.topList).toBeGreaterThanOrEqual(RENDER_LIMITS.topList);
    expect(limits.suspiciousLogins).toBe(RENDER_LIMITS.suspiciousLogins);
    expect(limits.failedLogins).toBe(RENDER_LIMITS.failedLogins);
  });
});

describe('sending a report with topN', () => {
  it('mails the lists as long as the queries were asked for', async () => {
    const users = Array.from({ length: 25 }, (_, i) => ({
      ...(CONTRACT_ROWS.most_active_users?.[0] ?? {}),
      user_id: `u${i}`,
      user_name: `User ${n2(i)}`,
    }));
    const sent: MailMessage[] = [];
    const engine = new FakeEngine({ ...CONTRACT_ROWS, most_active_users: users });
    const log = { debug() {}, info() {}, warn() {}, error() {} };
    await sendWeeklyReport(
      {
        engine,
        store: new MemoryObjectStore(),
        mailer: {
          send: async (m: MailMessage) => {
            sent.push(m);
            return { messageId: 'm1' };
          },
        },
        clock: { now: () => Date.parse('2026-11-23T07:00:00Z') },
        log,
      },
      { instance: 'acme', timeZone: 'UTC', from: 'r@example.com', to: ['s@example.com'], topN: 25 },
    );
    expect(engine.calls.find((c) => c.name === 'most_active_users')?.params.limit).toBe('25');
    expect(shownRows(sent[0]?.text ?? '', 'User')).toBe(25);
    expect(shownRows(sent[0]?.html ?? '', 'User')).toBe(25);
  });
});

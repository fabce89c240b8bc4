/**
 * Sign-ins naming no user (none stored: Domo nested its user fields, `user: {id, name}`; or "" or 0)
 * are judged by no check of suspicious_logins, and sign-ins without an address by none of its place checks: the
 * report must not say a flat "No suspicious logins this week." over them (docs/report.md), nor
 * call logins of an unknown country "0 of 4 logins without geo data" without saying why.
 */
import { describe, expect, it } from 'vitest';
import { esc } from '../../../functions/core/mail/html-escape.ts';
import { buildReportModel } from '../../../functions/core/report/build-report-model.ts';
import { reportWeek } from '../../../functions/core/report/iso-week.ts';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { renderText } from '../../../functions/core/report/render-text.ts';
import type { WeeklyReportModel } from '../../../functions/core/report/report-model.ts';
import { runOfWeek } from '../../../functions/core/report/report-run.ts';
import { reportSubject } from '../../../functions/core/report/report-subject.ts';
import { textWords } from '../../support/text-part.ts';
import { CONTRACT_ROWS, FakeEngine } from './fake-engine.ts';
import { fullHealth, sampleModel } from './model-fixture.ts';

const WITHOUT_USER =
  '4 of 4 logins (100%) named no user (no user id, or one empty or 0), so no check could judge them: Domo may have renamed or nested its user fields, or sent none (the events\' raw column shows what it sent; docs/ingest.md, "Reading entries").';
const WITHOUT_IP =
  '4 of 4 logins (100%) came without an IP address: the place checks (new country, new network owner, impossible travel) could not judge them.';

/** A week whose 4 sign-ins were all stored without a user id, or without an address. */
const week = (health: Parameters<typeof fullHealth>[0], overrides: Partial<WeeklyReportModel> = {}) =>
  sampleModel({
    suspiciousLogins: [],
    loginsByCountry: [{ country: null, logins: 4, users: 2 }],
    loginHistory: { users: 0, shortHistoryUsers: 0, minHistoryLogins: 10, historyDays: 30 },
    health: fullHealth({ logins: 4, unplacedLogins: 0, ...health }),
    ...overrides,
  });

const rendered = (model: WeeklyReportModel) => ({
  text: textWords(renderText(model)),
  html: renderHtml(model, reportSubject(model)),
});

describe('logins without a user id or an IP address', () => {
  it('reads both counts from data_health', async () => {
    const engine = new FakeEngine({
      ...CONTRACT_ROWS,
      data_health: [
        { ...CONTRACT_ROWS.data_health?.[0], logins: 10, logins_without_user: 3, logins_without_ip: 2 },
      ],
    });
    const model = await buildReportModel(engine, {
      instance: 'acme',
      run: runOfWeek(reportWeek('2026-W47', 'UTC'), Date.parse('2026-11-23T07:00:00Z')),
    });
    expect(model.health).toMatchObject({ logins: 10, loginsWithoutUser: 3, loginsWithoutIp: 2 });
  });

  it('says the logins naming no user were not judged instead of "none", in text, HTML and subject', () => {
    const model = week({ loginsWithoutUser: 4 });
    const { text, html } = rendered(model);
    expect(text).toContain(`No suspicious logins found, but ${WITHOUT_USER}`);
    expect(html).toContain(esc(`No suspicious logins found, but ${WITHOUT_USER}`));
    expect(text).toContain('Logins naming no user 4 of 4 logins (100%)');
    expect(html).toContain('Logins naming no user: 4 of 4 logins (100%)');
    for (const part of [text, html]) expect(part).not.toContain('No suspicious logins this week.');
    expect(reportSubject(model)).toContain(': 0 suspicious logins (4 logins naming no user), ');
  });

  it('says the logins without an address could not be placed, and what the unknown country holds', () => {
    const model = week({ loginsWithoutIp: 4 });
    const { text, html } = rendered(model);
    expect(text).toContain(`No suspicious logins found, but ${WITHOUT_IP}`);
    expect(html).toContain(`No suspicious logins found, but ${WITHOUT_IP}`);
    for (const part of [text, html]) {
      expect(part).not.toContain('No suspicious logins this week.');
      expect(part).toContain('Unknown includes 4 logins without an IP address.');
    }
    // Not "without geo data" (enrich cannot place them), but beside it, so the figures add up.
    expect(text).toContain(
      'Logins without geo data 0 of 4 logins (0%) Logins without an IP address 4 of 4 logins (100%)',
    );
    expect(html).toContain('Logins without an IP address: 4 of 4 logins (100%)');
  });

  it('lists every reason, the one no check judged first, above the findings', () => {
    const model = week(
      { loginsWithoutUser: 1, loginsWithoutIp: 1, logins: 4 },
      { suspiciousLogins: sampleModel().suspiciousLogins },
    );
    const text = textWords(renderText(model));
    const user = text.indexOf('NOTE: 1 of 4 logins (25%) named no user');
    const ip = text.indexOf('NOTE: 1 of 4 logins (25%) came without an IP address');
    expect(user).toBeGreaterThan(-1);
    expect(ip).toBeGreaterThan(user);
  });

  it('changes nothing when every login has both, nor for a model archived before the counts', () => {
    const whole = week({ loginsWithoutUser: 0, loginsWithoutIp: 0 });
    const archived = sampleModel({ suspiciousLogins: [] });
    for (const model of [whole, archived]) {
      const { text, html } = rendered(model);
      for (const part of [text, html]) {
        expect(part).toContain('No suspicious logins this week.');
        expect(part).not.toMatch(/came without|named no user|naming no user|without an IP address/);
      }
      expect(reportSubject(model)).not.toContain('naming no user');
    }
  });
});

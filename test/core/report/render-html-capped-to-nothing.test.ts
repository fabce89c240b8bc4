import { describe, expect, it } from 'vitest';
import { RENDER_LIMITS } from '../../../functions/core/mail/render-limits.ts';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { sampleModel } from './model-fixture.ts';

/**
 * The budget halves the list caps down to 0 for a huge week: a list cut to no rows still had rows,
 * and the HTML must say how many, as the text part does, not that there were none.
 */
describe('a list the size budget cut to no rows', () => {
  const limits = { ...RENDER_LIMITS, suspiciousLogins: 0, failedLogins: 0, topList: 0, countries: 0 };
  const model = sampleModel();
  const html = renderHtml(model, 'subject', limits);

  it('counts the failed logins left out instead of saying there were none', () => {
    expect(model.failedLogins.length).toBeGreaterThan(0);
    expect(html).not.toContain('No failed logins or lockouts this week.');
    expect(html).toContain(`and ${model.failedLogins.length} more users`);
  });

  it('counts the countries left out instead of saying there were no logins', () => {
    const countries = model.loginsByCountry ?? [];
    expect(countries.length).toBeGreaterThan(0);
    expect(html).not.toContain('No logins this week.');
    expect(html).toContain(`and ${countries.length} more countries`);
  });
});

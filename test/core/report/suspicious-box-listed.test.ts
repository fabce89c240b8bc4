/**
 * The suspicious-logins box said `43 … listed below` when the list showed 20 rows of 54: the
 * figure counts logins, the list shows findings, and at most 20 of them. It says how many it lists.
 */
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../../functions/core/report/render-report.ts';
import type { SuspiciousLogin } from '../../../functions/core/report/report-model.ts';
import { sampleModel } from './model-fixture.ts';

function modelWith(findings: number, loginsFoundTwice = 0) {
  const model = sampleModel();
  const base = model.suspiciousLogins[0];
  if (!base) throw new Error('the fixture has a suspicious login');
  const rows: SuspiciousLogin[] = Array.from({ length: findings }, (_, i) => ({
    ...base,
    userId: `u${i < loginsFoundTwice * 2 ? Math.floor(i / 2) : i}`,
    reason: i < loginsFoundTwice * 2 && i % 2 === 1 ? 'new_network' : 'new_country',
  }));
  model.suspiciousLogins = rows;
  return model;
}

/** The text under the box's figure. */
const boxNote = (html: string) => />Suspicious logins<\/div>\s*<div[^>]*>(.*?)<\/div>/.exec(html)?.[1];

describe('the suspicious-logins box', () => {
  it('says how many findings the list shows when it cannot show them all', () => {
    const { html } = renderReport(modelWith(54, 11));
    expect(html).toMatch(/>43<\/div>\s*<div[^>]*>Suspicious logins</);
    expect(boxNote(html)).toBe('20 of 54 findings<br>listed');
    expect(html).toContain('and 34 more findings');
  });

  it('counts logins when each was found once', () => {
    expect(boxNote(renderReport(modelWith(30)).html)).toBe('20 of 30<br>listed');
  });

  it('says listed below when the list shows them all, and none without any', () => {
    expect(boxNote(renderReport(modelWith(20)).html)).toBe('listed below');
    expect(boxNote(renderReport(modelWith(0)).html)).toBe('none');
  });
});

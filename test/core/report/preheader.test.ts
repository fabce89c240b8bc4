/**
 * The report's hidden preheader (review R-CISO M3): the inbox preview showed the header line, which
 * repeats the subject, instead of what the week needs looked at.
 */
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { weekSummary } from '../../../functions/core/report/week-summary.ts';
import { sampleModel } from './model-fixture.ts';

describe('the report mail preheader', () => {
  it('holds the "This week:" line, hidden, as the first text of the content', () => {
    const model = sampleModel();
    const html = renderHtml(model, 'subject');
    const summary = weekSummary(model);
    expect(summary).toMatch(/^This week: /);
    const start = html.indexOf('<div role="main"');
    const after = html.slice(html.indexOf('>', start) + 1);
    expect(after).toMatch(
      /^\s*<div style="display:none;[^"]*max-height:0;[^"]*overflow:hidden;mso-hide:all;">This week: /,
    );
    // Nothing visible comes before it in the content.
    expect(after.trimStart().startsWith('<div style="display:none;')).toBe(true);
  });

  it('is left out for a week with no data, which has no such line', () => {
    const empty = { ...sampleModel(), status: 'empty' as const };
    expect(weekSummary(empty)).toBeUndefined();
    expect(renderHtml(empty, 'subject')).not.toContain('mso-hide:all;">');
  });
});

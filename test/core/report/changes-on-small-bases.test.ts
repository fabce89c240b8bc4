/**
 * Review R-PHONE L1-L3: `Failed logins +2,800%` for 1 to 29 shouted, `Events -0.9%` was as red as
 * it, the box labels' grey was 4.39:1 on the boxes (under WCAG AA's 4.5:1), and a finding's label
 * broke across lines on a phone.
 */
import { describe, expect, it } from 'vitest';
import { MUTED } from '../../../functions/core/report/html-style.ts';
import { formatChangeOnBase } from '../../../functions/core/report/number-format.ts';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { renderText } from '../../../functions/core/report/render-text.ts';
import { sampleModel } from './model-fixture.ts';

/** WCAG's contrast ratio of two `#rrggbb` colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string): number => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (bl ?? 0);
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
}

describe('the changes of the headline figures', () => {
  it('show a difference against a base under 20, a percentage from 20 up', () => {
    expect(formatChangeOnBase({ current: 29, previous: 1, pct: 2800 })).toBe('+28');
    expect(formatChangeOnBase({ current: 3, previous: 19, pct: -84 })).toBe('-16');
    expect(formatChangeOnBase({ current: 30, previous: 20, pct: 50 })).toBe('+50%');
    expect(formatChangeOnBase({ current: 1, previous: 0, pct: 0 })).toBe('new');
  });

  it('show it so in the boxes and the text', () => {
    const model = sampleModel();
    model.totals.failedLogins = { current: 29, previous: 1, delta: 28, pct: 2800 };
    model.previousHealth = model.health;
    const html = renderHtml(model, 'subject');
    expect(html).toContain('>+28</div>');
    expect(html).not.toContain('+2,800%');
    expect(renderText(model)).not.toContain('+2,800%');
  });

  it('show a small fall of activity in grey, a large one in red', () => {
    const model = sampleModel();
    model.previousHealth = model.health;
    model.totals.events = { current: 12_387, previous: 12_496, delta: -109, pct: -0.9 };
    model.totals.logins = { current: 100, previous: 313, delta: -213, pct: -68 };
    const html = renderHtml(model, 'subject');
    expect(html).toContain(`color:${MUTED};padding-top:2px;">-0.9%</div>`);
    expect(html).toContain('color:#b3261e;padding-top:2px;">-68%</div>');
  });
});

describe('the look of the figures and findings', () => {
  it('has labels of at least 4.5:1 on the boxes and the page', () => {
    expect(contrast(MUTED, '#f8fafc')).toBeGreaterThanOrEqual(4.5);
    expect(contrast(MUTED, '#f3f4f6')).toBeGreaterThanOrEqual(4.5);
    expect(contrast(MUTED, '#ffffff')).toBeGreaterThanOrEqual(4.5);
  });

  it("keeps a finding's label whole on a line", () => {
    const html = renderHtml(sampleModel(), 'subject');
    expect(html).toMatch(/<span style="background-color:#fdecea;[^"]*white-space:nowrap;">[a-z ]+<\/span>/);
  });
});

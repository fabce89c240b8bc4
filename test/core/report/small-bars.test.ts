/**
 * A day with a few events beside a busy one still draws one cell of its bar, in the text part and in
 * the HTML: rounded down to nothing, it would read as a day without activity.
 */
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { renderText } from '../../../functions/core/report/render-text.ts';
import { sampleModel } from './model-fixture.ts';

function withTinyDay() {
  const model = sampleModel();
  model.daily = model.daily.map((d) => (d.day === '2026-11-22' ? { ...d, events: 3 } : d));
  return model;
}

describe('a day with 3 events of a week whose busiest day has 2,500', () => {
  it('shows one # in the text part', () => {
    const row = renderText(withTinyDay())
      .split('\n')
      .find((line) => line.startsWith('Sun 22 Nov'));
    expect(row).toMatch(/ #\.{29} +3 /);
  });

  it('has a 1% filled cell in the HTML', () => {
    expect(renderHtml(withTinyDay(), 'subject')).toContain('width="1%"');
  });
});

/**
 * A day with a few events beside a busy one still draws one cell of its bar in the HTML: rounded
 * down to nothing, it would read as a day without activity. The text part, which draws no bars,
 * says its count.
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
  it('says its 3 events in the text part', () => {
    const row = renderText(withTinyDay())
      .split('\n')
      .find((line) => line.startsWith('Sun 22 Nov'));
    expect(row).toMatch(/^Sun 22 Nov +3 +5 users$/);
  });

  it('has a 1% filled cell in the HTML', () => {
    expect(renderHtml(withTinyDay(), 'subject')).toContain('width="1%"');
  });
});

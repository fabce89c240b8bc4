import { expect, it } from 'vitest';
import { esc } from '../../../functions/core/mail/html-escape.ts';
import { renderReport } from '../../../functions/core/report/render-report.ts';
import { sampleModel } from '../report/model-fixture.ts';

it('turns a CR of a Domo string, alone or before LF, into LF', () => {
  expect(esc('Ann\rBcc: x@y')).toBe('Ann\nBcc: x@y');
  expect(esc('a\r\nb\n\rc')).toBe('a\nb\n\nc');
});

it('leaves no bare CR in the HTML body, which SES sends as it is', () => {
  const model = sampleModel();
  model.topCards = model.topCards.map((c, i) => (i === 0 ? { ...c, cardName: 'Revenue\rBcc: x@y' } : c));
  const { html } = renderReport(model);
  expect(html).toContain('Revenue\nBcc: x@y');
  expect(html).not.toContain('\r');
});

/**
 * Enlarged-text readers (review R-A11Y L7): nothing a person reads in either mail is set below
 * 12 px. The column headers, the finding badges (the kind of a finding, what to act on), the
 * bars' day notes and the footer were 11 px. A bar's 1 px font size is no text: it keeps its
 * `&nbsp;` from setting the bar's height. The alerts mail's id was 11 px until 2026-12-06, to keep
 * it on the IP's line at 375 px; at 12 px it goes to the next line whole beside a long IP
 * (alert-id-in-chromium.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { renderAlertMessage } from '../../../functions/core/alerts/render-alerts.ts';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { reportSubject } from '../../../functions/core/report/report-subject.ts';
import { alertOf } from '../alerts/support/alert-fixtures.ts';
import { modelWithMissingDay, sampleModel } from '../report/model-fixture.ts';

const NOW = Date.parse('2026-11-18T15:00:00Z');

/** Each font size below 12 px in `html`, with the text it is set on. */
function smallText(html: string): string[] {
  return [...html.matchAll(/font-size:(\d+)px[^>]*>([^<]*)/g)]
    .filter(([, size, text]) => Number(size) < 12 && (text ?? '').replaceAll('&nbsp;', '').trim() !== '')
    .map(([, size, text]) => `${size}px: ${text}`);
}

describe('the least font size of the mails', () => {
  it('is 12 px for every text of the weekly report, its day notes and footer included', () => {
    const pages = [sampleModel(), modelWithMissingDay()].map((model) =>
      renderHtml(model, reportSubject(model)),
    );
    // A day's note under its bar (the day missing from the lake) is among them.
    expect(pages.join('')).toContain('font-style:italic');
    for (const html of pages) expect(smallText(html)).toEqual([]);
  });

  it('is 12 px for every text of the alerts mail, the alert id included', () => {
    const { html } = renderAlertMessage([alertOf({ id: 'a'.repeat(32), event_time_ms: NOW - 60_000 })], {
      instance: 'acme',
      timeZone: 'UTC',
      nowMs: NOW,
      mailOlderThanHours: 24,
    });
    expect(html).toContain(`alert&nbsp;${'a'.repeat(32)}`);
    expect(smallText(html)).toEqual([]);
  });
});

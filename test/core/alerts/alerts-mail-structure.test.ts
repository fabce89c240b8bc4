/**
 * Review R-PHONE L4 and L5: the alerts mail had no `<h1>`, a header cell inside a
 * role="presentation" table (which takes its meaning away), 16-px notes after 14-px alerts, a
 * viewport without initial-scale and no x-apple-disable-message-reformatting; the alert id took a
 * line of its own on a phone.
 */
import { describe, expect, it } from 'vitest';
import { renderAlertMessage } from '../../../functions/core/alerts/render-alerts.ts';
import { alertOf } from './support/alert-fixtures.ts';

const NOW = Date.parse('2026-11-18T15:00:00Z');
const { html } = renderAlertMessage(
  [
    alertOf({ id: 'a'.repeat(32), event_time_ms: NOW - 60_000 }),
    alertOf({ id: 'b'.repeat(32), kind: 'unusual_hour', event_time_ms: NOW - 40 * 3_600_000 }),
  ],
  { instance: 'acme', timeZone: 'UTC', nowMs: NOW, mailOlderThanHours: 24 },
);

describe("the alerts mail's structure", () => {
  it('has one h1, the title, before the alerts', () => {
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
    expect(html).toMatch(
      /<h1 style="[^"]*font-size:18px[^"]*">Security alerts for the Domo instance acme<\/h1>/,
    );
  });

  it('has no header cell in its layout table', () => {
    expect(html).not.toContain('<th');
    expect(html).toMatch(/<b>Alerts, [^<]*<\/b><\/p>\n<table role="presentation"/);
  });

  it('sets every paragraph at 14 px', () => {
    const paragraphs = html.match(/<p(?: [^>]*)?>/g) ?? [];
    expect(paragraphs.length).toBeGreaterThan(2);
    for (const p of paragraphs) expect(p).toContain('font-size:14px;');
  });

  it('asks phones not to zoom or reformat it, as the weekly report does', () => {
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('<meta name="x-apple-disable-message-reformatting">');
  });

  it('sets the alert id in small type after the IP, joined to its label', () => {
    expect(html).toContain(`&middot; <span style="font-size:12px">alert&nbsp;${'a'.repeat(32)}</span>`);
  });
});

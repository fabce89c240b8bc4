/**
 * Screen readers: the report's tables of data (failed logins, the bar lists) name their columns with
 * `<th scope="col">` and are not marked `role="presentation"`, which would hide those headers; the
 * layout tables keep it. The alerts mail says its language and has a title.
 */
import { describe, expect, it } from 'vitest';
import { renderAlertMessage } from '../../../functions/core/alerts/render-alerts.ts';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { reportSubject } from '../../../functions/core/report/report-subject.ts';
import { alertOf } from '../alerts/support/alert-fixtures.ts';
import { sampleModel } from './model-fixture.ts';

/** The opening tag of the innermost table open at `at` in `html`. */
function enclosingTable(html: string, at: number): string {
  const open: number[] = [];
  for (const match of html.slice(0, at).matchAll(/<table\b|<\/table>/g)) {
    if (match[0] === '</table>') open.pop();
    else open.push(match.index);
  }
  const start = open.at(-1) ?? -1;
  return html.slice(start, html.indexOf('>', start) + 1);
}

describe('the tables of the report', () => {
  const model = sampleModel();
  const html = renderHtml(model, reportSubject(model));
  const headers = [...html.matchAll(/<th scope="col"[^>]*>([^<]*)<\/th>/g)];

  it('head their columns with <th scope="col">, set to look as before', () => {
    const texts = headers.map((h) => h[1]);
    for (const column of [
      'User',
      'Failed',
      'Lockouts',
      'IPs',
      'Last',
      'events',
      'users',
      'views',
      'logins',
    ]) {
      expect(texts).toContain(column);
    }
    for (const [th] of headers) expect(th).toMatch(/font-weight:normal;text-align:(left|right);/);
    expect(html).not.toMatch(/<td[^>]*>(User|Failed|Lockouts|IPs)<\/td>/);
  });

  it('are data tables where they have headers, layout tables elsewhere', () => {
    expect(headers.length).toBeGreaterThan(0);
    for (const header of headers) {
      expect(enclosingTable(html, header.index)).not.toContain('role="presentation"');
    }
    expect(html).toContain('<table role="presentation"');
  });
});

describe('the alerts mail', () => {
  it('says its language and has the subject as its title', () => {
    const nowMs = Date.parse('2026-11-02T09:00:00Z');
    const message = renderAlertMessage([alertOf({ instance: 'acme' })], {
      instance: 'acme',
      timeZone: 'UTC',
      nowMs,
      mailOlderThanHours: 24,
    });
    expect(message.html).toContain('<html lang="en">');
    expect(message.html).toContain(`<title>${message.subject}</title>`);
  });
});

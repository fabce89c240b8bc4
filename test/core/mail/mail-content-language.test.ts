/**
 * Review R-A11Y M5: webmail drops `<html>` and `<head>`, and with them `lang="en"` and the title; the
 * content itself carries its language and is a region named by the subject.
 */
import { describe, expect, it } from 'vitest';
import { renderAlertMessage } from '../../../functions/core/alerts/render-alerts.ts';
import { renderReport } from '../../../functions/core/report/render-report.ts';
import { alertAt, NOW } from '../alerts/support/delivery-fixtures.ts';
import { sampleModel } from '../report/model-fixture.ts';

const BODY =
  /<body[^>]*>\s*<div role="main" aria-roledescription="email" aria-label="([^"]*)" lang="en" dir="ltr">/;

/** The body's content from its opening to `</body>`: the region's `</div>` comes last. */
function expectWrapped(html: string, subject: string) {
  const open = BODY.exec(html);
  expect(open?.[1]).toBe(
    subject
      .replaceAll('&', '&amp;')
      .replaceAll('"', '&quot;')
      .replaceAll('<', '&lt;')
      .replaceAll('>', '&gt;'),
  );
  expect(html).toMatch(/<\/div>\s*<\/body>/);
}

describe("a mail's content outside the webmail's page", () => {
  it('the weekly report is a main region in English named by its subject', () => {
    const { html, subject } = renderReport(sampleModel());
    expectWrapped(html, subject);
  });

  it('the alert mail is a main region in English named by its subject', () => {
    const { html, subject } = renderAlertMessage([alertAt('owner', NOW - 30 * 60_000)], {
      instance: 'acme',
      timeZone: 'UTC',
      nowMs: NOW,
      mailOlderThanHours: 24,
    });
    expectWrapped(html, subject);
  });
});

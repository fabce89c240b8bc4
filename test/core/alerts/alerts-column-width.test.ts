/**
 * The alerts mail on a desktop: its notes and the query to copy ran the window's full width while
 * the table of alerts stops at 640 px. The whole body is one column of at most 640 px, in Outlook
 * for Windows too (it ignores max-width): a ghost table of 640 px holds it there, as the report's.
 */
import { describe, expect, it } from 'vitest';
import { renderAlertMessage } from '../../../functions/core/alerts/render-alerts.ts';
import { alertOf } from './support/alert-fixtures.ts';

describe('the alerts mail', () => {
  it('holds its text, table and query in one column of at most 640 px, Outlook for Windows included', () => {
    const nowMs = Date.parse('2026-11-02T09:00:00Z');
    const alerts = [
      alertOf({ instance: 'acme' }),
      alertOf({ instance: 'acme', event_time_ms: nowMs - 40 * 3_600_000 }),
    ];
    const { html } = renderAlertMessage(alerts, {
      instance: 'acme',
      timeZone: 'UTC',
      nowMs,
      mailOlderThanHours: 24,
    });
    // The body's one child is the mail's main region (a screen reader's landmark, with its language).
    const body = /<body[^>]*>\n<div role="main"[^>]*>\n([\s\S]*)\n<\/div>\n<\/body>/.exec(html)?.[1] ?? '';
    const ghost =
      /^<!--\[if mso\]>(<table [^>]*>)<tr><td><!\[endif\]-->\n([\s\S]*)\n<!--\[if mso\]><\/td><\/tr><\/table><!\[endif\]-->$/.exec(
        body,
      );
    expect(ghost?.[1]).toBe(
      '<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="640">',
    );
    const column = /^<div style="max-width:640px">\n([\s\S]*)\n<\/div>$/.exec(ghost?.[2] ?? '')?.[1] ?? '';
    expect(column).toContain('<table');
    expect(column).toContain('<pre');
    // The intro, the count by kind, the line saying the 40-hour-old alert is sent late, the count
    // of those not listed, the next steps' sentence and the query's intro.
    expect(column.match(/<p[ >]/g)?.length).toBe(6);
  });
});

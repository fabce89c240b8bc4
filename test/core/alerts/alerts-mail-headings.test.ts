/**
 * Screen readers (review R-A11Y): each alert of the alerts mail starts with a heading, its kind,
 * time and user, so a listener jumps from alert to alert instead of reading the table through. The
 * heading looks as the bold line it replaced: a client's own heading styles must not apply.
 */
import { describe, expect, it } from 'vitest';
import { renderAlertMessage } from '../../../functions/core/alerts/render-alerts.ts';
import { alertOf } from './support/alert-fixtures.ts';

const NOW = Date.parse('2026-11-18T15:00:00Z');

describe('the alerts of the alerts mail', () => {
  const message = renderAlertMessage(
    [
      alertOf({ id: 'a1', kind: 'lockout', event_time_ms: NOW - 3_600_000 }),
      alertOf({ id: 'a2', kind: 'new_country', event_time_ms: NOW - 7_200_000 }),
    ],
    { instance: 'acme', timeZone: 'UTC', nowMs: NOW, mailOlderThanHours: 24 },
  );
  const headings = [...message.html.matchAll(/<h2 style="([^"]*)">([\s\S]*?)<\/h2>/g)];

  it('start each with a heading of its kind, time and user, the failures first', () => {
    // Whose, in the heading (review R-A11Y L1): heading navigation listed kinds and times alone.
    expect(headings.map((h) => h[2]?.replace(/ style="[^"]*"/g, ''))).toEqual([
      '<b>lockout</b> &middot; <span>2026-11-18 14:00</span>\n<br>Ada Lovelace (u1)',
      '<b>login from a new country</b> &middot; <span>2026-11-18 13:00</span>\n<br>Ada Lovelace (u1)',
    ]);
  });

  it("names many users in a password spray's heading, as its text part does", () => {
    const spray = renderAlertMessage(
      [alertOf({ id: 's1', kind: 'password_spray', event_time_ms: NOW - 60_000 })],
      {
        instance: 'acme',
        timeZone: 'UTC',
        nowMs: NOW,
        mailOlderThanHours: 24,
      },
    );
    expect(spray.html).toMatch(/<h2 [^>]*>[\s\S]*<br>many users<\/h2>/);
  });

  it('style their headings in full, as the line of text they were', () => {
    expect(headings).toHaveLength(2);
    for (const [, style] of headings) {
      expect(style).toMatch(/margin:0;/);
      expect(style).toMatch(
        /font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:normal;font-weight:normal;/,
      );
    }
  });
});

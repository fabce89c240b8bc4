/**
 * Review R-PHONE M1: the alerts mail showed `(1039710626) דוד בן־גוריון`, the id on the wrong side
 * of a Hebrew name, in the HTML and the text, where the weekly report shows `דוד בן־גוריון
 * (1039710626)`: without a left-to-right mark after the name, the bidi rules ran the id into the
 * name's right-to-left run. The user's label now ends the name with the report's mark.
 */
import { describe, expect, it } from 'vitest';
import { renderAlertMessage } from '../../../functions/core/alerts/render-alerts.ts';
import { alertOf } from './support/alert-fixtures.ts';

const NOW = Date.parse('2026-11-02T09:00:00Z');
const options = { instance: 'acme', timeZone: 'UTC', nowMs: NOW, mailOlderThanHours: 24 };

describe("the alerts mail's user of a right-to-left name", () => {
  const message = renderAlertMessage(
    [alertOf({ user_name: 'דוד בן־גוריון', user_id: '1039710626', event_time_ms: NOW - 60_000 })],
    options,
  );

  it('ends the name with a left-to-right mark before the id, in the text part', () => {
    expect(message.text).toContain('lockout: דוד בן־גוריון\u200e (1039710626)');
  });

  it('ends the name with &lrm; before the id, in the HTML part', () => {
    expect(message.html).toContain('דוד בן־גוריון&lrm; (1039710626)');
  });

  it('adds no mark after a left-to-right name, nor keeps one the name carried', () => {
    const latin = renderAlertMessage(
      [alertOf({ user_name: 'Ada\u200e Lovelace', user_id: '7', event_time_ms: NOW - 60_000 })],
      options,
    );
    expect(latin.text).toContain('lockout: Ada Lovelace (7)');
    expect(latin.html).toContain('Ada Lovelace (7)');
    expect(latin.html).not.toContain('&lrm;');
  });
});

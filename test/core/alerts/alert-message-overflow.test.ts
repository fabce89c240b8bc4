import { describe, expect, it } from 'vitest';
import { MAX_LISTED_ALERTS, renderAlertMessage } from '../../../functions/core/alerts/render-alerts.ts';
import { alertAt, INSTANCE, NOW } from './support/delivery-fixtures.ts';

const options = { instance: INSTANCE, timeZone: 'UTC', nowMs: NOW, mailOlderThanHours: 24 };

describe('an alert message with more recent alerts than it lists', () => {
  it('counts the recent alerts beyond the first rows with the unlisted ones', () => {
    const recent = Array.from({ length: MAX_LISTED_ALERTS + 10 }, (_, i) =>
      alertAt(`r${i}`, NOW - (i + 1) * 60_000),
    );
    const message = renderAlertMessage(recent, options);
    expect(message.subject).toBe(
      `Security alerts (${INSTANCE}): ${MAX_LISTED_ALERTS} lockouts; 10 more archived`,
    );
    expect(message.text).toContain(
      `10 more alerts (10 lockouts) are archived and not listed here: those about events before 2026-11-17 15:00 UTC, and any beyond the first ${MAX_LISTED_ALERTS}.`,
    );
    expect(message.text).toContain(`locked out (r${MAX_LISTED_ALERTS - 1})`);
    expect(message.text).not.toContain(`locked out (r${MAX_LISTED_ALERTS})`);
    expect(message.alerts).toHaveLength(MAX_LISTED_ALERTS + 10);
  });
});

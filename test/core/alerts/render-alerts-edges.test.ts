/**
 * Edges of the alert message: an alert exactly `mailOlderThanHours` old is still listed, an alert
 * without an IP address shows "-" rather than an empty field, and the query to dig further covers
 * the listed alerts only (the counted older ones have their own way to be listed).
 */
import { describe, expect, it } from 'vitest';
import { type Alert, alertId } from '../../../functions/core/alerts/alert.ts';
import { digQuery } from '../../../functions/core/alerts/dig-further.ts';
import { renderAlertMessage } from '../../../functions/core/alerts/render-alerts.ts';
import { lakeTimestamp } from '../../../functions/core/lake/layout.ts';
import { esc } from '../../../functions/core/mail/html-escape.ts';

const NOW = Date.parse('2026-11-18T15:00:00Z');
const HOUR = 3_600_000;
const options = { instance: 'acme', timeZone: 'UTC', nowMs: NOW, mailOlderThanHours: 24 };

function alert(fields: Partial<Alert> & { event_time_ms: number }): Alert {
  return {
    id: alertId('acme', 'lockout', [String(fields.event_time_ms)]),
    instance: 'acme',
    kind: 'lockout',
    user_id: '42',
    user_name: 'Ann',
    event_time: lakeTimestamp(fields.event_time_ms),
    evidence: 'locked out; no failed login of this user in the hour before',
    ip_address: '203.0.113.7',
    event_ids: ['a'],
    ...fields,
  };
}

describe('the alert message at its edges', () => {
  it('lists an alert exactly mailOlderThanHours old, counts one a millisecond older', () => {
    expect(renderAlertMessage([alert({ event_time_ms: NOW - 24 * HOUR })], options).subject).toBe(
      'Security alerts (acme): 1 lockout',
    );
    expect(renderAlertMessage([alert({ event_time_ms: NOW - 24 * HOUR - 1 })], options).subject).toMatch(
      /^Security alerts \(acme\): 1 earlier lockout /,
    );
  });

  it('shows "-" for an alert without an IP address, in text and HTML', () => {
    for (const ip_address of [null, '']) {
      const message = renderAlertMessage([alert({ event_time_ms: NOW - HOUR, ip_address })], options);
      expect(message.text).toContain('  IP: -; alert ');
      expect(message.html).toContain('IP -\n&middot; <span style="font-size:12px">alert&nbsp;');
    }
  });

  it('digs further into the listed alerts only, not the older ones it counts', () => {
    const recent = alert({ event_time_ms: NOW - HOUR, user_id: '42' });
    const older = alert({ event_time_ms: NOW - 10 * 24 * HOUR, user_id: '77' });
    const message = renderAlertMessage([older, recent], options);
    const query = digQuery('acme', [recent]);
    expect(query).not.toContain("'77'");
    expect(message.text).toContain(query);
    expect(message.html).toContain(esc(query));
  });
});

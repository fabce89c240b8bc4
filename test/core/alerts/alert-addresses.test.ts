/**
 * A sign-in alert carries every address of the events it counts, each with its event's country,
 * upper case as the alerts show it: what an expected-activity rule's ip and country must all hold.
 * A failure alert carries none: the list never quiets one.
 */
import { describe, expect, it } from 'vitest';
import { ALERT_ADDRESSES, alertAddresses } from '../../../functions/core/alerts/alert-addresses.ts';
import type { AlertEvent } from '../../../functions/core/alerts/alert-event.ts';
import {
  detectFailedLoginBursts,
  detectLockouts,
} from '../../../functions/core/alerts/detect-failed-logins.ts';
import { detectPasswordSprays } from '../../../functions/core/alerts/detect-password-spray.ts';
import { failedLogin, hourInput } from './support/alert-fixtures.ts';

const H = Date.parse('2026-11-10T10:00:00Z');
const placed = (event: AlertEvent, country: string | null): AlertEvent => ({ ...event, ip_country: country });

describe("an alert's addresses", () => {
  it('are not kept for a failure alert: the list never judges one (review R-MUTE4)', () => {
    const failures = [1, 2, 3, 4, 5].map((i) => placed(failedLogin(1, H + i * 1000, '52.95.110.1'), 'us'));
    const lockout: AlertEvent = { ...failedLogin(1, H + 60_000, '52.95.110.1', 'l'), category: 'lockout' };
    const spray = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((u) => failedLogin(u, H + u * 1000, '52.95.110.1'));
    const alerts = [
      ...detectLockouts(hourInput(H, [...failures, lockout])),
      ...detectFailedLoginBursts(hourInput(H, failures)),
      ...detectPasswordSprays(hourInput(H, spray)),
    ];
    expect(alerts.map((a) => a.kind).sort()).toEqual(['failed_login_burst', 'lockout', 'password_spray']);
    for (const alert of alerts) expect(alert.addresses).toBeUndefined();
  });

  it('are cut at the bound, and say so', () => {
    const events = Array.from({ length: ALERT_ADDRESSES + 5 }, (_, i) =>
      failedLogin(1, H + i * 1000, `6.6.6.${i + 1}`),
    );
    const cut = alertAddresses(events);
    expect(cut.addresses).toHaveLength(ALERT_ADDRESSES);
    expect(cut.addresses_partial).toBe(true);
    expect(alertAddresses(events.slice(0, ALERT_ADDRESSES)).addresses_partial).toBeUndefined();
  });
});

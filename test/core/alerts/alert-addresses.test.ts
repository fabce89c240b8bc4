/**
 * An alert carries every address of the events it counts, each with its event's country, upper
 * case as the alerts show it: what an expected-activity rule's ip and country must all hold.
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
  it("are a lockout's and the failures' its evidence counts, each with its country", () => {
    const failures = [1, 2, 3].map((i) => placed(failedLogin(1, H + i * 1000, '6.6.6.6'), 'us'));
    const lockout: AlertEvent = {
      ...placed(failedLogin(1, H + 60_000, '52.95.110.1', 'l'), 'de'),
      category: 'lockout',
    };
    const [alert] = detectLockouts(hourInput(H, [...failures, lockout]));
    expect(alert?.addresses).toEqual([
      { ip: '52.95.110.1', country: 'DE' },
      { ip: '6.6.6.6', country: 'US' },
    ]);
    const [alone] = detectLockouts(
      hourInput(H, [{ ...failedLogin(2, H, '8.8.8.8', 'x'), category: 'lockout' }]),
    );
    expect(alone?.addresses).toEqual([{ ip: '8.8.8.8' }]);
  });

  it("are every failure's of a burst, not only its raising failure's", () => {
    const events = [1, 2, 3, 4].map((i) => failedLogin(1, H + i * 1000, '6.6.6.6'));
    events.push(placed(failedLogin(1, H + 5000, '52.95.110.1'), 'IE'));
    const [burst] = detectFailedLoginBursts(hourInput(H, events));
    expect(burst?.ip_address).toBe('52.95.110.1');
    expect(burst?.addresses).toEqual([{ ip: '6.6.6.6' }, { ip: '52.95.110.1', country: 'IE' }]);
  });

  it("are every failure's of a spray, forged forwarded-for entries included", () => {
    const events = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((u) =>
      failedLogin(u, H + u * 1000, '52.95.110.1, 6.6.6.6'),
    );
    events.push(failedLogin(10, H + 10_000, '52.95.110.1'));
    const [spray] = detectPasswordSprays(hourInput(H, events));
    expect(spray?.addresses?.map((a) => a.ip)).toEqual(['52.95.110.1, 6.6.6.6', '52.95.110.1']);
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

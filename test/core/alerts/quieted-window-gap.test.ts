/**
 * The failures right after a quieted burst or spray are judged, not left until the trailing
 * window has slid past it (review R-MUTE3 H1): an attacker forging the quieted address as the
 * first forwarded-for entry (`52.95.0.9, 6.6.6.6`) within that window was never raised.
 */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../functions/core/alerts/alert.ts';
import type { AlertEvent } from '../../../functions/core/alerts/alert-event.ts';
import { detectFailedLoginBursts } from '../../../functions/core/alerts/detect-failed-logins.ts';
import { detectPasswordSprays } from '../../../functions/core/alerts/detect-password-spray.ts';
import { parseExpectedActivity } from '../../../functions/core/alerts/expected-activity.ts';
import { quietAlerts, quietsBy } from '../../../functions/core/alerts/quiet-alerts.ts';
import { failedLogin, hourInput } from './support/alert-fixtures.ts';

const H = Date.parse('2026-11-18T10:00:00Z');
const MINUTE = 60_000;
const VPN = parseExpectedActivity([
  { name: 'vpn', ip: '52.95.0.0/16', kind: 'failed_login_burst', reason: 'r' },
]);
const OFFICE = parseExpectedActivity([
  { name: 'nat', ip: '52.95.0.0/16', kind: 'password_spray', reason: 'r' },
]);
const FORGED = '52.95.0.9, 6.6.6.6';

const holdsForged = (alerts: readonly Alert[], forged = FORGED): boolean =>
  alerts.some((a) => a.addresses?.some(({ ip }) => ip === forged));
const genuine = (events: readonly AlertEvent[]): AlertEvent[] =>
  events.map((e) => ({ ...e, ip_address: '52.95.0.9' }));
const byTime = (a: AlertEvent, b: AlertEvent) => a.event_time_ms - b.event_time_ms;

describe('failed_login_burst: failures within the window of a quieted one', () => {
  // 5 genuine mistypes, then 200 forged failures over 8.7 minutes: all within one window.
  const own = [1, 2, 3, 4, 5].map((i) => failedLogin(1, H + i * 1000, '52.95.0.9'));
  const forged = Array.from({ length: 200 }, (_, i) => failedLogin(1, H + 5500 + i * 2_600, FORGED));

  it('raises the forged ones, and they are sent', () => {
    const input = { ...hourInput(H, [...own, ...forged]), quiets: quietsBy(VPN, H) };
    const outcome = quietAlerts(detectFailedLoginBursts(input), VPN, H);
    expect(outcome.quieted.length).toBe(1);
    expect(holdsForged(outcome.send)).toBe(true);
  });

  it('keeps quieting genuine failures at the same times', () => {
    const input = { ...hourInput(H, [...own, ...genuine(forged)]), quiets: quietsBy(VPN, H) };
    const outcome = quietAlerts(detectFailedLoginBursts(input), VPN, H);
    expect(outcome.send).toEqual([]);
    expect(outcome.quieted.length).toBeGreaterThan(1);
  });

  it('raises once without a list, as before', () => {
    expect(detectFailedLoginBursts(hourInput(H, [...own, ...forged])).length).toBe(1);
  });

  it('raises forged failures right after a quieted burst of a new address, the detector disarmed', () => {
    // A forged burst (sent), then the user's own failures every 30 s keep the window above half
    // the threshold; a new VPN address's burst is quieted, and a second forged one follows at once.
    const first = [1, 2, 3, 4, 5].map((i) => failedLogin(1, H + i * 1000, FORGED));
    const steady = Array.from({ length: 80 }, (_, i) => failedLogin(1, H + 30_000 + i * 30_000, '52.95.0.9'));
    const other = [1, 2, 3, 4, 5].map((i) => failedLogin(1, H + 25 * MINUTE + i * 1000, '52.95.0.10'));
    const second = '52.95.0.11, 6.6.6.6';
    const again = [10, 11, 12, 13, 14].map((i) => failedLogin(1, H + 25 * MINUTE + i * 1000, second));
    const all = [...first, ...steady, ...other, ...again].sort(byTime);
    const outcome = quietAlerts(
      detectFailedLoginBursts({ ...hourInput(H, all), quiets: quietsBy(VPN, H) }),
      VPN,
      H,
    );
    expect(outcome.quieted.length).toBeGreaterThan(0);
    expect(holdsForged(outcome.send, second)).toBe(true);
  });
});

describe('password_spray: failures within the window of a quieted one', () => {
  // 10 office users, then 300 forged users over 8.75 minutes: all within one window.
  const office = Array.from({ length: 10 }, (_, u) => failedLogin(1001 + u, H + (u + 1) * 1000, '52.95.0.9'));
  const forged = Array.from({ length: 300 }, (_, u) => failedLogin(5000 + u, H + 10_500 + u * 1_750, FORGED));

  it('raises the forged ones, and they are sent', () => {
    const input = { ...hourInput(H, [...office, ...forged]), quiets: quietsBy(OFFICE, H) };
    const outcome = quietAlerts(detectPasswordSprays(input), OFFICE, H);
    expect(outcome.quieted.length).toBe(1);
    expect(holdsForged(outcome.send)).toBe(true);
  });

  it('keeps quieting genuine failures at the same times', () => {
    const input = { ...hourInput(H, [...office, ...genuine(forged)]), quiets: quietsBy(OFFICE, H) };
    const outcome = quietAlerts(detectPasswordSprays(input), OFFICE, H);
    expect(outcome.send).toEqual([]);
    expect(outcome.quieted.length).toBeGreaterThan(1);
  });

  it('raises once without a list, as before', () => {
    expect(detectPasswordSprays(hourInput(H, [...office, ...forged])).length).toBe(1);
  });
});

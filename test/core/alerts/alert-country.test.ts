/**
 * An alert carries the country of its key event (the one whose address it shows), upper case as
 * the alerts show it: what an expected-activity rule's country matches.
 */
import { describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../../functions/core/alerts/alert-event.ts';
import {
  detectFailedLoginBursts,
  detectLockouts,
} from '../../../functions/core/alerts/detect-failed-logins.ts';
import { detectPasswordSprays } from '../../../functions/core/alerts/detect-password-spray.ts';
import { failedLogin, hourInput } from './support/alert-fixtures.ts';

const H = Date.parse('2026-11-10T10:00:00Z');
const placed = (event: AlertEvent, country: string | null): AlertEvent => ({ ...event, ip_country: country });

describe("an alert's country", () => {
  it("is its lockout event's, none when that was not placed", () => {
    const lockout = (country: string | null): AlertEvent => ({
      ...placed(failedLogin(1, H + 60_000, '8.8.8.8', `l-${country}`), country),
      category: 'lockout',
    });
    const [de] = detectLockouts(hourInput(H, [lockout('de')]));
    expect(de?.country).toBe('DE');
    const [none] = detectLockouts(hourInput(H, [lockout(null)]));
    expect(none).toBeDefined();
    expect(none && 'country' in none).toBe(false);
  });

  it("is a burst's raising failure's, and a spray's", () => {
    const burst = Array.from({ length: 5 }, (_, i) =>
      placed(failedLogin(1, H + i * 1000, '8.8.8.8', `b${i}`), 'FR'),
    );
    expect(detectFailedLoginBursts(hourInput(H, burst)).map((a) => a.country)).toEqual(['FR']);
    const spray = Array.from({ length: 10 }, (_, i) =>
      placed(failedLogin(i, H + i * 1000, '9.9.9.9', `s${i}`), 'NL'),
    );
    expect(detectPasswordSprays(hourInput(H, spray)).map((a) => a.country)).toEqual(['NL']);
  });
});

/**
 * A burst's or a spray's evidence said only its raising window (review R-ONCALL M1): 30 failures of
 * one user in 3 minutes read `5 failed logins ... (18:00 to 18:00 UTC)`, a spray of 30 names
 * `10 users (10 failures)`. The evidence now says how far the attack went within the hours
 * evaluated, and a window within one minute shows its seconds; the id stays the raising window's.
 */
import { describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../../functions/core/alerts/alert-event.ts';
import { detectFailedLoginBursts } from '../../../functions/core/alerts/detect-failed-logins.ts';
import { detectPasswordSprays } from '../../../functions/core/alerts/detect-password-spray.ts';
import { localClockSpan } from '../../../functions/core/alerts/local-time.ts';
import { failedLogin, hourInput } from './support/alert-fixtures.ts';

const H = Date.parse('2026-11-02T18:00:00Z');
const SEC = 1000;

/** Mallory's: 30 failures of one user, 6 s apart, from one address. */
const mallory = Array.from({ length: 30 }, (_, k) => failedLogin(112, H + k * 6 * SEC, '3.64.5.5', `m${k}`));

describe('how the attack went on', () => {
  it('a burst says its 30 failures, and its window within one minute its seconds', () => {
    const alerts = detectFailedLoginBursts(hourInput(H, mallory));
    expect(alerts.map((a) => a.evidence)).toEqual([
      '5 failed logins within 10 minutes (18:00:00 to 18:00:24 UTC) from IP 3.64.5.5; it went on to 30 failures until 18:02 UTC',
    ]);
    // The id is the raising window's: the same with the rest of the attack seen or not.
    const first = detectFailedLoginBursts(hourInput(H, mallory.slice(0, 5)));
    expect(first.map((a) => a.id)).toEqual(alerts.map((a) => a.id));
    expect(first[0]?.evidence).not.toContain('went on');
  });

  it('a spray says its 30 users, its id the raising window’s', () => {
    const spray: AlertEvent[] = Array.from({ length: 30 }, (_, i) =>
      failedLogin(201 + i, H + i * 10 * SEC, '178.62.10.10', `s${i}`),
    );
    const [alert] = detectPasswordSprays(hourInput(H, spray));
    expect(alert?.evidence).toMatch(
      /^failed logins of 10 users \(10 failures\) .* and 5 more; it went on to 30 users \(30 failures\) until 18:04 UTC$/,
    );
    const [first] = detectPasswordSprays(hourInput(H, spray.slice(0, 10)));
    expect(first?.id).toBe(alert?.id);
  });

  it('a span within one minute shows seconds, in any zone; a longer one minutes', () => {
    expect(localClockSpan(H, H + 24 * SEC, 'America/New_York')).toBe('13:00:00 to 13:00:24 -05:00');
    expect(localClockSpan(H, H + 60 * SEC, 'UTC')).toBe('18:00 to 18:01');
  });
});

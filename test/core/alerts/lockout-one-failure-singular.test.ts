/** A lockout after a single failed login says "1 failed login", not "1 failed logins". */
import { describe, expect, it } from 'vitest';
import { detectLockouts } from '../../../functions/core/alerts/detect-failed-logins.ts';
import { LoginProfile } from '../../../functions/core/alerts/login-profile.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { record, settings } from './support/alert-fixtures.ts';

const H = Date.parse('2026-11-18T14:00:00Z');
const MIN = 60_000;

describe('lockout evidence: one failure', () => {
  it('is singular', () => {
    const alerts = detectLockouts({
      instance: 'acme',
      fromMs: H,
      toMs: H + HOUR_MS,
      events: [
        record({ event_time_ms: H + MIN, category: 'login_failed', ip_address: '203.0.113.7' }),
        record({ event_time_ms: H + 2 * MIN, category: 'lockout' }),
      ],
      before: [],
      profile: new LoginProfile('acme', 'UTC'),
      settings: settings(),
    });
    expect(alerts.map((a) => a.evidence)).toEqual([
      'locked out after 1 failed login in the hour before, from IP 203.0.113.7',
    ]);
  });
});

/**
 * Two placed sign-ins of a user at the same millisecond: the last place is the one with the
 * greater event id, as the SQL's window functions order (time, event id), whatever order the
 * sign-ins come in.
 */
import { describe, expect, it } from 'vitest';
import { LoginProfile } from '../../../functions/core/alerts/login-profile.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';

const H = Date.parse('2026-11-01T00:00:00Z');
const at = H + 5 * 60_000;
const signIn = (event_id: string, ip_country: string) => ({
  event_id,
  user_id: 'u1',
  event_time_ms: at,
  ip_address: '73.0.0.1',
  ip_country,
  ip_asn: 7922,
});

describe('the last place at a same-millisecond tie', () => {
  it('is the sign-in with the greater event id, in either order', () => {
    for (const signIns of [
      [signIn('e1', 'US'), signIn('e2', 'DE')],
      [signIn('e2', 'DE'), signIn('e1', 'US')],
    ]) {
      const profile = new LoginProfile('acme', 'UTC');
      profile.fold(H, signIns);
      expect(profile.history('u1', H, H + HOUR_MS).last).toMatchObject({ timeMs: at, country: 'DE' });
    }
  });
});

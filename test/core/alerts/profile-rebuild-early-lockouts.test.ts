/**
 * A login profile rebuilt over several runs (deleted here; also a changed report zone, a format
 * upgrade, too many digests) held back every alert, lockouts and bursts too though they never read
 * it: with the profile deleted and ~20 hour reads of budget per run, a lockout at 10:20 went out
 * at 11:32, not at 11:17. The detectors that need no profile (lockouts, bursts, password sprays)
 * now run on the new hours at once; the others judge those hours once the profile is whole, and
 * nothing goes out twice.
 */
import { describe, expect, it } from 'vitest';
import { alertsStateKey } from '../../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { LOCKOUT, MIN, STEP, staleProfileLake } from './support/stale-profile-lake.ts';

describe('a login profile being rebuilt', () => {
  it('holds back only the alerts that read it: a lockout goes out in the next run', async () => {
    const { channel, run, lockouts, catchUpOnce } = await staleProfileLake({
      before: async (lake) => {
        // A password spray too: 10 users failing from one IP, one a minute from 10:30.
        for (let u = 0; u < 10; u++) {
          const at = LOCKOUT + (10 + u) * MIN;
          lake.source.add({
            timeMs: at,
            entry: {
              actionType: 'LOGIN_FAILED',
              eventText: 'Login failed',
              userId: `s${u}`,
              userName: `Sprayed ${u}`,
              time: at,
              ipAddress: '203.0.113.50',
            },
          });
        }
        lake.store.objects.delete(alertsStateKey('default', 'login-profile.json.gz'));
      },
    });
    const sprays = () => channel.delivered.filter((a) => a.kind === 'password_spray');

    const first = await run(STEP + HOUR_MS + 2 * MIN, 20);
    // Nothing evaluated in full (the profile is still being rebuilt), the lockout sent all the same.
    expect(lockouts().map((a) => a.kind)).toEqual(['lockout']);
    expect(sprays()).toHaveLength(1);
    expect(first.hoursEvaluated).toBe(0);
    expect(first.nextHourMs).toBe(Date.parse('2026-11-03T10:00:00Z'));
    expect(first.earlyNextHourMs).toBe(Date.parse('2026-11-03T11:00:00Z'));

    await catchUpOnce();
    expect(sprays()).toHaveLength(1);
  }, 120_000);
});

/**
 * Each user's last placed sign-in per hour (where an impossible journey starts) is stored without
 * its event id: 64 hex characters per user and hour that do not compress made most of a large
 * profile. The id still breaks a tie of time within the hour it is folded from.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LoginProfile } from '../../../functions/core/alerts/login-profile.ts';
import { HOUR_MS } from '../../../functions/core/lake/layout.ts';

const H = Date.parse('2026-11-01T00:00:00Z');
const id = (c: string) => c.repeat(64);
const login = (eventId: string, timeMs: number, ip: string, country: string) => ({
  event_id: eventId,
  user_id: 'u1',
  event_time_ms: timeMs,
  ip_address: ip,
  ip_country: country,
  ip_asn: 7922,
});

describe('LoginProfile: the last placed sign-in', () => {
  it('takes the later event id on a tie of time within an hour, and stores no event id', () => {
    const profile = new LoginProfile('acme', 'UTC');
    profile.fold(H, [
      login(id('b'), H + 60_000, '73.0.0.2', 'CA'),
      login(id('a'), H + 60_000, '73.0.0.1', 'US'),
    ]);
    profile.fold(H + HOUR_MS, [login(id('c'), H + HOUR_MS + 5, '81.0.0.1', 'DE')]);
    expect(profile.history('u1', H, H + HOUR_MS).last).toEqual({
      timeMs: H + 60_000,
      country: 'CA',
      ipAddress: '73.0.0.2',
    });
    expect(profile.history('u1', H, H + 2 * HOUR_MS).last?.country).toBe('DE');

    const stored = JSON.parse(gunzipSync(profile.encode()).toString('utf8'));
    expect(stored.last.u1).toEqual([
      [H / HOUR_MS, H + 60_000, 'CA', '73.0.0.2'],
      [H / HOUR_MS + 1, H + HOUR_MS + 5, 'DE', '81.0.0.1'],
    ]);
    expect(JSON.stringify(stored)).not.toContain(id('b'));
  });

  it('reads a profile stored with the event ids, dropping them', async () => {
    const profile = new LoginProfile('acme', 'UTC');
    profile.fold(H, [login(id('a'), H + 60_000, '73.0.0.1', 'US')]);
    const stored = JSON.parse(gunzipSync(profile.encode()).toString('utf8'));
    stored.last.u1 = [[H / HOUR_MS, H + 60_000, id('a'), 'US', '73.0.0.1']];
    const older = await LoginProfile.decode(gzipSync(JSON.stringify(stored)), 'acme', 'UTC');
    expect(older?.history('u1', H, H + HOUR_MS).last).toEqual({
      timeMs: H + 60_000,
      country: 'US',
      ipAddress: '73.0.0.1',
    });
    const again = JSON.parse(gunzipSync(older?.encode() as Uint8Array).toString('utf8'));
    expect(again.last.u1).toEqual([[H / HOUR_MS, H + 60_000, 'US', '73.0.0.1']]);
  });
});

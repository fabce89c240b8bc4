/**
 * Each user's last placed sign-in per hour (where an impossible journey starts) is stored without
 * its event id: 64 hex characters per user and hour that do not compress made most of a large
 * profile. The id still breaks a tie of time within the hour it is folded from.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LoginProfile } from '../../../functions/core/alerts/login-profile.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';

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

  it('keeps the geo database that placed it, through a stored round trip, each named once', async () => {
    const may = 'dbip-country@2.3.2026050120+asn@2.3.2026051719';
    const june = 'dbip-country@2.3.2026060120+asn@2.3.2026061719';
    const profile = new LoginProfile('acme', 'UTC');
    profile.fold(H, [
      { ...login(id('a'), H + 60_000, '73.0.0.1', 'US'), geo_db_version: may },
      { ...login(id('b'), H + 90_000, '73.0.0.2', 'US'), user_id: 'u2', geo_db_version: may },
    ]);
    profile.fold(H + HOUR_MS, [
      { ...login(id('c'), H + HOUR_MS + 5, '81.0.0.1', 'DE'), geo_db_version: june },
    ]);
    profile.fold(H + 2 * HOUR_MS, [login(id('d'), H + 2 * HOUR_MS + 5, '81.0.0.2', 'DE')]);
    const text = gunzipSync(profile.encode()).toString('utf8');
    // Each release once, however many sign-ins it placed; a place of unknown release as before.
    expect(text.split(may).length - 1).toBe(1);
    expect(JSON.parse(text).last.u1.at(-1)).toEqual([H / HOUR_MS + 2, H + 2 * HOUR_MS + 5, 'DE', '81.0.0.2']);
    const loaded = await LoginProfile.decode(profile.encode(), 'acme', 'UTC');
    for (const [user, to, release] of [
      ['u1', H + HOUR_MS, may],
      ['u1', H + 2 * HOUR_MS, june],
      ['u2', H + 2 * HOUR_MS, may],
    ] as const) {
      expect(loaded?.history(user, H, to).last?.geoDbVersion).toBe(release);
    }
    expect(loaded?.history('u1', H, H + 3 * HOUR_MS).last).toEqual({
      timeMs: H + 2 * HOUR_MS + 5,
      country: 'DE',
      ipAddress: '81.0.0.2',
    });
    // Refolding an hour and pruning keep each place with its own release.
    loaded?.fold(H + HOUR_MS, [
      { ...login(id('e'), H + HOUR_MS + 7, '81.0.0.3', 'DE'), geo_db_version: may },
    ]);
    loaded?.prune(H + HOUR_MS);
    expect(loaded?.history('u1', H, H + 2 * HOUR_MS).last).toEqual({
      timeMs: H + HOUR_MS + 7,
      country: 'DE',
      ipAddress: '81.0.0.3',
      geoDbVersion: may,
    });
    expect(loaded?.history('u2', H, H + 3 * HOUR_MS).last).toBeUndefined();
  });

  it('stores only the releases of the places it still holds, the same again once loaded', async () => {
    const profile = new LoginProfile('acme', 'UTC');
    profile.fold(H, [{ ...login(id('a'), H + 60_000, '73.0.0.1', 'FR'), geo_db_version: 'g@1' }]);
    profile.fold(H + HOUR_MS, [
      { ...login(id('b'), H + HOUR_MS + 5, '81.0.0.1', 'DE'), user_id: 'u2', geo_db_version: 'g@2' },
    ]);
    profile.fold(H + HOUR_MS, [
      { ...login(id('c'), H + HOUR_MS + 9, '81.0.0.2', 'DE'), geo_db_version: 'g@3' },
      { ...login(id('b'), H + HOUR_MS + 5, '81.0.0.1', 'DE'), user_id: 'u2', geo_db_version: 'g@2' },
    ]);
    profile.prune(H + HOUR_MS);
    const stored = profile.encode();
    expect(JSON.parse(gunzipSync(stored).toString('utf8')).geo_releases).toEqual(['g@3', 'g@2']);
    const loaded = await LoginProfile.decode(stored, 'acme', 'UTC');
    expect(Buffer.from(loaded?.encode() ?? []).equals(Buffer.from(stored))).toBe(true);
  });

  it('is unreadable, so rebuilt, when a stored release index names no release', async () => {
    const profile = new LoginProfile('acme', 'UTC');
    profile.fold(H, [{ ...login(id('a'), H + 60_000, '73.0.0.1', 'US'), geo_db_version: 'g@1' }]);
    const stored = JSON.parse(gunzipSync(profile.encode()).toString('utf8'));
    expect(stored.last.u1).toEqual([[H / HOUR_MS, H + 60_000, 'US', '73.0.0.1', 0]]);
    stored.last.u1[0][4] = 1;
    expect(await LoginProfile.decode(gzipSync(JSON.stringify(stored)), 'acme', 'UTC')).toBeUndefined();
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

import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LoginProfile } from '../../../functions/core/alerts/login-profile.ts';
import { DAY_MS, HOUR_MS } from '../../../functions/core/lake/layout.ts';

const H = Date.parse('2026-11-01T00:00:00Z');
let n = 0;
const login = (hour: number, ip: string | null, country: string | null = 'US') => ({
  event_id: `e${++n}`,
  user_id: 'u1',
  event_time_ms: hour + 60_000,
  ip_address: ip,
  ip_country: country,
  ip_asn: country === null ? null : 7922,
});

describe('LoginProfile: the addresses a user signed in from', () => {
  it('keeps them per hour as the query compares them (trimmed, lower-cased), placed or not', () => {
    const profile = new LoginProfile('acme', 'UTC');
    profile.fold(H, [login(H, ' 2600:1700:ABCD::1\t'), login(H, '10.0.0.5', null), login(H, null)]);
    profile.fold(H + HOUR_MS, [login(H + HOUR_MS, '73.0.0.7')]);
    expect(profile.history('u1', H, H + 2 * HOUR_MS).addresses).toEqual(
      new Set(['2600:1700:abcd::1', '10.0.0.5', '73.0.0.7']),
    );
    // Only the window's hours; an hour folded again replaces its addresses; pruning forgets them.
    expect(profile.history('u1', H + HOUR_MS, H + 2 * HOUR_MS).addresses).toEqual(new Set(['73.0.0.7']));
    profile.fold(H + HOUR_MS, [login(H + HOUR_MS, '73.0.0.8')]);
    expect(profile.history('u1', H + HOUR_MS, H + 2 * HOUR_MS).addresses).toEqual(new Set(['73.0.0.8']));
    profile.prune(H + HOUR_MS);
    expect(profile.history('u1', H, H + 2 * HOUR_MS).addresses).toEqual(new Set(['73.0.0.8']));
  });

  it('stores them, and folds again every hour of a profile stored without them', () => {
    const profile = new LoginProfile('acme', 'UTC');
    for (let h = H; h < H + DAY_MS; h += HOUR_MS) profile.fold(h, [login(h, '73.0.0.7')], `v${h}`);
    const copy = LoginProfile.decode(profile.encode(), 'acme', 'UTC');
    expect(copy?.history('u1', H, H + DAY_MS).addresses).toEqual(new Set(['73.0.0.7']));
    expect(copy?.staleHours(new Map())).toEqual([]);

    const stored = JSON.parse(gunzipSync(profile.encode()).toString());
    delete stored.addresses;
    const older = LoginProfile.decode(gzipSync(JSON.stringify(stored)), 'acme', 'UTC');
    expect(older?.history('u1', H, H + DAY_MS).logins).toBe(24);
    expect(older?.staleHours(new Map())).toHaveLength(24);
  });
});

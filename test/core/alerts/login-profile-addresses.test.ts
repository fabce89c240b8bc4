import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LoginProfile } from '../../../functions/core/alerts/login-profile.ts';
import { DAY_MS, HOUR_MS } from '../../../functions/core/time-units.ts';

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
  it('keeps those of placed sign-ins per hour as the query compares them (trimmed, lower-cased)', () => {
    const profile = new LoginProfile('acme', 'UTC');
    profile.fold(H, [login(H, ' 2600:1700:ABCD::1\t'), login(H, '10.0.0.5', null), login(H, null)]);
    profile.fold(H + HOUR_MS, [login(H + HOUR_MS, '73.0.0.7')]);
    // Not 10.0.0.5: a sign-in never placed (a geo outage) was never judged and vouches for nothing.
    expect(profile.history('u1', H, H + 2 * HOUR_MS).addresses).toEqual(
      new Set(['2600:1700:abcd::1', '73.0.0.7']),
    );
    // Only the window's hours; an hour folded again replaces its addresses; pruning forgets them.
    expect(profile.history('u1', H + HOUR_MS, H + 2 * HOUR_MS).addresses).toEqual(new Set(['73.0.0.7']));
    profile.fold(H + HOUR_MS, [login(H + HOUR_MS, '73.0.0.8')]);
    expect(profile.history('u1', H + HOUR_MS, H + 2 * HOUR_MS).addresses).toEqual(new Set(['73.0.0.8']));
    profile.prune(H + HOUR_MS);
    expect(profile.history('u1', H, H + 2 * HOUR_MS).addresses).toEqual(new Set(['73.0.0.8']));
  });

  it('stores them, and folds again every hour of a profile stored without them', async () => {
    const profile = new LoginProfile('acme', 'UTC');
    for (let h = H; h < H + DAY_MS; h += HOUR_MS) profile.fold(h, [login(h, '73.0.0.7')], `v${h}`);
    const copy = await LoginProfile.decode(profile.encode(), 'acme', 'UTC');
    expect(copy?.history('u1', H, H + DAY_MS).addresses).toEqual(new Set(['73.0.0.7']));
    expect(copy?.staleHours(new Map())).toEqual([]);

    const stored = JSON.parse(gunzipSync(profile.encode()).toString());
    delete stored.address_hours;
    const older = await LoginProfile.decode(gzipSync(JSON.stringify(stored)), 'acme', 'UTC');
    expect(older?.history('u1', H, H + DAY_MS).logins).toBe(24);
    expect(older?.staleHours(new Map())).toHaveLength(24);
    // The unreleased first form ([hour, address] pairs) is no address list: folded again as well.
    stored.addresses = [[H / HOUR_MS, '73.0.0.7']];
    const first = await LoginProfile.decode(gzipSync(JSON.stringify(stored)), 'acme', 'UTC');
    expect(first?.history('u1', H, H + DAY_MS).addresses).toEqual(new Set());
    expect(first?.staleHours(new Map())).toHaveLength(24);
    // Damaged address hours: unreadable, so the profile is rebuilt from the lake.
    stored.address_hours = { u1: [['73.0.0.7', 'x']] };
    expect(await LoginProfile.decode(gzipSync(JSON.stringify(stored)), 'acme', 'UTC')).toBeUndefined();
    // A gap under 1 would place a use before the first one, where the address was never used.
    for (const gap of [0, -5]) {
      stored.address_hours = { u1: [['73.0.0.7', H / HOUR_MS + 10, gap]] };
      expect(await LoginProfile.decode(gzipSync(JSON.stringify(stored)), 'acme', 'UTC')).toBeUndefined();
    }
  });

  it('stores each address once, with its hours as gaps, however many hours it was used in', () => {
    const profile = new LoginProfile('acme', 'UTC');
    for (let h = H; h < H + 30 * DAY_MS; h += HOUR_MS) {
      const hourOfDay = ((h - H) / HOUR_MS) % 24;
      const ip = hourOfDay === 8 ? '73.0.0.7' : hourOfDay === 13 ? '73.0.0.9' : undefined;
      profile.fold(h, ip === undefined ? [] : [login(h, ip)], `v${h}`);
    }
    const stored = JSON.parse(gunzipSync(profile.encode()).toString()).address_hours;
    expect(JSON.stringify(stored).split('73.0.0.7').length - 1).toBe(1);
    const [home] = stored.u1;
    expect(home).toEqual(['73.0.0.7', 8, ...new Array(29).fill(24)]);
  });

  it('answers every window as before once stored, and after hours are folded again or pruned', async () => {
    const profile = new LoginProfile('acme', 'UTC');
    const hour = (i: number) => H + i * HOUR_MS;
    const ips = ['73.0.0.7', '73.0.0.9', '2600:1700::1', '__proto__'];
    for (let i = 0; i < 72; i++) profile.fold(hour(i), [login(hour(i), ips[(i * 7) % 5] ?? null)], `v${i}`);
    const windows = (p: LoginProfile | undefined) =>
      Array.from({ length: 72 }, (_, i) =>
        [...(p?.history('u1', hour(i), hour(i + 6)).addresses ?? [])].sort(),
      );
    const copy = await LoginProfile.decode(profile.encode(), 'acme', 'UTC');
    expect(windows(copy)).toEqual(windows(profile));
    expect(copy?.staleHours(new Map())).toEqual([]);
    // A rewritten hour (enrich, late events) folded again after loading, out of order: only its
    // addresses change; then the window slides on (pruning) and it is stored and loaded again.
    for (const p of [profile, copy]) {
      p?.fold(hour(10), [login(hour(10), '81.9.9.9')], 'w10');
      p?.fold(hour(3), [], 'w3');
      p?.prune(hour(2));
    }
    const again = await LoginProfile.decode(copy?.encode() ?? new Uint8Array(), 'acme', 'UTC');
    expect(windows(copy)).toEqual(windows(profile));
    expect(windows(again)).toEqual(windows(profile));
    expect(again?.history('u1', hour(10), hour(11)).addresses).toEqual(new Set(['81.9.9.9']));
    // Hours 2 and 3 are without an address now; hour 4's is free text (`__proto__`), which is no
    // public address and so no key (ip-network.ts, clientAddressKey): nothing is kept of it.
    expect(again?.history('u1', hour(0), hour(5)).addresses).toEqual(new Set());
  });
});

import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LoginProfile } from '../../../functions/core/alerts/login-profile.ts';
import { DAY_MS, HOUR_MS } from '../../../functions/core/time-units.ts';

const H = Date.parse('2026-11-01T00:00:00Z');
let n = 0;
const login = (
  hour: number,
  ip: string | null,
  user = 'u1',
  country: string | null = 'US',
  asn: number | null = 7922,
) => ({
  event_id: `e${++n}`,
  user_id: user,
  event_time_ms: hour + 60_000,
  ip_address: ip,
  ip_country: ip === null ? null : country,
  ip_asn: ip === null ? null : asn,
});

describe('LoginProfile', () => {
  it('answers history questions for any window and replaces an hour folded again', () => {
    const profile = new LoginProfile('acme', 'Asia/Kolkata');
    profile.fold(H, [login(H, '73.0.0.1'), login(H, '73.0.0.2'), login(H, null, 'u2')]);
    profile.fold(H + HOUR_MS, [login(H + HOUR_MS, '2a01:840::1', 'u1', 'GB', 5378)]);
    expect(profile.history('u1', H, H + 2 * HOUR_MS)).toMatchObject({
      logins: 3,
      placedLogins: 3,
      countries: new Map([
        ['US', 2],
        ['GB', 1],
      ]),
      owners: new Set([7922, 5378]),
      last: { timeMs: H + HOUR_MS + 60_000, country: 'GB', ipAddress: '2a01:840::1' },
    });
    // 00:01 UTC is 05:31 in Kolkata.
    expect(profile.history('u1', H, H + HOUR_MS).atLocalHour[5]).toBe(2);
    // The last placed sign-in of a window ends at its end.
    expect(profile.history('u1', H, H + HOUR_MS).last?.country).toBe('US');
    profile.fold(H, [login(H, '88.64.9.9', 'u1', 'DE', 3209)]);
    expect(profile.history('u1', H, H + HOUR_MS)).toMatchObject({
      logins: 1,
      countries: new Map([['DE', 1]]),
      owners: new Set([3209]),
      last: { country: 'DE' },
    });
    // u2's only sign-in was in the hour folded again without it.
    expect(profile.history('u2', H, H + HOUR_MS).logins).toBe(0);
    expect(() => profile.fold(H + 5 * HOUR_MS, [])).toThrow(/folds hours in order/);
  });

  it('counts an unplaced sign-in as a sign-in, never as a place, and a place without an owner', () => {
    const profile = new LoginProfile('acme', 'UTC');
    profile.fold(H, [login(H, null, 'u2'), login(H, '81.1.2.3', 'u3', 'FR', null)]);
    expect(profile.history('u2', H, H + HOUR_MS)).toMatchObject({
      logins: 1,
      placedLogins: 0,
      countries: new Map(),
      owners: new Set(),
      last: undefined,
    });
    expect(profile.history('u3', H, H + HOUR_MS)).toMatchObject({
      logins: 1,
      placedLogins: 1,
      countries: new Map([['FR', 1]]),
      owners: new Set(),
      last: { country: 'FR', ipAddress: '81.1.2.3' },
    });
  });

  it('round-trips through its stored form and is rebuilt (undefined) for another zone or garbage', async () => {
    const profile = new LoginProfile('acme', 'UTC');
    for (let h = H; h < H + 3 * DAY_MS; h += HOUR_MS) profile.fold(h, [login(h, '81.0.0.1')]);
    const copy = await LoginProfile.decode(profile.encode(), 'acme', 'UTC');
    expect(copy?.history('u1', H, H + 3 * DAY_MS)).toEqual(profile.history('u1', H, H + 3 * DAY_MS));
    expect(copy?.history('u1', H, H + 3 * DAY_MS).logins).toBe(72);
    expect(copy?.covers(H + 3 * DAY_MS, 2, 0)).toBe(true);
    expect(await LoginProfile.decode(profile.encode(), 'acme', 'Europe/Paris')).toBeUndefined();
    expect(await LoginProfile.decode(new Uint8Array([1, 2, 3]), 'acme', 'UTC')).toBeUndefined();
  });

  it('prunes what no history window needs any more, so its size stays bounded', () => {
    const profile = new LoginProfile('acme', 'UTC');
    for (let h = H; h < H + 60 * DAY_MS; h += HOUR_MS) profile.fold(h, [login(h, '81.0.0.1')]);
    profile.prune(H + 30 * DAY_MS);
    // One fact, one last place and one address per remaining hour.
    expect(profile.size).toBe(3 * 30 * 24);
    expect(profile.foldedFromMs).toBe(H + 30 * DAY_MS);
    expect(profile.history('u1', H, H + 30 * DAY_MS).logins).toBe(0);
  });

  it('names the folded hours whose object changed since, or whose object is unknown, as stale', () => {
    const profile = new LoginProfile('acme', 'UTC');
    const hour = (i: number) => H + i * HOUR_MS;
    profile.fold(hour(0), [login(hour(0), '81.0.0.1')], 'v0');
    profile.fold(hour(1), [login(hour(1), '81.0.0.1')], 'v1');
    profile.fold(hour(2), [], 'none');
    // Folded by a caller that did not say what it read: unknown, so stale whatever the lake says.
    profile.fold(hour(3), [login(hour(3), '81.0.0.1')]);
    expect(profile.versionOf(hour(1))).toBe('v1');
    const lake = new Map([
      [hour(0), 'v0'], // unchanged
      [hour(1), 'v1-enriched'], // rewritten
      [hour(2), 'v2'], // an object where there was none (late events)
      [hour(7), 'v7'], // not folded: none of the profile's business
    ]);
    expect(profile.staleHours(lake)).toEqual([hour(1), hour(2), hour(3)]);
    // An hour the lake says nothing about is taken as unchanged.
    expect(profile.staleHours(new Map())).toEqual([hour(3)]);
    profile.forgetVersions([hour(0)]);
    expect(profile.staleHours(new Map())).toEqual([hour(0), hour(3)]);
    // Folding an hour again records what it was folded from.
    profile.fold(hour(1), [], 'v1-enriched');
    expect(profile.staleHours(lake)).toEqual([hour(0), hour(2), hour(3)]);
    profile.forgetVersions();
    expect(profile.staleHours(new Map())).toEqual([hour(0), hour(1), hour(2), hour(3)]);
  });

  it('stores the versions and the digest position, prunes them, and reads a profile stored without them', async () => {
    const profile = new LoginProfile('acme', 'UTC');
    for (let h = H; h < H + 2 * DAY_MS; h += HOUR_MS) profile.fold(h, [login(h, '81.0.0.1')], `v${h}`);
    profile.digestNext = 42;
    const copy = await LoginProfile.decode(profile.encode(), 'acme', 'UTC');
    expect(copy?.digestNext).toBe(42);
    expect(copy?.staleHours(new Map())).toEqual([]);
    expect(copy?.versionOf(H + 5 * HOUR_MS)).toBe(`v${H + 5 * HOUR_MS}`);
    copy?.prune(H + DAY_MS);
    expect(copy?.versionOf(H)).toBeUndefined();
    expect(
      JSON.parse(gunzipSync(copy?.encode() ?? new Uint8Array()).toString()).folded_objects,
    ).toHaveProperty(String((H + DAY_MS) / HOUR_MS));

    // What the version before read and wrote: no versions, no position. It still reads (its facts
    // are kept), with every hour stale, so each is folded again once.
    const stored = JSON.parse(gunzipSync(profile.encode()).toString());
    delete stored.folded_objects;
    delete stored.digest_next;
    const older = await LoginProfile.decode(gzipSync(JSON.stringify(stored)), 'acme', 'UTC');
    expect(older?.history('u1', H, H + 2 * DAY_MS).logins).toBe(48);
    expect(older?.digestNext).toBeUndefined();
    expect(older?.staleHours(new Map())).toHaveLength(48);
  });
});

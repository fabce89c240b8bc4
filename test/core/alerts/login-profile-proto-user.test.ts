/**
 * A user id is free text from the activity log: `__proto__` is one like any other, and its history
 * must survive storing the profile (zod's z.record dropped that key, review 34), with the stored
 * form of every other id unchanged so profiles stored before still load.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LoginProfile } from '../../../functions/core/alerts/login-profile.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';

const H = Date.parse('2026-11-01T00:00:00Z');
const HOUR = H / HOUR_MS;
const login = (user: string) => ({
  event_id: `e-${user}`,
  user_id: user,
  event_time_ms: H + 60_000,
  ip_address: '73.0.0.1',
  ip_country: 'US',
  ip_asn: 7922,
});

const stored = (profile: LoginProfile) => JSON.parse(gunzipSync(profile.encode()).toString('utf8'));

describe('LoginProfile: a user id that is a special property name', () => {
  it('keeps the history of user `__proto__` through encode and decode', async () => {
    const profile = new LoginProfile('acme', 'UTC');
    profile.fold(H, [login('__proto__'), login('constructor'), login('1001')]);
    const loaded = await LoginProfile.decode(profile.encode(), 'acme', 'UTC');
    for (const user of ['__proto__', 'constructor', '1001']) {
      expect(loaded?.history(user, H, H + HOUR_MS)).toEqual(profile.history(user, H, H + HOUR_MS));
      expect(loaded?.history(user, H, H + HOUR_MS)).toMatchObject({ logins: 1, last: { country: 'US' } });
    }
    // Stored as before: an object keyed by user id (entries compared, as an own `__proto__` is a key like any other).
    const fact = [HOUR, 0, 'US', 7922, 1];
    expect(Object.entries(stored(profile).users)).toEqual([
      ['1001', [fact]],
      ['__proto__', [fact]],
      ['constructor', [fact]],
    ]);
  });

  it('still loads a profile stored with the older last places (with event ids), `__proto__` included', async () => {
    const profile = new LoginProfile('acme', 'UTC');
    profile.fold(H, [login('__proto__'), login('1001')]);
    profile.fold(H + HOUR_MS, []);
    const older = stored(profile);
    older.last = JSON.parse(
      `{"__proto__":[[${HOUR},${H + 60_000},"e-1","US","73.0.0.1"]],"1001":[[${HOUR},${H + 60_000},"e-2","US",null]]}`,
    );
    const loaded = await LoginProfile.decode(gzipSync(JSON.stringify(older)), 'acme', 'UTC');
    expect(loaded?.history('__proto__', H, H + 2 * HOUR_MS).last).toEqual({
      timeMs: H + 60_000,
      country: 'US',
      ipAddress: '73.0.0.1',
    });
    expect(loaded?.history('1001', H, H + 2 * HOUR_MS).last?.ipAddress).toBeNull();
  });

  it('reads users stored as anything but an object as unreadable (rebuilt from the lake)', async () => {
    const profile = new LoginProfile('acme', 'UTC');
    profile.fold(H, [login('1001')]);
    for (const users of [[], [['1001', [[HOUR, 0, 'US', 7922, 1]]]], null, 'x']) {
      expect(
        await LoginProfile.decode(gzipSync(JSON.stringify({ ...stored(profile), users })), 'acme', 'UTC'),
      ).toBeUndefined();
    }
  });
});

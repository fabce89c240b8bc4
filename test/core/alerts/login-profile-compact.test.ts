import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LoginProfile, type SignIn, type UserHistory } from '../../../functions/core/alerts/login-profile.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';

const H = Date.parse('2026-11-01T00:00:00Z');
const H0 = H / HOUR_MS;

/** A deterministic mix of sign-ins: several users, places, owners, unplaced ones, shared addresses. */
function signInsOf(hourMs: number, seed: number): SignIn[] {
  const out: SignIn[] = [];
  for (let k = 0; k < 12; k++) {
    const r = (seed * 31 + k * 17) % 97;
    out.push({
      event_id: `e-${hourMs}-${k}`,
      user_id: ['u1', 'u2', '__proto__', 'constructor'][r % 4] as string,
      event_time_ms: hourMs + ((r * 37_000) % HOUR_MS),
      ip_address: r % 7 === 0 ? null : `10.0.${r % 3}.${r % 5}`,
      ip_country: r % 6 === 0 ? null : (['US', 'DE', 'FR'][r % 3] as string),
      ip_asn: r % 5 === 0 ? null : 100 + (r % 2),
    });
  }
  return out;
}

/** Folds the hours [from, to) after H, each with the sign-ins of its seed (none without). */
function foldHours(profile: LoginProfile, from: number, to: number, seed: (h: number) => number | undefined) {
  for (let h = from; h < to; h++) {
    const hourMs = H + h * HOUR_MS;
    const s = seed(h);
    profile.fold(hourMs, s === undefined ? [] : signInsOf(hourMs, s), `v${h}`);
  }
  return profile;
}

const histories = (profile: LoginProfile | undefined, from: number, to: number): UserHistory[] =>
  ['u1', 'u2', '__proto__', 'constructor', 'nobody'].map(
    (user) => profile?.history(user, from, to) ?? ({} as UserHistory),
  );

/** A profile written as the version before this one wrote it: one JSON.stringify of one object, one gzip member. */
const OLD_TEXT = {
  version: 2,
  instance: 'acme',
  time_zone: 'UTC',
  folded_from_ms: H,
  folded_to_ms: H + 3 * HOUR_MS,
  users: {
    u1: [
      [H0, 0, 'US', 7922, 2],
      [H0 + 2, 2, null, null, 1],
    ],
    __proto__: [[H0 + 1, 1, 'DE', null, 1]],
  },
  // The first last place in its form before 2026-12-01, with the event id.
  last: {
    u1: [[H0, H + 5, 'e1', 'US', '73.0.0.7']],
    __proto__: [[H0 + 1, H + HOUR_MS + 9, 'DE', null]],
  },
  folded_objects: { [H0]: 'v0', [H0 + 1]: 'v1', [H0 + 2]: 'v2' },
  address_hours: { u1: [['73.0.0.7', 0]], __proto__: [] },
  digest_next: 4,
};
const oldBody = (text: string) => gzipSync(Buffer.from(text, 'utf8'));
// JSON.stringify of an object literal drops `__proto__` (it sets the prototype): written by hand.
const oldJson = JSON.stringify(OLD_TEXT)
  .replace('"users":{', `"users":{"__proto__":[[${H0 + 1},1,"DE",null,1]],`)
  .replace('"last":{', `"last":{"__proto__":[[${H0 + 1},${H + HOUR_MS + 9},"DE",null]],`);

describe('LoginProfile: compact in memory, stored as before', () => {
  afterEach(() => vi.restoreAllMocks());

  it('reads a profile the version before wrote, the same wherever its members are', async () => {
    const expected = (profile: LoginProfile | undefined) => {
      expect(profile?.history('u1', H, H + 3 * HOUR_MS)).toMatchObject({
        logins: 3,
        placedLogins: 2,
        countries: new Map([['US', 2]]),
        owners: new Set([7922]),
        addresses: new Set(['73.0.0.7']),
        last: { timeMs: H + 5, country: 'US', ipAddress: '73.0.0.7' },
        firstHourMs: H,
      });
      expect(profile?.history('__proto__', H, H + 3 * HOUR_MS)).toMatchObject({
        logins: 1,
        last: { timeMs: H + HOUR_MS + 9, country: 'DE', ipAddress: null },
      });
      expect(profile?.staleHours(new Map())).toEqual([]);
      expect(profile?.digestNext).toBe(4);
    };
    expected(await LoginProfile.decode(oldBody(oldJson), 'acme', 'UTC'));
    // Members in another order (address hours before the hour they count from), spaced out.
    const addresses = `,"address_hours":${JSON.stringify(OLD_TEXT.address_hours)}`;
    expect(oldJson).toContain(addresses);
    const reordered = `{ ${addresses.slice(1)} ,\n${oldJson.slice(1).replace(addresses, '')}`;
    expected(await LoginProfile.decode(oldBody(reordered), 'acme', 'UTC'));
  });

  it('writes what the version before reads: the same JSON object, in gzip members it reads as one', async () => {
    const profile = await LoginProfile.decode(oldBody(oldJson), 'acme', 'UTC');
    const stored = gunzipSync(profile?.encode() ?? new Uint8Array()).toString('utf8');
    // Field for field what was read, the old last place without its event id.
    const expected = JSON.parse(oldJson);
    expected.last.u1 = [[H0, H + 5, 'US', '73.0.0.7']];
    expect(JSON.parse(stored)).toEqual(expected);
    // A large profile is written a piece at a time: several gzip members, one JSON text. 12,000
    // users make ~1.5 MB of text, over the 1 MiB piece: two members (30,000 made four, for ~3x the
    // CPU).
    const large = new LoginProfile('acme', 'UTC');
    const many = Array.from({ length: 12_000 }, (_, i) => ({
      event_id: `e${i}`,
      user_id: `user-${i}`,
      event_time_ms: H + i,
      ip_address: `10.${i >> 8}.${i & 255}.1`,
      ip_country: 'US',
      ip_asn: i,
    }));
    large.fold(H, many, 'v');
    const body = large.encode();
    const members = Buffer.from(body).toString('latin1').split('\x1f\x8b\x08').length - 1;
    expect(members).toBeGreaterThan(1);
    expect(Object.keys(JSON.parse(gunzipSync(body).toString('utf8')).users)).toHaveLength(12_000);
    expect(
      (await LoginProfile.decode(body, 'acme', 'UTC'))?.history('user-11999', H, H + HOUR_MS).owners,
    ).toEqual(new Set([11_999]));
  });

  it('parses one user at a time, never the whole stored text', async () => {
    const profile = new LoginProfile('acme', 'UTC');
    for (let h = 0; h < 48; h++) profile.fold(H + h * HOUR_MS, signInsOf(H + h * HOUR_MS, h), `v${h}`);
    const body = profile.encode();
    const whole = gunzipSync(body).length;
    const parse = vi.spyOn(JSON, 'parse');
    expect((await LoginProfile.decode(body, 'acme', 'UTC'))?.size).toBe(profile.size);
    const longest = Math.max(...parse.mock.calls.map(([text]) => String(text).length));
    expect(longest).toBeLessThan(whole / 3);
  });

  it('answers as before after folds, refolds, prunes and a round trip', async () => {
    const profile = foldHours(new LoginProfile('acme', 'Europe/Paris'), 0, 72, (h) => h);
    // Refolds replace an hour's facts, places and addresses; a prune forgets the hours before.
    profile.fold(H + 5 * HOUR_MS, signInsOf(H + 5 * HOUR_MS, 500), 'w5');
    profile.fold(H + 71 * HOUR_MS, [], 'w71');
    const seeds = (h: number) => (h === 5 ? 500 : h === 71 ? undefined : h);
    const rebuilt = foldHours(new LoginProfile('acme', 'Europe/Paris'), 0, 72, seeds);
    for (const [from, to] of [
      [H, H + 72 * HOUR_MS],
      [H + 5 * HOUR_MS, H + 6 * HOUR_MS],
      [H + 30 * HOUR_MS, H + 71 * HOUR_MS],
    ] as const) {
      expect(histories(profile, from, to)).toEqual(histories(rebuilt, from, to));
      const copy = await LoginProfile.decode(profile.encode(), 'acme', 'Europe/Paris');
      expect(histories(copy, from, to)).toEqual(histories(profile, from, to));
    }
    expect(profile.history('u1', H, H + 72 * HOUR_MS).logins).toBeGreaterThan(0);
    profile.prune(H + 24 * HOUR_MS);
    profile.fold(H + 30 * HOUR_MS, signInsOf(H + 30 * HOUR_MS, 900));
    const after = foldHours(new LoginProfile('acme', 'Europe/Paris'), 24, 72, (h) =>
      h === 30 ? 900 : seeds(h),
    );
    expect(histories(profile, H, H + 72 * HOUR_MS)).toEqual(histories(after, H, H + 72 * HOUR_MS));
    expect(profile.size).toBe(after.size);
    expect(profile.users).toBe(4);
  });
});

describe('LoginProfile: numbers JSON cannot hold', () => {
  it('refuses a stored profile with a number past what a double holds (read as Infinity), as zod did', async () => {
    // `1e400` parses to Infinity; stored again it would be written as null and refused then.
    const huge = oldJson.replace(`[${H0},0,"US",7922,2]`, `[${H0},0,"US",7922,1e400]`);
    expect(huge).not.toBe(oldJson);
    expect(await LoginProfile.decode(oldBody(huge), 'acme', 'UTC')).toBeUndefined();
    expect(await LoginProfile.decode(oldBody(oldJson), 'acme', 'UTC')).toBeDefined();
  });
});

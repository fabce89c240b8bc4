/**
 * A stored profile that gives a key twice (a hand-edited file: a user's entry pasted again, a header
 * member added again) is no profile this tool wrote. It used to be merged silently (a user's facts
 * counted twice); it reads as unreadable now, like any other invalid profile, and the run rebuilds it
 * from the lake with a warning.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LoginProfile } from '../../../functions/core/alerts/login-profile.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';

const H = Date.parse('2026-11-01T00:00:00Z');
const signIn = (hourMs: number, user: string) => ({
  event_id: `e-${user}-${hourMs}`,
  user_id: user,
  event_time_ms: hourMs + 60_000,
  ip_address: '73.0.0.1',
  ip_country: 'US',
  ip_asn: 7922,
});

/** The stored text of a profile of u1 and u2 over two hours, with the digest position. */
function storedText(): string {
  const profile = new LoginProfile('acme', 'UTC');
  profile.fold(H, [signIn(H, 'u1'), signIn(H, 'u2')], 'a1');
  profile.fold(H + HOUR_MS, [signIn(H + HOUR_MS, 'u1')], 'a2');
  profile.digestNext = 3;
  return gunzipSync(profile.encode()).toString();
}

const decode = (text: string) => LoginProfile.decode(gzipSync(text), 'acme', 'UTC');

/** `text` with an entry `key: value` added at the start of section `section`. */
const withEntry = (text: string, section: string, key: string, value: unknown): string => {
  const start = `"${section}":{`;
  expect(text).toContain(start);
  return text.replace(start, `${start}${JSON.stringify(key)}:${JSON.stringify(value)},`);
};

describe('LoginProfile: a key given twice', () => {
  it('reads the profile the edits below start from, and one with a new user added', async () => {
    const text = storedText();
    expect((await decode(text))?.users).toBe(2);
    const stored = JSON.parse(text);
    expect((await decode(withEntry(text, 'users', 'u3', stored.users.u2)))?.users).toBe(3);
  });

  it('reads a user given twice in `users` as unreadable, with the same facts or others', async () => {
    const text = storedText();
    const { users } = JSON.parse(text);
    expect(await decode(withEntry(text, 'users', 'u2', users.u2))).toBeUndefined();
    expect(await decode(withEntry(text, 'users', 'u2', users.u1))).toBeUndefined();
    // Given empty first, or empty again: no fact tells it was read, and still it was.
    expect(await decode(withEntry(text, 'users', 'u2', []))).toBeUndefined();
    expect(await decode(withEntry(withEntry(text, 'users', 'u3', []), 'users', 'u3', []))).toBeUndefined();
  });

  it('reads a user given twice in `last` or `address_hours` as unreadable', async () => {
    const text = storedText();
    const { last, address_hours } = JSON.parse(text);
    expect(await decode(withEntry(text, 'last', 'u1', last.u1))).toBeUndefined();
    expect(await decode(withEntry(text, 'last', 'u1', []))).toBeUndefined();
    expect(await decode(withEntry(text, 'address_hours', 'u1', address_hours.u1))).toBeUndefined();
    // Address hours before the header member they count from are read last: checked all the same.
    const early = `{"address_hours":{"u1":${JSON.stringify(address_hours.u1)}},${text.slice(1)}`;
    expect(await decode(early.replace(/,"address_hours":\{[^}]*\}/, ''))).toBeDefined();
    expect(await decode(early)).toBeUndefined();
  });

  it('reads an hour given twice in `folded_objects` as unreadable', async () => {
    const text = storedText();
    const hour = String(H / HOUR_MS);
    expect(await decode(withEntry(text, 'folded_objects', hour, 'a1'))).toBeUndefined();
  });

  it('reads a header member or a section given twice as unreadable', async () => {
    const text = storedText();
    const { folded_to_ms } = JSON.parse(text);
    for (const added of [`"folded_to_ms":${folded_to_ms}`, '"version":2', '"digest_next":3', '"users":{}'])
      expect(await decode(`${text.slice(0, -1)},${added}}`), added).toBeUndefined();
    expect(await decode(`${text.slice(0, -1)},"comment":"edited"}`)).toBeDefined();
  });
});

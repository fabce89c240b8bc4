/**
 * The stored profile is gunzipped a piece of text at a time, never whole (62 MB of text at 1M
 * events a day); one that is not gzip or is cut short reads as unreadable, as when it was gunzipped
 * whole, and the run then warns and rebuilds it from the lake.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { newAlertCheckpoint } from '../../../functions/core/alerts/alert-checkpoint.ts';
import { evaluateHours } from '../../../functions/core/alerts/evaluate-hours.ts';
import { LoginProfile } from '../../../functions/core/alerts/login-profile.ts';
import { activityKey, alertsStateKey } from '../../../functions/core/lake/layout.ts';
import { encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { type Log, silentLog } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { evaluationContext, record } from './support/alert-fixtures.ts';

const H = Date.parse('2026-11-01T00:00:00Z');

/** A profile of `hours` hours of one sign-in of u1 each. */
function profileOf(hours: number): LoginProfile {
  const profile = new LoginProfile('acme', 'UTC');
  for (let h = H; h < H + hours * HOUR_MS; h += HOUR_MS)
    profile.fold(h, [
      {
        event_id: `e${h}`,
        user_id: 'u1',
        event_time_ms: h + 60_000,
        ip_address: '73.0.0.1',
        ip_country: 'US',
        ip_asn: 7922,
      },
    ]);
  return profile;
}

describe('LoginProfile: read from its gzip a piece at a time', () => {
  it('never holds more than a piece of the text in one buffer', async () => {
    const profile = profileOf(48);
    // 8 MB of spaces between two members: eight pieces of text.
    const text = gunzipSync(profile.encode()).toString();
    const padded = text.replace(',"users"', `${' '.repeat(8 << 20)},"users"`);
    // The bytes each decode was given, as the buffers they are views of: what was held at once.
    const held: number[] = [];
    const decode = vi.spyOn(TextDecoder.prototype, 'decode');
    let copy: LoginProfile | undefined;
    try {
      copy = await LoginProfile.decode(gzipSync(padded), 'acme', 'UTC');
      for (const [bytes] of decode.mock.calls)
        held.push((bytes as ArrayBufferView | undefined)?.buffer.byteLength ?? 0);
    } finally {
      decode.mockRestore();
    }
    expect(copy?.history('u1', H, H + 48 * HOUR_MS)).toEqual(profile.history('u1', H, H + 48 * HOUR_MS));
    expect(Math.max(...held)).toBeGreaterThan(0);
    expect(Math.max(...held)).toBeLessThanOrEqual(1 << 20);
  });

  it('reads a body that is not gzip, is cut short or has other bytes after it as unreadable', async () => {
    const body = profileOf(3).encode();
    const decode = (bytes: Uint8Array) => LoginProfile.decode(bytes, 'acme', 'UTC');
    for (const bad of [
      new Uint8Array(),
      new TextEncoder().encode('{"version":2}'),
      body.subarray(0, body.length >> 1),
      body.subarray(0, body.length - 4),
      Buffer.concat([body, Buffer.from('not gzip')]),
      Buffer.concat([body, Buffer.from([0x1f])]),
    ])
      expect(await decode(bad)).toBeUndefined();
    // Zero bytes after it gunzip always ignored (padding): still read.
    expect((await decode(Buffer.concat([body, Buffer.alloc(8)])))?.size).toBe(9);
  });

  it('rebuilds one that does not gunzip from the lake, with a warning', async () => {
    const store = new MemoryObjectStore();
    const signIn = record({ category: 'login', user_id: 'u1', event_time_ms: H + 60_000, ip_country: 'US' });
    await store.put(activityKey('acme', H), encodeNdjsonGzip([signIn]));
    const body = profileOf(1).encode();
    await store.put(alertsStateKey('acme', 'login-profile.json.gz'), body.subarray(0, body.length - 4));
    const warnings: string[] = [];
    const log: Log = { ...silentLog, warn: (message) => warnings.push(message) };

    await evaluateHours({ ...evaluationContext(store), log }, newAlertCheckpoint('acme', H), H + HOUR_MS);

    expect(warnings).toContain(
      'login profile unreadable or for another time zone: rebuilding it from the lake',
    );
    const stored = await store.get(alertsStateKey('acme', 'login-profile.json.gz'));
    const rebuilt = await LoginProfile.decode(stored?.body ?? new Uint8Array(), 'acme', 'UTC');
    expect(rebuilt?.history('u1', H, H + HOUR_MS).logins).toBe(1);
  });
});

/**
 * A password spray (review R-ALERTS): 40 users with 2 failed logins each from one address in 10
 * minutes raised no alert, each user staying under the burst threshold. `password_spray` is raised
 * once `sprayUsers` distinct users failed from one address within `burstMinutes`: one alert for a
 * long spray, another after a lull, none under the threshold, and the query to dig further lists
 * the address's events.
 */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../functions/core/alerts/alert.ts';
import {
  emptyChannel,
  newAlertCheckpoint,
  readAlertCheckpoint,
} from '../../../functions/core/alerts/alert-checkpoint.ts';
import type { AlertEvent } from '../../../functions/core/alerts/alert-event.ts';
import { detectAlerts } from '../../../functions/core/alerts/detect-hour.ts';
import { digQuery, SPRAY_TEXTS_LEFT_OUT } from '../../../functions/core/alerts/dig-further.ts';
import { renderAlertMessage } from '../../../functions/core/alerts/render-alerts.ts';
import { alertsStateKey } from '../../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { failedLogin, hourInput } from './support/alert-fixtures.ts';

const H = Date.parse('2026-11-18T10:00:00Z');
const IP = '198.51.100.7';

const failure = (i: number, atMs: number, user: number, ip = IP): AlertEvent =>
  failedLogin(user, atMs, ip, `e${String(i).padStart(4, '0')}`);

/** 40 users x 2 failures, one every 7 s (80 in 9 min 13 s), from `ip`, starting at `startMs`. */
const spray = (startMs: number, ip = IP, offset = 0) =>
  Array.from({ length: 80 }, (_, i) => failure(offset + i, startMs + i * 7_000, i % 40, ip));

const alertsOf = (events: AlertEvent[], overrides = {}) => detectAlerts(hourInput(H, events, overrides));

describe('password spray', () => {
  it('raises one alert for 40 users x 2 failures from one address in 10 minutes', () => {
    const alerts = alertsOf(spray(H));
    expect(alerts.map((a) => a.kind)).toEqual(['password_spray']);
    const [alert] = alerts;
    // The 10th distinct user's first failure, at 9 x 7 s, raises it.
    expect(alert?.event_time_ms).toBe(H + 9 * 7_000);
    expect(alert?.ip_address).toBe(IP);
    expect(alert?.evidence).toBe(
      `failed logins of 10 users (10 failures) within 10 minutes (10:00 to 10:01 UTC) from IP ${IP}: "user0", "user1", "user2", "user3", "user4" and 5 more; it went on to 40 users (80 failures) until 10:09 UTC`,
    );
    const query = alert ? digQuery('i', [alert]) : '';
    // Found by its pattern, so not listed as a text too.
    expect(query).toContain("regexp_like(ip_address, '(^|[^0-9.])198\\.51\\.100\\.7($|[^0-9.])')");
    expect(query).not.toContain('ip_address IN');
    expect(query).not.toContain('user_id IN');
    // One text of the address: nothing more to keep.
    expect(alert?.ip_addresses).toBeUndefined();
    const message = renderAlertMessage(alerts, {
      instance: 'i',
      timeZone: 'UTC',
      nowMs: H + HOUR_MS,
      mailOlderThanHours: 24,
    });
    expect(message.subject).toBe('Security alerts (i): 1 password spray');
    expect(message.text).toContain('password spray: many users');
  });

  it('stays silent under the threshold, and follows its setting', () => {
    const nine = Array.from({ length: 18 }, (_, i) => failure(i, H + i * 7_000, i % 9));
    expect(alertsOf(nine)).toEqual([]);
    expect(alertsOf(nine, { sprayUsers: 9 }).map((a) => a.kind)).toEqual(['password_spray']);
  });

  it('raises again after a lull, and apart for another address', () => {
    const later = spray(H + 30 * 60_000, IP, 100);
    const elsewhere = spray(H, '203.0.113.9', 200);
    const alerts = alertsOf([...spray(H), ...later, ...elsewhere]);
    expect(alerts.map((a) => [a.ip_address, a.event_time_ms]).sort()).toEqual(
      [
        [IP, H + 9 * 7_000],
        ['203.0.113.9', H + 9 * 7_000],
        [IP, H + 30 * 60_000 + 9 * 7_000],
      ].sort(),
    );
  });

  it.each([
    ['a port changing with each attempt', (i: number) => `5.6.7.8:${50_000 + i}`],
    ['a proxy hop changing with each attempt', (i: number) => `6.6.6.6, 10.0.0.${i % 200}`],
    ['a junk first entry changing with each attempt', (i: number) => `x${i}, 7.7.7.7`],
    ['IPv4 and IPv4-mapped in turn', (i: number) => (i % 2 ? '8.8.4.4' : '::FFFF:8.8.4.4')],
    ['a bracketed IPv6 address with a port', (i: number) => `[2a00:1::1]:${443 + i}`],
    // A first entry the key cannot name, changing: the first entry that has a key is the address.
    ['a first entry of junk with a dot changing', (i: number) => `x.${i}, 7.7.7.7`],
    ['a link-local first entry changing', (i: number) => `fe80::${i + 1}, 7.7.7.7`],
    ['a first entry with a port out of range changing', (i: number) => `10.0.0.1:${99_900 + i}, 7.7.7.7`],
  ])('is one address with %s (the client entry: ip-network.ts addressKey)', (_, ip) => {
    const events = Array.from({ length: 80 }, (_, i) => failure(i, H + i * 7_000, i % 40, ip(i)));
    const alerts = alertsOf(events);
    expect(alerts.map((a) => [a.kind, a.event_time_ms])).toEqual([['password_spray', H + 9 * 7_000]]);
    // Shown as the raising failure wrote it.
    expect(alerts[0]?.ip_address).toBe(ip(9));
    // Every text of the window's failures, newest first, for the query to dig further.
    expect(alerts[0]?.ip_addresses).toEqual([...new Set(Array.from({ length: 10 }, (_, k) => ip(9 - k)))]);
  });

  it('keeps the newest 20 texts of a spray changing its port, and its query says it may miss some', () => {
    // Nine users fail three times each (27 failures), then the tenth raises the spray: 28 texts.
    const ip = (i: number) => `5.6.7.8:${50_000 + i}`;
    const users = [...Array.from({ length: 27 }, (_, i) => i % 9), 9];
    const events = users.map((user, i) => failure(i, H + i * 7_000, user, ip(i)));
    const alerts = alertsOf(events);
    expect(alerts.map((a) => [a.kind, a.event_time_ms])).toEqual([['password_spray', H + 27 * 7_000]]);
    const [alert] = alerts as [Alert];
    expect(alert.ip_addresses).toEqual(Array.from({ length: 20 }, (_, k) => ip(27 - k)));
    expect(alert.ip_addresses_partial).toBe(true);
    const query = digQuery('i', [alert]);
    expect(query.startsWith(`${SPRAY_TEXTS_LEFT_OUT}\nSELECT `)).toBe(true);
  });

  it('says nothing is left out of a spray of exactly 20 texts', () => {
    // Nine users fail twice and one of them once more (19 failures), then the tenth raises it.
    const ip = (i: number) => `5.6.7.8:${50_000 + i}`;
    const users = [...Array.from({ length: 18 }, (_, i) => i % 9), 0, 9];
    const events = users.map((user, i) => failure(i, H + i * 7_000, user, ip(i)));
    const [alert] = alertsOf(events) as [Alert];
    expect(alert.ip_addresses).toHaveLength(20);
    expect(alert.ip_addresses_partial).toBeUndefined();
    expect(digQuery('i', [alert])).toMatch(/^SELECT /);
  });

  it('keeps no text too long, so the alert and its query stay small (review R-SPRAYKEY2)', () => {
    // 30 failures, each a text of 4,000 tabs before the address: 805 KB of query before.
    const long = (i: number) => `${i}${'\t'.repeat(4_000)}x, 5.6.7.8`;
    const events = Array.from({ length: 30 }, (_, i) => failure(i, H + i * 7_000, i, long(i)));
    const [alert] = alertsOf(events) as [Alert];
    expect(alert.kind).toBe('password_spray');
    expect(alert.ip_addresses).toEqual([]);
    expect(alert.ip_addresses_partial).toBe(true);
    const query = digQuery('i', [alert]);
    expect(query.split('\n')[0]).toBe(SPRAY_TEXTS_LEFT_OUT);
    expect(Buffer.byteLength(query)).toBeLessThan(262_144);
    // The evidence names the address the key names (40 KB of text before; then its latest text,
    // cut, which hid the address: review R-NUMBERS2 M2), the alert's own text aside.
    expect(alert.evidence).toContain('from IP 5.6.7.8: ');
    expect(Buffer.byteLength(JSON.stringify(alert))).toBeLessThan(16_384);
    // Texts of 250 characters fill the kept 2,048 with eight; a long one among them is left out.
    const mixed = [long(0), ...Array.from({ length: 9 }, (_, i) => `${'9'.repeat(240)}${i}, 5.6.7.8`)];
    const spray = alertsOf(mixed.map((ip, i) => failure(i, H + i * 7_000, i, ip)))[0] as Alert;
    expect(spray.ip_addresses).toEqual(mixed.slice(2).reverse());
    expect(spray.ip_addresses?.join('').length).toBeLessThanOrEqual(2_048);
    expect(spray.ip_addresses_partial).toBe(true);
  });

  it('keeps the texts through the outbox, for a delivery a later run retries', async () => {
    const events = Array.from({ length: 80 }, (_, i) => failure(i, H + i * 7_000, i % 40, `5.6.7.8:${i}`));
    const [alert] = alertsOf(events);
    expect(alert?.ip_addresses).toHaveLength(10);
    const checkpoint = newAlertCheckpoint('i', H);
    checkpoint.channels.sns = { ...emptyChannel(), outbox: alert ? [alert] : [] };
    const store = new MemoryObjectStore();
    store.putNow(
      alertsStateKey('i', 'checkpoint.json'),
      new TextEncoder().encode(JSON.stringify(checkpoint)),
    );
    const read = await readAlertCheckpoint(store, 'i');
    expect(read?.checkpoint.channels.sns?.outbox[0]?.ip_addresses).toEqual(alert?.ip_addresses);
  });

  it('bounds the texts of an alert an earlier release kept, as the detector bounds them', async () => {
    const [alert] = alertsOf(spray(H)) as [Alert];
    const texts = ['x'.repeat(5_000), ...Array.from({ length: 25 }, (_, i) => `5.6.7.8:${i}`)];
    const checkpoint = newAlertCheckpoint('i', H);
    checkpoint.channels.sns = { ...emptyChannel(), outbox: [{ ...alert, ip_addresses: texts }] };
    const store = new MemoryObjectStore();
    store.putNow(
      alertsStateKey('i', 'checkpoint.json'),
      new TextEncoder().encode(JSON.stringify(checkpoint)),
    );
    const read = (await readAlertCheckpoint(store, 'i'))?.checkpoint.channels.sns?.outbox[0];
    expect(read?.ip_addresses).toEqual(texts.slice(1, 21));
    expect(read?.ip_addresses_partial).toBe(true);
  });

  it('is one address when an IPv6 address rotates inside its /64 (review R-SPRAYKEY2 #3)', () => {
    const ip = (i: number) =>
      i % 2 ? `2a00:1450:4001:81c::${i.toString(16)}` : `2A00:1450:4001:081C:0:0:1:${i}`;
    const events = Array.from({ length: 40 }, (_, i) => failure(i, H + i * 7_000, i, ip(i)));
    const alerts = alertsOf(events);
    expect(alerts.map((a) => [a.kind, a.event_time_ms, a.ip_address])).toEqual([
      ['password_spray', H + 9 * 7_000, ip(9)],
    ]);
    // Another /64 is another address: no spray of an address from 40 /64s, one of their /48
    // once 3 x 10 users failed from it (review R-ONCALL H2).
    const apart = Array.from({ length: 40 }, (_, i) =>
      failure(i, H + i * 7_000, i, `2a00:1450:4001:${i.toString(16)}::1`),
    );
    expect(alertsOf(apart).map((a) => [a.event_time_ms, a.evidence.split(' (')[0]])).toEqual([
      [H + 29 * 7_000, 'failed logins of 30 users'],
    ]);
    expect(alertsOf(apart)[0]?.evidence).toContain(' from network 2a00:1450:4001::/48, 30 IPs ');
  });

  it('is not one address when a forged public first entry changes (the key cannot tell)', () => {
    const events = Array.from({ length: 80 }, (_, i) =>
      failure(i, H + i * 7_000, i % 40, `1.1.${i}.1, 7.7.7.7`),
    );
    expect(alertsOf(events)).toEqual([]);
  });

  it('is not alerted again when raised in the hour before', () => {
    expect(alertsOf(spray(H - 15 * 60_000))).toEqual([]);
  });
});

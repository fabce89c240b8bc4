/**
 * Sprays beyond one address and one short window (review R-ONCALL H2, M2): credential stuffing
 * from 200 addresses of one hosting owner, one name each, raised nothing, each address naming one
 * or two users; nor did 30 users from one address, one every 90 s. A network (/24, /48) or a
 * network owner (ASN) with 3 x `sprayUsers` users within `burstMinutes`, and one address with
 * 2 x `sprayUsers` within 60 minutes, are sprays too; the narrowest group raised in an episode
 * stands for the wider ones, and each level's raise is recorded under its own key.
 */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../functions/core/alerts/alert.ts';
import type { AlertEvent } from '../../../functions/core/alerts/alert-event.ts';
import { detectPasswordSprays } from '../../../functions/core/alerts/detect-password-spray.ts';
import { addRaisedSpray, type RaisedSprays } from '../../../functions/core/alerts/raised-sprays.ts';
import { sprayGroupOfAlert, sprayRecordKeyOf } from '../../../functions/core/alerts/spray-groups.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { failedLogin, hourInput } from './support/alert-fixtures.ts';

const H = Date.parse('2026-11-02T21:00:00Z');
const SEC = 1000;

const placed = (event: AlertEvent): AlertEvent => ({
  ...event,
  ip_country: 'GB',
  ip_asn: 14061,
  ip_org: 'DigitalOcean, LLC',
  geo_db_version: '2026-11',
});

/** A failure of user `user` at `ms` from `ip`, placed at DigitalOcean, a name Domo does not know. */
const fail = (user: number, ms: number, ip: string): AlertEvent =>
  placed({ ...failedLogin(user, ms, ip, `f${String(ms).slice(-7)}-${user}`), user_id: '0' });

/** R-ONCALL's run: 200 names, 3 s apart, from 178.62.{0..127}.{1,2}, one /17 of one owner. */
const stuffing = Array.from({ length: 200 }, (_, i) =>
  fail(i, H + i * 3 * SEC, `178.62.${i % 128}.${1 + (i >> 7)}`),
);

/** The sprays the hours from `from` raise, one hour at a time with the checkpoint's record. */
function hourByHour(events: readonly AlertEvent[], from: number, hours: number): Alert[] {
  const raisedSprays: RaisedSprays = {};
  const alerts: Alert[] = [];
  for (let hour = from; hour < from + hours * HOUR_MS; hour += HOUR_MS) {
    const seen = events.filter((e) => e.event_time_ms >= hour - HOUR_MS && e.event_time_ms < hour + HOUR_MS);
    const found = detectPasswordSprays({ ...hourInput(hour, seen), raisedSprays });
    for (const alert of found) addRaisedSpray(raisedSprays, alert);
    alerts.push(...found);
  }
  return alerts;
}

describe('a spray from many addresses of one network or owner', () => {
  it('200 names from 200 addresses of one owner: one alert, naming the owner and the scale', () => {
    const alerts = detectPasswordSprays(hourInput(H, stuffing));
    expect(alerts).toHaveLength(1);
    const [alert] = alerts;
    // The 30th user (3 x sprayUsers) raises it; its id is its window's, as every spray's.
    expect(alert?.event_time_ms).toBe(H + 29 * 3 * SEC);
    expect(alert?.event_ids).toHaveLength(30);
    expect(alert?.evidence).toMatch(
      /^failed logins of 30 users \(30 failures\) within 10 minutes \(21:00 to 21:01 UTC\) from network owner AS14061 \(GB, AS14061 DigitalOcean, LLC\), 30 IPs 178\.62\.0\.1, 178\.62\.1\.1, .* and 10 more: "user0", .* and 25 more; it went on to 200 users \(200 failures\) until 21:09 UTC$/,
    );
    expect(sprayRecordKeyOf(alert as Alert)).toBe('OWNER AS14061');
  });

  it('is not raised again by the next hour, nor under another id when seen again', () => {
    const late = stuffing.map((f) => ({ ...f, event_time_ms: f.event_time_ms + 55 * 60 * SEC }));
    // Across the hour: raised once, by the hour it reaches 30 users in.
    expect(hourByHour(late, H, 3).map((a) => a.event_time_ms)).toEqual([H + 55 * 60 * SEC + 29 * 3 * SEC]);
    const first = detectPasswordSprays(hourInput(H, stuffing))[0] as Alert;
    const again = detectPasswordSprays(hourInput(H, [...stuffing].reverse()))[0] as Alert;
    expect(again.id).toBe(first.id);
  });

  it('40 users from 40 addresses of one /24: one alert of the /24, not one of its owner too', () => {
    const net = Array.from({ length: 40 }, (_, i) => fail(i, H + i * 5 * SEC, `178.62.10.${i + 1}`));
    const alerts = detectPasswordSprays(hourInput(H, net));
    expect(alerts.map((a) => a.evidence.match(/ from (network [^ ]+ [^ ]+)/)?.[1])).toEqual([
      'network 178.62.10.0/24 (GB,',
    ]);
    expect(sprayRecordKeyOf(alerts[0] as Alert)).toBe('NET 178.62.10.0/24');
  });

  it('one address spraying 30 users is its spray alone, not its network’s or owner’s again', () => {
    const one = Array.from({ length: 30 }, (_, i) => fail(i, H + i * 10 * SEC, '178.62.10.10'));
    const alerts = detectPasswordSprays(hourInput(H, one));
    expect(alerts.map((a) => a.evidence.split(' (')[0])).toEqual(['failed logins of 10 users']);
    expect(alerts[0]?.evidence).toMatch(
      /from IP 178\.62\.10\.10 .*; it went on to 30 users \(30 failures\) until 21:04 UTC$/,
    );
    expect(sprayRecordKeyOf(alerts[0] as Alert)).toBe('178.62.10.10');
  });

  it('under three times the threshold, or without a known owner and under known users: none', () => {
    expect(detectPasswordSprays(hourInput(H, stuffing.slice(0, 29)))).toEqual([]);
    const unplaced = stuffing.map((f) => ({ ...f, ip_asn: null, user_id: `id${f.user_name}` }));
    expect(detectPasswordSprays(hourInput(H, unplaced))).toEqual([]);
  });
});

describe('a spray of names of no user from anywhere', () => {
  /** 200 names of no user, 3 s apart, each from an owner and a /24 of its own (a botnet). */
  const botnet = stuffing.map((f, i) => ({ ...f, ip_address: `${20 + (i % 200)}.1.2.3`, ip_asn: 1000 + i }));

  it('is one spray of any address at 30 names, not placed', () => {
    const alerts = detectPasswordSprays(hourInput(H, botnet));
    expect(alerts.map((a) => a.event_time_ms)).toEqual([H + 29 * 3 * SEC]);
    expect(alerts[0]?.evidence).toMatch(
      /^failed logins of 30 users \(30 failures\) within 10 minutes \(21:00 to 21:01 UTC\) from any address, under names of no user, 30 IPs 20\.1\.2\.3, .*; it went on to 200 users \(200 failures\) until 21:09 UTC$/,
    );
    expect(sprayRecordKeyOf(alerts[0] as Alert)).toBe('ANY any address');
    // The same names under ids of users of the instance: mistyped passwords, not a list's names.
    const known = botnet.map((f) => ({ ...f, user_id: `id${f.user_name}` }));
    expect(detectPasswordSprays(hourInput(H, known))).toEqual([]);
  });

  it('stands back for the owner’s spray of the same failures', () => {
    const alerts = detectPasswordSprays(hourInput(H, stuffing));
    expect(alerts.map((a) => sprayRecordKeyOf(a))).toEqual(['OWNER AS14061']);
  });
});

describe('a wider spray beside a narrower one (review R-ALERTS2 H1)', () => {
  /** 10 names of no user from one address, 6 s apart, from `at`. */
  const probe = (at: number, ip: string) =>
    Array.from({ length: 10 }, (_, i) => ({ ...fail(900 + i, at + i * 6 * SEC, ip), ip_asn: 999 }));
  /** 300 names of no user, 5 s apart from 2 minutes in, each address of an owner of its own. */
  const botnet = Array.from({ length: 300 }, (_, i) => ({
    ...fail(i, H + 2 * 60 * SEC + i * 5 * SEC, `${11 + (i % 200)}.${i}.7.9`),
    ip_asn: 20000 + i,
  }));

  it('a probe of one address before a botnet: both sprays, the botnet’s id as without the probe', () => {
    const alone = detectPasswordSprays(hourInput(H, botnet));
    const alerts = detectPasswordSprays(hourInput(H, [...probe(H, '45.1.1.1'), ...botnet]));
    expect(alerts.map((a) => sprayRecordKeyOf(a))).toEqual(['45.1.1.1', 'ANY any address']);
    const [, any] = alerts;
    expect(any?.id).toBe(alone[0]?.id);
    expect(any?.evidence).toMatch(
      /^failed logins of 30 users \(30 failures\) within 10 minutes .* and 25 more, besides the spray of IP 45\.1\.1\.1; it went on to 300 users \(300 failures\) until 21:26 UTC$/,
    );
  });

  it('one cloud address spraying while 60 others of its owner stuff other names: both', () => {
    const one = Array.from({ length: 10 }, (_, i) => fail(500 + i, H + i * 10 * SEC, '3.64.1.10'));
    const many = Array.from({ length: 60 }, (_, i) =>
      fail(i, H + 60 * SEC + i * 8 * SEC, `18.${100 + i}.2.3`),
    );
    const owner = (f: AlertEvent) => ({ ...f, ip_asn: 16509, ip_org: 'Amazon' });
    const alerts = detectPasswordSprays(hourInput(H, [...one, ...many].map(owner)));
    // Of any address nothing is left once the two sprays' failures are left out.
    expect(alerts.map((a) => sprayRecordKeyOf(a))).toEqual(['3.64.1.10', 'OWNER AS16509']);
    expect(alerts[1]?.evidence).toContain(', besides the spray of IP 3.64.1.10; it went on to 60 users');
    expect(alerts[1]?.id).toBe(detectPasswordSprays(hourInput(H, many.map(owner)))[0]?.id);
  });

  it('a narrower spray that is most of the wider window still stands for it', () => {
    // 20 names from one address and 15 from others of its /24: 35 users, 15 without the address's.
    const net = [
      ...Array.from({ length: 20 }, (_, i) => fail(i, H + i * 5 * SEC, '178.62.10.10')),
      ...Array.from({ length: 15 }, (_, i) =>
        fail(100 + i, H + 100 * SEC + i * 5 * SEC, `178.62.10.${20 + i}`),
      ),
    ];
    expect(detectPasswordSprays(hourInput(H, net)).map((a) => sprayRecordKeyOf(a))).toEqual(['178.62.10.10']);
  });
});

describe('a slow spray from one address', () => {
  /** R-ONCALL's: 30 users from one address, one every 90 s (7 in any 10 minutes). */
  const slow = (count: number) =>
    Array.from({ length: count }, (_, i) => fail(i, H - HOUR_MS + i * 90 * SEC, '178.62.20.20'));

  it('raises once 20 users (2 x sprayUsers) failed within 60 minutes, across the hour', () => {
    const alerts = hourByHour(slow(30), H - HOUR_MS, 3);
    expect(alerts.map((a) => a.event_time_ms)).toEqual([H - HOUR_MS + 19 * 90 * SEC]);
    expect(alerts[0]?.evidence).toMatch(
      /^failed logins of 20 users \(20 failures\) within 60 minutes \(20:00 to 20:28 UTC\) from IP 178\.62\.20\.20 .*; it went on to 30 users \(30 failures\) until 20:43 UTC$/,
    );
    expect(sprayRecordKeyOf(alerts[0] as Alert)).toBe('SLOW 178.62.20.20');
  });

  it('19 users within the hour raise none', () => {
    expect(hourByHour(slow(19), H - HOUR_MS, 3)).toEqual([]);
  });
});

describe('the key a raised spray is recorded under', () => {
  it('is carried as data, the same as its evidence reads back to, at every level', () => {
    const net = Array.from({ length: 40 }, (_, i) => fail(i, H + i * 5 * SEC, `178.62.10.${i + 1}`));
    const one = Array.from({ length: 10 }, (_, i) => fail(i, H + i * 5 * SEC, '178.62.30.30'));
    const slow = Array.from({ length: 20 }, (_, i) => fail(i, H + i * 170 * SEC, '178.62.20.20'));
    const botnet = stuffing.map((f, i) => ({
      ...f,
      ip_address: `${20 + (i % 200)}.1.2.3`,
      ip_asn: 1000 + i,
    }));
    const alerts = [stuffing, net, one, slow, botnet].flatMap((events) =>
      detectPasswordSprays(hourInput(H, events)),
    );
    expect(alerts.map((a) => a.spray_key)).toEqual([
      'OWNER AS14061',
      'NET 178.62.10.0/24',
      '178.62.30.30',
      'SLOW 178.62.20.20',
      'ANY any address',
    ]);
    // An alert taken in before the key was carried is read back from its evidence alike.
    for (const { spray_key, ...before } of alerts) expect(sprayRecordKeyOf(before)).toBe(spray_key);
  });

  it('is the one carried, whatever the evidence says', () => {
    const alert = {
      evidence: 'failed logins of 30 users',
      ip_address: '5.6.7.8',
      spray_key: 'NET 178.62.10.0/24',
    };
    expect(sprayRecordKeyOf(alert)).toBe('NET 178.62.10.0/24');
    expect(sprayGroupOfAlert(alert)).toEqual({ scope: 'network', slow: false, group: '178.62.10.0/24' });
    expect(sprayGroupOfAlert({ ...alert, spray_key: 'SLOW 5.6.7.8' })).toEqual({
      scope: 'address',
      slow: true,
      group: '5.6.7.8',
    });
    expect(sprayGroupOfAlert({ ...alert, spray_key: 'ANY any address' })?.group).toBe('any address');
  });

  it('is the address key for an alert of an earlier release, as before', () => {
    const evidence =
      'failed logins of 10 users (12 failures) within 10 minutes (10:00 to 10:04 UTC) from IP 5.6.7.8 (US, AS7018 AT&T Services): "a" and 9 more';
    expect(sprayRecordKeyOf({ evidence, ip_address: '10.0.0.1, 5.6.7.8:443' })).toBe('5.6.7.8');
    expect(
      sprayRecordKeyOf({ evidence: 'failed logins of 10 users', ip_address: '2a00:1450:4001:81c::1' }),
    ).toBe('2a00:1450:4001:81c::/64');
  });
});

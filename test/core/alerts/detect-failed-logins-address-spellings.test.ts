/**
 * One client written in several spellings (a forwarded-for list: `3.3.3.3`, `3.3.3.3, 10.0.0.7`,
 * `192.168.1.2, 3.3.3.3`) is one address to the lockout and burst alerts, as to password_spray and
 * the report's queries (ip-network.ts, failureAddressKey). Review R-QUERIES M2: a user failing 6
 * times from `3.3.3.3` then 6 times from `3.3.3.3, 10.0.0.7` got two bursts, the second "from 2
 * IPs …; 5 of them from IP 3.3.3.3, 10.0.0.7, new since the previous burst", and a lockout said
 * "from 4 IPs" for one.
 */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../functions/core/alerts/alert.ts';
import {
  detectFailedLoginBursts,
  detectLockouts,
} from '../../../functions/core/alerts/detect-failed-logins.ts';
import { detectAlerts } from '../../../functions/core/alerts/detect-hour.ts';
import { LoginProfile } from '../../../functions/core/alerts/login-profile.ts';
import type { RaisedBursts } from '../../../functions/core/alerts/raised-burst.ts';
import { addRaisedBurst, recordRaisedBursts } from '../../../functions/core/alerts/raised-bursts.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { failedLogin, hourInput, record, settings } from './support/alert-fixtures.ts';
import { burstsHourByHour, clock, failure } from './support/bursts-hour-by-hour.ts';

const H = Date.parse('2026-11-25T10:00:00Z');
const MIN = 60_000;

const detect = (events: readonly EventRecord[], raisedBursts?: RaisedBursts): Alert[] =>
  detectFailedLoginBursts({
    instance: 'acme',
    fromMs: H,
    toMs: H + HOUR_MS,
    events,
    before: [],
    profile: new LoginProfile('acme', 'UTC'),
    settings: settings({ burstFailures: 5, burstMinutes: 10 }),
    ...(raisedBursts ? { raisedBursts } : {}),
  });

describe('lockout and burst alerts: one client through a proxy is one address', () => {
  it('6 failures from 3.3.3.3, then 6 from "3.3.3.3, 10.0.0.7": one burst, not a second attack', () => {
    const failures = [
      ...Array.from({ length: 6 }, (_, i) => failure(H + (5 + i) * MIN, '3.3.3.3')),
      ...Array.from({ length: 6 }, (_, i) => failure(H + (11 + i) * MIN, '3.3.3.3, 10.0.0.7')),
    ];
    const alerts = burstsHourByHour(failures, H - HOUR_MS, H + 2 * HOUR_MS);
    expect(clock(alerts)).toEqual(['10:09:00']);
    expect(alerts[0]?.evidence).toMatch(
      /^5 failed logins within 10 minutes \(.*\) from IP 3\.3\.3\.3; it went on to 12 failures until 10:16 UTC$/,
    );
  });

  it('a second attacker elsewhere behind the first is still told apart', () => {
    const failures = [
      ...Array.from({ length: 6 }, (_, i) => failure(H + (5 + i) * MIN, '3.3.3.3')),
      ...Array.from({ length: 6 }, (_, i) => failure(H + (11 + i) * MIN, '3.3.3.3, 10.0.0.7')),
      ...Array.from({ length: 5 }, (_, i) => failure(H + 17 * MIN + i * 10_000, '192.168.0.3, 4.4.4.4')),
    ];
    const alerts = burstsHourByHour(failures, H - HOUR_MS, H + 2 * HOUR_MS);
    expect(clock(alerts)).toEqual(['10:09:00', '10:17:40']);
    expect(alerts[1]?.evidence).toMatch(
      / from 2 IPs 3\.3\.3\.3, 4\.4\.4\.4; 5 of them new since the previous burst \(from IP 4\.4\.4\.4\)$/,
    );
  });

  it('a lockout counts the failures of one client as one IP, shown as the address its key names', () => {
    const spellings = [
      '3.3.3.3',
      '3.3.3.3, 10.0.0.1',
      '192.168.0.3, 3.3.3.3',
      '3.3.3.3,172.16.0.9',
      ' 3.3.3.3:443',
    ];
    const failures = spellings.map((ip, i) => failure(H + 20 * MIN + i * 50_000, ip));
    // Placed by the client entry: the latest placed failure's place is shown.
    failures[1] = { ...(failures[1] as EventRecord), ip_country: 'US', ip_asn: 16509, ip_org: 'Amazon' };
    const lockout = record({
      event_time_ms: H + 25 * MIN,
      category: 'lockout',
      ip_address: '3.3.3.3, 10.0.0.1',
    });
    const [alert] = detectLockouts(hourInput(H, [...failures, lockout]));
    expect(alert?.evidence).toBe(
      'locked out after 5 failed logins in the hour before, from IP 3.3.3.3 (US, AS16509 Amazon)',
    );
  });

  it('the checkpoint records a burst by address key, one place per client, however often respelled', () => {
    const failures = [
      ...['3.3.3.3', '3.3.3.3, 10.0.0.1', '192.168.0.3, 3.3.3.3'].map((ip, i) =>
        failure(H + (5 + i) * MIN, ip),
      ),
      failure(H + 8 * MIN, null),
      failure(H + 9 * MIN, '2a00:1450:4001:81c::1'),
    ];
    const bursts: RaisedBursts = {};
    recordRaisedBursts(bursts, detect(failures), failures);
    expect(Object.values(bursts)).toEqual([[[H + 9 * MIN, '3.3.3.3', null, '2a00:1450:4001:81c::/64']]]);
    // A record of the previous release (whole texts) is keyed as it is merged.
    const old: RaisedBursts = { 'id:u1': [[H, '3.3.3.3', '3.3.3.3, 10.0.0.1', ' 3.3.3.3:443']] };
    addRaisedBurst(old, { ...(detect(failures)[0] as Alert), event_time_ms: H }, [H, '192.168.0.3, 3.3.3.3']);
    expect(old['id:u1']).toEqual([[H, '3.3.3.3']]);
  });

  it('a checkpoint of the previous release (whole texts) still leaves out a burst a late failure moved', () => {
    // Sent at 10:09 by the previous release, recorded under the text its window held; a late
    // failure at 10:04:30 from the same client written alone moves the raise to 10:08.
    const failures = [
      failure(H + 4 * MIN + 30_000, '3.3.3.3'),
      ...Array.from({ length: 5 }, (_, i) => failure(H + (5 + i) * MIN, '3.3.3.3, 10.0.0.7')),
    ];
    expect(clock(detect(failures))).toEqual(['10:08:00']);
    const raised: RaisedBursts = { 'id:u1': [[H + 9 * MIN, '3.3.3.3, 10.0.0.7']] };
    expect(detect(failures, raised)).toEqual([]);
    // A late failure from another address is still sent.
    const elsewhere = [failure(H + 4 * MIN + 30_000, '4.4.4.4'), ...failures.slice(1)];
    expect(clock(detect(elsewhere, raised))).toEqual(['10:08:00']);
  });
});

describe('failures whose address text names none (review R-QUERIES L1)', () => {
  it('"unknown" or "-" for many users is no spray: no address, as a failure without one', () => {
    for (const none of ['unknown', '-', '']) {
      const events = Array.from({ length: 40 }, (_, i) => failedLogin(i, H + i * 7_000, none, `n${i}`));
      expect(
        detectAlerts(hourInput(H, events)).map((a) => a.kind),
        none,
      ).toEqual([]);
    }
    // With an address after it, the address's spray.
    const behind = Array.from({ length: 40 }, (_, i) =>
      failedLogin(i, H + i * 7_000, 'unknown, 5.6.7.8', `b${i}`),
    );
    expect(detectAlerts(hourInput(H, behind)).map((a) => a.kind)).toEqual(['password_spray']);
  });

  it('a lockout and a burst name no IP for "unknown" and "-": they count them as without an address', () => {
    const failures = ['3.3.3.3', 'unknown', '-', '3.3.3.3, 10.0.0.1', 'unknown'].map((ip, i) =>
      failure(H + (5 + i) * MIN, ip),
    );
    const [burst] = detect(failures);
    expect(burst?.evidence).toMatch(
      /^5 failed logins within 10 minutes \(.*\) from IP 3\.3\.3\.3 and 3 without an address$/,
    );
    const lockout = record({ event_time_ms: H + 11 * MIN, category: 'lockout', ip_address: 'unknown' });
    const [alert] = detectLockouts(hourInput(H, [...failures, lockout]));
    expect(alert?.evidence).toBe(
      'locked out after 5 failed logins in the hour before, from IP 3.3.3.3 and 3 without an address',
    );
  });
});

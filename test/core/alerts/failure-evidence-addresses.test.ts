/**
 * How a lockout's, a burst's and a spray's evidence names the addresses of the failures (review
 * R-NUMBERS2): failures without an address are counted, not dropped, so the burst does not read as
 * all from the one address there was (M1); an address is named by the entry its key names, not by
 * the latest failure's whole text, which cut to 64 characters hid it (M2); an IPv6 /64 seen as
 * several addresses is named as the /64 and how many, not as one of them (L1).
 */
import { describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../../functions/core/alerts/alert-event.ts';
import { detectLockouts } from '../../../functions/core/alerts/detect-failed-logins.ts';
import { detectAlerts } from '../../../functions/core/alerts/detect-hour.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { failedLogin, hourInput, record } from './support/alert-fixtures.ts';
import { burstsHourByHour, failure } from './support/bursts-hour-by-hour.ts';

const H = Date.parse('2026-11-25T10:00:00Z');
const MIN = 60_000;

const bursts = (failures: readonly EventRecord[]) =>
  burstsHourByHour(failures, H - HOUR_MS, H + 2 * HOUR_MS).map((a) => a.evidence);

const lockoutAfter = (failures: readonly EventRecord[]) => {
  const last = failures.at(-1)?.event_time_ms ?? H;
  const lockout = record({ event_time_ms: last + MIN, category: 'lockout', ip_address: 'unknown' });
  return detectLockouts(hourInput(H, [...failures, lockout])).map((a) => a.evidence);
};

const GOOGLE = { ip_country: 'DE', ip_asn: 15169, ip_org: 'Google LLC', geo_db_version: 'dbip@1' };

describe('failures without an address are counted (R-NUMBERS2 M1)', () => {
  const failures = ['3.3.3.3', 'unknown', '-', '', 'unknown'].map((ip, i) => failure(H + (5 + i) * MIN, ip));

  it('in a burst and in a lockout', () => {
    expect(bursts(failures)).toEqual([
      '5 failed logins within 10 minutes (10:05 to 10:09 UTC) from IP 3.3.3.3 and 4 without an address',
    ]);
    expect(lockoutAfter(failures)).toEqual([
      'locked out after 5 failed logins in the hour before, from IP 3.3.3.3 and 4 without an address',
    ]);
  });

  it('in the failures new since the previous burst', () => {
    const second = [
      ...Array.from({ length: 5 }, (_, i) => failure(H + (5 + i) * MIN, '3.3.3.3')),
      ...Array.from({ length: 6 }, (_, i) =>
        failure(H + 11 * MIN + i * 10_000, i % 2 ? 'unknown' : '4.4.4.4'),
      ),
    ];
    expect(bursts(second)[1]).toBe(
      '10 failed logins within 10 minutes (10:05 to 10:11 UTC) from 2 IPs 3.3.3.3, 4.4.4.4 and 2 without an address; 5 of them new since the previous burst (from IP 4.4.4.4 and 2 without an address); it went on to 11 failures until 10:11 UTC',
    );
  });

  it('after the 20 IPs named, and alone as before', () => {
    const many = [
      ...Array.from({ length: 22 }, (_, i) => failure(H + i * MIN, `4.4.4.${i + 1}`)),
      failure(H + 23 * MIN, null),
    ];
    expect(lockoutAfter(many)[0]).toMatch(/, 4\.4\.4\.20 and 2 more, and 1 without an address$/);
    expect(lockoutAfter([failure(H, 'unknown'), failure(H + MIN, null)])).toEqual([
      'locked out after 2 failed logins in the hour before, from no recorded IP address',
    ]);
  });
});

describe('an address is named by the entry its key names (R-NUMBERS2 M2)', () => {
  it('not by a long forwarded-for list cut before the address', () => {
    const failures = Array.from({ length: 5 }, (_, i) =>
      failure(H + (5 + i) * MIN, i === 4 ? `${'10.0.0.1, '.repeat(30)}5.6.7.8` : '5.6.7.8'),
    );
    expect(bursts(failures)).toEqual([
      '5 failed logins within 10 minutes (10:05 to 10:09 UTC) from IP 5.6.7.8',
    ]);
    const ported = ['[2A00:1450:4001:81C::15]:443', '198.51.100.7, 5.6.7.8:50123'];
    expect(lockoutAfter(ported.map((ip, i) => failure(H + i * MIN, ip)))).toEqual([
      'locked out after 2 failed logins in the hour before, from 2 IPs 2a00:1450:4001:81c::15, 5.6.7.8',
    ]);
  });

  it('a text without a keyed entry as its latest failure wrote it, a long one cut', () => {
    const long = `X.${'y'.repeat(300)}`;
    expect(lockoutAfter([failure(H, 'x.Y'), failure(H + MIN, 'X.y'), failure(H + 2 * MIN, long)])).toEqual([
      `locked out after 3 failed logins in the hour before, from 2 IPs X.y, X.${'y'.repeat(62)}… (302 characters)`,
    ]);
  });
});

describe('an IPv6 /64 seen as several addresses is named as the /64 (R-NUMBERS2 L1)', () => {
  const v6 = (i: number) => `2a00:1450:4001:81c::${(i + 1).toString(16)}`;

  it('in a burst and a lockout, with its place', () => {
    const failures = Array.from({ length: 12 }, (_, i) => ({ ...failure(H + i * 30_000, v6(i)), ...GOOGLE }));
    expect(bursts(failures)[0]).toMatch(
      / from IP 2a00:1450:4001:81c::\/64 \(5 addresses; DE, AS15169 Google LLC\); it went on to 12 failures until 10:05 UTC$/,
    );
    expect(lockoutAfter(failures)).toEqual([
      'locked out after 12 failed logins in the hour before, from IP 2a00:1450:4001:81c::/64 (12 addresses; DE, AS15169 Google LLC)',
    ]);
  });

  it('one address of it as itself, however often it failed', () => {
    const failures = Array.from({ length: 5 }, (_, i) => failure(H + i * MIN, `[${v6(0)}]:${4000 + i}`));
    expect(lockoutAfter(failures)).toEqual([
      'locked out after 5 failed logins in the hour before, from IP 2a00:1450:4001:81c::1',
    ]);
  });

  it('one address written in several IPv6 spellings as itself, not as its /64 (R-FINAL)', () => {
    const spellings = ['2a00:1450:4001:81c::1', '2a00:1450:4001:81c:0:0:0:1', '2A00:1450:4001:081C::0001'];
    const failures = [...spellings, ...spellings].map((ip, i) => failure(H + i * MIN, ip));
    expect(lockoutAfter(failures)).toEqual([
      'locked out after 6 failed logins in the hour before, from IP 2a00:1450:4001:81c::1',
    ]);
  });

  it('in a spray rotating its address inside the /64', () => {
    const events: AlertEvent[] = Array.from({ length: 12 }, (_, i) => failedLogin(i, H + i * 20_000, v6(i)));
    const [spray] = detectAlerts(hourInput(H, events));
    expect(spray?.evidence).toMatch(/ from IP 2a00:1450:4001:81c::\/64 \(10 addresses\): "user0", /);
  });
});

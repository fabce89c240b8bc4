/**
 * A second attack on a user whose failures have not fallen to half the threshold since the first
 * burst (devices retrying a stale password, or the first attack going on): it raises its own alert
 * once it brings `burstFailures` failures into a window from addresses the earlier burst's window
 * did not hold, at most one a fixed window (and one more for a single new address reaching the
 * threshold alone), so an attacker rotating addresses is not one alert per `burstFailures`
 * failures. Review 34: two devices retrying every 5 minutes (4 in any 10) hid a second attacker
 * for up to 2 hours.
 */
import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { burstsHourByHour, clock, failure } from './support/bursts-hour-by-hour.ts';

const H = Date.parse('2026-11-18T14:00:00Z');
const MIN = 60_000;
const SEC = 1000;

// A phone at :00:30, :05:30, ... and a laptop at :02:30, :07:30, ...: 4 failures in any 10 minutes.
const devices = Array.from({ length: 60 }, (_, i) => [
  failure(H - HOUR_MS + i * 5 * MIN + 30 * SEC, '10.0.0.5'),
  failure(H - HOUR_MS + i * 5 * MIN + 150 * SEC, '10.0.0.6'),
]).flat();
const firstAttack = Array.from({ length: 5 }, (_, i) => failure(H + (5 + i) * MIN, '203.0.113.9'));
/** 20 failures in 4 minutes from `ip`, starting `offset` minutes after 14:00. */
const secondAttack = (offset: number, ip: string | null = '198.51.100.66') =>
  Array.from({ length: 20 }, (_, i) => failure(H + offset * MIN + i * 12 * SEC, ip));

/** The bursts of the devices, the first attack and a second one `offset` minutes after 14:00. */
const withSecondAttack = (offset: number) =>
  burstsHourByHour([...devices, ...firstAttack, ...secondAttack(offset)], H - HOUR_MS, H + 4 * HOUR_MS);

describe('failed-login bursts: a second attack before the count falls to half', () => {
  it('two devices retrying a stale password hide no second attack from another address', () => {
    expect(burstsHourByHour(devices, H - HOUR_MS, H + 4 * HOUR_MS)).toEqual([]);
    for (const [offset, at] of [
      [40, '14:40:48'],
      [90, '15:30:48'],
    ] as const) {
      const alerts = withSecondAttack(offset);
      expect(clock(alerts)).toEqual(['14:05:00', at]);
      expect(alerts[1]?.ip_address).toBe('198.51.100.66');
      expect(alerts[1]?.evidence).toMatch(
        /^9 failed logins within 10 minutes \(.*\) from 3 IPs .*; 5 of them new since the previous burst \(from IP 198\.51\.100\.66\); it went on to \d+ failures until \d\d:\d\d UTC$/,
      );
    }
  });

  it('with a threshold of 3, one phone retrying every 5 minutes hides none either', () => {
    const phone = Array.from({ length: 48 }, (_, i) =>
      failure(H - HOUR_MS + i * 5 * MIN + 30 * SEC, '10.0.0.5'),
    );
    const alerts = burstsHourByHour([...phone, ...firstAttack, ...secondAttack(90)], H, H + 3 * HOUR_MS, 3);
    expect(alerts.map((a) => a.ip_address)).toEqual(['203.0.113.9', '198.51.100.66']);
  });

  it('failures without an address count as one more address', () => {
    const alerts = burstsHourByHour(
      [...devices, ...firstAttack, ...secondAttack(90, null)],
      H,
      H + 3 * HOUR_MS,
    );
    expect(clock(alerts)).toEqual(['14:05:00', '15:30:48']);
    expect(alerts[1]?.evidence).toMatch(
      /; 5 of them new since the previous burst \(from no recorded IP address\); it went on to 35 failures until 15:57 UTC$/,
    );
    // Behind a first attack without one, a second without one is the same address: not told apart.
    const nameless = firstAttack.map((f) => ({ ...f, ip_address: null }));
    expect(
      clock(burstsHourByHour([...devices, ...nameless, ...secondAttack(90, null)], H, H + 3 * HOUR_MS)),
    ).toEqual(['14:05:00']);
  });

  it('a second attack across an hour boundary is raised once, by the hour it reaches the threshold in', () => {
    for (const [offset, at] of [
      [58, '14:58:48'],
      [59.5, '15:00:18'],
    ] as const) {
      const alerts = withSecondAttack(offset);
      expect(clock(alerts)).toEqual(['14:05:00', at]);
    }
  });

  it('an attacker taking a new address for every attempt raises one alert a window', () => {
    // One failure every 20 seconds for an hour, each from its own address: after the first, one
    // alert at the start of each fixed 10-minute window (14:10, 14:20, ...), not 10 minutes after
    // the previous one, so an earlier failure cannot shift them all.
    const rotating = Array.from({ length: 180 }, (_, i) =>
      failure(H + i * 20 * SEC, `198.51.100.${i % 250}`),
    );
    const alerts = burstsHourByHour(rotating, H, H + HOUR_MS);
    expect(clock(alerts)).toEqual(['14:01:20', '14:10:00', '14:20:00', '14:30:00', '14:40:00', '14:50:00']);
  });

  it('one address hovering near the threshold for hours stays one alert', () => {
    // 4 or 5 in any 10 minutes (100 s, 100 s, 200 s apart) from 14:00 to 17:00.
    const script: EventRecord[] = [];
    for (let i = 0, t = H; t < H + 3 * HOUR_MS; t += (i++ % 3 === 2 ? 200 : 100) * SEC) {
      script.push(failure(t, '198.51.100.7'));
    }
    expect(burstsHourByHour([...devices, ...script], H, H + 3 * HOUR_MS)).toHaveLength(1);
  });
});

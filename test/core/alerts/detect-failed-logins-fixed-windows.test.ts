/**
 * Bursts raised while the detector is not re-armed (review rv34f): the wait for the next one is
 * the end of the fixed window (`burstMinutes` windows from the epoch) the last was raised in, so
 * the same attack gives the same alerts whatever came before it; within that fixed window, one
 * new address alone reaching the threshold raises once more, so an attacker starting right after
 * a user's own mistyped burst is named.
 */
import { describe, expect, it } from 'vitest';
import { detectFailedLoginBursts } from '../../../functions/core/alerts/detect-failed-logins.ts';
import { LoginProfile } from '../../../functions/core/alerts/login-profile.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { settings } from './support/alert-fixtures.ts';
import { burstsHourByHour, clock, failure } from './support/bursts-hour-by-hour.ts';

const H = Date.parse('2026-11-18T14:00:00Z');
const MIN = 60_000;
const SEC = 1000;

/** 20 failures in 4 minutes from one address, 14:03:00-14:06:48. */
const attacker = Array.from({ length: 20 }, (_, i) => failure(H + 3 * MIN + i * 12 * SEC, '198.51.100.66'));

describe('failed-login bursts while not re-armed', () => {
  it('an attacker starting within the window of the user’s own burst is named', () => {
    // The user mistypes 5 times at 14:00-14:02 (raised at 14:02), then the attacker.
    const own = Array.from({ length: 5 }, (_, i) => failure(H + i * 30 * SEC, '73.1.1.1'));
    const alerts = burstsHourByHour([...own, ...attacker], H, H + 2 * HOUR_MS);
    expect(clock(alerts)).toEqual(['14:02:00', '14:03:48']);
    expect(alerts.map((a) => a.ip_address)).toEqual(['73.1.1.1', '198.51.100.66']);
    expect(alerts[1]?.evidence).toMatch(
      /; 5 of them new since the previous burst \(from IP 198\.51\.100\.66\); it went on to 25 failures until 14:06 UTC$/,
    );
  });

  it('so is one behind a phone retrying a stale password as well', () => {
    const phone = Array.from({ length: 24 }, (_, i) =>
      failure(H - HOUR_MS + i * 5 * MIN + 30 * SEC, '10.0.0.5'),
    );
    const own = Array.from({ length: 5 }, (_, i) => failure(H + i * 30 * SEC + 5 * SEC, '73.1.1.1'));
    const alerts = burstsHourByHour([...phone, ...own, ...attacker], H, H + 2 * HOUR_MS);
    expect(clock(alerts)).toEqual(['14:01:05', '14:03:48']);
    expect(alerts[1]?.ip_address).toBe('198.51.100.66');
  });

  it('addresses each making the threshold raise at most two alerts a fixed window', () => {
    // A botnet: every address makes 5 attempts 2 seconds apart, one after the other, for an hour.
    const botnet = Array.from({ length: 1800 }, (_, i) =>
      failure(H + i * 2 * SEC, `203.0.${Math.floor(i / 5 / 250)}.${Math.floor(i / 5) % 250}`),
    );
    const alerts = burstsHourByHour(botnet, H, H + HOUR_MS);
    const perWindow = new Map<number, number>();
    for (const a of alerts) {
      const w = Math.floor(a.event_time_ms / (10 * MIN));
      perWindow.set(w, (perWindow.get(w) ?? 0) + 1);
    }
    expect([...perWindow.values()]).toEqual([2, 2, 2, 2, 2, 2]);
  });

  it('a re-armed burst uses up the fixed window’s extra alert too: never three in one window', () => {
    const at = (hms: string, ip: string) => failure(Date.parse(`2026-11-18T${hms}Z`), ip);
    const failures = [
      // Raised at 13:50:40, then kept under half only by the 13:53 and 13:56 retries.
      ...['13:50:00', '13:50:10', '13:50:20', '13:50:30', '13:50:40', '13:53:00', '13:56:00'].map((t) =>
        at(t, '192.0.2.1'),
      ),
      // Five new addresses: renewed at 14:00, in the fixed window 14:00-14:10.
      ...['13:59:00', '13:59:10', '13:59:20', '13:59:30', '14:00:00'].map((t, i) =>
        at(t, `198.51.100.${i + 1}`),
      ),
      // A lull, then a re-armed burst at 14:09:55, then one new address reaching 5 at 14:09:59.5.
      ...['14:09:31', '14:09:40', '14:09:50', '14:09:55'].map((t) => at(t, '192.0.2.1')),
      ...['14:09:56', '14:09:57', '14:09:58', '14:09:59', '14:09:59.500'].map((t) => at(t, '203.0.113.7')),
    ];
    const alerts = burstsHourByHour(failures, H - HOUR_MS, H + HOUR_MS);
    expect(alerts.filter((a) => a.event_time_ms >= H && a.event_time_ms < H + 10 * MIN)).toHaveLength(2);
  });

  it('an attack behind a burst raised again by the next hour’s evaluation is not raised twice', () => {
    // One address hovering at 3-4 failures in any 10 minutes from 13:00 to 16:00, raised at
    // 13:10:40. Evaluating 15:00 follows it from 14:00 only, re-armed, so it is raised again there
    // at 14:52:30; evaluating 14:00 is not. Then a second attack from 14:54 on (commit 37263a1:
    // was raised at 14:54:48 by the 14:00 hour and again at 15:02:12 by the 15:00 hour).
    const script = [
      ...Array.from({ length: 60 }, (_, i) => failure(H - HOUR_MS + i * 3 * MIN, '10.9.9.9')),
      ...[10 * MIN + 30 * SEC, 10 * MIN + 40 * SEC, HOUR_MS + 52 * MIN, HOUR_MS + 52 * MIN + 30 * SEC].map(
        (at) => failure(H - HOUR_MS + at, '10.9.9.9'),
      ),
    ];
    const all = (events: readonly EventRecord[]) => [...script, ...events];
    const whole = (events: readonly EventRecord[]) =>
      detectFailedLoginBursts({
        instance: 'acme',
        fromMs: H - HOUR_MS,
        toMs: H + 3 * HOUR_MS,
        events: all(events),
        before: [],
        profile: new LoginProfile('acme', 'UTC'),
        settings: settings({ burstFailures: 5, burstMinutes: 10 }),
      });
    for (const ip of [() => '198.51.100.66', (i: number) => `198.51.100.${i}`]) {
      const attack = Array.from({ length: 100 }, (_, i) => failure(H + 54 * MIN + i * 12 * SEC, ip(i)));
      const alerts = burstsHourByHour(all(attack), H - HOUR_MS, H + 3 * HOUR_MS);
      expect(alerts.map((a) => a.id)).toEqual(whole(attack).map((a) => a.id));
      // Carrying the bursts raised from hour to hour, as the alerts checkpoint does, changes nothing.
      const carried = burstsHourByHour(all(attack), H - HOUR_MS, H + 3 * HOUR_MS, 5, {});
      expect(carried.map((a) => a.id)).toEqual(alerts.map((a) => a.id));
      expect(clock(alerts).slice(0, 2)).toEqual(['13:10:40', '14:54:48']);
    }
  });
});

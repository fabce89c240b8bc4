/**
 * When a failed-login burst may raise another alert: once the count in its trailing window has
 * fallen to half the threshold, not whenever it dips under the threshold. A slow guessing script
 * hovering around the threshold for hours is one attack, one alert; a client retrying a stale
 * password now and then does not hide a second attack on the same user.
 */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../functions/core/alerts/alert.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { seeded } from '../../support/seeded-random.ts';
import { record } from './support/alert-fixtures.ts';
import { burstsHourByHour } from './support/bursts-hour-by-hour.ts';

const H = Date.parse('2026-11-18T14:00:00Z');
const MIN = 60_000;
const SEC = 1000;

const failure = (ms: number) =>
  record({ event_time_ms: ms, category: 'login_failed', ip_address: '198.51.100.7' });

const at = (alerts: readonly Alert[]) => alerts.map((a) => (a.event_time_ms - H) / MIN);

describe('failed-login bursts: one alert per attack', () => {
  it('a jittery script guessing every 2-3 minutes for 3 hours raises one alert', () => {
    const random = seeded(7);
    const jitter = () => Math.floor(random() * 60 * SEC);
    const failures: EventRecord[] = [];
    for (let t = H; t < H + 3 * HOUR_MS; t += 2 * MIN + jitter()) failures.push(failure(t));
    expect(failures.length).toBeGreaterThan(70);

    expect(burstsHourByHour(failures, H, H + 3 * HOUR_MS)).toHaveLength(1);
  });

  it('a count that dips under the threshold without a pause does not raise it again', () => {
    // 5 in 4 minutes, then one every 3 minutes (3-4 in any 10 minutes), then 5 in 4 minutes again.
    const minutes = [0, 1, 2, 3, 4, 7, 10, 13, 16, 19, 22, 23, 24, 25, 26];
    expect(
      at(
        burstsHourByHour(
          minutes.map((m) => failure(H + m * MIN)),
          H,
          H + HOUR_MS,
        ),
      ),
    ).toEqual([4]);
  });

  it('a count fallen to half the threshold (here 2 of 5) lets the next burst raise another', () => {
    const burst = (start: number) => [0, 1, 2, 3, 4].map((m) => failure(start + m * MIN));
    const paused = [...burst(H), ...burst(H + 14 * MIN)]; // 10 minutes from 14:04 to 14:14
    expect(at(burstsHourByHour(paused, H, H + HOUR_MS))).toEqual([4, 18]);
    // At 14:13 the window (14:03, 14:13] holds 14:04 and 14:13: two, half of 5 rounded down.
    const halved = [...burst(H), ...[13, 14, 15, 16, 17].map((m) => failure(H + m * MIN))];
    expect(at(burstsHourByHour(halved, H, H + HOUR_MS))).toEqual([4, 17]);
    // Three or more all along: the same attack.
    const aboveHalf = [...burst(H), ...[12, 13, 14, 15, 16].map((m) => failure(H + m * MIN))];
    expect(at(burstsHourByHour(aboveHalf, H, H + HOUR_MS))).toEqual([4]);
  });

  it('a client retrying a stale password every 5 minutes hides no second attack', () => {
    const ip = (address: string) => (e: EventRecord) => ({ ...e, ip_address: address });
    const phone = Array.from({ length: 48 }, (_, i) => failure(H - HOUR_MS + i * 5 * MIN + 30 * SEC));
    const first = Array.from({ length: 5 }, (_, i) => ip('203.0.113.9')(failure(H + (5 + i) * MIN)));
    const second = Array.from({ length: 20 }, (_, i) =>
      ip('198.51.100.66')(failure(H + 90 * MIN + i * 12 * SEC)),
    );
    const alerts = burstsHourByHour([...phone, ...first, ...second], H, H + 3 * HOUR_MS);
    expect(alerts.map((a) => a.ip_address)).toEqual(['203.0.113.9', '198.51.100.66']);
  });

  it('an attack raised in the hour before and going on without a pause raises nothing more', () => {
    // From 13:30 to 14:30, 100 s, 100 s, then 200 s apart: 4 or 5 in any 10 minutes.
    const failures: EventRecord[] = [];
    for (let i = 0, t = H - 30 * MIN; t < H + 30 * MIN; t += (i++ % 3 === 2 ? 200 : 100) * SEC) {
      failures.push(failure(t));
    }
    const alerts = burstsHourByHour(failures, H - HOUR_MS, H + HOUR_MS);
    expect(alerts.map((a) => a.event_time_ms)).toEqual([H - 30 * MIN + 500 * SEC]);
  });
});

/**
 * Recording an hour's bursts reads its events once, not once per burst: an attack of 9,000 bursts
 * an hour over two hours of failures took 62 of a run's 92 CPU seconds filtering the events anew
 * for each burst, and a run grew to 249 s by the attack's third hour (review R-ALERT4 F3). Counted
 * by the reads of the events, not timed.
 */
import { describe, expect, it } from 'vitest';
import { detectFailedLoginBursts } from '../../../functions/core/alerts/detect-failed-logins.ts';
import type { RaisedBursts } from '../../../functions/core/alerts/raised-burst.ts';
import { recordRaisedBursts } from '../../../functions/core/alerts/raised-bursts.ts';
import { failedLogin, hourInput } from './support/alert-fixtures.ts';

const H = Date.parse('2026-11-18T10:00:00Z');

/** `events` behind a proxy counting the reads of its entries. */
function counted<T>(events: readonly T[]): { events: readonly T[]; reads: () => number } {
  let reads = 0;
  const proxy = new Proxy(events, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
      return Reflect.get(target, key, receiver);
    },
  });
  return { events: proxy, reads: () => reads };
}

describe('recordRaisedBursts', () => {
  it("reads an hour's events once for all its bursts, each recorded with its addresses", () => {
    // 300 users, each failing 5 times within a minute from 5 addresses: 300 bursts, 1,500 events.
    const failures = Array.from({ length: 300 }, (_, user) =>
      [0, 1, 2, 3, 4].map((k) =>
        failedLogin(user, H + 10 * 60_000 + user * 1000 + k * 100, `5.6.${user % 200}.${k}`),
      ),
    ).flat();
    const input = hourInput(H, failures);
    const alerts = detectFailedLoginBursts(input);
    expect(alerts).toHaveLength(300);
    const { events, reads } = counted([...input.before, ...input.events]);
    const bursts: RaisedBursts = {};
    recordRaisedBursts(bursts, alerts, events);
    // Once per burst would be 300 times 1,500.
    expect(reads()).toBeLessThanOrEqual(2 * events.length);
    expect(Object.keys(bursts)).toHaveLength(300);
    const raisedAt = H + 10 * 60_000 + 7000 + 400;
    expect(bursts['id:id7']).toEqual([[raisedAt, ...[0, 1, 2, 3, 4].map((k) => `5.6.7.${k}`)]]);
  });
});

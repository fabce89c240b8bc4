/**
 * Sprays already raised (the checkpoint's record, by address and raise time) are not raised again
 * under another id when a late failure moves the raising failure within the same episode (no lull
 * between), nor when the later hour raised it and a late failure now raises it in this one; a
 * spray after a lull, or from another address, is still raised.
 */
import { describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../../functions/core/alerts/alert-event.ts';
import { detectPasswordSprays } from '../../../functions/core/alerts/detect-password-spray.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { failedLogin, hourInput } from './support/alert-fixtures.ts';

const H = Date.parse('2026-11-18T10:00:00Z');
const IP = '198.51.100.7';
const MIN = 60_000;

const failure = (user: number, atMs: number, ip = IP): AlertEvent => failedLogin(user, atMs, ip);

/** Ten users, one failure each 30 s from `startMs` (the tenth raises at 4 min 30 s). */
const ten = (startMs: number, first = 1, ip = IP) =>
  Array.from({ length: 10 }, (_, k) => failure(first + k, startMs + k * 30_000, ip));

const sprays = (events: AlertEvent[], raisedSprays: Record<string, number[]>) =>
  detectPasswordSprays({ ...hourInput(H, events), raisedSprays }).map((a) => a.event_time_ms);

describe('a password spray raised already', () => {
  const onTime = ten(H + 20 * MIN);
  const raisedAt = H + 20 * MIN + 9 * 30_000;
  const late = failure(0, H + 18 * MIN);

  it('moved earlier by a late failure: not raised again', () => {
    expect(sprays([...onTime, late], {})).toEqual([raisedAt - 30_000]);
    expect(sprays([...onTime, late], { [IP]: [raisedAt] })).toEqual([]);
  });

  it('raised by the next hour, a late failure now raising it in this one: not raised again', () => {
    // Nine users by 10:59:30 (this hour's), the tenth at 11:00: the next hour raised it.
    const ninth = H + HOUR_MS - 30_000;
    const edge = ten(H + 55 * MIN + 30_000).filter((f) => f.event_time_ms <= ninth);
    const nextHour = H + HOUR_MS;
    expect(sprays(edge, {})).toEqual([]);
    expect(sprays([...edge, failure(0, H + 55 * MIN)], {})).toEqual([nextHour - 30_000]);
    expect(sprays([...edge, failure(0, H + 55 * MIN)], { [IP]: [nextHour] })).toEqual([]);
  });

  it('after a lull, or from another address: raised', () => {
    const after = ten(H + 45 * MIN, 20);
    expect(sprays([...onTime, late, ...after], { [IP]: [raisedAt] })).toEqual([H + 45 * MIN + 9 * 30_000]);
    expect(sprays([...onTime, late], { '203.0.113.1': [raisedAt] })).toEqual([raisedAt - 30_000]);
  });
});

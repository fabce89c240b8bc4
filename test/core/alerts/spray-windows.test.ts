/**
 * Where a spray group's failures held a level's users, found once (spray-windows.ts): the same
 * answers as counting each stretch's failures afresh, which cost 16 s for 20,000 failures of one
 * owner and 2,000 sign-ins from it (review R-SPRAY2 M2).
 */
import { describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../../functions/core/alerts/alert-event.ts';
import { userKey } from '../../../functions/core/alerts/detection.ts';
import { SprayWindows } from '../../../functions/core/alerts/spray-windows.ts';
import { failedLogin } from './support/alert-fixtures.ts';

const MIN = 60_000;

/** Counting afresh: some window of `span` within (from, to) holding `users` users. */
function sprayedAfresh(
  failures: AlertEvent[],
  users: number,
  span: number,
  from: number,
  to: number,
): boolean {
  const kept = failures.filter((f) => f.event_time_ms > from && f.event_time_ms < to);
  return kept.some((end) => {
    const inWindow = kept.filter(
      (f) => f.event_time_ms > end.event_time_ms - span && f.event_time_ms <= end.event_time_ms,
    );
    return new Set(inWindow.map(userKey)).size >= users;
  });
}

/** A small deterministic generator: the same cases every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

describe('SprayWindows', () => {
  it('answers as counting afresh, for every stretch and in time order', () => {
    const next = random(7);
    for (let round = 0; round < 40; round++) {
      const times = Array.from({ length: 60 }, () => Math.floor(next() * 120) * MIN).sort((a, b) => a - b);
      const failures = times.map((t, i) => failedLogin(Math.floor(next() * 12), t, '45.1.1.1', `f${i}`));
      const [users, span] = [3 + Math.floor(next() * 5), (5 + Math.floor(next() * 30)) * MIN];
      const windows = new SprayWindows(failures, users, span);
      for (let at = 0; at < 130 * MIN; at += 7 * MIN) {
        const [from, to] = [at - 60 * MIN, at + span];
        expect(windows.sprayedWithin(from, to)).toBe(sprayedAfresh(failures, users, span, from, to));
        const kept = failures.filter((f) => f.event_time_ms > from && f.event_time_ms < to);
        const tally = windows.tally(from, to, 'id:id3');
        expect(tally.to - tally.from).toBe(kept.length);
        expect(tally.users).toBe(new Set(kept.map(userKey)).size);
        expect(tally.own).toBe(kept.filter((f) => f.user_id === 'id3').length);
      }
    }
  });
});

import type { Clock, Sleep } from '../../../../functions/core/ports.ts';

/** A clock that only moves when told to, and a sleep that records its delay and moves the clock. */
export interface FakeTime {
  clock: Clock;
  sleep: Sleep;
  /** `clock` again, as the clock `sleep` moves (what the audit client paces by). */
  pacingClock: Clock;
  /** Every delay passed to `sleep`, in call order. */
  sleeps: number[];
  advance(ms: number): void;
  /** The retries' jitter: the middle of its range, so a delay is reproducible. */
  random: () => number;
}

export const T0 = Date.parse('2026-10-01T10:00:00Z');

export function fakeTime(options: { start?: number; sleepMovesClock?: boolean } = {}): FakeTime {
  let now = options.start ?? T0;
  const moves = options.sleepMovesClock ?? true;
  const sleeps: number[] = [];
  const clock = { now: () => now };
  return {
    clock,
    pacingClock: clock,
    sleeps,
    random: () => 0.5,
    async sleep(ms, signal) {
      signal?.throwIfAborted();
      sleeps.push(ms);
      if (moves) now += ms;
    },
    advance(ms) {
      now += ms;
    },
  };
}

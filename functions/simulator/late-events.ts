import { MINUTE_MS } from '../core/time-units.ts';
import type { Prng } from './prng.ts';

/**
 * Late-arriving events (domo-api-notes §8, §10.7): a fraction of the events only shows up in the API
 * some time after their own `time`, so a window pulled soon after it closed misses them and only a
 * later re-pull (the ingest's lookback) finds them.
 */
export interface LateEventOptions {
  /** Probability, per event, that it arrives late. */
  fraction: number;
  /** Shortest delay between an event's time and when the API first serves it. */
  minDelayMs: number;
  /** Longest delay (inclusive). */
  maxDelayMs: number;
}

/** Delays of 20 to 90 minutes: past the default 15-minute settle, inside the default 2-hour lookback. */
export const DEFAULT_LATE_DELAY = { minDelayMs: 20 * MINUTE_MS, maxDelayMs: 90 * MINUTE_MS } as const;

/** `fraction` of the events late by the default 20 to 90 minutes (what `simulate --late` asks for). */
export function lateEventsOf(fraction: number): LateEventOptions {
  return checkLateEvents({ fraction, ...DEFAULT_LATE_DELAY });
}

/** Validates the options; throws naming the bad one. Returns them for chaining. */
export function checkLateEvents(o: LateEventOptions): LateEventOptions {
  if (!(o.fraction >= 0 && o.fraction <= 1)) {
    throw new RangeError(`lateEvents.fraction must be a probability in [0, 1], got ${o.fraction}`);
  }
  for (const key of ['minDelayMs', 'maxDelayMs'] as const) {
    if (!(Number.isSafeInteger(o[key]) && o[key] >= 0)) {
      throw new RangeError(`lateEvents.${key} must be a whole number of milliseconds >= 0, got ${o[key]}`);
    }
  }
  if (o.maxDelayMs < o.minDelayMs) {
    throw new RangeError(
      `lateEvents.maxDelayMs (${o.maxDelayMs}) must not be below lateEvents.minDelayMs (${o.minDelayMs})`,
    );
  }
  return o;
}

/**
 * When the API starts serving an event at `timeMs`: `timeMs + delay` for a late one, otherwise
 * -Infinity (as soon as its own time has come). `rng` is a stream dedicated to this event, so the
 * decision depends only on the seed and the event's position, never on request timing.
 */
export function visibleFrom(timeMs: number, late: LateEventOptions, rng: Prng): number {
  // Both values are drawn for every event so one event's outcome never shifts another's.
  const isLate = rng.chance(late.fraction);
  const delayMs = rng.int(late.minDelayMs, late.maxDelayMs);
  return isLate ? timeMs + delayMs : Number.NEGATIVE_INFINITY;
}

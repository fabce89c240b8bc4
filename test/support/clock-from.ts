import type { Clock } from '../../functions/core/ports.ts';
import { captureIo } from './capture-io.ts';

/**
 * A clock that reads `startMs` now and runs on at the real pace. Tests over fixed dates give it to
 * the simulator and to the command (`io.clock`): a clock that read the system's would, a year on,
 * put those dates past Domo's retention (empty hours, a retention warning); a frozen one would stop
 * the tokens and rate limits the tests count on from expiring and refilling.
 */
export function clockFrom(startMs: number): Clock {
  const shift = Date.now() - startMs;
  return { now: () => Date.now() - shift };
}

/** What `captureIo` gives, with the command's "now" read from `clock`. */
export function captureIoAt(clock: Clock, env: NodeJS.ProcessEnv = {}) {
  const captured = captureIo(env);
  return { ...captured, io: { ...captured.io, clock } };
}

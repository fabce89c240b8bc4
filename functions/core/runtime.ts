import type { Clock } from './ports.ts';

/**
 * What the core reads of the machine it runs on: the real clocks and the random source. The
 * entry points pass these in (tests pass fakes), and the core's code takes them as parameters;
 * this is the one core file the architecture test lets read them (AMBIENT_READERS), so ports.ts
 * stays interfaces only.
 */

export const systemClock: Clock = { now: () => Date.now() };

/**
 * Milliseconds from an arbitrary origin, never stepped back or forward by NTP or an operator:
 * for spacing requests and timing answers only, never for a date.
 */
// biome-ignore lint/style/noRestrictedGlobals: the real monotonic Clock the entry points pass in.
export const monotonicClock: Clock = { now: () => performance.now() };

/** Uniform in [0, 1): jitter only, never an id or a secret. */
export const realRandom = (): number => Math.random();

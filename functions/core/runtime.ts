import type { Clock, Sleep } from './ports.ts';

/**
 * What the core reads of the machine it runs on: the real clocks, the real timer and the random
 * source. The entry points pass these in (tests pass fakes), and the core's code takes them as
 * parameters, with no default: this is the one core file the architecture test lets read them
 * (AMBIENT_READERS) and no other core file may import it, so ports.ts stays interfaces only and a
 * test that forgets a wait fails to type-check instead of waiting for real.
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

/** The real timer-backed {@link Sleep}; tests inject a fake that records the delays instead. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    // biome-ignore lint/style/noRestrictedGlobals: the one real timer behind Sleep.
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * The waits, clocks and jitter an entry point gives the Domo client (AuditClientWaits): the real
 * timer on monotonic time, so neither a simulated wall clock nor one set back paces the requests.
 */
export const realClientWaits = {
  clock: systemClock,
  pacingClock: monotonicClock,
  sleep: realSleep,
  random: realRandom,
} as const;

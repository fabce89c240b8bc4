import type { Clock, Sleep } from '../ports.ts';

/** Admits requests no faster than a fixed rate; one limiter is shared by every request of a client. */
export interface RateLimiter {
  /** Resolves when the caller may send its request; rejects with the signal's reason if it aborts first. */
  acquire(signal?: AbortSignal): Promise<void>;
  /** Learns from how a request went (an adaptive limiter slows down when the server pushes back). */
  record?(outcome: { status?: number; sentAt: number; latencyMs: number; retryAfterMs?: number }): void;
  /** How long every request is still held for a `Retry-After` (an adaptive limiter holds them all). */
  heldMs?(): number;
  /**
   * When a request of the client was last answered with anything but pushback (429, 5xx, a
   * timeout), by the clock it paces by; -Infinity when none was yet.
   */
  lastAnsweredAt?(): number;
}

export interface RateLimiterOptions {
  /** Highest sustained request rate; `Infinity` disables the limit. */
  requestsPerSecond: number;
  clock: Clock;
  sleep: Sleep;
}

/**
 * Spaces requests evenly, `1000 / requestsPerSecond` ms apart. Each caller reserves its slot
 * synchronously before waiting, so concurrent callers queue in call order instead of all waking
 * at once. Even spacing (rather than a bursty token bucket) keeps an unknown server-side limit
 * from ever seeing a burst.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { requestsPerSecond, clock, sleep } = options;
  if (!(requestsPerSecond > 0)) {
    throw new RangeError(
      `requestsPerSecond must be a positive number (or Infinity), got ${requestsPerSecond}`,
    );
  }
  const intervalMs = 1000 / requestsPerSecond;
  let nextSlot = Number.NEGATIVE_INFINITY;
  return {
    async acquire(signal) {
      signal?.throwIfAborted();
      const now = clock.now();
      const slot = Math.max(now, nextSlot);
      nextSlot = slot + intervalMs;
      const waitMs = Math.ceil(slot - now);
      if (waitMs > 0) await sleep(waitMs, signal);
    },
  };
}

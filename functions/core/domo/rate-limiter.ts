/**
 * Admits a client's requests at the pace it allows; one limiter is shared by every request of a
 * client (the adaptive pacer, adaptive-pacer.ts, is the one production uses).
 */
export interface RateLimiter {
  /**
   * Resolves when the caller may send its request; rejects with the signal's reason if it aborts
   * first. `priority`: the time the request asks for (see oldest-first-limiter.ts); none: first.
   */
  acquire(signal?: AbortSignal, priority?: number): Promise<void>;
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

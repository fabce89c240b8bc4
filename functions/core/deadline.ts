/**
 * The time left to a piece of work that has a deadline (a Lambda invocation, `--max-duration`),
 * read from a `remainingMs` function; without one there is no limit. It is the one place the core
 * asks "how long is left", so every threshold (stop starting work, abort what runs) reads the same
 * clock.
 */
export class Deadline {
  constructor(private readonly remainingMs?: () => number) {}

  /** Milliseconds left; +Infinity without a deadline. */
  timeLeftMs(): number {
    return this.remainingMs ? this.remainingMs() : Number.POSITIVE_INFINITY;
  }

  /** Whether at least `ms` are left. */
  hasAtLeast(ms: number): boolean {
    return this.timeLeftMs() >= ms;
  }

  /**
   * Calls `onNearlySpent` once, as soon as a check every `intervalMs` finds less than `thresholdMs`
   * left (a function is read at each check: a threshold that grows as the work learns what its end
   * needs). Returns the function that stops watching. Without a deadline nothing is scheduled. The
   * timer never keeps the process alive on its own. By default the check runs often enough to
   * notice the threshold within a fifteenth of it, and at least every second: every second for the
   * ingest's 30 s, every 10 ms for a threshold under 150 ms.
   */
  watch(
    thresholdMs: number | (() => number),
    onNearlySpent: () => void,
    intervalMs = checkIntervalFor(typeof thresholdMs === 'number' ? thresholdMs : thresholdMs()),
  ): () => void {
    if (!this.remainingMs) return () => {};
    const threshold = typeof thresholdMs === 'number' ? () => thresholdMs : thresholdMs;
    // The deadline is real time (a Lambda's remaining time), polled by a real timer; a Deadline
    // without remainingMs, as tests use, schedules none.
    // biome-ignore lint/style/noRestrictedGlobals: a real deadline is polled in real time.
    const timer = setInterval(() => {
      if (this.hasAtLeast(threshold())) return;
      clearInterval(timer);
      onNearlySpent();
    }, intervalMs);
    timer.unref?.();
    return () => clearInterval(timer);
  }
}

/** How often {@link Deadline.watch} checks by default: a fifteenth of the threshold, 10 ms to 1 s. */
export const checkIntervalFor = (thresholdMs: number): number =>
  Math.min(1_000, Math.max(10, Math.floor(thresholdMs / 15)));

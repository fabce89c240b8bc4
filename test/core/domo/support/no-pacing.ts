import type { RateLimiter } from '../../../../functions/core/domo/rate-limiter.ts';

/**
 * A limiter that admits every request at once, for tests of what a request does (pacing itself is
 * the adaptive pacer's, tested on its own); it refuses a request whose signal already aborted, as
 * a waiting limiter would.
 */
export const noPacing: RateLimiter = {
  async acquire(signal) {
    signal?.throwIfAborted();
  },
};

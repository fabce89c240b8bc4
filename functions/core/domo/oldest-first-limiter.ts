import type { RateLimiter } from './rate-limiter.ts';

interface Waiter {
  priority: number;
  order: number;
  signal: AbortSignal | undefined;
  resolve: () => void;
  reject: (reason: unknown) => void;
}

/**
 * Hands `inner`'s slots to the waiting request that asks for the oldest time first (review
 * R-ONCALL H1). A catch-up's watermark moves only over its oldest hours: with four spans sharing a
 * slow Domo's pace in turn, the span holding the oldest unfinished hour got a quarter of the
 * requests, and a run short of time stored newer hours the next run planned again. Served first, it
 * gets every slot it asks for; the others get the slots it leaves while its answers come.
 *
 * Every request still asks `inner` for a slot when it comes, as it did without this: the pace, its
 * reservations and its re-spacing after a cut are the pacer's own (letting one waiter into it at a
 * time sent more 429s at 1 req/s with 8 workers). Only which waiter a slot goes to changes. A
 * request without a time (a token request, which every read waits for) goes first; equal times
 * keep their order.
 */
export function oldestFirstLimiter(inner: RateLimiter): RateLimiter {
  const waiting: Waiter[] = [];
  let order = 0;

  const best = (): Waiter | undefined => {
    let found: Waiter | undefined;
    for (const w of waiting) {
      if (!found || w.priority < found.priority || (w.priority === found.priority && w.order < found.order))
        found = w;
    }
    return found;
  };

  const leave = (waiter: Waiter): boolean => {
    const at = waiting.indexOf(waiter);
    if (at < 0) return false;
    waiting.splice(at, 1);
    return true;
  };

  /** Asks `inner` for a slot on behalf of `asker`; the slot goes to the best waiter when it comes. */
  const askSlot = (asker: Waiter): void => {
    inner.acquire(asker.signal).then(
      () => {
        const served = best();
        if (served && leave(served)) served.resolve();
      },
      (error: unknown) => {
        if (leave(asker)) return asker.reject(error);
        // The asker was served by another's slot: a waiter left without a slot coming asks again.
        const unserved = best();
        if (unserved) askSlot(unserved);
      },
    );
  };

  const limiter: RateLimiter = {
    acquire(signal, priority) {
      signal?.throwIfAborted();
      return new Promise<void>((resolve, reject) => {
        const waiter: Waiter = {
          priority: priority ?? Number.NEGATIVE_INFINITY,
          order: order++,
          signal,
          resolve,
          reject,
        };
        waiting.push(waiter);
        askSlot(waiter);
      });
    },
  };
  if (inner.record) limiter.record = (outcome) => inner.record?.(outcome);
  if (inner.heldMs) limiter.heldMs = () => inner.heldMs?.() ?? 0;
  if (inner.lastAnsweredAt)
    limiter.lastAnsweredAt = () => inner.lastAnsweredAt?.() ?? Number.NEGATIVE_INFINITY;
  return limiter;
}

/**
 * Runs `work` over `items` with at most `size` calls in flight. A worker takes the next item only
 * when its previous one is done and `shouldStop()` is false, so a stop lets the work in flight
 * finish and starts nothing new. Items are drawn lazily: a long plan never sits in memory.
 * `work` handles its own errors; one that escapes rejects the pool (after the others settle).
 */
export async function runPool<T>(
  items: Iterator<T>,
  size: number,
  work: (item: T) => Promise<void>,
  shouldStop: () => boolean = () => false,
): Promise<void> {
  if (!Number.isInteger(size) || size < 1) {
    throw new Error(`runPool: size must be a positive integer, got ${size}`);
  }
  const worker = async (): Promise<void> => {
    while (!shouldStop()) {
      const next = items.next();
      if (next.done) return;
      await work(next.value);
    }
  };
  const results = await Promise.allSettled(Array.from({ length: size }, worker));
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}

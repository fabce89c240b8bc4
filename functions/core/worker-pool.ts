/**
 * A turn a worker must wait for before it draws an item (e.g. one of fewer slots than workers);
 * `work` gets it with the item and gives it back itself, or `decline` does when nothing is drawn.
 */
interface Admission<A> {
  admit(): Promise<A>;
  decline(admitted: A): void;
}

const ADMIT_ALL: Admission<undefined> = { admit: async () => undefined, decline: () => {} };

/**
 * Runs `work` over `items` with at most `size` calls in flight. A worker takes the next item only
 * when its previous one is done, it has been admitted (when an `admission` is given) and
 * `shouldStop()` is false, so a stop lets the work in flight finish and starts nothing new. Items
 * are drawn lazily, each as late as possible: a long plan never sits in memory, and an item sized
 * when drawn is sized from all that was learnt by then. `work` handles its own errors; one that
 * escapes rejects the pool (after the others settle).
 */
export async function runPool<T, A = undefined>(
  items: Iterator<T>,
  size: number,
  work: (item: T, admitted: A) => Promise<void>,
  shouldStop: () => boolean = () => false,
  admission: Admission<A> = ADMIT_ALL as Admission<A>,
): Promise<void> {
  if (!Number.isInteger(size) || size < 1) {
    throw new Error(`runPool: size must be a positive integer, got ${size}`);
  }
  const worker = async (): Promise<void> => {
    while (!shouldStop()) {
      const admitted = await admission.admit();
      const next = shouldStop() ? undefined : items.next();
      if (next === undefined || next.done) return admission.decline(admitted);
      await work(next.value, admitted);
    }
  };
  const results = await Promise.allSettled(Array.from({ length: size }, worker));
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * GETs in flight when reading a whole range of the lake (a digest sweep, a genesis, a verify): one
 * after the other, a year of hours took ~9 minutes of S3 round trips (most of the 10 an ingest
 * Lambda has), and a year's `verify --integrity` half an hour.
 */
export const READS_IN_FLIGHT = 16;

/**
 * Results finished and waiting for their turn, beside those in flight: with none, one slow GET
 * (S3's latency has a long tail) held every read behind it back, and a year's verify with a
 * lognormal spread of GET times (median 30 ms, sigma 0.8) took 2.6 times its uniform-latency time.
 */
export const READS_HELD = 4 * READS_IN_FLIGHT;

/** A read started: its result, and whether it has settled. */
interface Slot<R> {
  result: Promise<R>;
  settled: boolean;
}

/** The reads started and not yet handed out, in the items' order. */
class Started<R> {
  readonly slots: Slot<R>[] = [];
  running = 0;
  private wake: (() => void) | undefined;

  add(result: Promise<R>): void {
    const slot: Slot<R> = { result, settled: false };
    this.running++;
    // Handled here so a failure read ahead is no unhandled rejection; it is thrown in turn.
    const settle = () => {
      slot.settled = true;
      this.running--;
      this.wake?.();
    };
    result.then(settle, settle);
    this.slots.push(slot);
  }

  /** Resolves once any read started settles. */
  async anySettled(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.wake = resolve;
    });
    this.wake = undefined;
  }
}

/**
 * `read` of each of `items`, in their order, with up to {@link READS_IN_FLIGHT} reads running at
 * once and up to {@link READS_HELD} results (those running, those finished and waiting) ahead of
 * the one handed out: the reads overlap, a slow one does not stop the others, and what is done with
 * each result stays one after the other, in the order of `items`, as with reads made one at a time.
 * Memory stays bounded whatever the number of items: items are drawn lazily, that many ahead at
 * most (a long listing is never held whole).
 *
 * A read that fails fails the iteration when its turn comes, as it would have read one at a time
 * (the results before it are handed out first); so does a failed listing of the items, after the
 * results of the items it listed before failing. The reads started after a failure are left to
 * settle unseen.
 */
export async function* readAhead<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  read: (item: T) => Promise<R>,
): AsyncGenerator<R> {
  const source = Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : items[Symbol.iterator]();
  const started = new Started<R>();
  let drained = false;
  try {
    for (;;) {
      while (!drained && started.running < READS_IN_FLIGHT && started.slots.length < READS_HELD) {
        drained = await startNext(source, read, started);
      }
      const first = started.slots[0];
      if (first === undefined) return;
      // Nothing more can start, or the first is done: hand it out (waiting for it if need be).
      if (first.settled || drained || started.slots.length >= READS_HELD) {
        started.slots.shift();
        yield await first.result;
      } else {
        // Room for more once any read settles, not only the first.
        await started.anySettled();
      }
    }
  } finally {
    // Ended early (a failure, a consumer that stopped): the listing is closed too.
    if (!drained) await source.return?.();
  }
}

/** Draws the next item and starts its read; true when the listing is done (or failed, in turn). */
async function startNext<T, R>(
  source: Iterator<T> | AsyncIterator<T>,
  read: (item: T) => Promise<R>,
  started: Started<R>,
): Promise<boolean> {
  let next: IteratorResult<T>;
  try {
    next = await source.next();
  } catch (error) {
    // In turn, after the reads of what it listed before failing.
    started.add(Promise.reject(error));
    return true;
  }
  if (next.done) return true;
  started.add(read(next.value));
  return false;
}

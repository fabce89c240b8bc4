/**
 * GETs in flight when reading a whole range of the lake (a digest sweep, a genesis, a verify): one
 * after the other, a year of hours took ~9 minutes of S3 round trips (most of the 10 an ingest
 * Lambda has), and a year's `verify --integrity` half an hour.
 */
export const READS_IN_FLIGHT = 16;

/**
 * `read` of each of `items`, in their order, with up to `inFlight` reads started ahead of the one
 * handed out: the reads overlap, what is done with each result stays one after the other, in the
 * order of `items`, as with reads made one at a time. At most `inFlight` results are held at once
 * (those read ahead, the one handed out among them), so memory stays bounded whatever the number
 * of items. Items are drawn lazily, `inFlight` ahead at most (a long listing is never held whole).
 *
 * A read that fails fails the iteration when its turn comes, as it would have read one at a time
 * (the results before it are handed out first); the reads started after it are left to settle
 * unseen. `stop()` is asked before each new read is started: once it says so, no read starts, and
 * the iteration ends after the results of those already started.
 */
export async function* readAhead<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  read: (item: T) => Promise<R>,
  options: { inFlight?: number; stop?: () => boolean } = {},
): AsyncGenerator<R> {
  const inFlight = options.inFlight ?? READS_IN_FLIGHT;
  if (!Number.isInteger(inFlight) || inFlight < 1) {
    throw new Error(`readAhead: inFlight must be a positive integer, got ${inFlight}`);
  }
  const source = Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : items[Symbol.iterator]();
  const started: Promise<R>[] = [];
  let drained = false;
  try {
    for (;;) {
      while (!drained && started.length < inFlight && !options.stop?.()) {
        const next = await source.next();
        if (next.done) drained = true;
        else {
          const reading = read(next.value);
          // Handled here so a failure read ahead is no unhandled rejection; it is thrown in turn.
          reading.catch(() => {});
          started.push(reading);
        }
      }
      const first = started.shift();
      if (first === undefined) return;
      yield await first;
    }
  } finally {
    // Ended early (a failure, a consumer that stopped): the listing is closed too.
    if (!drained) await source.return?.();
  }
}

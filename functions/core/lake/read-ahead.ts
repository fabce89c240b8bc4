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

/** What {@link readAhead} reads: the items, or a listing of them made with the signal that stops it. */
type ReadAheadItems<T> =
  | Iterable<T>
  | AsyncIterable<T>
  | ((stop: AbortSignal) => Iterable<T> | AsyncIterable<T>);

/**
 * The listing of the items: `open` while it may be asked for more, `done` once it ended or failed,
 * `abandoned` when a failure came while it was asked for an item (its answer is not waited for).
 */
type Listing = 'open' | 'done' | 'abandoned';

/** The reads started and not yet handed out, in the items' order, and the first failure. */
class Started<R> {
  readonly slots: Slot<R>[] = [];
  running = 0;
  /** The first failure, wrapped: a read may reject with anything, `undefined` too. */
  failure: { error: unknown } | undefined;
  /** Aborted at the first failure, or when the iteration ends: the reads start no more GETs. */
  readonly stop = new AbortController();
  private wake: (() => void) | undefined;
  private failedWhileListing: (() => void) | undefined;

  add(result: Promise<R>): void {
    const slot: Slot<R> = { result, settled: false };
    this.running++;
    const settle = () => {
      slot.settled = true;
      this.running--;
      this.wake?.();
    };
    // Handled here, so a read that fails after the first failure is no unhandled rejection.
    result.then(settle, (error: unknown) => {
      this.fail(error);
      settle();
    });
    this.slots.push(slot);
  }

  /** Keeps the first failure (the one reported): later ones, the reads stopped by it too, are dropped. */
  fail(error: unknown): void {
    if (this.failure) return;
    this.failure = { error };
    this.stop.abort(error);
    this.failedWhileListing?.();
    this.wake?.();
  }

  /**
   * The listing's next item, or undefined when a read fails first. A promise of its own per item:
   * raced against one promise pending for the whole iteration, each race left a handler on it that
   * held its item (~480 bytes an item: 4.4 MB for a year of hours, 42 MB for ten).
   */
  async nextOrFailure<T>(next: Promise<IteratorResult<T>>): Promise<IteratorResult<T> | undefined> {
    const failed = new Promise<undefined>((resolve) => {
      this.failedWhileListing = () => resolve(undefined);
    });
    try {
      return await Promise.race([next, failed]);
    } finally {
      this.failedWhileListing = undefined;
    }
  }

  /** Resolves once any read started settles, or fails. */
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
 * A failed read (a rejection, or a throw before it returns), or a failed listing of the items,
 * fails the iteration as soon as it is known, not in its turn: each caller's run ends on it, so the
 * results before it would be read for nothing (a caller that could go on past a failure would need
 * them in turn). From then on no read starts and no item is drawn, and `stop` aborts: its reason is
 * the failure (an `AbortError` DOMException when it is `undefined`, as AbortSignal makes it), and
 * it aborts too, with an `Error`, once the iteration ends otherwise. It tells the reads in flight to
 * start no further GET (a read of several objects checks it between them): in turn, one refused GET
 * let up to 64 more reads start, each with its follow-ups, for a run already doomed. The reads in
 * flight settle unseen; the failure reported is the first to happen.
 *
 * A listing asked for its next item when a read fails is not waited for (a listing of coverage keys
 * walks an empty day per LIST until it finds one: past a lake's end, a year's range took 11 s to
 * fail): it is closed once it answers, and its answer is dropped. Given as a function, the listing
 * gets `stop` too, to stop between its requests.
 */
export async function* readAhead<T, R>(
  items: ReadAheadItems<T>,
  read: (item: T, stop: AbortSignal) => Promise<R>,
): AsyncGenerator<R> {
  const started = new Started<R>();
  const source = iteratorOf(items, started.stop.signal);
  let listing: Listing = 'open';
  try {
    for (;;) {
      while (
        listing === 'open' &&
        !started.failure &&
        started.running < READS_IN_FLIGHT &&
        started.slots.length < READS_HELD
      ) {
        listing = await startNext(source, read, started);
      }
      const failure = started.failure;
      if (failure) throw failure.error;
      const first = started.slots[0];
      if (first === undefined) return;
      if (first.settled) {
        // Fulfilled: a rejection would have been the failure above.
        started.slots.shift();
        yield await first.result;
      } else {
        // Room for more once any read settles, not only the first; and a failure ends it at once.
        await started.anySettled();
      }
    }
  } finally {
    // Ended (a failure, a consumer that stopped, or done): the reads in flight start nothing more.
    started.stop.abort(new Error('the read ahead ended'));
    await close(source, listing);
  }
}

function iteratorOf<T>(items: ReadAheadItems<T>, stop: AbortSignal): Iterator<T> | AsyncIterator<T> {
  const listed = typeof items === 'function' ? items(stop) : items;
  return Symbol.asyncIterator in listed ? listed[Symbol.asyncIterator]() : listed[Symbol.iterator]();
}

/**
 * Closes a listing the iteration ended early. An async generator closes only once it answers the
 * item it was asked for, so an abandoned one is not waited for (nor its failure to close reported).
 */
async function close<T>(source: Iterator<T> | AsyncIterator<T>, listing: Listing): Promise<void> {
  if (listing === 'open') await source.return?.();
  // Called inside the chain: a return() that throws at once must not replace the failure thrown.
  else if (listing === 'abandoned')
    Promise.resolve()
      .then(() => source.return?.())
      .catch(() => undefined);
}

/** Draws the next item and starts its read; the listing's state after. */
async function startNext<T, R>(
  source: Iterator<T> | AsyncIterator<T>,
  read: (item: T, stop: AbortSignal) => Promise<R>,
  started: Started<R>,
): Promise<Listing> {
  let next: IteratorResult<T> | undefined;
  try {
    // Abandoned, the listing may fail too (stopped by the failure): the race handles that rejection.
    next = await started.nextOrFailure(Promise.resolve(source.next()));
  } catch (error) {
    started.fail(error);
    return 'done';
  }
  if (next === undefined) return 'abandoned';
  if (next.done) return 'done';
  // A read that failed as the listing answered: start nothing more.
  if (started.failure) return 'open';
  started.add(startRead(read, next.value, started.stop.signal));
  return 'open';
}

/** `read` of `item`; one that throws before it returns a promise fails as one that rejects. */
function startRead<T, R>(
  read: (item: T, stop: AbortSignal) => Promise<R>,
  item: T,
  stop: AbortSignal,
): Promise<R> {
  try {
    return read(item, stop);
  } catch (error) {
    return Promise.reject(error);
  }
}

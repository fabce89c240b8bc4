import { inDigestScope } from '../../functions/core/lake/digest.ts';
import { digestPrefix } from '../../functions/core/lake/layout.ts';
import {
  type ObjectStore,
  PreconditionFailedError,
  type PutOptions,
  type StoredObject,
} from '../../functions/core/ports.ts';
import type { Prng } from '../../functions/simulator/prng.ts';
import type { Operation, RunTime } from './run-time.ts';

/** The process died between two store operations: this one and every later one fail. */
export class DiedBetweenOperations extends Error {
  constructor() {
    super('injected crash between two store operations');
  }
}

/** An S3 error the campaign injected (after the SDK's retries). */
export class InjectedS3Error extends Error {}

export interface StoreFaults {
  /** The store operation (1-based) before which the process dies; 0: never. */
  crashAt: number;
  /**
   * Share of puts of table objects that land, yet answer an error (412 or 500), and of the other
   * conditional puts (digests, the checkpoint: 412).
   */
  landedButFailed: number;
  /** Of those, the share whose next GET of the key fails too (the recorder's read-back). */
  readBackFails: number;
  /** Share of GETs that answer 503. */
  getFails: number;
  /**
   * Share of conditional puts of table objects and the checkpoint answered 409 while their first
   * attempt is still in flight (the SDK timed out and retried): it lands, if its condition still
   * holds, after 0 to 2 more GETs of the key; other conditional puts of the key meanwhile get 409.
   */
  inFlight409?: number;
}

export const NO_STORE_FAULTS: StoreFaults = { crashAt: 0, landedButFailed: 0, readBackFails: 0, getFails: 0 };

export interface StoreFaultCounts {
  landed412: number;
  /** Digest puts that landed, yet answered 412. */
  digestLanded412: number;
  /** Other conditional puts (the checkpoint's) that landed, yet answered 412. */
  stateLanded412: number;
  landed500: number;
  readBackFailed: number;
  getFailed: number;
  /** Conditional puts answered 409 while their first attempt was in flight (or another one was). */
  inFlight409: number;
  /** Of those in flight, the first attempts that landed later (their condition still holding). */
  inFlightLanded: number;
}

/** A conditional put's first attempt, still in flight after its retry was answered 409. */
interface InFlight {
  body: Uint8Array;
  options: PutOptions;
  /** GETs of the key answered since; it lands once `after` have been. */
  gets: number;
  after: number;
}

/**
 * The lake as one run sees it, with faults: a crash between two operations, puts of table objects
 * that land but answer an error (the SDK's retry of a conditional put meeting its own write: 412;
 * or every retry a 5xx after the first landed), and so other conditional puts (digests, the
 * checkpoint: 412), GETs answering 503 (a sweep of a dead run's hours,
 * a read-back after such a put), and the run's virtual time.
 */
export class FaultyStore implements ObjectStore {
  readonly location: string;
  private operations = 0;
  crashed = false;
  private readonly failNextGet = new Set<string>();
  private readonly inFlight = new Map<string, InFlight>();
  /** Its own stream, so the other faults of a seed stay what they were before it was added. */
  private readonly rng409: Prng;

  constructor(
    private readonly inner: ObjectStore,
    private readonly instance: string,
    private readonly faults: StoreFaults,
    private readonly rng: Prng,
    private readonly time: RunTime,
    readonly counts: StoreFaultCounts,
  ) {
    this.location = inner.location;
    this.rng409 = rng.fork('in-flight-409');
  }

  private tick(operation: Operation): void {
    this.time.spend(operation);
    this.operations++;
    if (this.operations === this.faults.crashAt) this.crashed = true;
    if (this.crashed) throw new DiedBetweenOperations();
  }

  async get(key: string): Promise<StoredObject | undefined> {
    this.tick('get');
    const pending = this.inFlight.get(key);
    if (pending && pending.gets >= pending.after) await this.land(key, pending);
    try {
      return await this.answerGet(key);
    } finally {
      if (pending && this.inFlight.get(key) === pending && ++pending.gets >= pending.after)
        await this.land(key, pending);
    }
  }

  /** The first attempt in flight lands now, unless its condition no longer holds (S3 refuses it). */
  private async land(key: string, pending: InFlight): Promise<void> {
    this.inFlight.delete(key);
    try {
      await this.inner.put(key, pending.body, pending.options);
      this.counts.inFlightLanded++;
    } catch (error) {
      if (!(error instanceof PreconditionFailedError)) throw error;
    }
  }

  private async answerGet(key: string): Promise<StoredObject | undefined> {
    if (this.failNextGet.delete(key)) {
      this.counts.readBackFailed++;
      throw new InjectedS3Error('S3 GetObject failed with ServiceUnavailable (HTTP 503)');
    }
    if (this.rng.next() < this.faults.getFails) {
      this.counts.getFailed++;
      throw new InjectedS3Error('S3 GetObject failed with ServiceUnavailable (HTTP 503)');
    }
    return this.inner.get(key);
  }

  async put(key: string, body: Uint8Array, options?: PutOptions): Promise<{ etag: string }> {
    this.tick('put');
    if (this.answers409(key, body, options)) {
      this.counts.inFlight409++;
      throw new PreconditionFailedError(key);
    }
    const result = await this.inner.put(key, body, options);
    // A digest put is create-only too: the SDK's retry of one that landed meets it and gets 412.
    if (key.startsWith(digestPrefix(this.instance)) && this.rng.next() < this.faults.landedButFailed) {
      this.counts.digestLanded412++;
      throw new PreconditionFailedError(key);
    }
    if (!inDigestScope(this.instance, key)) {
      // Any other conditional put as well (the checkpoint's): the retry meets the put it retries.
      const conditional = options?.ifMatch !== undefined || options?.ifNoneMatch !== undefined;
      if (!conditional || this.faults.landedButFailed === 0 || this.rng.next() >= this.faults.landedButFailed)
        return result;
      this.counts.stateLanded412++;
      throw new PreconditionFailedError(key);
    }
    if (this.rng.next() >= this.faults.landedButFailed) return result;
    const answer412 = this.rng.next() < 0.5;
    const readBackFails = this.rng.next() < this.faults.readBackFails;
    if (readBackFails) this.failNextGet.add(key);
    if (answer412) {
      this.counts.landed412++;
      throw new PreconditionFailedError(key);
    }
    this.counts.landed500++;
    throw new InjectedS3Error('S3 PutObject failed with InternalError (HTTP 500)');
  }

  /**
   * Whether this conditional put is answered 409: another one of the key is in flight, or this is
   * the retry of a first attempt that now is (held, to land later: see {@link get}).
   */
  private answers409(key: string, body: Uint8Array, options: PutOptions | undefined): boolean {
    const conditional = options?.ifMatch !== undefined || options?.ifNoneMatch !== undefined;
    if (!conditional || key.startsWith(digestPrefix(this.instance))) return false;
    if (this.inFlight.has(key)) return true;
    const share = this.faults.inFlight409 ?? 0;
    if (share === 0 || this.rng409.next() >= share) return false;
    this.inFlight.set(key, { body: body.slice(), options, gets: 0, after: this.rng409.int(0, 2) });
    return true;
  }

  async *list(prefix: string): AsyncIterable<string> {
    this.tick('list');
    yield* this.inner.list(prefix);
  }
}

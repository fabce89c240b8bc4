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

  constructor(
    private readonly inner: ObjectStore,
    private readonly instance: string,
    private readonly faults: StoreFaults,
    private readonly rng: Prng,
    private readonly time: RunTime,
    readonly counts: StoreFaultCounts,
  ) {
    this.location = inner.location;
  }

  private tick(operation: Operation): void {
    this.time.spend(operation);
    this.operations++;
    if (this.operations === this.faults.crashAt) this.crashed = true;
    if (this.crashed) throw new DiedBetweenOperations();
  }

  async get(key: string): Promise<StoredObject | undefined> {
    this.tick('get');
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

  async *list(prefix: string): AsyncIterable<string> {
    this.tick('list');
    yield* this.inner.list(prefix);
  }
}

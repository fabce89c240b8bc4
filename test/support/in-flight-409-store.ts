import { PreconditionFailedError, type PutOptions, type StoredObject } from '../../functions/core/ports.ts';
import { MemoryObjectStore } from './memory-store.ts';

/**
 * A memory store where the next conditional put of an armed key stays in flight: it is refused as
 * a lost race (PreconditionFailedError), as S3 answers the SDK's retry while the first attempt is
 * still on its way (409), and lands, if its condition still holds, only once `landAfterGets` GETs
 * of the key have been answered (0: before the next GET). Any other conditional put of the key
 * while it is in flight is refused too. The S3 store waits S3's 409 out itself and sends the put
 * again (test/adapters/s3-store-put-in-flight.test.ts); this store stands for one that does not.
 */
export class InFlight409Store extends MemoryObjectStore {
  /** The keys whose put was answered 409 while in flight, in order. */
  readonly conflicted: string[] = [];
  private readonly armed = new Map<string, number>();
  private readonly inFlight = new Map<
    string,
    { body: Uint8Array; options: PutOptions; gets: number; after: number }
  >();

  arm(key: string, landAfterGets: number): this {
    this.armed.set(key, landAfterGets);
    return this;
  }

  override async put(key: string, body: Uint8Array, options: PutOptions = {}): Promise<{ etag: string }> {
    const conditional = options.ifMatch !== undefined || options.ifNoneMatch !== undefined;
    if (conditional && this.inFlight.has(key)) {
      this.puts.push({ key, options });
      throw new PreconditionFailedError(key);
    }
    const after = this.armed.get(key);
    if (after === undefined || !conditional) return super.put(key, body, options);
    this.armed.delete(key);
    this.puts.push({ key, options });
    this.inFlight.set(key, { body: body.slice(), options, gets: 0, after });
    this.conflicted.push(key);
    throw new PreconditionFailedError(key);
  }

  override async get(key: string): Promise<StoredObject | undefined> {
    const pending = this.inFlight.get(key);
    if (pending && pending.gets >= pending.after) this.land(key);
    const answer = await super.get(key);
    if (pending && ++pending.gets >= pending.after && this.inFlight.has(key)) this.land(key);
    return answer;
  }

  /** Lands the put of `key` in flight now (if its condition still holds). */
  land(key: string): void {
    const pending = this.inFlight.get(key);
    if (!pending) return;
    this.inFlight.delete(key);
    try {
      this.putNow(key, pending.body, pending.options);
    } catch {
      // Its condition no longer held: S3 refuses it.
    }
  }
}

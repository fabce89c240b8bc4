import { PreconditionFailedError, type PutOptions } from '../../functions/core/ports.ts';
import { MemoryObjectStore } from './memory-store.ts';

/**
 * A memory store where the next conditional put of an armed key lands, yet is answered 412: S3
 * stored it and lost the answer, and the SDK's retry met the object it had just written. Puts of
 * keys not armed (and later puts of the key) are answered as usual.
 */
export class Landed412Store extends MemoryObjectStore {
  /** The keys whose put landed and was answered 412, in order. */
  readonly landed412: string[] = [];
  private readonly armed = new Set<string>();

  /** The next conditional put of each of `keys` lands, answered 412. */
  arm(...keys: string[]): this {
    for (const key of keys) this.armed.add(key);
    return this;
  }

  override async put(key: string, body: Uint8Array, options: PutOptions = {}): Promise<{ etag: string }> {
    const stored = await super.put(key, body, options);
    const conditional = options.ifMatch !== undefined || options.ifNoneMatch !== undefined;
    if (!conditional || !this.armed.delete(key)) return stored;
    this.landed412.push(key);
    throw new PreconditionFailedError(key);
  }

  /** Puts of `key` so far (those answered 412 included). */
  putsOf(key: string): number {
    return this.puts.filter((put) => put.key === key).length;
  }
}

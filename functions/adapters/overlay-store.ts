import { createHash } from 'node:crypto';
import {
  type ObjectStore,
  PreconditionFailedError,
  type PutOptions,
  type StoredObject,
} from '../core/ports.ts';

/**
 * Reads through to a lake and keeps every write in memory, with the same conditional-write rules.
 * The local `alerts` command runs the alerts use case on it: it evaluates and renders exactly as
 * the Lambda does, and leaves the lake untouched (no checkpoint, no profile, no archive written).
 */
export class OverlayObjectStore implements ObjectStore {
  private readonly written = new Map<string, StoredObject>();

  constructor(private readonly base: ObjectStore) {}

  get location(): string {
    return this.base.location;
  }

  async get(key: string): Promise<StoredObject | undefined> {
    return this.written.get(key) ?? (await this.base.get(key));
  }

  async put(key: string, body: Uint8Array, options: PutOptions = {}): Promise<{ etag: string }> {
    const current = await this.get(key);
    if (options.ifNoneMatch === '*' && current) throw new PreconditionFailedError(key);
    if (options.ifMatch !== undefined && current?.etag !== options.ifMatch)
      throw new PreconditionFailedError(key);
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`;
    this.written.set(key, { body: body.slice(), etag });
    return { etag };
  }

  async *list(prefix: string): AsyncIterable<string> {
    const keys = new Set([...this.written.keys()].filter((k) => k.startsWith(prefix)));
    for await (const key of this.base.list(prefix)) keys.add(key);
    yield* [...keys].sort();
  }
}

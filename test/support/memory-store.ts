import { createHash } from 'node:crypto';
import {
  type ListOptions,
  type ObjectStore,
  PreconditionFailedError,
  type PutOptions,
  type StoredObject,
} from '../../functions/core/ports.ts';

/** An in-memory ObjectStore with S3's conditional-write semantics, for core tests. */
export class MemoryObjectStore implements ObjectStore {
  readonly location: string = 'memory://lake/';
  readonly objects = new Map<string, StoredObject>();
  readonly puts: { key: string; options: PutOptions }[] = [];
  /** Runs before each put is checked and applied: tests use it to play a competing writer. */
  beforePut?: (key: string, putNumber: number) => Promise<void> | void;

  async get(key: string): Promise<StoredObject | undefined> {
    const found = this.objects.get(key);
    return found ? { body: found.body.slice(), etag: found.etag } : undefined;
  }

  async put(key: string, body: Uint8Array, options: PutOptions = {}): Promise<{ etag: string }> {
    this.puts.push({ key, options });
    await this.beforePut?.(key, this.puts.length);
    return this.putNow(key, body, options);
  }

  /** Applies a put without the hook (what a competing writer does). */
  putNow(key: string, body: Uint8Array, options: PutOptions = {}): { etag: string } {
    const current = this.objects.get(key);
    if (options.ifNoneMatch === '*' && current) throw new PreconditionFailedError(key);
    if (options.ifMatch !== undefined && current?.etag !== options.ifMatch)
      throw new PreconditionFailedError(key);
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`;
    this.objects.set(key, { body: body.slice(), etag });
    return { etag };
  }

  /** Keys under `prefix` in S3's order, the UTF-8 bytes of the key (not JS's UTF-16 units). */
  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<string> {
    const bytes = (key: string) => Buffer.from(key, 'utf8');
    const after = bytes(options.startAfter ?? '');
    const keys = [...this.objects.keys()]
      .filter((key) => key.startsWith(prefix))
      .map((key) => ({ key, sortKey: bytes(key) }))
      .filter(({ sortKey }) => Buffer.compare(sortKey, after) > 0)
      .sort((a, b) => Buffer.compare(a.sortKey, b.sortKey));
    for (const { key } of keys) yield key;
  }
}

import { createHash } from 'node:crypto';
import {
  type ListOptions,
  type ObjectStore,
  PreconditionFailedError,
  type PutOptions,
  type StoredObject,
} from '../../functions/core/ports.ts';

/** A key and its UTF-8 bytes, the order S3 lists keys in. */
interface ListedKey {
  key: string;
  bytes: Buffer;
}

/**
 * The first index of `sorted` whose bytes are not before `bytes` (or, `past`, after them), or
 * `sorted.length`.
 */
function firstFrom(sorted: readonly ListedKey[], bytes: Buffer, past = false): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const order = Buffer.compare((sorted[middle] as ListedKey).bytes, bytes);
    if (order < 0 || (past && order === 0)) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The store's objects, a Map that also keeps its keys in S3's listing order, updated as keys come
 * and go (tests add and delete objects directly too). Why: a list that sorted every key of the store
 * on each call was a sixth of the CPU of the tests that grow a lake of thousands of objects a run at
 * a time (late-past-500-digests: the digest chain's end is searched by listing after each run).
 */
class ListedMap extends Map<string, StoredObject> {
  /** Built at the first listing, then kept in order by set and delete. */
  private ordered: ListedKey[] | undefined;

  override set(key: string, value: StoredObject): this {
    if (this.ordered && !super.has(key)) {
      const bytes = Buffer.from(key, 'utf8');
      this.ordered.splice(firstFrom(this.ordered, bytes), 0, { key, bytes });
    }
    return super.set(key, value);
  }

  override delete(key: string): boolean {
    if (this.ordered && super.has(key))
      this.ordered.splice(firstFrom(this.ordered, Buffer.from(key, 'utf8')), 1);
    return super.delete(key);
  }

  override clear(): void {
    this.ordered = undefined;
    super.clear();
  }

  /** Every key, in the UTF-8 order of its bytes. */
  sorted(): readonly ListedKey[] {
    this.ordered ??= [...super.keys()]
      .map((key) => ({ key, bytes: Buffer.from(key, 'utf8') }))
      .sort((a, b) => Buffer.compare(a.bytes, b.bytes));
    return this.ordered;
  }
}

/** An in-memory ObjectStore with S3's conditional-write semantics, for core tests. */
export class MemoryObjectStore implements ObjectStore {
  readonly location: string = 'memory://lake/';
  readonly objects: Map<string, StoredObject> = new ListedMap();
  readonly puts: { key: string; options: PutOptions }[] = [];
  /** Runs before each put is checked and applied: tests use it to play a competing writer. */
  beforePut?: (key: string, putNumber: number, body: Uint8Array) => Promise<void> | void;

  async get(key: string): Promise<StoredObject | undefined> {
    const found = this.objects.get(key);
    return found ? { body: found.body.slice(), etag: found.etag } : undefined;
  }

  async put(key: string, body: Uint8Array, options: PutOptions = {}): Promise<{ etag: string }> {
    this.puts.push({ key, options });
    await this.beforePut?.(key, this.puts.length, body);
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
    // The keys under a prefix are one run of the sorted keys, from the first not before the prefix
    // (and after startAfter). Taken whole before the first is yielded: a put or delete while the
    // caller goes through them changes nothing it is given, as when the listing filtered every key.
    // Half a surrogate pair has no UTF-8 of its own: a prefix holding one has every key looked at.
    const sorted = (this.objects as ListedMap).sorted();
    const start = Buffer.from(/[\uD800-\uDFFF]/.test(prefix) ? '' : prefix, 'utf8');
    const after = firstFrom(sorted, Buffer.from(options.startAfter ?? '', 'utf8'), true);
    const keys: string[] = [];
    for (let i = Math.max(firstFrom(sorted, start), after); i < sorted.length; i++) {
      const { key, bytes } = sorted[i] as ListedKey;
      if (bytes.length < start.length || start.compare(bytes, 0, start.length) !== 0) break;
      if (key.startsWith(prefix)) keys.push(key);
    }
    yield* keys;
  }
}

import type { ListOptions, ObjectStore, PutOptions, StoredObject } from '../../functions/core/ports.ts';
import { MemoryObjectStore } from './memory-store.ts';

export type RequestKind = 'GET' | 'HEAD' | 'PUT' | 'LIST';
export type RequestCounts = Record<RequestKind, number>;

/** S3's page of a listing when the caller gives no size. */
const LIST_PAGE = 1000;

/**
 * An in-memory store that counts the S3 requests each call would make: a GET per `get` (a missing
 * key is a GET answered 404, billed the same), a HEAD per `exists`, a PUT per `put`, a LIST per
 * page of keys read.
 */
export class CountingStore implements ObjectStore {
  readonly counts: RequestCounts = { GET: 0, HEAD: 0, PUT: 0, LIST: 0 };
  private readonly inner = new MemoryObjectStore();
  readonly location = this.inner.location;

  get(key: string): Promise<StoredObject | undefined> {
    this.counts.GET++;
    return this.inner.get(key);
  }

  async exists(key: string): Promise<boolean> {
    this.counts.HEAD++;
    return (await this.inner.get(key)) !== undefined;
  }

  put(key: string, body: Uint8Array, options?: PutOptions): Promise<{ etag: string }> {
    this.counts.PUT++;
    return this.inner.put(key, body, options);
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<string> {
    const page = options.pageSize ?? LIST_PAGE;
    let read = 0;
    this.counts.LIST++;
    for await (const key of this.inner.list(prefix, options)) {
      if (read > 0 && read % page === 0) this.counts.LIST++;
      read++;
      yield key;
    }
  }

  /** The requests made since `before`, a copy of {@link counts} taken then. */
  since(before: RequestCounts): RequestCounts {
    return {
      GET: this.counts.GET - before.GET,
      HEAD: this.counts.HEAD - before.HEAD,
      PUT: this.counts.PUT - before.PUT,
      LIST: this.counts.LIST - before.LIST,
    };
  }
}

/** `lake` with its GETs counted: for a store already filled, where {@link CountingStore} starts empty. */
export function countedGets(lake: ObjectStore): ObjectStore & { gets: number } {
  const store: ObjectStore & { gets: number } = {
    location: lake.location,
    gets: 0,
    get: (key) => {
      store.gets++;
      return lake.get(key);
    },
    put: (key, body, options) => lake.put(key, body, options),
    list: (prefix, options) => lake.list(prefix, options),
  };
  return store;
}

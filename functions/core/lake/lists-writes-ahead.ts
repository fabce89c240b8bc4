import type { ObjectStore } from '../ports.ts';

/**
 * A store that can list a write in the run's next digest before the write is made, without an
 * append of its own (the digest recorder): a write known before the one ahead of it lands (an
 * hour's manifest, built with its events) then waits for no append when made.
 */
interface ListsWritesAhead {
  listAhead(key: string, body: Uint8Array): void;
}

const listsAhead = (store: ObjectStore): store is ObjectStore & ListsWritesAhead =>
  typeof (store as Partial<ListsWritesAhead>).listAhead === 'function';

/** Lists the write of `body` to `key` ahead of it, when `store` records writes so; otherwise nothing. */
export function listAhead(store: ObjectStore, key: string, body: Uint8Array): void {
  if (listsAhead(store)) store.listAhead(key, body);
}

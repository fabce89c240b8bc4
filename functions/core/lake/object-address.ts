import type { ObjectStore } from '../ports.ts';

/**
 * Where an object of `store` is, for a message a person copies: the store's location and the key
 * joined by one `/`. S3 locations end in `/` and disk ones do not, so pasting one onto the other
 * named a file that does not exist (`/tmp/lakereports/...`).
 */
export function objectAddress(store: Pick<ObjectStore, 'location'>, key: string): string {
  return `${store.location.replace(/\/+$/, '')}/${key.replace(/^\/+/, '')}`;
}

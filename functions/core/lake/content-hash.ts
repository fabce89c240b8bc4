import { createHash } from 'node:crypto';

/** sha256 over the sorted event ids a window holds: equal hashes mean equal event sets, whatever the provenance. */
export function contentHashOf(ids: Iterable<string>): string {
  const hash = createHash('sha256');
  for (const id of [...ids].sort()) hash.update(id).update('\n');
  return hash.digest('hex');
}

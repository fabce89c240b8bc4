import { hash } from 'node:crypto';

/**
 * sha256 over the sorted event ids a window holds, each ended by a newline: equal hashes mean equal
 * event sets, whatever the provenance. One call over the joined text hashes the same bytes as an
 * update per id and per newline (a newline never joins a surrogate pair): two calls an id took a
 * quarter of this function's time (the sort takes the rest), ~7 ms per 100,000 ids.
 */
export function contentHashOf(ids: Iterable<string>): string {
  const sorted = [...ids].sort();
  return hash('sha256', sorted.length === 0 ? '' : `${sorted.join('\n')}\n`);
}

import { HOUR_MS, tableInstancePrefix, windowStartFromKey } from '../lake/layout.ts';
import type { ObjectStore } from '../ports.ts';

/** The span of hours a lake filled by explicit ranges only holds: its first hour to the end of its last. */
export interface RangeOnlyExtent {
  fromMs: number;
  toMs: number;
}

/**
 * The first and last hour with a coverage manifest, of any age. Lists keys only (one per hour, a
 * thousand to a listing on S3) and reads none: status asks only when there is no checkpoint.
 */
export async function coveredExtent(store: ObjectStore, instance: string): Promise<RangeOnlyExtent | null> {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for await (const key of store.list(tableInstancePrefix('coverage', instance))) {
    const windowStartMs = windowStartFromKey(key);
    if (windowStartMs === undefined) continue;
    first = Math.min(first, windowStartMs);
    last = Math.max(last, windowStartMs);
  }
  return first > last ? null : { fromMs: first, toMs: last + HOUR_MS };
}

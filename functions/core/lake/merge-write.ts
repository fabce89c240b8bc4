import type { ObjectStore } from '../ports.ts';
import { updateConditionally } from './conditional-update.ts';
import { decodeNdjsonGzip, encodeNdjsonGzipAsync } from './ndjson.ts';

export interface MergeOptions<T> {
  /** Identity of a record: records with the same id are the same record. */
  idOf(record: T): string;
  /** Order of the records in the written object (ties are broken by id, so the bytes are stable). */
  compare(a: T, b: T): number;
  /** Read-merge-write rounds before giving up when other writers keep winning. Default 5. */
  maxAttempts?: number;
  /** Turns a stored line into a record (validate here); the default trusts what this code wrote. */
  parse?(raw: unknown): T;
  /** Default `application/gzip`: the object is gzip bytes, deliberately without Content-Encoding. */
  contentType?: string;
  /**
   * Records that no longer belong in the object (stored or incoming), removed by this merge. Only
   * for what is not evidence of its own: quarantined entries since stored as events.
   */
  drop?(record: T): boolean;
}

export interface MergeResult<T> {
  /** Records stored before this merge. */
  before: number;
  /** Records stored after it. */
  after: number;
  /** Incoming records that were new, in written order; empty when nothing was written. */
  added: T[];
  written: boolean;
  /** Every distinct id the object holds after the merge (for content hashes). */
  ids: ReadonlySet<string>;
  /** Stored records `drop` removed. */
  dropped: T[];
}

/**
 * Merges records into one gzip NDJSON object: the union by id, stored records first (on an id
 * collision the stored record wins, keeping its first-seen provenance). Writes only if the union
 * grew (or `drop` removed a record), with a conditional put, so concurrent writers cannot lose
 * each other's records and a shorter re-pull never deletes anything. On a lost race it re-reads
 * and merges again.
 */
export async function mergeIntoObject<T extends object>(
  store: ObjectStore,
  key: string,
  incoming: readonly T[],
  options: MergeOptions<T>,
): Promise<MergeResult<T>> {
  const maxAttempts = options.maxAttempts ?? 5;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new Error(`mergeIntoObject: maxAttempts must be a positive integer, got ${maxAttempts}`);
  }
  const parse = options.parse ?? ((raw: unknown) => raw as T);
  const order = (a: T, b: T): number => {
    const byCompare = options.compare(a, b);
    if (byCompare !== 0) return byCompare;
    const idA = options.idOf(a);
    const idB = options.idOf(b);
    return idA < idB ? -1 : idA > idB ? 1 : 0;
  };

  return updateConditionally<T[], MergeResult<T>>(store, key, {
    maxAttempts,
    // Stored records are kept as they are, duplicates included: a merge never removes a line.
    stateOf: (stored) =>
      stored ? decodeNdjsonGzip(stored.body, `${store.location} ${key}`).map((raw) => parse(raw)) : [],
    decide: async ({ state: storedRecords }) => {
      // Without `drop` (every event merge) nothing is filtered: no extra pass over the hour.
      const { drop } = options;
      const dropped = drop ? storedRecords.filter(drop) : [];
      const kept =
        drop && dropped.length > 0 ? storedRecords.filter((record) => !drop(record)) : storedRecords;
      const known = new Set(kept.map((record) => options.idOf(record)));
      const added: T[] = [];
      for (const record of incoming) {
        const id = options.idOf(record);
        if (known.has(id) || drop?.(record)) continue;
        known.add(id);
        added.push(record);
      }
      const before = storedRecords.length;
      if (added.length === 0 && dropped.length === 0) {
        return {
          write: false,
          result: { before, after: before, added: [], written: false, ids: known, dropped },
        };
      }
      const union = [...kept, ...added].sort(order);
      return {
        write: true,
        body: await encodeNdjsonGzipAsync(union),
        contentType: options.contentType ?? 'application/gzip',
        result: () => ({
          before,
          after: union.length,
          added: added.sort(order),
          written: true,
          ids: known,
          dropped,
        }),
      };
    },
    giveUp: (attempts) =>
      `gave up merging into ${key} at ${store.location} after ${attempts} attempts: another writer changed it every time. Rerun; if it persists, check that only one ingest runs per instance.`,
  });
}

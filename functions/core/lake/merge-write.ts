import type { ObjectStore, StoredObject } from '../ports.ts';
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
  /**
   * Of the incoming records whose id is not stored, those stored already under another id: Domo
   * has no event id, so an entry served in another shape (a field added, a number sent as a
   * string) gets a new one. Given the stored records no incoming record has the id of, and the
   * incoming records no stored record has the id of; called only when neither is empty (never
   * when the ids all match). Those returned are left out, the stored records kept as they are.
   */
  storedElsewhere?(unmatchedStored: readonly T[], unmatchedIncoming: readonly T[]): ReadonlySet<T>;
  /** The object as already read (undefined: there was none), to save the merge's first GET. */
  read?: { found: StoredObject | undefined };
  /**
   * Told of each write decided, before its put: what the object will hold if it lands (a lost race
   * decides again, and tells again). Lets the caller list its next writes with this one.
   */
  beforeWrite?(planned: MergeResult<T>): void | Promise<void>;
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
  /** Incoming records left out as stored already under another id (`storedElsewhere`). */
  storedElsewhere: T[];
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
  const order = orderOf(options);
  const stateOf = (stored: StoredObject | undefined): T[] =>
    stored ? decodeNdjsonGzip(stored.body, `${store.location} ${key}`).map((raw) => parse(raw)) : [];
  const { read } = options;

  return updateConditionally<T[], MergeResult<T>>(store, key, {
    maxAttempts,
    // Stored records are kept as they are, duplicates included: a merge never removes a line.
    stateOf,
    ...(read ? { initial: { state: stateOf(read.found), etag: read.found?.etag ?? null } } : {}),
    decide: async ({ state: storedRecords }) => {
      const { planned, kept } = planOf(storedRecords, incoming, options);
      if (!planned.written) return { write: false, result: planned };
      await options.beforeWrite?.(planned);
      const union = [...kept, ...planned.added];
      return {
        write: true,
        body: await encodeNdjsonGzipAsync(union.sort(order)),
        contentType: options.contentType ?? 'application/gzip',
        result: () => planned,
      };
    },
    giveUp: (attempts) =>
      `gave up merging into ${key} at ${store.location} after ${attempts} attempts: another writer changed it every time. Rerun; if it persists, check that only one ingest runs per instance.`,
  });
}

/** The order of a merged object's records: `compare`, ties broken by id (stable bytes). */
function orderOf<T>(options: Pick<MergeOptions<T>, 'idOf' | 'compare'>): (a: T, b: T) => number {
  return (a, b) => {
    const byCompare = options.compare(a, b);
    if (byCompare !== 0) return byCompare;
    const idA = options.idOf(a);
    const idB = options.idOf(b);
    return idA < idB ? -1 : idA > idB ? 1 : 0;
  };
}

/**
 * What merging `incoming` into `storedRecords` gives, without writing anything: the result a merge
 * returns once its write (if any: `written`) lands.
 */
export function plannedMerge<T>(
  storedRecords: readonly T[],
  incoming: readonly T[],
  options: Pick<MergeOptions<T>, 'idOf' | 'compare' | 'drop' | 'storedElsewhere'>,
): MergeResult<T> {
  return planOf(storedRecords, incoming, options).planned;
}

/** {@link plannedMerge}, and the stored records the merge keeps. */
function planOf<T>(
  storedRecords: readonly T[],
  incoming: readonly T[],
  options: Pick<MergeOptions<T>, 'idOf' | 'compare' | 'drop' | 'storedElsewhere'>,
): { planned: MergeResult<T>; kept: readonly T[] } {
  // Without `drop` (every event merge) nothing is filtered: no extra pass over the hour.
  const { drop } = options;
  const dropped = drop ? storedRecords.filter(drop) : [];
  const kept = drop && dropped.length > 0 ? storedRecords.filter((record) => !drop(record)) : storedRecords;
  const { added, known, storedElsewhere } = newRecords(kept, incoming, options);
  const before = storedRecords.length;
  if (added.length === 0 && dropped.length === 0) {
    const planned = {
      before,
      after: before,
      added: [],
      written: false,
      ids: known,
      dropped,
      storedElsewhere,
    };
    return { planned, kept };
  }
  const after = kept.length + added.length;
  const planned = {
    before,
    after,
    added: added.sort(orderOf(options)),
    written: true,
    ids: known,
    dropped,
    storedElsewhere,
  };
  return { planned, kept };
}

interface NewRecords<T> {
  added: T[];
  /** The ids stored after the merge. */
  known: Set<string>;
  storedElsewhere: T[];
}

/** The incoming records a merge into `kept` adds: ids not stored (once each), less those stored elsewhere. */
function newRecords<T>(
  kept: readonly T[],
  incoming: readonly T[],
  options: Pick<MergeOptions<T>, 'idOf' | 'drop' | 'storedElsewhere'>,
): NewRecords<T> {
  const { idOf, drop } = options;
  const known = new Set(kept.map((record) => idOf(record)));
  let matched = 0;
  const freshIds = new Set<string>();
  const fresh: T[] = [];
  for (const record of incoming) {
    const id = idOf(record);
    if (known.has(id)) matched++;
    else if (!freshIds.has(id) && !drop?.(record)) {
      freshIds.add(id);
      fresh.push(record);
    }
  }
  // Counted, not collected: in the usual pull every stored id is served again, and this costs
  // nothing more. An id served twice would count twice and may skip the match (an ingest's ids
  // are unique: twins have their suffix).
  const elsewhere =
    options.storedElsewhere && fresh.length > 0 && matched < known.size
      ? options.storedElsewhere(unmatchedOf(kept, incoming, idOf), fresh)
      : new Set<T>();
  const added = elsewhere.size === 0 ? fresh : fresh.filter((record) => !elsewhere.has(record));
  for (const record of added) known.add(idOf(record));
  return { added, known, storedElsewhere: fresh.filter((record) => elsewhere.has(record)) };
}

/** The stored records whose id no incoming record has; a stored id twice (a stray copy) once. */
function unmatchedOf<T>(kept: readonly T[], incoming: readonly T[], idOf: (record: T) => string): T[] {
  const served = new Set(incoming.map((record) => idOf(record)));
  const unmatched = new Map<string, T>();
  for (const record of kept) {
    const id = idOf(record);
    if (!served.has(id) && !unmatched.has(id)) unmatched.set(id, record);
  }
  return [...unmatched.values()];
}

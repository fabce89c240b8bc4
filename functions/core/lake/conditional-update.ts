import { type ObjectStore, PreconditionFailedError, type StoredObject } from '../ports.ts';

/** The state an update is decided on, and the ETag it was read at (null: the object does not exist). */
export interface VersionedState<S> {
  state: S;
  etag: string | null;
}

/** What to do with the state read: leave the object as it is, or replace it. */
export type UpdateDecision<R> =
  | { write: false; result: R }
  | { write: true; body: Uint8Array; contentType: string; result: (etag: string) => R };

/**
 * What an update has learnt of the object, for a caller that says what it holds when the update
 * fails: an object read (`found` undefined: none there), or a put refused, after which what it
 * holds is not known until the next read.
 */
export type ObjectSeen = { found: StoredObject | undefined } | { refused: PreconditionFailedError };

export interface ConditionalUpdate<S, R> {
  /**
   * The state to decide on, from the object as read (undefined: there is none). The update reads
   * the object itself: first (unless `initial` is given) and after each lost race, where the read
   * that told whether its put landed is the one passed here, so that a lost race costs one GET of
   * the object, not two (a busy hour's object is megabytes of gzip). After one that left the object
   * as read, with `retryUnchanged` false, it is a fresh read (see below). May be async, e.g. to
   * read what the state needs besides the object.
   */
  stateOf(found: StoredObject | undefined): S | Promise<S>;
  /** What an earlier read already gave, to save the first read. */
  initial?: VersionedState<S>;
  /** May be async, e.g. to compress the new body off the main thread. */
  decide(current: VersionedState<S>): UpdateDecision<R> | Promise<UpdateDecision<R>>;
  /** Rounds before giving up when other writers keep winning (re-puts of one decision count too). */
  maxAttempts: number;
  /**
   * After a lost race that left the object as read, put the same decision again under the same
   * condition (the default), or decide again on the unchanged read (false: for a caller that must
   * tell that case apart itself, such as the week claim).
   */
  retryUnchanged?: boolean;
  /** The error thrown after `maxAttempts` lost races (the last conflict is its cause). */
  giveUp(attempts: number): string;
  /** Told of each read of the object and each refused put, in order (see {@link ObjectSeen}). */
  seen?(seen: ObjectSeen): void;
}

/**
 * A conditional read-modify-write of one object: read, decide, then put only if the object is still
 * the one read (`If-Match` its ETag, or `If-None-Match: *` when there was none). When another writer
 * got there first the put fails with PreconditionFailedError, and the update is decided again on a
 * fresh read, so no writer's change is ever lost. That read is the one that follows the refusal
 * (below), handed to `stateOf`: one GET of the object per lost race, not one to check and one to decide.
 *
 * S3 can store a put and lose its answer: the SDK's retry then meets the object it just wrote and is
 * answered 412. So after a 412 the object is read again, and when it holds the very bytes this
 * attempt put, the put is taken as landed: the decision's result, at the ETag read. Deciding again
 * would decide on this attempt's own write: a merge finding nothing to add (its records reported as
 * another writer's), a count counted twice, a note written twice. Another writer that put the same
 * bytes first is taken as this write too, which is sound for the callers: their bodies name the run
 * or attempt (run id, attempt id, the time written), or, where they do not (an enrichment, a merge
 * that only drops), the object holds what this writer decided either way, and only its count of
 * the change may then be counted by both writers.
 *
 * A lost race can also leave the object as read: a refusal while another conditional put of the key
 * is in flight (S3's 409, which the S3 store itself sends again after short waits and fails with an
 * error of its own once they run out, adapters/s3-put-in-flight.ts; a store that answers it as a
 * lost race instead), and that put may be this attempt's own first try, which the SDK gave up on
 * and retried, landing after the re-read.
 * Deciding again then would decide on the old state and, once that put lands, again on its own
 * write. So the same decision is put again under the same condition: if the first try landed
 * meanwhile, that put gets 412 and the re-read finds this decision's bytes; if another writer's
 * landed, the re-read finds its bytes and the update decides again on them; if neither, it lands.
 * A caller that decides again instead (`retryUnchanged: false`) decides on a fresh read of the
 * store, not on the check's: a first try landing just after the check is then seen (one more GET,
 * on a path S3 takes rarely).
 */
export async function updateConditionally<S, R>(
  store: ObjectStore,
  key: string,
  update: ConditionalUpdate<S, R>,
): Promise<R> {
  checkMaxAttempts(update.maxAttempts);
  let current = update.initial ?? (await readState(store, key, update, undefined));
  // What the next decision reads after a lost race: what the check of the put read (undefined:
  // the store, afresh; see below).
  let checked: { found: StoredObject | undefined } | undefined;
  let lastConflict: PreconditionFailedError | undefined;
  let decision: WriteDecision<R> | undefined;
  for (let attempt = 1; attempt <= update.maxAttempts; attempt++) {
    if (decision === undefined) {
      if (attempt > 1) current = await readState(store, key, update, checked);
      const decided = await update.decide(current);
      if (!decided.write) return decided.result;
      decision = decided;
    }
    const put = await putDecided(store, key, current.etag, decision, update.seen);
    if ('result' in put) return put.result;
    lastConflict = put.conflict;
    const next = afterLostRace(put, update.retryUnchanged);
    if (next === 'put again') continue;
    decision = undefined;
    checked = next;
  }
  throw new Error(update.giveUp(update.maxAttempts), { cause: lastConflict });
}

/**
 * What follows a lost race: the same decision put again, or a decision on what the check of the put
 * read, or (undefined) on a fresh read of the store.
 */
function afterLostRace(
  put: { unchanged: boolean; stored: StoredObject | undefined },
  retryUnchanged: boolean | undefined,
): 'put again' | { found: StoredObject | undefined } | undefined {
  if (!put.unchanged) return { found: put.stored };
  // Left as read, a put of this decision may be in flight: put it again, do not decide again.
  // Decided again instead, a first try still in flight may have landed since the check, which only
  // a fresh read of the store sees.
  return retryUnchanged === false ? undefined : 'put again';
}

/** The state to decide on: of the object `checked` holds, or else of a read of the store. */
async function readState<S>(
  store: ObjectStore,
  key: string,
  update: ConditionalUpdate<S, unknown>,
  checked: { found: StoredObject | undefined } | undefined,
): Promise<VersionedState<S>> {
  let found = checked?.found;
  if (checked === undefined) {
    found = await store.get(key);
    update.seen?.({ found });
  }
  return { state: await update.stateOf(found), etag: found?.etag ?? null };
}

function checkMaxAttempts(maxAttempts: number): void {
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new Error(`updateConditionally: maxAttempts must be a positive integer, got ${maxAttempts}`);
  }
}

type WriteDecision<R> = Extract<UpdateDecision<R>, { write: true }>;

/**
 * The conditional put of one decision: its result, or the conflict when the object holds something
 * else. After a 412 the object is read again: holding the very bytes put, it is this put's, landed
 * with its answer lost (see {@link updateConditionally}); `unchanged` when it still holds the version
 * the put was conditional on (some put of the key was in flight, as a store that answers that as a
 * lost race says; the S3 store waits S3's 409 out itself and never gets here for it).
 */
async function putDecided<R>(
  store: ObjectStore,
  key: string,
  etagRead: string | null,
  decision: WriteDecision<R>,
  seen: ((seen: ObjectSeen) => void) | undefined,
): Promise<
  { result: R } | { conflict: PreconditionFailedError; unchanged: boolean; stored: StoredObject | undefined }
> {
  try {
    const { etag } = await store.put(key, decision.body, {
      ...(etagRead === null ? { ifNoneMatch: '*' as const } : { ifMatch: etagRead }),
      contentType: decision.contentType,
    });
    return { result: decision.result(etag) };
  } catch (error) {
    if (!(error instanceof PreconditionFailedError)) throw error;
    seen?.({ refused: error });
    // A store decorator that read the key back already (the digest recorder) hands that read on.
    const stored = error.readBack ? error.readBack.found : await store.get(key);
    seen?.({ found: stored });
    if (stored && sameBytes(stored.body, decision.body)) return { result: decision.result(stored.etag) };
    return { conflict: error, unchanged: (stored?.etag ?? null) === etagRead, stored };
  }
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.byteLength === b.byteLength && Buffer.compare(a, b) === 0;

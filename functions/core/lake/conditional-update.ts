import { type ObjectStore, PreconditionFailedError } from '../ports.ts';

/** The state an update is decided on, and the ETag it was read at (null: the object does not exist). */
export interface VersionedState<S> {
  state: S;
  etag: string | null;
}

/** What to do with the state read: leave the object as it is, or replace it. */
export type UpdateDecision<R> =
  | { write: false; result: R }
  | { write: true; body: Uint8Array; contentType: string; result: (etag: string) => R };

export interface ConditionalUpdate<S, R> {
  /** Reads the current state (again after each lost race). */
  read(): Promise<VersionedState<S>>;
  /** What an earlier read already gave, to save the first read. */
  initial?: VersionedState<S>;
  /** May be async, e.g. to compress the new body off the main thread. */
  decide(current: VersionedState<S>): UpdateDecision<R> | Promise<UpdateDecision<R>>;
  /** Rounds before giving up when other writers keep winning. */
  maxAttempts: number;
  /** The error thrown after `maxAttempts` lost races (the last conflict is its cause). */
  giveUp(attempts: number): string;
}

/**
 * A conditional read-modify-write of one object: read, decide, then put only if the object is still
 * the one read (`If-Match` its ETag, or `If-None-Match: *` when there was none). When another writer
 * got there first the put fails with PreconditionFailedError, and the update is decided again on a
 * fresh read, so no writer's change is ever lost.
 */
export async function updateConditionally<S, R>(
  store: ObjectStore,
  key: string,
  update: ConditionalUpdate<S, R>,
): Promise<R> {
  if (!Number.isInteger(update.maxAttempts) || update.maxAttempts < 1) {
    throw new Error(`updateConditionally: maxAttempts must be a positive integer, got ${update.maxAttempts}`);
  }
  let current = update.initial ?? (await update.read());
  let lastConflict: PreconditionFailedError | undefined;
  for (let attempt = 1; attempt <= update.maxAttempts; attempt++) {
    if (attempt > 1) current = await update.read();
    const decision = await update.decide(current);
    if (!decision.write) return decision.result;
    try {
      const { etag } = await store.put(key, decision.body, {
        ...(current.etag === null ? { ifNoneMatch: '*' as const } : { ifMatch: current.etag }),
        contentType: decision.contentType,
      });
      return decision.result(etag);
    } catch (error) {
      if (!(error instanceof PreconditionFailedError)) throw error;
      lastConflict = error;
    }
  }
  throw new Error(update.giveUp(update.maxAttempts), { cause: lastConflict });
}

import * as z from 'zod';
import type { ObjectStore, StoredObject } from '../ports.ts';
import { HOUR_MS } from '../time-units.ts';
import { type UpdateDecision, updateConditionally } from './conditional-update.ts';
import { deleteGuardNote } from './delete-guard-note.ts';
import { checkpointKey } from './layout.ts';
import { storedJsonOf } from './stored-json.ts';
import { NewerVersionError, newerVersionIn, newerVersionReason } from './stored-version.ts';

/** `state/instance=<i>/checkpoint.json`: every window before `watermark_ms` is complete in the lake. */
export interface Checkpoint {
  version: 1;
  instance: string;
  watermark_ms: number;
  /** ISO 8601 of `watermark_ms`, for people reading the file. */
  watermark: string;
  updated_at: string;
  run_id: string;
  code_version: string;
  /**
   * The oldest hour before the watermark that the run which wrote this re-pulled (its lookback)
   * but did not finish: the next scheduled run starts no later than this hour, whatever its
   * `lookbackHours` (a lowered lookback would otherwise start after it and never pull it again).
   * Absent when every hour the run re-pulled was finished; ignored when read at or after the
   * watermark (moved back by hand, the watermark pulls that hour again anyway). Also the first hour
   * a run passed by another run's watermark did not finish (see passedByOtherRun). The hours from
   * it on may not all be in the lake yet: the alerts wait at it when it lies further back than
   * they look again, and verify says the next run fills them.
   */
  retry_from_ms?: number;
  /**
   * The first hour the run that moved the watermark here planned: it read every hour from there to
   * the watermark (but `retry_from_ms`). A run passed by this watermark keeps its own unfinished
   * hours before it as `retry_from_ms` (see passedByOtherRun). Absent in a checkpoint written
   * before 2026-12-03, or by a person: the run then takes the watermark as covering what it did not
   * finish, as runs always did.
   */
  plan_from_ms?: number;
  /**
   * The first hour whose later pull (`repullAfterHours` after it, see later-pulls.ts) is still
   * due: the next scheduled run that pulls new hours pulls it and the due hours after it once
   * more, up to the watermark − `repullAfterHours`. Absent: the watermark − `repullAfterHours`
   * (nothing left over). A later pull that failed leaves it at that hour, so the next run tries
   * again (up to LATER_PULL_TRIES runs in all), without holding the watermark. A run with the later
   * pull off keeps it as it is.
   */
  repull_from_ms?: number;
  /**
   * Ranges `[from_ms, to_ms)` of whole hours after `repull_from_ms` and before the watermark that
   * are not due their later pull: pulled R or more after they ended (a run catching up), pulled
   * again already, or given up. Only beside `repull_from_ms`; absent: every hour from it is due.
   */
  repull_done?: [number, number][];
  /**
   * `[hour_ms, tries]` of hours due whose later pull failed that many times (not given up yet); 0
   * for an hour of a span that failed as a whole, pulled alone next.
   */
  repull_tries?: [number, number][];
  /**
   * A run wrote it once the instance's digest chain held a digest, or kept it from a checkpoint
   * that said so: a run finding no chain under it refuses to begin one unasked (a deletion of the
   * digests, chain-restart-guard.ts). Absent in checkpoints written before 2026-12-06, and on
   * lakes whose chain has no digest yet.
   */
  digests_recorded?: true;
}

/** The checkpoint's later-pull fields (see later-pulls.ts): written together, or left out. */
export type RepullFields = Pick<Checkpoint, 'repull_from_ms' | 'repull_done' | 'repull_tries'>;

export interface StoredCheckpoint {
  checkpoint: Checkpoint;
  etag: string;
}

export interface CheckpointAdvance {
  watermarkMs: number;
  runId: string;
  codeVersion: string;
  /** Epoch ms of the write, from the caller's clock. */
  now: number;
  /** The checkpoint's `retry_from_ms`: an unfinished hour before `watermarkMs` the next run must pull. */
  retryFromMs?: number;
  /**
   * The first hour the run planned (it moves the watermark only over hours from there on): a
   * stored watermark before it is not moved past, or the hours between would be read by no run;
   * a `retry_from_ms` stored before it (or at or after the run's first unfinished hour) is kept;
   * it is saved as the checkpoint's `plan_from_ms`; and a stored watermark past the advance, whose
   * run planned from after the run's first unfinished hour, keeps that hour as `retry_from_ms`.
   * Omitted: none of these.
   */
  planFromMs?: number;
  /**
   * The run's last write (at its end): read the stored checkpoint first, and set the hour kept
   * under another run's watermark exactly (raised, or cleared once the run read its hours). Before
   * it, that hour is only ever set or lowered, so two runs do not take turns rewriting it.
   */
  settle?: boolean;
  /**
   * The checkpoint's later-pull fields (`repull_from_ms` a whole hour at or before `watermarkMs`);
   * omitted: none.
   */
  repull?: RepullFields;
  /** The instance's digest chain holds a digest (written as `digests_recorded`, and kept once there). */
  digestsRecorded?: boolean;
}

/** Epoch ms of a whole UTC hour. */
const wholeHour = () =>
  z.number().int().nonnegative().multipleOf(HOUR_MS, { error: 'must be on a whole UTC hour' });

const checkpointSchema = z.lazy(() =>
  z.object({
    version: z.literal(1),
    instance: z.string(),
    // Windows are whole UTC hours; a watermark elsewhere would make every later window misplaced.
    watermark_ms: z
      .number()
      .int()
      .nonnegative()
      .multipleOf(HOUR_MS, { error: 'must be on a whole UTC hour' }),
    watermark: z.string(),
    updated_at: z.string(),
    run_id: z.string(),
    code_version: z.string(),
    retry_from_ms: z
      .number()
      .int()
      .nonnegative()
      .multipleOf(HOUR_MS, { error: 'must be on a whole UTC hour' })
      .optional(),
    plan_from_ms: z
      .number()
      .int()
      .nonnegative()
      .multipleOf(HOUR_MS, { error: 'must be on a whole UTC hour' })
      .optional(),
    repull_from_ms: wholeHour().optional(),
    repull_done: z.array(z.tuple([wholeHour(), wholeHour()])).optional(),
    repull_tries: z.array(z.tuple([wholeHour(), z.number().int().nonnegative()])).optional(),
    digests_recorded: z.literal(true).optional(),
  }),
);

const MAX_ATTEMPTS = 5;

/**
 * The checkpoint a run read (or last wrote) has since been deleted or moved back. Runs only ever
 * move it forward, so that is a person resetting it (to backfill again, or to re-pull from an
 * earlier hour) or a restore of an older version: the run must not write over it, or the reset
 * would be silently undone by the run that was in flight.
 */
export class CheckpointResetError extends Error {
  constructor(
    readonly key: string,
    readonly read: StoredCheckpoint,
    /** What is stored now: undefined when it was deleted. */
    readonly current: StoredCheckpoint | undefined,
  ) {
    const was = read.checkpoint.watermark;
    super(
      current
        ? `checkpoint ${key} was moved back from ${was} to ${current.checkpoint.watermark} during the run; it is left as reset`
        : `checkpoint ${key} (watermark ${was}) was deleted during the run; it is left deleted`,
    );
    this.name = 'CheckpointResetError';
  }
}

/**
 * The stored watermark lies before the first hour the advancing run planned: another run wrote it
 * (two first runs overlapping, the one with more backfill days stopped or killed before it caught
 * up), and moving it past would skip the hours between, which neither run read and no later run
 * would. Nothing is written: the next run continues from the stored watermark (pulling this run's
 * hours again, merged without duplicates). Not a failure.
 */
export class CheckpointBehindPlanError extends Error {
  constructor(
    readonly key: string,
    /** What is stored, and kept. */
    readonly current: StoredCheckpoint,
    readonly planFromMs: number,
  ) {
    super(
      `checkpoint ${key} is at ${current.checkpoint.watermark}, before this run's first hour ${new Date(planFromMs).toISOString()}: another run (run ${current.checkpoint.run_id}) left it there, and the hours between were read by neither, so the watermark is not moved past them; the next scheduled run continues from ${current.checkpoint.watermark}`,
    );
    this.name = 'CheckpointBehindPlanError';
  }
}

/** The checkpoint version this code reads and writes. */
const CHECKPOINT_VERSION = 1;

/**
 * The core reads the checkpoint for the deployed functions and the CLI alike, so the reach of a
 * first run is named as each of them sets it.
 */
function corrupt(store: ObjectStore, key: string, reason: string, cause?: unknown): Error {
  return new Error(
    `checkpoint ${key} at ${store.location} is corrupt (${reason}). Fix it, or delete it${deleteGuardNote(store.location)}: the next run then restarts from the backfill days setting ago (backfillDays in the deployed config, the backfill-days option of the command line) and merges into the windows already stored (nothing is duplicated).`,
    { cause },
  );
}

/** Reads the checkpoint of an instance with its ETag; undefined before the first run. */
export async function readCheckpoint(
  store: ObjectStore,
  instance: string,
): Promise<StoredCheckpoint | undefined> {
  return checkpointOf(store, instance, await store.get(checkpointKey(instance)));
}

/** {@link readCheckpoint} of the object as read from `store` (undefined: there was none). */
function checkpointOf(
  store: ObjectStore,
  instance: string,
  found: StoredObject | undefined,
): StoredCheckpoint | undefined {
  const key = checkpointKey(instance);
  // Not corrupt, and not to be deleted: the release that wrote it still needs it.
  const newer = found && newerVersionIn(found.body, CHECKPOINT_VERSION);
  if (newer !== undefined) {
    throw new NewerVersionError(
      `checkpoint ${key} at ${store.location} was ${newerVersionReason('checkpoint', newer, CHECKPOINT_VERSION)}`,
    );
  }
  const read = storedJsonOf(found, checkpointSchema, (reason) => corrupt(store, key, reason));
  if (!read) return undefined;
  if (read.value.instance !== instance) {
    throw corrupt(store, key, `it belongs to instance "${read.value.instance}", not "${instance}"`);
  }
  // A person editing the file changes the readable field; following the other one would ignore it.
  if (Date.parse(read.value.watermark) !== read.value.watermark_ms) {
    throw corrupt(
      store,
      key,
      `watermark "${read.value.watermark}" and watermark_ms ${read.value.watermark_ms} ` +
        `(${new Date(read.value.watermark_ms).toISOString()}) disagree; the runs follow watermark_ms: set it ` +
        'to the time you mean in epoch milliseconds' +
        (Number.isNaN(Date.parse(read.value.watermark))
          ? ''
          : ` (${Date.parse(read.value.watermark)} for "${read.value.watermark}")`) +
        ', and watermark to the same time',
    );
  }
  return { checkpoint: withoutPassedRetry(read.value), etag: read.etag };
}

/**
 * The checkpoint without a `retry_from_ms` at or after its watermark. Runs write it only before
 * the watermark, so that is a person moving the watermark back (docs/operations.md "Resetting the
 * checkpoint") to or before the held hour: the moved watermark pulls that hour again anyway, and
 * refusing the checkpoint would stop the ingest, its alerts and verify over a field with nothing
 * left to say. The next write of the checkpoint leaves it out.
 */
function withoutPassedRetry(checkpoint: Checkpoint): Checkpoint {
  if (checkpoint.retry_from_ms === undefined || checkpoint.retry_from_ms < checkpoint.watermark_ms) {
    return checkpoint;
  }
  const { retry_from_ms: _passed, ...rest } = checkpoint;
  return rest;
}

/**
 * Moves the watermark forward to `watermarkMs` and returns the checkpoint now stored. The write is
 * conditional on the ETag that was read; if another run wrote in between, the stored value becomes
 * the later of the two watermarks. That is safe because a watermark only ever covers completed
 * windows, so the larger one is just as true as the smaller. The watermark never moves backwards:
 * if the stored one is already at or past `watermarkMs`, it stays; past it, another run's, the
 * advancing run's first unfinished hour is kept as `retry_from_ms` when it gives `planFromMs`
 * (see {@link passedByOtherRun}).
 *
 * If the checkpoint was deleted, or its watermark is now before the one in `read`, nothing is
 * written and {@link CheckpointResetError} is thrown: only a person or a restore does that. If its
 * watermark is before `planFromMs`, nothing is written and {@link CheckpointBehindPlanError} is
 * thrown: the hours between would be skipped.
 *
 * @param read what the caller read (or wrote) earlier, which saves a GET; omitted, the checkpoint
 *   is read first.
 */
export const advanceCheckpoint = async (
  store: ObjectStore,
  instance: string,
  advance: CheckpointAdvance,
  read?: StoredCheckpoint,
): Promise<Checkpoint> => (await advanceStoredCheckpoint(store, instance, advance, read)).checkpoint;

/**
 * {@link advanceCheckpoint}, returning the stored checkpoint with its ETag: a run that advances the
 * watermark again and again passes it back as `read`, so each advance costs one write and no read.
 */
export async function advanceStoredCheckpoint(
  store: ObjectStore,
  instance: string,
  advance: CheckpointAdvance,
  read?: StoredCheckpoint,
): Promise<StoredCheckpoint> {
  const key = checkpointKey(instance);
  const { watermarkMs, retryFromMs } = advance;
  const repullFromMs = advance.repull?.repull_from_ms;
  if (!Number.isSafeInteger(watermarkMs) || watermarkMs < 0) {
    throw new Error(
      `advanceCheckpoint: watermarkMs must be a non-negative integer of epoch ms, got ${watermarkMs}`,
    );
  }
  if (
    retryFromMs !== undefined &&
    !(retryFromMs >= 0 && retryFromMs < watermarkMs && retryFromMs % HOUR_MS === 0)
  ) {
    throw new Error(
      `advanceCheckpoint: retryFromMs must be a whole hour before watermarkMs ${watermarkMs}, got ${retryFromMs}`,
    );
  }
  if (
    repullFromMs !== undefined &&
    !(repullFromMs >= 0 && repullFromMs <= watermarkMs && repullFromMs % HOUR_MS === 0)
  ) {
    throw new Error(
      `advanceCheckpoint: repullFromMs must be a whole hour at or before watermarkMs ${watermarkMs}, got ${repullFromMs}`,
    );
  }
  const update = (initial: StoredCheckpoint | undefined) =>
    updateConditionally(store, key, {
      maxAttempts: MAX_ATTEMPTS,
      stateOf: (found) => checkpointOf(store, instance, found),
      ...(initial ? { initial: { state: initial, etag: initial.etag } } : {}),
      decide: ({ state: current }) => decideAdvance(key, instance, advance, read, current),
      giveUp: (attempts) =>
        `could not advance checkpoint ${key} at ${store.location} after ${attempts} attempts: other runs kept writing it. Check that only one ingest schedule runs per instance.`,
    });
  try {
    // The last write reads what is stored now: the other run's watermark may have moved since.
    return await update(advance.settle ? undefined : read);
  } catch (error) {
    // Refused on what the caller read, which the other run may since have moved past the plan's
    // first hour: judged once more on the stored checkpoint (a GET, only beside such a run).
    if (read === undefined || !(error instanceof CheckpointBehindPlanError)) throw error;
    return update(undefined);
  }
}

/** {@link advanceStoredCheckpoint}'s decision on the checkpoint stored now (`current`). */
function decideAdvance(
  key: string,
  instance: string,
  advance: CheckpointAdvance,
  read: StoredCheckpoint | undefined,
  current: StoredCheckpoint | undefined,
): UpdateDecision<StoredCheckpoint> {
  const { watermarkMs, runId, codeVersion, now, planFromMs } = advance;
  const repull = advance.repull ?? {};
  if (read && (!current || current.checkpoint.watermark_ms < read.checkpoint.watermark_ms))
    throw new CheckpointResetError(key, read, current);
  if (current && current.checkpoint.watermark_ms > watermarkMs) {
    return passedByOtherRun(current, advance, now);
  }
  const retryFromMs = earliest(keptRetry(advance, current?.checkpoint), advance.retryFromMs);
  if (current && !advances(current.checkpoint, watermarkMs, retryFromMs, repull)) {
    return { write: false, result: current };
  }
  if (current && planFromMs !== undefined && current.checkpoint.watermark_ms < planFromMs)
    throw new CheckpointBehindPlanError(key, current, planFromMs);
  return writeOf({
    version: 1,
    instance,
    watermark_ms: watermarkMs,
    watermark: new Date(watermarkMs).toISOString(),
    updated_at: new Date(now).toISOString(),
    run_id: runId,
    code_version: codeVersion,
    ...(retryFromMs === undefined ? {} : { retry_from_ms: retryFromMs }),
    ...(planFromMs === undefined ? {} : { plan_from_ms: planFromMs }),
    ...repull,
    ...(advance.digestsRecorded || current?.checkpoint.digests_recorded ? { digests_recorded: true } : {}),
  });
}

/** The earlier of two hours, either of which may be absent. */
const earliest = (a: number | undefined, b: number | undefined): number | undefined =>
  a === undefined ? b : b === undefined ? a : Math.min(a, b);

/** The first hour the advancing run has not finished: its own retry hour, else its watermark. */
const firstUnfinished = (advance: CheckpointAdvance): number =>
  Math.min(advance.retryFromMs ?? advance.watermarkMs, advance.watermarkMs);

/**
 * The stored `retry_from_ms` an advance keeps: one this run did not read, before its first hour
 * (another run's hold, see {@link passedByOtherRun}) or at or after its first unfinished hour (the
 * next run pulls it). One in between, the run read since, is dropped. Without `planFromMs`, none.
 */
function keptRetry(advance: CheckpointAdvance, stored: Checkpoint | undefined): number | undefined {
  const other = stored?.retry_from_ms;
  if (other === undefined || advance.planFromMs === undefined) return undefined;
  return other < advance.planFromMs || other >= firstUnfinished(advance) ? other : undefined;
}

/**
 * Another run has moved the watermark past the advancing run's. The watermark stays. When that
 * run planned from after this run's first unfinished hour (two first runs overlapping, the one
 * with fewer backfill days ahead), the hours between were read by neither: the hour is saved as
 * `retry_from_ms`, so that should this run stop before it catches up, the next run pulls again
 * from there. The other run's later advances keep it (it lies before their first hour). Set or
 * lowered as the run goes, set exactly by its last write (`settle`). A watermark whose run did not
 * record where it planned from (older code, a person) is taken as covering the hours, as before.
 * Without `planFromMs` nothing is written.
 */
function passedByOtherRun(
  current: StoredCheckpoint,
  advance: CheckpointAdvance,
  now: number,
): UpdateDecision<StoredCheckpoint> {
  if (advance.planFromMs === undefined) return { write: false, result: current };
  const stored = current.checkpoint.retry_from_ms;
  const first = firstUnfinished(advance);
  const unread = (current.checkpoint.plan_from_ms ?? Number.NEGATIVE_INFINITY) > first;
  const holdMs = earliest(keptRetry(advance, current.checkpoint), unread ? first : undefined);
  const raised = stored !== undefined && (holdMs === undefined || holdMs > stored);
  if (holdMs === stored || (raised && !advance.settle)) return { write: false, result: current };
  // `run_id` and `plan_from_ms` stay the other run's: they name the run whose watermark it is.
  const { retry_from_ms: _replaced, ...kept } = current.checkpoint;
  return writeOf({
    ...kept,
    updated_at: new Date(now).toISOString(),
    ...(holdMs === undefined ? {} : { retry_from_ms: holdMs }),
  });
}

/** The decision to write `next`. */
function writeOf(next: Checkpoint): UpdateDecision<StoredCheckpoint> {
  return {
    write: true,
    body: new TextEncoder().encode(`${JSON.stringify(next)}\n`),
    contentType: 'application/json',
    result: (etag) => ({ checkpoint: next, etag }),
  };
}

/**
 * Whether an advance changes the stored checkpoint: a later watermark, or at the same watermark
 * another unfinished hour to retry (recorded, moved, or cleared once the run finished it), or
 * another first hour due its later pull.
 */
function advances(
  stored: Checkpoint,
  watermarkMs: number,
  retryFromMs: number | undefined,
  repull: RepullFields,
): boolean {
  if (stored.watermark_ms !== watermarkMs) return stored.watermark_ms < watermarkMs;
  return stored.retry_from_ms !== retryFromMs || !sameRepull(stored, repull);
}

/** Whether the stored checkpoint's later-pull fields are `repull`'s. */
export function sameRepull(stored: RepullFields, repull: RepullFields): boolean {
  return (
    stored.repull_from_ms === repull.repull_from_ms &&
    JSON.stringify(stored.repull_done ?? []) === JSON.stringify(repull.repull_done ?? []) &&
    JSON.stringify(stored.repull_tries ?? []) === JSON.stringify(repull.repull_tries ?? [])
  );
}

import * as z from 'zod';
import type { ObjectStore, StoredObject } from '../ports.ts';
import { type UpdateDecision, updateConditionally } from './conditional-update.ts';
import { checkpointKey, HOUR_MS } from './layout.ts';
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
   * watermark (moved back by hand, the watermark pulls that hour again anyway).
   */
  retry_from_ms?: number;
}

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
   * a `retry_from_ms` stored before it is kept; and a stored watermark past the advance keeps the
   * run's first unfinished hour as `retry_from_ms`. Omitted: none of these.
   */
  planFromMs?: number;
  /** The end of the run's plan: an advance to it leaves none of the run's hours unfinished. */
  planEndMs?: number;
}

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
    `checkpoint ${key} at ${store.location} is corrupt (${reason}). Fix it, or delete it: the next run then restarts from the backfill days setting ago (backfillDays in the deployed config, the backfill-days option of the command line) and merges into the windows already stored (nothing is duplicated).`,
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
    return await update(read);
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
  if (read && (!current || current.checkpoint.watermark_ms < read.checkpoint.watermark_ms))
    throw new CheckpointResetError(key, read, current);
  const retryFromMs = retryToSave(advance, current?.checkpoint);
  if (current && current.checkpoint.watermark_ms > watermarkMs) {
    return passedByOtherRun(current, advance, retryFromMs, now);
  }
  if (current && !advances(current.checkpoint, watermarkMs, retryFromMs)) {
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
  });
}

/**
 * The `retry_from_ms` an advance saves: the run's own unfinished hour, and one stored before the
 * run's first hour, which another run left (see {@link passedByOtherRun}) and this run does not
 * pull, so only the field keeps it for the next run. A stored hour from the run's first hour on is
 * the run's to settle: its plan covers it, and its own hour says what is still unfinished there.
 */
function retryToSave(advance: CheckpointAdvance, stored: Checkpoint | undefined): number | undefined {
  const { retryFromMs: own, planFromMs } = advance;
  const other = stored?.retry_from_ms;
  if (other === undefined || planFromMs === undefined || other >= planFromMs) return own;
  return own === undefined ? other : Math.min(own, other);
}

/**
 * Another run has moved the watermark past the advancing run's (two first runs overlapping, the
 * one with fewer backfill days ahead): the watermark stays, and the run's first unfinished hour is
 * saved as `retry_from_ms`, so that should the run stop before it catches up, the next run pulls
 * again from there instead of leaving the hours up to the other run's first hour read by no one.
 * The other run's later advances keep it (it lies before their first hour); it errs only towards
 * pulling hours again (when the other run did read them: a scheduled run overlapping the one
 * before it), which merges without duplicates. Without `planFromMs` nothing is written.
 */
function passedByOtherRun(
  current: StoredCheckpoint,
  advance: CheckpointAdvance,
  retryFromMs: number | undefined,
  now: number,
): UpdateDecision<StoredCheckpoint> {
  const { planFromMs, planEndMs, watermarkMs } = advance;
  if (planFromMs === undefined) return { write: false, result: current };
  // A run at its plan's end leaves only its unfinished lookback hour, if any (clearing its hold).
  const finished = planEndMs !== undefined && watermarkMs >= planEndMs;
  const holdMs = finished ? retryFromMs : Math.min(retryFromMs ?? watermarkMs, watermarkMs);
  if (current.checkpoint.retry_from_ms === holdMs) return { write: false, result: current };
  // `run_id` stays the other run's: it names the run that moved the watermark where it is.
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
 * another unfinished hour to retry (recorded, moved, or cleared once the run finished it).
 */
function advances(stored: Checkpoint, watermarkMs: number, retryFromMs: number | undefined): boolean {
  if (stored.watermark_ms !== watermarkMs) return stored.watermark_ms < watermarkMs;
  return stored.retry_from_ms !== retryFromMs;
}

import { z } from 'zod';
import { type ObjectStore, PreconditionFailedError } from '../ports.ts';
import { checkpointKey, HOUR_MS } from './layout.ts';

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
}

const checkpointSchema = z.object({
  version: z.literal(1),
  instance: z.string(),
  // Windows are whole UTC hours; a watermark elsewhere would make every later window misplaced.
  watermark_ms: z.number().int().nonnegative().multipleOf(HOUR_MS, { error: 'must be on a whole UTC hour' }),
  watermark: z.string(),
  updated_at: z.string(),
  run_id: z.string(),
  code_version: z.string(),
});

const MAX_ATTEMPTS = 5;

function corrupt(store: ObjectStore, key: string, reason: string, cause?: unknown): Error {
  return new Error(
    `checkpoint ${key} at ${store.location} is corrupt (${reason}). Fix it, or delete it: the next run then restarts from backfillDays ago and merges into the windows already stored (nothing is duplicated).`,
    { cause },
  );
}

/** Reads the checkpoint of an instance with its ETag; undefined before the first run. */
export async function readCheckpoint(
  store: ObjectStore,
  instance: string,
): Promise<StoredCheckpoint | undefined> {
  const key = checkpointKey(instance);
  const stored = await store.get(key);
  if (!stored) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(stored.body));
  } catch (error) {
    throw corrupt(store, key, `not valid JSON: ${(error as Error).message}`, error);
  }
  const parsed = checkpointSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw corrupt(store, key, `field ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  if (parsed.data.instance !== instance) {
    throw corrupt(store, key, `it belongs to instance "${parsed.data.instance}", not "${instance}"`);
  }
  return { checkpoint: parsed.data, etag: stored.etag };
}

/**
 * Moves the watermark forward to `watermarkMs` and returns the checkpoint now stored. The write is
 * conditional on the ETag that was read; if another run wrote in between, the stored value becomes
 * the later of the two watermarks. That is safe because a watermark only ever covers completed
 * windows, so the larger one is just as true as the smaller. The watermark never moves backwards:
 * if the stored one is already at or past `watermarkMs`, nothing is written.
 *
 * @param read what the caller read earlier (saves a GET); omitted, the checkpoint is read first.
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
  const { watermarkMs, runId, codeVersion, now } = advance;
  if (!Number.isSafeInteger(watermarkMs) || watermarkMs < 0) {
    throw new Error(
      `advanceCheckpoint: watermarkMs must be a non-negative integer of epoch ms, got ${watermarkMs}`,
    );
  }
  let current = read ?? (await readCheckpoint(store, instance));
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    if (current && current.checkpoint.watermark_ms >= watermarkMs) return current;
    const next: Checkpoint = {
      version: 1,
      instance,
      watermark_ms: watermarkMs,
      watermark: new Date(watermarkMs).toISOString(),
      updated_at: new Date(now).toISOString(),
      run_id: runId,
      code_version: codeVersion,
    };
    try {
      const { etag } = await store.put(key, new TextEncoder().encode(`${JSON.stringify(next)}\n`), {
        ...(current ? { ifMatch: current.etag } : { ifNoneMatch: '*' as const }),
        contentType: 'application/json',
      });
      return { checkpoint: next, etag };
    } catch (error) {
      if (!(error instanceof PreconditionFailedError)) throw error;
      current = await readCheckpoint(store, instance);
    }
  }
  throw new Error(
    `could not advance checkpoint ${key} at ${store.location} after ${MAX_ATTEMPTS} attempts: other runs kept writing it. Check that only one ingest schedule runs per instance.`,
  );
}

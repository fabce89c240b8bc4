import type { ObjectStore } from '../ports.ts';
import { type Checkpoint, type RepullFields, readCheckpoint } from './checkpoint.ts';

/** What verify reads of the checkpoint: its watermark, held hour and plan start (one read). */
export interface CheckpointMarks {
  watermarkMs: number | null;
  heldFromMs: number | null;
  /** `plan_from_ms`: where the run that last moved it planned from (whole-lake-range.ts). */
  planFromMs?: number;
  /** The later-pull fields: which hours a scheduled run still pulls once more (hours-not-final.ts). */
  repull?: RepullFields;
}

/** The checkpoint's {@link CheckpointMarks}; all null when there is none. */
export async function readCheckpointMarks(store: ObjectStore, instance: string): Promise<CheckpointMarks> {
  return checkpointMarksOf((await readCheckpoint(store, instance))?.checkpoint);
}

/** {@link CheckpointMarks} of a checkpoint read already; all null without one. */
export function checkpointMarksOf(checkpoint: Checkpoint | undefined): CheckpointMarks {
  return {
    watermarkMs: checkpoint?.watermark_ms ?? null,
    heldFromMs: checkpoint?.retry_from_ms ?? null,
    ...(checkpoint?.plan_from_ms === undefined ? {} : { planFromMs: checkpoint.plan_from_ms }),
    ...(checkpoint === undefined ? {} : { repull: repullFieldsOf(checkpoint) }),
  };
}

/** The checkpoint's later-pull fields alone (those it has). */
export function repullFieldsOf(checkpoint: RepullFields): RepullFields {
  const { repull_from_ms, repull_done, repull_tries } = checkpoint;
  return {
    ...(repull_from_ms === undefined ? {} : { repull_from_ms }),
    ...(repull_done === undefined ? {} : { repull_done }),
    ...(repull_tries === undefined ? {} : { repull_tries }),
  };
}

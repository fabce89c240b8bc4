import type { ObjectStore } from '../ports.ts';
import { readCheckpoint } from './checkpoint.ts';

/** What verify reads of the checkpoint: its watermark, held hour and plan start (one read). */
export interface CheckpointMarks {
  watermarkMs: number | null;
  heldFromMs: number | null;
  /** `plan_from_ms`: where the run that last moved it planned from (whole-lake-range.ts). */
  planFromMs?: number;
}

/** The checkpoint's {@link CheckpointMarks}; all null when there is none. */
export async function readCheckpointMarks(store: ObjectStore, instance: string): Promise<CheckpointMarks> {
  const checkpoint = (await readCheckpoint(store, instance))?.checkpoint;
  return {
    watermarkMs: checkpoint?.watermark_ms ?? null,
    heldFromMs: checkpoint?.retry_from_ms ?? null,
    ...(checkpoint?.plan_from_ms === undefined ? {} : { planFromMs: checkpoint.plan_from_ms }),
  };
}

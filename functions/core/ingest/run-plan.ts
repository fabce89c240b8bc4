import { readCheckpoint, type StoredCheckpoint } from '../lake/checkpoint.ts';
import type { ObjectStore } from '../ports.ts';
import type { IngestConfig } from './ingest-types.ts';
import { planFromCheckpoint, validateRange } from './window-plan.ts';

/** The hours one run pulls, and where the watermark stands. */
export interface RunPlan {
  mode: 'checkpoint' | 'range';
  firstMs: number;
  /** Exclusive. */
  endMs: number;
  /** The watermark the run moves forward; null in range mode (the checkpoint is left alone). */
  watermarkMs: number | null;
  /** The stored checkpoint read to plan (checkpoint mode), with its ETag. */
  checkpoint: StoredCheckpoint | undefined;
}

/**
 * Plans a run: exactly an explicit range (validated: whole, closed hours), or — on the schedule —
 * the lookback hours and every closed hour after the stored watermark (DESIGN §3.2).
 */
export async function planRun(
  store: ObjectStore,
  config: IngestConfig,
  range: { fromMs: number; toMs: number } | undefined,
  nowMs: number,
): Promise<RunPlan> {
  if (range) {
    validateRange(range.fromMs, range.toMs, nowMs, config.settleMinutes);
    return {
      mode: 'range',
      firstMs: range.fromMs,
      endMs: range.toMs,
      watermarkMs: null,
      checkpoint: undefined,
    };
  }
  const checkpoint = await readCheckpoint(store, config.instance);
  const plan = planFromCheckpoint(
    checkpoint?.checkpoint.watermark_ms,
    nowMs,
    config.settleMinutes,
    config.lookbackHours,
    config.backfillDays,
  );
  return {
    mode: 'checkpoint',
    firstMs: plan.firstMs,
    endMs: plan.endMs,
    watermarkMs: plan.watermarkMs,
    checkpoint,
  };
}

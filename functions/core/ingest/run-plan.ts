import { type Checkpoint, readCheckpoint, type StoredCheckpoint } from '../lake/checkpoint.ts';
import { MAX_BACKFILL_DAYS } from '../lake/closed-hours.ts';
import { readStoredCoverage } from '../lake/coverage.ts';
import type { CoverageManifest } from '../lake/coverage-manifest.ts';
import { deleteGuardNote } from '../lake/delete-guard-note.ts';
import { WATERMARK_AHEAD_TOLERANCE_MS } from '../lake/future-hours.ts';
import { dueHours } from '../lake/later-pull-due.ts';
import { checkpointKey } from '../lake/layout.ts';
import { firstLookbackHourPulled } from '../lake/lookback-read-late.ts';
import type { ObjectStore } from '../ports.ts';
import { HOUR_MS } from '../time-units.ts';
import type { IngestConfig } from './ingest-types.ts';
import { type LaterPullPlan, planLaterPulls } from './later-pulls.ts';
import { backfillStart, type CheckpointPlan, planFromCheckpoint, validateRange } from './window-plan.ts';

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
  /**
   * The hours pulled once more, `repullAfterHours` after their first pull (checkpoint mode, see
   * later-pulls.ts); undefined: none, and the checkpoint's mark of them is left as it is.
   */
  laterPulls: LaterPullPlan | undefined;
  /**
   * The manifest of the hour before `firstMs`, when planning read it (a lookback hour read late it
   * went past): the span planner's first density, not read again.
   */
  manifestBefore?: CoverageManifest;
}

/**
 * The checkpoint claims hours that have not happened yet are in the lake: edited, restored from
 * another lake, or read by a machine whose clock is far behind. Followed, no hour before it would
 * ever be pulled, and no lag would ever show; the run stops instead.
 */
export class WatermarkAheadError extends Error {
  constructor(
    readonly instance: string,
    readonly watermarkMs: number,
    readonly nowMs: number,
    /** Where the lake is: a delete on S3 takes a principal the bucket policy names. */
    readonly location: string,
  ) {
    super(
      `the checkpoint ${checkpointKey(instance)} says every hour before ${new Date(watermarkMs).toISOString()} ` +
        `is in the lake, but that is after now (${new Date(nowMs).toISOString()}): it was edited or restored ` +
        "from elsewhere, or this machine's clock is wrong. Followed, no hour before it would ever be pulled, " +
        `so the run stops. Restore the checkpoint version before the change, or delete it${deleteGuardNote(location)}: the next run then ` +
        'backfills again, merging into the hours already stored without duplicating any.',
    );
    this.name = 'WatermarkAheadError';
  }
}

/**
 * Plans a run: exactly an explicit range (validated: whole, closed hours), or — on the schedule —
 * the lookback hours and every closed hour after the stored watermark (DESIGN §3.2), and the hours
 * due their later pull.
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
      laterPulls: undefined,
    };
  }
  const checkpoint = await readCheckpoint(store, config.instance);
  const stored = checkpoint?.checkpoint.watermark_ms;
  if (stored !== undefined && stored > nowMs + WATERMARK_AHEAD_TOLERANCE_MS) {
    throw new WatermarkAheadError(config.instance, stored, nowMs, store.location);
  }
  const plan = planFromCheckpoint(
    checkpoint?.checkpoint.watermark_ms,
    nowMs,
    config.settleMinutes,
    config.lookbackHours,
    config.backfillDays,
    checkpoint?.checkpoint.retry_from_ms,
  );
  const { firstMs, manifestBefore } = await pastLookbackReadLate(store, config, plan, checkpoint?.checkpoint);
  const laterPulls = planLaterPulls({
    watermarkMs: stored,
    planFirstMs: firstMs,
    planEndMs: plan.endMs,
    nowMs,
    repullAfterHours: config.repullAfterHours,
    read: checkpoint?.checkpoint ?? {},
    // Not the backfill's reach: a lake a day deep still has hours its later pull reaches.
    reachFromMs: backfillStart(nowMs, MAX_BACKFILL_DAYS),
  });
  return {
    mode: 'checkpoint',
    firstMs,
    endMs: plan.endMs,
    watermarkMs: plan.watermarkMs,
    checkpoint,
    laterPulls,
    ...(manifestBefore ? { manifestBefore } : {}),
  };
}

/**
 * The plan's first hour, past its leading lookback hours read a day or more after they ended
 * (lookback-read-late.ts), each judged by its manifest as stored; with the manifest of the hour
 * before it when that is one of them.
 */
async function pastLookbackReadLate(
  store: ObjectStore,
  config: IngestConfig,
  plan: CheckpointPlan,
  read: Checkpoint | undefined,
): Promise<{ firstMs: number; manifestBefore?: CoverageManifest }> {
  if (read === undefined || plan.lookbackWindows === 0) return { firstMs: plan.firstMs };
  const due = dueHours(read, plan.watermarkMs, config.repullAfterHours);
  const untilMs = Math.min(plan.watermarkMs, read.retry_from_ms ?? Number.POSITIVE_INFINITY);
  const manifests = new Map<number, CoverageManifest>();
  const firstMs = await firstLookbackHourPulled(plan.firstMs, untilMs, due, config, async (hourMs) => {
    const stored = await readStoredCoverage(store, config.instance, hourMs).catch(() => undefined);
    if (stored) manifests.set(hourMs, stored.manifest);
    return stored?.manifest.fetched_at;
  });
  const manifestBefore = manifests.get(firstMs - HOUR_MS);
  return manifestBefore ? { firstMs, manifestBefore } : { firstMs };
}

import { closedWindowsEnd } from '../lake/closed-hours.ts';
import { DAY_MS, floorHour, HOUR_MS } from '../time-units.ts';
import { InvalidRangeError, type RangeProblem } from './range-error.ts';

/** Where a lake with no checkpoint starts. */
export const backfillStart = (nowMs: number, backfillDays: number): number =>
  floorHour(nowMs - backfillDays * DAY_MS);

export interface CheckpointPlan {
  /** First window to pull (lookback included). */
  firstMs: number;
  /** Exclusive end of the last window to pull. */
  endMs: number;
  /** Every window before this is already complete. */
  watermarkMs: number;
  /** Windows before the watermark that are pulled again to catch late events (none without a closed window after it). */
  lookbackWindows: number;
}

/**
 * Windows a scheduled run pulls: every closed window from the watermark on, and before them the
 * last `lookbackHours` again, but only when there is such a closed window. A closed hour appears
 * once an hour while the schedule runs every 15 minutes: the runs in between would re-pull the
 * same lookback hours for nothing but late events, which the next hour's run stores anyway. Only
 * a run with a closed hour moves the watermark, and it pulls its lookback first, so an hour is
 * pulled again as long as before (until the watermark is `lookbackHours` past it), a late event
 * up to an hour later. A run that leaves a lookback hour unfinished keeps the watermark before
 * its own last hour (WatermarkTracker), so the next run has a closed hour and pulls that one
 * again; the checkpoint names that hour (`retryFromMs`), and the plan starts no later than it, so
 * a lookback lowered meanwhile still reaches it. A watermark at or ahead of the closed end (clock skew, a settle change) plans nothing.
 */
export function planFromCheckpoint(
  watermarkMs: number | undefined,
  nowMs: number,
  settleMinutes: number,
  lookbackHours: number,
  backfillDays: number,
  retryFromMs?: number,
): CheckpointPlan {
  const endMs = closedWindowsEnd(nowMs, settleMinutes);
  const start = backfillStart(nowMs, backfillDays);
  const watermark = watermarkMs ?? start;
  // No closed hour to pull: nothing, not even the lookback (see above).
  if (watermark >= endMs) return { firstMs: endMs, endMs, watermarkMs: watermark, lookbackWindows: 0 };
  const lookbackWindows = watermarkMs === undefined ? 0 : lookbackHours;
  // The lookback never reaches before the backfill start, and never skips ahead of the watermark
  // (a lake left behind for longer than backfillDays still fills its gap from the watermark on).
  const lookbackFrom = Math.min(
    watermark,
    Math.max(watermark - lookbackWindows * HOUR_MS, start),
    // An hour the last run re-pulled but did not finish is pulled again whatever the lookback now
    // is: lowered since, the lookback alone would start after it, and no run would retry it.
    retryFromMs ?? Number.POSITIVE_INFINITY,
  );
  return {
    firstMs: lookbackFrom,
    endMs,
    watermarkMs: watermark,
    lookbackWindows: (watermark - lookbackFrom) / HOUR_MS,
  };
}

/** Window starts from `firstMs` (inclusive) to `endMs` (exclusive), generated lazily. */
export function* hourWindows(firstMs: number, endMs: number): Generator<number> {
  for (let start = firstMs; start + HOUR_MS <= endMs; start += HOUR_MS) yield start;
}

export const windowCount = (firstMs: number, endMs: number): number =>
  Math.max(0, Math.floor((endMs - firstMs) / HOUR_MS));

/**
 * Checks an explicit range (a re-pull): whole UTC hours, from before to, and closed.
 * @throws InvalidRangeError, which each caller words with its own names for the bounds.
 */
export function validateRange(fromMs: number, toMs: number, nowMs: number, settleMinutes: number): void {
  const closed = { endMs: closedWindowsEnd(nowMs, settleMinutes), settleMinutes };
  const problem = rangeProblem(fromMs, toMs, closed.endMs);
  if (problem) throw new InvalidRangeError(problem, fromMs, toMs, closed);
}

function rangeProblem(fromMs: number, toMs: number, closedEndMs: number): RangeProblem | undefined {
  if (fromMs % HOUR_MS !== 0 || toMs % HOUR_MS !== 0) return 'not-whole-hours';
  if (toMs <= fromMs) return 'empty';
  if (toMs > closedEndMs) return 'not-closed';
  return undefined;
}

import { HOUR_MS } from '../time-units.ts';
import type { IngestSummary } from './ingest-types.ts';

type Moved = Pick<IngestSummary, 'watermarkBeforeMs' | 'watermarkAfterMs' | 'backfillFromMs'>;
type Paced = Pick<IngestSummary, 'stoppedEarly' | 'behindByMs'> & Moved;

/**
 * Milliseconds the run moved the watermark; 0 when it did not, or set none. A run that began
 * without one (a first backfill) counts from its first hour: it set the watermark that far, and
 * its summary said it "did not move the watermark" after `was none, now …`, with no estimate of
 * the runs left (review R-SRE L2).
 */
export function watermarkMovedMs(summary: Moved): number {
  const { watermarkAfterMs: after } = summary;
  const before = summary.watermarkBeforeMs ?? summary.backfillFromMs ?? null;
  if (before === null || after === null || after <= before) return 0;
  return after - before;
}

/** {@link watermarkMovedMs} in hours. */
export const watermarkMovedHours = (summary: Moved): number => watermarkMovedMs(summary) / HOUR_MS;

/**
 * Roughly how many more runs a catch-up needs at this run's pace: the hours still behind over the
 * hours this run moved the watermark (review R-ONCALL M1: a summary said "run again to continue"
 * with no hint of how often). Only for a run that stopped on its time budget after moving the
 * watermark: a run that moved nothing gives no pace (the "no progress" failure says why). The
 * newest hour is never closed yet, so it is not counted as left.
 */
export function runsLeftEstimate(summary: Paced): number | undefined {
  if (summary.stoppedEarly !== 'time-budget' || summary.behindByMs === null) return undefined;
  return runsLeftAtPace(summary.behindByMs, watermarkMovedMs(summary));
}

/**
 * Runs left to close the hours `behindMs` holds at `movedMs` of watermark a run; undefined when a
 * run moved nothing (no pace) or no closed hour is left. Status gives it from the last run's record.
 */
export function runsLeftAtPace(behindMs: number, movedMs: number): number | undefined {
  const leftHours = Math.floor(behindMs / HOUR_MS) - 1;
  const moved = movedMs / HOUR_MS;
  if (moved <= 0 || leftHours <= 0) return undefined;
  return Math.ceil(leftHours / moved);
}

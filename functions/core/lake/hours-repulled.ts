import { HOUR_MS } from '../time-units.ts';
import type { CheckpointMarks } from './checkpoint-marks.ts';
import type { FinalitySettings } from './hours-not-final.ts';
import { DEFAULT_LOOKBACK_HOURS, DEFAULT_REPULL_AFTER_HOURS, dueHours } from './later-pull-due.ts';

/**
 * When a run that follows the checkpoint pulls an hour below its watermark again, as the ingest
 * plans it (window-plan.ts, later-pulls.ts): an hour from the one the checkpoint keeps
 * (`retry_from_ms`) on, or of the lookback (`lookbackHours` before the watermark), the next run
 * with an hour to pull (returned as the watermark: due already); an hour due its later pull
 * (later-pull-due.ts), the first such run that starts `repullAfterHours` or more after the hour
 * ended. Undefined for an hour no run goes back for. One rule for `status` (DAMAGED or not) and
 * `verify` (who fills a gap below the watermark), so the two never disagree on an hour.
 */
export type RepullAt = (hourMs: number) => number | undefined;

/**
 * {@link RepullAt} of the checkpoint read (none, or no watermark: no run goes back for any hour).
 * `settings`: the lookback and later pull the last scheduled run recorded (recorded-finality.ts),
 * the ingest's defaults else.
 */
export function repullAt(marks: CheckpointMarks | undefined, settings: FinalitySettings): RepullAt {
  const watermarkMs = marks?.watermarkMs ?? null;
  if (watermarkMs === null) return () => undefined;
  const heldFromMs = marks?.heldFromMs ?? Number.POSITIVE_INFINITY;
  const nextFromMs = Math.min(
    heldFromMs,
    watermarkMs - (settings.lookbackHours ?? DEFAULT_LOOKBACK_HOURS) * HOUR_MS,
  );
  const repullAfterHours = settings.repullAfterHours ?? DEFAULT_REPULL_AFTER_HOURS;
  // With the later pull off (0), no hour is due one.
  const due =
    repullAfterHours === 0 ? new Set<number>() : dueHours(marks?.repull ?? {}, watermarkMs, repullAfterHours);
  return (hourMs) => {
    if (hourMs >= watermarkMs) return undefined;
    if (hourMs >= nextFromMs) return watermarkMs;
    return due.has(hourMs) ? hourMs + HOUR_MS + repullAfterHours * HOUR_MS : undefined;
  };
}

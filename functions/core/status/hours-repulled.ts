import type { Checkpoint } from '../lake/checkpoint.ts';
import type { FinalitySettings } from '../lake/hours-not-final.ts';
import { DEFAULT_LOOKBACK_HOURS, DEFAULT_REPULL_AFTER_HOURS, dueHours } from '../lake/later-pull-due.ts';
import { HOUR_MS } from '../time-units.ts';

/**
 * When a run that follows the checkpoint pulls an hour below its watermark again, as the ingest
 * plans it (window-plan.ts, later-pulls.ts): an hour of the lookback (`lookbackHours` before the
 * watermark), the next run with an hour to pull (returned as the watermark: due already); an hour
 * due its later pull (later-pull-due.ts), the first such run that starts `repullAfterHours` or more
 * after the hour ended. Undefined for an hour no run goes back for. `settings`: the lookback and
 * later pull the last scheduled run recorded (recorded-finality.ts), the ingest's defaults else.
 */
export type RepullAt = (hourMs: number) => number | undefined;

/** {@link RepullAt} of the checkpoint read (none: no run goes back for any hour). */
export function repullAt(checkpoint: Checkpoint | undefined, settings: FinalitySettings): RepullAt {
  if (checkpoint === undefined) return () => undefined;
  const watermarkMs = checkpoint.watermark_ms;
  const lookbackFromMs = watermarkMs - (settings.lookbackHours ?? DEFAULT_LOOKBACK_HOURS) * HOUR_MS;
  const repullAfterHours = settings.repullAfterHours ?? DEFAULT_REPULL_AFTER_HOURS;
  // With the later pull off (0), no hour is due one.
  const due =
    repullAfterHours === 0 ? new Set<number>() : dueHours(checkpoint, watermarkMs, repullAfterHours);
  return (hourMs) => {
    if (hourMs >= watermarkMs) return undefined;
    if (hourMs >= lookbackFromMs) return watermarkMs;
    return due.has(hourMs) ? hourMs + HOUR_MS + repullAfterHours * HOUR_MS : undefined;
  };
}

import { HOUR_MS } from '../time-units.ts';
import { DEFAULT_LAG_HOURS, overLagThreshold } from './lag-threshold.ts';
import type { HourRange } from './verify-range.ts';

/**
 * A check that runs on to the lake's end, of a lake whose ingest is behind: only what the lake
 * holds is checked, so the hours no ingest has pulled are neither gaps nor checked. A pass must say
 * so, or a stalled ingest passes the routine check silently. It does not fail the check: the lag
 * has its own alarm, and `status` its own verdict.
 */
export interface IngestBehind {
  watermarkMs: number;
  /** The check's clock minus the watermark. */
  behindMs: number;
  /** The lag threshold it was judged by, in hours (the lag alarm's default). */
  lagHours: number;
  /** Over {@link lagHours}: the instance `status` calls late. */
  late: boolean;
  /** The range starts at or after the watermark: the scheduled ingest has pulled none of its hours. */
  rangeAfterWatermark: boolean;
  /**
   * The check reached past the watermark, to `toMs` (the last covered hour's end): hours a re-pull
   * (`ingest --from/--to`) stored while the watermark stayed, which were checked like any other.
   * Absent when it ended at or before the watermark (review R-SECOND5 L2: the caveat called
   * such hours "not checked" after "hours covered: 48 of 48").
   */
  checkedPastWatermark?: { toMs: number; hours: number };
}

/**
 * What to say of the ingest's lag under a check of `range` ending where the lake ends, at `nowMs`
 * (`checkedToMs`: the end of the hours the check read, the last covered hour's or the watermark);
 * undefined when there is nothing to say (no watermark, a range-only lake, or one within its lag
 * with hours before its watermark checked).
 */
export function ingestBehind(
  watermarkMs: number | null,
  range: HourRange | undefined,
  nowMs: number,
  lagHours = DEFAULT_LAG_HOURS,
  checkedToMs: number | null = null,
): IngestBehind | undefined {
  if (watermarkMs === null) return undefined;
  const behindMs = Math.max(0, nowMs - watermarkMs);
  const late = overLagThreshold(behindMs, lagHours);
  const rangeAfterWatermark = range !== undefined && range.fromMs >= watermarkMs;
  if (!late && !rangeAfterWatermark) return undefined;
  const behind = { watermarkMs, behindMs, lagHours, late, rangeAfterWatermark };
  if (checkedToMs === null || checkedToMs <= watermarkMs) return behind;
  const hours = Math.round((checkedToMs - Math.max(watermarkMs, range?.fromMs ?? watermarkMs)) / HOUR_MS);
  return hours > 0 ? { ...behind, checkedPastWatermark: { toMs: checkedToMs, hours } } : behind;
}

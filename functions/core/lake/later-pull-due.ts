import { HOUR_MS } from '../time-units.ts';
import type { RepullFields } from './checkpoint.ts';

/**
 * Hours after its end that the schedule pulls an hour once more (the ingest's `repullAfterHours`
 * default): here, not in the ingest's settings, so that verify judges which hours are final by
 * the same number without importing the ingest.
 */
export const DEFAULT_REPULL_AFTER_HOURS = 24;

/** Hours before its watermark each scheduled run pulls again (the ingest's `lookbackHours` default). */
export const DEFAULT_LOOKBACK_HOURS = 2;

/**
 * The hours due their later pull as the checkpoint names them before `watermarkMs`: from
 * `repull_from_ms` (absent: the watermark − R) up to the watermark, but the `repull_done` ranges.
 * One definition for the ingest, which pulls them (later-pulls.ts), and verify, which says they are
 * not final yet (hours-not-final.ts).
 */
export function dueHours(
  read: RepullFields,
  watermarkMs: number,
  repullAfterHours: number,
  reachFromMs = Number.NEGATIVE_INFINITY,
): Set<number> {
  const due = new Set<number>();
  const fromMs = read.repull_from_ms ?? watermarkMs - repullAfterHours * HOUR_MS;
  const done = read.repull_from_ms === undefined ? [] : (read.repull_done ?? []);
  for (let hour = Math.max(fromMs, reachFromMs); hour < watermarkMs; hour += HOUR_MS) {
    if (!done.some(([from, to]) => hour >= from && hour < to)) due.add(hour);
  }
  return due;
}

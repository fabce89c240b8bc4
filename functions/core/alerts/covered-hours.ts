/**
 * Which hours of a lake without an ingest checkpoint (one that only range pulls wrote) an alerts
 * run may judge: those with a coverage manifest, each proof that its hour was pulled whole. With a
 * checkpoint the watermark says it of every hour before it; without one, only the manifests do.
 */
import { coveredHourSet, extentOf } from '../lake/coverage.ts';
import { HOUR_MS } from '../lake/layout.ts';
import type { ObjectStore } from '../ports.ts';

/** Hours `[fromMs, toMs)`, whole UTC hours. */
export interface HourSpan {
  fromMs: number;
  toMs: number;
}

/** The hours a lake holds coverage manifests for: its first covered hour to the end of its last. */
export interface CoveredHours extends HourSpan {
  /** The start of every covered hour: fewer than the span's hours when some are not covered. */
  hours: ReadonlySet<number>;
}

/**
 * The instance's covered hours before `beforeMs` (the hours not begun are left out: a manifest
 * there is forged, and must not stretch the run into the future), or undefined when it has none.
 */
export async function coveredHours(
  store: ObjectStore,
  instance: string,
  beforeMs: number,
): Promise<CoveredHours | undefined> {
  const hours = await coveredHourSet(store, instance, beforeMs);
  const extent = extentOf(hours);
  return extent === null ? undefined : { fromMs: extent.fromMs, toMs: extent.toMs, hours };
}

/** The spans of hours within `[fromMs, toMs)` that `covered` does not cover, oldest first. */
export function uncoveredSpans(covered: CoveredHours, fromMs: number, toMs: number): HourSpan[] {
  const spans: HourSpan[] = [];
  let open: number | undefined;
  for (let hour = fromMs; hour < toMs; hour += HOUR_MS) {
    if (!covered.hours.has(hour)) open ??= hour;
    else if (open !== undefined) {
      spans.push({ fromMs: open, toMs: hour });
      open = undefined;
    }
  }
  if (open !== undefined) spans.push({ fromMs: open, toMs });
  return spans;
}

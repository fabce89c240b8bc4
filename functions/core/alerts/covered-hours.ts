/**
 * Which hours of a lake without an ingest checkpoint (one that only range pulls wrote) an alerts
 * run may judge: those with a coverage manifest, each proof that its hour was pulled whole. With a
 * checkpoint the watermark says it of every hour before it; without one, only the manifests do.
 */
import { coveredHourSet, extentOf } from '../lake/coverage.ts';
import type { ObjectStore } from '../ports.ts';
import { HOUR_MS } from '../time-units.ts';

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

/**
 * The spans of hours within `[fromMs, toMs)` that `covered` does not cover, oldest first. Walks the
 * covered hours, not the span's: a span of years (an early `--since`, a stray manifest) costs no
 * more than the manifests do.
 */
export function uncoveredSpans(covered: CoveredHours, fromMs: number, toMs: number): HourSpan[] {
  const inside = [...covered.hours].filter((hour) => hour >= fromMs && hour < toMs).sort((a, b) => a - b);
  const spans: HourSpan[] = [];
  let cursor = fromMs;
  for (const hour of inside) {
    if (hour > cursor) spans.push({ fromMs: cursor, toMs: hour });
    cursor = hour + HOUR_MS;
  }
  if (cursor < toMs) spans.push({ fromMs: cursor, toMs });
  return spans;
}

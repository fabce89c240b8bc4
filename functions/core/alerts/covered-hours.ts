/**
 * Which hours of a lake without an ingest checkpoint (one that only range pulls wrote) an alerts
 * run may judge: those with a coverage manifest, each proof that its hour was pulled whole. With a
 * checkpoint the watermark says it of every hour before it; without one, only the manifests do.
 */
import { HOUR_MS, tableInstancePrefix, windowStartFromKey } from '../lake/layout.ts';
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
 * The instance's covered hours, or undefined when it has no manifest. Lists keys only (a thousand
 * to a listing on S3) and reads none: a manifest is written once its hour is pulled whole.
 */
export async function coveredHours(store: ObjectStore, instance: string): Promise<CoveredHours | undefined> {
  const hours = new Set<number>();
  let fromMs = Number.POSITIVE_INFINITY;
  let lastMs = Number.NEGATIVE_INFINITY;
  for await (const key of store.list(tableInstancePrefix('coverage', instance))) {
    const hour = windowStartFromKey(key);
    if (hour === undefined) continue;
    hours.add(hour);
    fromMs = Math.min(fromMs, hour);
    lastMs = Math.max(lastMs, hour);
  }
  return hours.size === 0 ? undefined : { fromMs, toMs: lastMs + HOUR_MS, hours };
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

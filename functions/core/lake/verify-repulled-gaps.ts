import { HOUR_MS } from '../time-units.ts';
import type { RepullAt } from './hours-repulled.ts';
import { namedAfterWritten, type SkippedHours, skippedSpanOf } from './skipped-hours.ts';
import type { VerifyReport } from './verify-report.ts';

/** Hours a report lists of those the note names but does not excuse (the count says them all). */
const SKIP_HOURS_LISTED = 24;

/**
 * Notes in {@link VerifyReport.repulledBelowWatermark} the hours of the gaps below the watermark (in
 * the lake: those before its first hour have their own line) that a run following the checkpoint
 * pulls again, by `status`'s rule (hours-repulled.ts): the two commands say the same of each hour.
 * They stay gaps (the lake does not hold them now); who fills them, and by when, is what changes.
 * `storedOnce`: which of the hours the note names the digest chain says were stored
 * (skipped-hours-stored.ts), which are then no skip.
 */
export async function noteRepulledGaps(
  report: VerifyReport,
  repullAt: RepullAt,
  skipped?: SkippedHours,
  storedOnce: (hoursMs: number[]) => Promise<ReadonlySet<number>> = async () => new Set(),
): Promise<void> {
  const watermarkMs = report.watermarkMs;
  if (watermarkMs === null) return;
  let hourCount = 0;
  let lastFromMs = Number.NEGATIVE_INFINITY;
  const named: number[] = [];
  const afterWritten: number[] = [];
  for (const hourMs of gapHoursBelow(report, watermarkMs)) {
    const at = repullAt(hourMs);
    if (at !== undefined) {
      hourCount++;
      lastFromMs = Math.max(lastFromMs, at);
    } else if (skippedSpanOf(skipped, hourMs) !== undefined) named.push(hourMs);
    else if (namedAfterWritten(skipped, hourMs)) afterWritten.push(hourMs);
  }
  if (hourCount > 0) report.repulledBelowWatermark = { hourCount, lastFromMs };
  if (afterWritten.length > 0) report.skippedAfterWritten = listed(afterWritten);
  noteSkipped(report, skipped, named, await storedOnce(named));
}

/**
 * Counts the hours no run goes back for that the operator's note names as skipped on purpose
 * (`status`'s rule too, skipped-hours.ts), and lists apart those the chain says were stored once.
 */
function noteSkipped(
  report: VerifyReport,
  skipped: SkippedHours | undefined,
  named: readonly number[],
  stored: ReadonlySet<number>,
): void {
  const reasons = new Set<string>();
  let hourCount = 0;
  const storedHours: number[] = [];
  for (const hourMs of named) {
    if (stored.has(hourMs)) {
      storedHours.push(hourMs);
      continue;
    }
    hourCount++;
    const reason = skippedSpanOf(skipped, hourMs)?.reason ?? '';
    if (reason !== '') reasons.add(reason);
  }
  if (hourCount > 0) report.skippedBelowWatermark = { hourCount, reasons: [...reasons] };
  if (storedHours.length > 0) report.skippedButStored = listed(storedHours);
}

/** Hours as a report lists them: how many, and the first {@link SKIP_HOURS_LISTED}. */
const listed = (hours: readonly number[]) => ({
  hourCount: hours.length,
  hours: hours.slice(0, SKIP_HOURS_LISTED),
});

/** The hours of the report's gaps below `watermarkMs`, in the lake (not before its first hour). */
function* gapHoursBelow(report: VerifyReport, watermarkMs: number): Generator<number> {
  const lakeFromMs = report.beforeLake?.lakeFromMs ?? Number.NEGATIVE_INFINITY;
  for (const gap of report.gaps) {
    const toMs = Math.min(gap.toMs, watermarkMs);
    for (let hourMs = Math.max(gap.fromMs, lakeFromMs); hourMs < toMs; hourMs += HOUR_MS) yield hourMs;
  }
}

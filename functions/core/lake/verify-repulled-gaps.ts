import { HOUR_MS } from '../time-units.ts';
import type { RepullAt } from './hours-repulled.ts';
import { type SkippedHours, skippedSpanOf } from './skipped-hours.ts';
import type { VerifyReport } from './verify-report.ts';

/**
 * Notes in {@link VerifyReport.repulledBelowWatermark} the hours of the gaps below the watermark (in
 * the lake: those before its first hour have their own line) that a run following the checkpoint
 * pulls again, by `status`'s rule (hours-repulled.ts): the two commands say the same of each hour.
 * They stay gaps (the lake does not hold them now); who fills them, and by when, is what changes.
 */
export function noteRepulledGaps(report: VerifyReport, repullAt: RepullAt, skipped?: SkippedHours): void {
  const watermarkMs = report.watermarkMs;
  if (watermarkMs === null) return;
  const lakeFromMs = report.beforeLake?.lakeFromMs ?? Number.NEGATIVE_INFINITY;
  let hourCount = 0;
  let lastFromMs = Number.NEGATIVE_INFINITY;
  const onPurpose = { hourCount: 0, reasons: new Set<string>() };
  for (const gap of report.gaps) {
    const toMs = Math.min(gap.toMs, watermarkMs);
    for (let hourMs = Math.max(gap.fromMs, lakeFromMs); hourMs < toMs; hourMs += HOUR_MS) {
      const at = repullAt(hourMs);
      if (at === undefined) {
        noteSkipped(onPurpose, skippedSpanOf(skipped, hourMs));
        continue;
      }
      hourCount++;
      lastFromMs = Math.max(lastFromMs, at);
    }
  }
  if (hourCount > 0) report.repulledBelowWatermark = { hourCount, lastFromMs };
  if (onPurpose.hourCount > 0)
    report.skippedBelowWatermark = { hourCount: onPurpose.hourCount, reasons: [...onPurpose.reasons] };
}

/**
 * Counts an hour no run goes back for that the operator's note names as skipped on purpose
 * (`status`'s rule too, skipped-hours.ts).
 */
function noteSkipped(
  onPurpose: { hourCount: number; reasons: Set<string> },
  span: ReturnType<typeof skippedSpanOf>,
): void {
  if (span === undefined) return;
  onPurpose.hourCount++;
  if (span.reason !== '') onPurpose.reasons.add(span.reason);
}

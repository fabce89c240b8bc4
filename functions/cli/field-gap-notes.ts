import { fieldGapWords, mostlyMissing } from '../core/lake/field-gap-tally.ts';
import { judgedHoursLabel } from '../core/lake/hour-shape-judgement.ts';
import type { VerifyReport } from '../core/lake/verify-report.ts';
import type { InstanceStatus } from '../core/status/instance-status.ts';
import { utcHourLabel } from './utc-hour-label.ts';

/**
 * status's note when an hour of the last 24 was judged of a changed entry shape, as the ingest
 * judged it (core/lake/hour-shape-judgement.ts): a field Domo renamed leaves its column empty and
 * nothing quarantined, so lag, outcome and quarantine all read fine. Undefined when none was.
 */
export function fieldGapStatusNote(
  instance: string,
  changed: InstanceStatus['shapeChanged'],
): string | undefined {
  if (!changed) return undefined;
  const { windowStartMs, changedHours, sums } = changed;
  const lacking = mostlyMissing(sums.entriesRead, sums.missing);
  const more = changedHours > 1 ? ` (and ${changedHours - 1} more hour(s) like it)` : '';
  return `${instance}: last 24 h: entries of ${judgedHoursLabel(sums.hours, utcHourLabel(windowStartMs))}${more}: ${fieldGapWords(sums.entriesRead, lacking, sums.unread)}: Domo's entry shape may have changed (a field renamed or nested), and the columns those fields fill are empty; the events are stored, their raw holds the entry: see docs/ingest.md, section "Fields an hour's entries lack"`;
}

/**
 * verify's lines for the hours whose entries mostly lack a watched field: a warning, not a
 * failure (the events are stored as served), naming the hour, the fields and the unread keys.
 */
export function fieldGapVerifyLines(r: VerifyReport, hour: (ms: number) => string): string[] {
  const gaps = r.fieldGaps;
  if (gaps === undefined) return [];
  const lines = gaps.listed.map(
    (g) =>
      `  warning: entries of ${judgedHoursLabel(g.hours ?? 1, hour(g.windowStartMs))}: ${fieldGapWords(g.entriesRead, g.missing, g.unread)}`,
  );
  const more = gaps.count - gaps.listed.length;
  if (more > 0) lines.push(`  ... and ${more} more hour(s) like these`);
  lines.push(
    `  ${gaps.count} hour(s) whose entries mostly lack a field the tables read: Domo's entry shape may have changed (a field renamed or nested), and the columns those fields fill are empty; not a failure (the events are stored, their raw holds the entry), see docs/ingest.md, section "Fields an hour's entries lack"`,
  );
  return lines;
}

/**
 * verify's lines for the hours whose identical twins look like rows served twice: a warning, not a
 * failure (twins are stored as distinct events by design).
 */
export function twinVerifyLines(r: VerifyReport, hour: (ms: number) => string): string[] {
  const twins = r.twinHours;
  if (twins === undefined) return [];
  const lines = twins.listed.map(
    (t) =>
      `  warning: ${hour(t.windowStartMs)}: ${t.twins} of its ${t.events} events are identical twins of another${t.twins * 2 === t.events ? ' (every event paired)' : ''}`,
  );
  const more = twins.count - twins.listed.length;
  if (more > 0) lines.push(`  ... and ${more} more hour(s) like these`);
  lines.push(
    `  ${twins.count} hour(s) with more identical twins than bulk actions make: Domo may be serving rows twice, which doubles those hours' counts; not a failure (twins are stored as distinct events by design), see docs/ingest.md, section "Event ids, identical twins and merging"`,
  );
  return lines;
}

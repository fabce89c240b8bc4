import type { IngestSummary } from '../core/ingest/ingest-types.ts';
import { lakeTimestamp } from '../core/lake/layout.ts';
import { HOUR_MS } from '../core/time-units.ts';
import { visibleLine } from '../core/visible-line.ts';

type ClosedRun = NonNullable<IngestSummary['closedRuns']>[number];

const at = (ms: number): string => lakeTimestamp(ms).slice(0, 16).replace('T', ' ');

const counted = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

/** A closed run's hours: how many and which, or that its digests gave no bound. */
function hoursOf(run: ClosedRun): string {
  if (run.fromMs === null) return 'hours of no known bounds';
  if (run.toMs === null) return `hours from ${at(run.fromMs)} UTC on`;
  const hours = Math.max(0, Math.ceil((run.toMs - run.fromMs) / HOUR_MS));
  return `${counted(hours, 'hour')}, ${at(run.fromMs)} .. ${at(run.toMs)} UTC`;
}

const runClause = (run: ClosedRun): string =>
  `run ${visibleLine(run.runId)} (${counted(run.digests, 'digest')}, ${hoursOf(run)})`;

/**
 * The summary's line for the runs a run's seal closed: a run killed (or that ended unsure of a
 * write) left the digest chain open, and this run read its hours and sealed. Worth a line: it says
 * a run died, and why `verify --integrity` passes again. Undefined when it closed none.
 */
export function closedRunsLine(summary: IngestSummary): string | undefined {
  const runs = summary.closedRuns ?? [];
  if (runs.length === 0) return undefined;
  return `  digest chain: sealed, closing ${runs.map(runClause).join(', ')} that never sealed (killed, or still running then, or unsure of a write): what it may have left in those hours was read and recorded`;
}

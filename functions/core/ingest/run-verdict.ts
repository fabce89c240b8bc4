import type { IngestSummary } from './ingest-types.ts';
import { runOutcome } from './record-last-run.ts';

/**
 * Whether an ingest run failed: hours failed, or a fatal error stopped it. The one verdict the
 * Lambda (which throws, so the invocation fails and is retried), the command line (its exit
 * status) and the run record share, so they cannot disagree on a run (review R-SHAPE3 M1: the
 * handler held a copy of the rule, the command a narrower one).
 */
export const runFailed = (summary: IngestSummary): boolean => runOutcome(summary) === 'failed';

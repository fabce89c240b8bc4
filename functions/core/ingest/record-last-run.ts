import {
  FAILURE_CHARS,
  type LastRun,
  type RunOutcome,
  type RunTrigger,
  recordedSettingsOf,
  writeLastRun,
} from '../lake/last-run.ts';
import type { ObjectStore } from '../ports.ts';
import { watermarkMovedMs } from './catch-up-pace.ts';
import type { IngestSummary } from './ingest-types.ts';

/**
 * ok: every planned hour done; stopped-early: out of time or interrupted, the next run continues;
 * failed: hours failed.
 */
export function runOutcome(summary: IngestSummary): RunOutcome {
  if (summary.failures.length > 0 || summary.stoppedEarly === 'fatal-error') return 'failed';
  return summary.stoppedEarly === null ? 'ok' : 'stopped-early';
}

export function lastRunOf(
  summary: IngestSummary,
  finishedAtMs: number,
  trigger?: RunTrigger,
  maxDays?: number | null,
): LastRun {
  return {
    version: 1,
    instance: summary.instance,
    run_id: summary.runId,
    mode: summary.mode,
    finished_at: new Date(finishedAtMs).toISOString(),
    finished_at_ms: finishedAtMs,
    outcome: runOutcome(summary),
    hours_done: summary.windowsDone,
    hours_failed: summary.windowsFailed,
    events_written: summary.eventsWritten,
    quarantined: summary.quarantined,
    watermark_ms: summary.watermarkAfterMs,
    first_failure: summary.failures[0]?.message.slice(0, FAILURE_CHARS) ?? null,
    ...recordedSettingsOf(summary),
    ...(trigger ? { trigger } : {}),
    ...(maxDays === undefined ? {} : { max_days: maxDays }),
    ...(summary.digestHead === undefined ? {} : { digest_head: summary.digestHead }),
    ...laterPullsOf(summary),
    ...watermarkMovedOf(summary),
    ...(summary.quarantineReasons ? { quarantine_reasons: summary.quarantineReasons } : {}),
  };
}

/**
 * How far the run moved the watermark, when it had one after and one before, or began a backfill
 * without one (checkpoint mode): status's estimate of the runs left reads it.
 */
function watermarkMovedOf(summary: IngestSummary): Pick<LastRun, 'watermark_moved_ms'> {
  const before = summary.watermarkBeforeMs ?? summary.backfillFromMs ?? null;
  if (before === null || summary.watermarkAfterMs === null) return {};
  return { watermark_moved_ms: watermarkMovedMs(summary) };
}

/** The run's later pulls for its record, when it planned some or leaves some due. */
function laterPullsOf(summary: IngestSummary): Pick<LastRun, 'later_pulls'> {
  const later = summary.laterPulls;
  if (!later || (later.planned === 0 && later.dueFromMs === null)) return {};
  return {
    later_pulls: {
      done: later.done,
      given_up: later.givenUp,
      left: later.left,
      due_from_ms: later.dueFromMs,
    },
  };
}

/**
 * Records a finished run, a note for people that ingest never reads. The entry points call it
 * through {@link noteRunForStatus}, which decides whether the run leaves one. Written conditionally like everything else the ingest writes (the deployed
 * bucket refuses the ingest role any other put): of two runs that overlap, the one that finished
 * later keeps its note, whichever writes last. A record a newer version of this project wrote
 * (a rolled-back deployment beside it) is left as it is.
 */
export async function recordLastRun(
  store: ObjectStore,
  summary: IngestSummary,
  finishedAtMs: number,
  trigger?: RunTrigger,
  maxDays?: number | null,
): Promise<void> {
  await writeLastRun(store, lastRunOf(summary, finishedAtMs, trigger, maxDays));
}

/** A run as it ended, for {@link leavesStatusNote}. */
export interface EndedRun {
  summary: IngestSummary;
  /** Whether it failed or was interrupted (stopped before its plan's end). */
  stopped: boolean;
  /** Whether the run made the lake it wrote to (its entry point removes it again when empty). */
  lakeMadeNow: boolean;
}

/**
 * Whether a run leaves a note for `status`, the one rule every entry point follows: a checkpoint
 * (scheduled) run does, failed and stopped ones included; an explicit re-pull of a range leaves
 * `state/` alone; a first run that made its lake and stopped before storing anything leaves none,
 * since that lake is removed again.
 */
export const leavesStatusNote = (run: EndedRun): boolean =>
  run.summary.mode === 'checkpoint' && !(run.lakeMadeNow && run.stopped && storedNothing(run.summary));

const storedNothing = (summary: IngestSummary): boolean =>
  summary.windowsDone === 0 && summary.eventsWritten === 0 && summary.quarantined === 0;

/**
 * Records the run's note when {@link leavesStatusNote} says it leaves one; whether it did. Errors
 * of the write are the caller's to word (the run's result stands without its note).
 */
export async function noteRunForStatus(
  store: ObjectStore,
  run: EndedRun,
  finishedAtMs: number,
  trigger?: RunTrigger,
  // The deployment's retention.maxDays (null: none); left out by runs that do not know it.
  maxDays?: number | null,
): Promise<boolean> {
  if (!leavesStatusNote(run)) return false;
  await recordLastRun(store, run.summary, finishedAtMs, trigger, maxDays);
  return true;
}

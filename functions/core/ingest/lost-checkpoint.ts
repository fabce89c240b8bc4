import { type LastRun, readLastRun } from '../lake/last-run.ts';
import { checkpointKey } from '../lake/layout.ts';
import type { Log, ObjectStore } from '../ports.ts';
import type { CheckpointMissing, IngestSummary } from './ingest-types.ts';
import type { RunPlan } from './run-plan.ts';

/**
 * The missing checkpoint, when the run record shows one was there (logged as a warning);
 * undefined otherwise.
 */
export async function checkpointMissingOf(
  store: ObjectStore,
  log: Log,
  instance: string,
  plan: RunPlan,
): Promise<CheckpointMissing | undefined> {
  if (plan.mode !== 'checkpoint' || plan.checkpoint !== undefined) return undefined;
  // An unreadable record is the run record's own matter (status says so): no word here.
  const recorded = watermarkRecordedBy(await readLastRun(store, instance).catch(() => undefined));
  if (recorded === undefined) return undefined;
  const missing = { ...recorded, planFromMs: plan.firstMs };
  warnCheckpointMissing(log, instance, plan, missing);
  return missing;
}

/**
 * The watermark the last run record names, and its run: what a checkpoint that is not there held
 * (the ingest's rule and status's). Undefined without a record, or when its run saved no hour.
 */
export function watermarkRecordedBy(
  last: LastRun | null | undefined,
): { runId: string; watermarkMs: number } | undefined {
  const watermarkMs = last?.watermark_ms;
  if (!last || watermarkMs === null || watermarkMs === undefined) return undefined;
  return { runId: last.run_id, watermarkMs };
}

/** The run's summary, with the missing checkpoint when there was one. */
export const withCheckpointMissing = (
  summary: IngestSummary,
  missing: CheckpointMissing | undefined,
): IngestSummary => (missing ? { ...summary, checkpointMissing: missing } : summary);

/** The warning logged for it (the command line adds its own line to the summary). */
function warnCheckpointMissing(log: Log, instance: string, plan: RunPlan, missing: CheckpointMissing): void {
  log.warn(
    `no checkpoint ${checkpointKey(instance)}, though run ${missing.runId} left the watermark at ` +
      `${new Date(missing.watermarkMs).toISOString()}: it was deleted or lost, so this run plans as a first ` +
      `run, from ${new Date(plan.firstMs).toISOString()}, and pulls again the hours before the old watermark ` +
      '(merged into those stored, never duplicated)' +
      (missing.watermarkMs < plan.firstMs
        ? `, but not those from the old watermark to ${new Date(plan.firstMs).toISOString()}, before the backfill: re-pull them as a range`
        : '') +
      '. Not reset on purpose: restore its previous version (docs/operations.md, "Recovery")',
    { instance, lastRunId: missing.runId, lastWatermarkMs: missing.watermarkMs, planFromMs: plan.firstMs },
  );
}

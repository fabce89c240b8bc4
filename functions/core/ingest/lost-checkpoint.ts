import { firstCoveredHour } from '../lake/coverage.ts';
import { type LastRun, lastRunKey, readLastRun } from '../lake/last-run.ts';
import { checkpointKey } from '../lake/layout.ts';
import { scheduledRunBegun } from '../lake/scheduled-run-begun.ts';
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
  const last = await readLastRun(store, instance).catch(() => null);
  const recorded = watermarkRecordedBy(last);
  if (last === undefined) await warnIfStateLost(store, log, instance, plan);
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

/**
 * The first hour the lake holds when neither the checkpoint nor the run record is there, while the
 * digest chain shows a run that followed the checkpoint: both were deleted or lost together (a
 * restore that left `state/` out), which {@link watermarkRecordedBy} cannot tell (review CHAIN2),
 * unless the schedule's first run died before saving an hour after ranges or hours of its own.
 * Undefined when the chain shows no such run, or the lake holds no hour. A LIST page, and the
 * chain's head when it holds one (status reads the same from its own listing: instance-status.ts).
 */
async function heldWithoutState(store: ObjectStore, instance: string): Promise<number | undefined> {
  // The chain is read only for a lake that holds hours: a first run's costs one LIST more.
  const firstMs = await firstCoveredHour(store, instance);
  return firstMs !== undefined && (await scheduledRunBegun(store, instance)) ? firstMs : undefined;
}

/** Warns when the checkpoint and the run record are lost together ({@link heldWithoutState}). */
async function warnIfStateLost(store: ObjectStore, log: Log, instance: string, plan: RunPlan) {
  // A read that fails tells nothing: the run goes on as it would.
  const firstMs = await heldWithoutState(store, instance).catch(() => undefined);
  if (firstMs === undefined) return;
  log.warn(
    `no checkpoint ${checkpointKey(instance)} and no run record ${lastRunKey(instance)}, though the digest ` +
      `chain shows a run that followed the checkpoint and the lake holds hours from ${new Date(firstMs).toISOString()}: ` +
      'both were deleted or lost together (a restore that left state/ out), unless the first scheduled run ' +
      `died before it saved an hour. This run plans as a first run, from ${new Date(plan.firstMs).toISOString()}, ` +
      'and pulls again the hours from there (merged into those stored, never duplicated). Not reset on ' +
      'purpose: restore their previous versions (docs/operations.md, "Recovery")',
    { instance, firstHeldMs: firstMs, planFromMs: plan.firstMs },
  );
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

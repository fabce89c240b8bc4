import { afterEach, describe, expect, it } from 'vitest';
import { describe as describeRun } from '../../../functions/cli/commands/ingest.ts';
import { recordLastRun } from '../../../functions/core/ingest/record-last-run.ts';
import { readCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { readLastRun } from '../../../functions/core/lake/last-run.ts';
import { checkpointKey } from '../../../functions/core/lake/layout.ts';
import { verifyWithIntegrity } from '../../../functions/core/lake/verify-with-integrity.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { closeChainLakeSimulator, scheduledRun, sixHourLake } from '../../support/chain-lake.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

// Review DR (the SRE's recovery plan): a checkpoint deleted or lost made the next scheduled run
// plan as a first run, re-pulling the backfill's hours, and its summary read as a first run's
// ("watermark: was none"): nothing said the lake had a checkpoint a moment ago.

afterEach(closeChainLakeSimulator);

describe('a scheduled run that finds the checkpoint gone though runs recorded a watermark', () => {
  it('says so in its summary, naming the run and the watermark it left', async () => {
    const { store, now } = await sixHourLake();
    // The run record every caller writes at a run's end (the CLI, the function).
    const recorded = await scheduledRun(store, now.ms);
    await recordLastRun(store, recorded, now.ms);
    const before = await readCheckpoint(store, 'acme');
    const lastRun = await readLastRun(store, 'acme');
    expect(lastRun?.watermark_ms).toBe(before?.checkpoint.watermark_ms);
    store.objects.delete(checkpointKey('acme'));

    const summary = await scheduledRun(store, now.ms);

    expect(summary.outcome).toBe('complete');
    expect(summary.checkpointMissing).toEqual({
      runId: lastRun?.run_id,
      watermarkMs: before?.checkpoint.watermark_ms,
      planFromMs: expect.any(Number),
    });
    expect(summary.checkpointMissing?.planFromMs).toBeLessThan(before?.checkpoint.watermark_ms ?? 0);
    const text = describeRun(summary, 'lake', 0);
    expect(text).toContain(`warning: no checkpoint, though run ${lastRun?.run_id} left the watermark at`);
    expect(text).toContain('never duplicated');
    expect(text).not.toContain('before the backfill');
    // The recovery docs/operations.md ("Recovery") promises: nothing duplicated, the chain whole.
    const report = await verifyWithIntegrity(store, 'acme', undefined);
    expect(report.duplicateIds).toBe(0);
    expect(report.integrity?.problems).toEqual([]);
  });

  it("names the range to pull when the old watermark lies before the backfill's start", async () => {
    const { store, now } = await sixHourLake();
    await recordLastRun(store, await scheduledRun(store, now.ms), now.ms);
    store.objects.delete(checkpointKey('acme'));
    const summary = await scheduledRun(store, now.ms);
    const missing = summary.checkpointMissing;
    if (!missing) throw new Error('expected the missing checkpoint');
    // A lake left behind for longer than the backfill: its watermark a day before the plan's start.
    const behind = { ...missing, watermarkMs: missing.planFromMs - 24 * HOUR_MS };
    const text = describeRun({ ...summary, checkpointMissing: behind }, 'lake', 0);
    expect(text).toContain(
      `but not those before the backfill's start: pull them with --from ${new Date(behind.watermarkMs).toISOString().replace('.000Z', 'Z')} --to ${new Date(missing.planFromMs).toISOString().replace('.000Z', 'Z')}`,
    );
  });

  it('says nothing on a first run, nor on a run that has its checkpoint', async () => {
    const { store, now } = await sixHourLake();
    await recordLastRun(store, await scheduledRun(store, now.ms), now.ms);
    const next = await scheduledRun(store, now.ms);
    expect(next.checkpointMissing).toBeUndefined();
    const first = await scheduledRun(new MemoryObjectStore(), now.ms);
    expect(first.outcome).toBe('complete');
    expect(first.checkpointMissing).toBeUndefined();
    expect(describeRun(first, 'lake', 0)).not.toContain('no checkpoint');
  });
});

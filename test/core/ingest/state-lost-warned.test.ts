import { afterEach, describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { recordLastRun } from '../../../functions/core/ingest/record-last-run.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { lastRunKey } from '../../../functions/core/lake/last-run.ts';
import { checkpointKey } from '../../../functions/core/lake/layout.ts';
import { DAY_MS, floorHour, HOUR_MS } from '../../../functions/core/time-units.ts';
import { closeChainLakeSimulator, scheduledRun, sixHourLake } from '../../support/chain-lake.ts';
import { MemoryAuditSource } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';
import { recordingLog } from '../../support/recording-log.ts';

// Review CHAIN2: the ingest warns of a checkpoint lost when the run record names the watermark it
// held (lost-checkpoint.ts). With the run record lost too (a restore that left state/ out), the
// next run planned as a first run and said nothing: the digest chain still shows the schedule ran.

afterEach(closeChainLakeSimulator);

/**
 * The warnings a scheduled run on `store` at `nowMs` logs (its Domo: none, quiet). The warning is
 * the plan's, before any hour is pulled; a backfill of a day rather than the default 90 spares each
 * first run 2,000 empty hours stored to the lake.
 */
async function warningsOfRun(store: MemoryObjectStore, nowMs: number) {
  const { log, logged } = recordingLog();
  await runIngest(
    { ...quietIngestDeps(new MemoryAuditSource([]), store, nowMs), log },
    { ...defaultIngestConfig('acme'), backfillDays: 1 },
  );
  return (logged as [string, string][]).filter(([level]) => level === 'warn').map(([, message]) => message);
}

describe('a scheduled run that finds the checkpoint and the run record gone', () => {
  it('warns that both were lost, from the chain and the hours held', async () => {
    const { store, now } = await sixHourLake();
    await recordLastRun(store, await scheduledRun(store, now.ms), now.ms);
    store.objects.delete(checkpointKey('acme'));
    store.objects.delete(lastRunKey('acme'));
    const warned = (await warningsOfRun(store, now.ms)).join('\n');
    expect(warned).toContain(
      'no checkpoint state/instance=acme/checkpoint.json and no run record state/instance=acme/last-run.json, though the digest chain shows a run that followed the checkpoint and the lake holds hours from',
    );
    expect(warned).toContain('restore their previous versions (docs/operations.md, "Recovery")');
  });

  it('says nothing with the record there, on a first run, or after ranges only', async () => {
    const { store, now } = await sixHourLake();
    await recordLastRun(store, await scheduledRun(store, now.ms), now.ms);
    expect((await warningsOfRun(store, now.ms)).join('\n')).not.toContain('no run record');
    store.objects.delete(checkpointKey('acme'));
    // The record names the watermark: the warning of lost-checkpoint-warned.test.ts, not this one.
    expect((await warningsOfRun(store, now.ms)).join('\n')).not.toContain('no run record');
    const rangesOnly = new MemoryObjectStore();
    await runIngest(
      quietIngestDeps(new MemoryAuditSource([]), rangesOnly, now.ms),
      defaultIngestConfig('acme'),
      {
        range: { fromMs: floorHour(now.ms) - 2 * DAY_MS, toMs: floorHour(now.ms) - 2 * DAY_MS + 4 * HOUR_MS },
      },
    );
    expect(await warningsOfRun(rangesOnly, now.ms)).not.toContainEqual(
      expect.stringContaining('no run record'),
    );
    expect(await warningsOfRun(new MemoryObjectStore(), now.ms)).not.toContainEqual(
      expect.stringContaining('no run record'),
    );
  });
});

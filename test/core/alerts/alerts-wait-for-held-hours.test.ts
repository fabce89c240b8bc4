import { expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { advanceCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { noMetrics, silentLog } from '../../../functions/core/ports.ts';
import { DAY_MS, HOUR_MS } from '../../../functions/core/time-units.ts';
import { noWaits } from '../../support/no-waits.ts';
import { memoryLake, memoryLakeAlertsRun, RecordingChannel } from './support/alert-fixtures.ts';

// Two first runs overlapping, the one with fewer backfill days ahead: the checkpoint keeps the
// other's first unfinished hour (retry_from_ms, before the first hour of the run whose watermark it
// is), and the next ingest pulls the hours from there. Evaluated to the watermark meanwhile, those
// hours were judged empty and, filled later, never looked at again: a lockout in them was never
// raised (review R-SFC2, stop 53). The alerts now wait at the kept hour.

const day0 = Date.parse('2026-10-01T00:00:00Z');
const END = day0 + 10 * DAY_MS;
const NOW = END + 30 * 60_000;

it('evaluate no further than the hour the checkpoint keeps before its run’s first hour', async () => {
  const lake = memoryLake({ seed: 7, fromMs: day0, toMs: END });
  const lockout = lake.planted.find((pattern) => pattern.kind === 'lockout_burst');
  if (lockout?.kind !== 'lockout_burst') throw new Error('seed 7 plants a lockout burst');
  const lockoutHour = Math.floor(lockout.evidence.lockedOutMs / HOUR_MS) * HOUR_MS;
  const aStoppedAt = lockoutHour - 5 * HOUR_MS;
  const bFirst = lockoutHour + 5 * HOUR_MS;
  const deps = (now: number) => ({
    ...noWaits,
    source: lake.source,
    store: lake.store,
    clock: { now: () => now },
    log: silentLog,
    metrics: noMetrics,
  });
  const config = { ...defaultIngestConfig('default'), concurrency: 4 };
  await runIngest(deps(NOW), config, { range: { fromMs: day0, toMs: aStoppedAt } });
  await runIngest(deps(NOW), config, { range: { fromMs: bFirst, toMs: END } });
  const advance = { codeVersion: 'x', now: NOW };
  await advanceCheckpoint(lake.store, 'default', {
    ...advance,
    watermarkMs: END,
    runId: 'run-B',
    planFromMs: bFirst,
  });
  await advanceCheckpoint(lake.store, 'default', {
    ...advance,
    watermarkMs: aStoppedAt,
    runId: 'run-A',
    planFromMs: day0,
  });

  const first = await memoryLakeAlertsRun(lake.store, NOW, new RecordingChannel());
  expect(first.hoursEvaluated).toBeLessThanOrEqual((aStoppedAt - day0) / HOUR_MS);
  const next = await runIngest(deps(NOW + HOUR_MS), config);
  expect(next).toMatchObject({ outcome: 'complete', windowsPlanned: (END + HOUR_MS - aStoppedAt) / HOUR_MS });
  const second = await memoryLakeAlertsRun(lake.store, NOW + HOUR_MS, new RecordingChannel());
  const lockouts = [...first.raised, ...second.raised].filter((alert) => alert.kind === 'lockout');
  expect(lockouts.map((alert) => Math.floor(alert.event_time_ms / HOUR_MS) * HOUR_MS)).toContain(lockoutHour);
});

it('still wait when a catch-up run stopped early and the checkpoint names a later hour to retry', async () => {
  // Review R-SFC3: the run after the hold planned from it, stopped early, and its last write kept
  // the hour it had not finished; the alerts then went up to the watermark over hours still empty.
  const lake = memoryLake({ seed: 7, fromMs: day0, toMs: END });
  const retryFromMs = day0 + 3 * DAY_MS;
  await runIngest(
    {
      ...noWaits,
      source: lake.source,
      store: lake.store,
      clock: { now: () => NOW },
      log: silentLog,
      metrics: noMetrics,
    },
    { ...defaultIngestConfig('default'), concurrency: 4 },
    { range: { fromMs: day0, toMs: retryFromMs } },
  );
  await advanceCheckpoint(lake.store, 'default', {
    codeVersion: 'x',
    now: NOW,
    runId: 'catch-up',
    watermarkMs: END,
    planFromMs: day0,
    retryFromMs,
  });
  const run = await memoryLakeAlertsRun(lake.store, NOW, new RecordingChannel());
  expect(run.hoursEvaluated).toBeLessThanOrEqual((retryFromMs - day0) / HOUR_MS);
});

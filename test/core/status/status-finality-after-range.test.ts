import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../../functions/adapters/fs-store.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { recordLastRun } from '../../../functions/core/ingest/record-last-run.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { readLastRun } from '../../../functions/core/lake/last-run.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource } from '../../support/memory-audit-source.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';
import { statusAt } from '../../support/status-at.ts';
import { BACKFILL_DAY0_MS, BACKFILL_RUN_AT_MS } from '../../support/two-day-backfill-lake.ts';

// Review STATUS4: a re-pull (ingest --from/--to) recorded last made status judge the hours a run
// pulls again by the ingest's defaults, not by the lookback and later pull the schedule runs with:
// its record is a range's, whose settings are the re-pull's. The schedule's are carried in it now.

const day0 = BACKFILL_DAY0_MS;
const RUN_AT = BACKFILL_RUN_AT_MS;
const RANGE_AT = RUN_AT + 5 * 60_000;
const NOW = RUN_AT + 10 * 60_000;

let dir: string;
let store: FsObjectStore;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'status-range-last-'));
  store = new FsObjectStore(join(dir, 'lake'));
  const quiet = new MemoryAuditSource([]);
  // The schedule re-pulls 12 hours before its watermark (2026-10-01 07:00Z) each run.
  const scheduled = await runIngest(quietIngestDeps(quiet, store, RUN_AT), {
    ...defaultIngestConfig('acme'),
    backfillDays: 2,
    lookbackHours: 12,
  });
  await recordLastRun(store, scheduled, RUN_AT);
  // Then an hour of the day before re-pulled by hand, with the command line's defaults.
  const range = await runIngest(quietIngestDeps(quiet, store, RANGE_AT), defaultIngestConfig('acme'), {
    range: { fromMs: day0 - 20 * HOUR_MS, toMs: day0 - 19 * HOUR_MS },
  });
  await recordLastRun(store, range, RANGE_AT);
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('status after a re-pull recorded last', () => {
  it("judges the hours a run pulls again by the schedule's lookback, not the defaults", async () => {
    expect((await readLastRun(store, 'acme'))?.mode).toBe('range');
    // An hour 5 before the watermark: the next run's lookback pulls it (by the defaults, 2 hours,
    // only its later pull would, a day after it ended).
    const hourMs = day0 + 2 * HOUR_MS;
    await rm(join(dir, 'lake/coverage/instance=acme/dt=2026-10-01/2026-10-01T02.json'));
    const { status } = await statusAt(store, 'acme', NOW);
    expect(status.hours?.awaitingRepull).toEqual({ hours: [hourMs], lastFromMs: day0 + 7 * HOUR_MS });
  });

  it("keeps the schedule's settings through more re-pulls", async () => {
    const quiet = new MemoryAuditSource([]);
    const again = await runIngest(
      quietIngestDeps(quiet, store, RANGE_AT + 60_000),
      defaultIngestConfig('acme'),
      {
        range: { fromMs: day0 - 20 * HOUR_MS, toMs: day0 - 19 * HOUR_MS },
      },
    );
    await recordLastRun(store, again, RANGE_AT + 60_000);
    expect((await readLastRun(store, 'acme'))?.checkpoint_run_settings).toMatchObject({
      lookback_hours: 12,
      repull_after_hours: 24,
    });
  });
});

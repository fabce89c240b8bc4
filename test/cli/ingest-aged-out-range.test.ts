import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { type LastRun, writeLastRun } from '../../functions/core/lake/last-run.ts';
import { DAY_MS } from '../../functions/core/time-units.ts';
import type { Simulator } from '../../functions/simulator/index.ts';
import {
  ingestThreeHours,
  startThreeHourSimulator,
  THREE_HOURS_FROM_MS,
} from '../support/three-hour-ingest.ts';

// Review R-PRIVACY H1: Domo serves about a year, so an `ingest --from` older than the lake's
// retention.maxDays stored the expired hours again, for another maxDays.

const NOW = THREE_HOURS_FROM_MS + 40 * DAY_MS;

let sim: Simulator;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-ingest-aged-out-'));
  sim = await startThreeHourSimulator(3);
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

/** A lake whose last scheduled run recorded `maxDays` (null: none). */
async function lakeKeeping(name: string, maxDays: number | null): Promise<string> {
  const lake = join(dir, name);
  const record: LastRun = {
    version: 1,
    instance: 'main',
    run_id: 'r1',
    mode: 'checkpoint',
    finished_at: new Date(NOW - DAY_MS).toISOString(),
    finished_at_ms: NOW - DAY_MS,
    outcome: 'ok',
    hours_done: 1,
    hours_failed: 0,
    events_written: 0,
    quarantined: 0,
    watermark_ms: null,
    first_failure: null,
    trigger: 'schedule',
    max_days: maxDays,
  };
  await writeLastRun(new FsObjectStore(lake), record);
  return lake;
}

async function ingestAt(lake: string) {
  const { result, stderr } = await ingestThreeHours(sim, lake, [], { now: () => NOW });
  return { summary: result.summary, stderr: stderr() };
}

describe('ingest --from refuses hours the lake has aged out', () => {
  it('refuses a --from older than the recorded retention.maxDays, naming the first hour it takes', async () => {
    const lake = await lakeKeeping('kept-30', 30);
    await expect(ingestAt(lake)).rejects.toThrow(
      '--from 2026-10-01 is older than the lake keeps: its last scheduled run recorded retention.maxDays 30, and the lake expires hours that old; pulled again they would be stored for another 30 days. Give a --from of 2026-10-11T00:00:00.000Z or later',
    );
  });

  it('pulls them when the lake keeps everything, or keeps them long enough', async () => {
    for (const [name, maxDays] of [
      ['forever', null],
      ['kept-60', 60],
    ] as const) {
      const { summary, stderr } = await ingestAt(await lakeKeeping(name, maxDays));
      expect(summary.windowsDone, stderr).toBe(3);
    }
  });
});

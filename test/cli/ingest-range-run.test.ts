import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { readLastRun } from '../../functions/core/lake/last-run.ts';
import type { Simulator } from '../../functions/simulator/index.ts';
import { ingestThreeHours, startThreeHourSimulator } from '../support/three-hour-ingest.ts';

let sim: Simulator;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-ingest-range-'));
  sim = await startThreeHourSimulator(3);
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

/** An ingest of the simulated three hours into a new lake `name`, with `extra` flags. */
async function ingestRange(name: string, extra: readonly string[] = []) {
  const lake = join(dir, name);
  const { result, stdout, stderr } = await ingestThreeHours(sim, lake, extra);
  return { lake, summary: result.summary, stdout, stderr };
}

describe('an ingest of explicit hours', () => {
  it('records no last run for status, as the scheduled function would not', async () => {
    const { lake, summary, stderr } = await ingestRange('no-last-run');
    expect(summary.windowsDone, stderr()).toBe(3);
    expect(await readLastRun(new FsObjectStore(lake), 'main')).toBeUndefined();
  });

  it('carries the Domo requests and retries of the run next to the summary, as JSON', async () => {
    const { stdout, stderr } = await ingestRange('json', ['--json']);
    const printed = JSON.parse(stdout()) as Record<string, unknown>;
    expect(printed.windowsDone, stderr()).toBe(3);
    expect(printed.requests).toBeGreaterThan(0);
    expect(printed.retries).toBe(0);
  });
});

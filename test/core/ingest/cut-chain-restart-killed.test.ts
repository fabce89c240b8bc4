import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../../functions/adapters/fs-store.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { recordLastRun } from '../../../functions/core/ingest/record-last-run.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';
import { statusAt } from '../../support/status-at.ts';

// The chain-cut guard (chain-cut-guard.ts) must not take a chain begun anew after the recorded run
// for a cut one: a deliberate restart of the chain (docs/operations.md, "The digest chain is
// missing", step 3) killed after its genesis and before its run record (the function's timeout, a
// command line interrupted) left the record naming the old chain's head, and every later run
// refused for good, telling the operator that digests were removed.

const day0 = Date.parse('2026-10-01T00:00:00Z');
const entries = Array.from({ length: 16 }, (_, i) => viewEntry(day0 + i * 30 * 60_000, i));
const config = { ...defaultIngestConfig('acme'), backfillDays: 1 };

async function runAt(lake: string, nowMs: number, options: { restart?: boolean; record?: boolean } = {}) {
  const store = new FsObjectStore(lake);
  const summary = await runIngest(quietIngestDeps(new MemoryAuditSource(entries), store, nowMs), config, {
    ...(options.restart ? { restartDigestChain: true } : {}),
  });
  if (options.record !== false) await recordLastRun(store, summary, nowMs);
  return summary;
}

let dir: string;
let lake: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cut-restart-'));
  lake = join(dir, 'lake');
  for (const hour of [6, 7, 8, 9]) await runAt(lake, day0 + hour * HOUR_MS + 1);
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('a chain restarted on purpose, the restart killed before its run record', () => {
  it('is not a cut chain: the next run appends', async () => {
    await rm(join(lake, 'digest/instance=acme'), { recursive: true });
    const restart = await runAt(lake, day0 + 10 * HOUR_MS + 1, { restart: true, record: false });
    expect(restart.digestRestart).toBe('restarted');
    // status says CUT exactly when the ingest refuses.
    const { status } = await statusAt(new FsObjectStore(lake), 'acme', day0 + 10 * HOUR_MS + 60_000);
    expect(status.chainShorter).toBeNull();
    const next = await runAt(lake, day0 + 11 * HOUR_MS + 1);
    expect(next.failures).toEqual([]);
    expect(next.outcome).not.toBe('failed');
    expect((await readdir(join(lake, 'digest/instance=acme'))).length).toBeGreaterThan(2);
  });

  it('a chain cut at its end after the restart is still refused', async () => {
    await rm(join(lake, 'digest/instance=acme'), { recursive: true });
    await runAt(lake, day0 + 10 * HOUR_MS + 1, { restart: true });
    await runAt(lake, day0 + 11 * HOUR_MS + 1);
    const names = (await readdir(join(lake, 'digest/instance=acme'))).sort();
    await rm(join(lake, 'digest/instance=acme', names.at(-1) as string));
    const { status } = await statusAt(new FsObjectStore(lake), 'acme', day0 + 11 * HOUR_MS + 60_000);
    expect(status.chainShorter).not.toBeNull();
    const refused = await runAt(lake, day0 + 12 * HOUR_MS + 1);
    expect(refused.failures[0]?.message).toContain('move that record aside');
  });
});

describe('honest paths that must not read as a cut chain', () => {
  it('a run killed after its digests, before its record (the function timed out)', async () => {
    await runAt(lake, day0 + 10 * HOUR_MS + 1, { record: false });
    const next = await runAt(lake, day0 + 11 * HOUR_MS + 1);
    expect(next.failures).toEqual([]);
  });

  it('two runs overlapping (a command-line ingest beside the schedule), recorded in either order', async () => {
    const store = new FsObjectStore(lake);
    const at = (hour: number) => day0 + hour * HOUR_MS + 1;
    const [a, b] = await Promise.all([
      runIngest(quietIngestDeps(new MemoryAuditSource(entries), store, at(10)), config, { runId: 'cli' }),
      runIngest(quietIngestDeps(new MemoryAuditSource(entries), store, at(10) + 1), config, {
        runId: 'sched',
      }),
    ]);
    // Recorded in the other order than they finished: the later finish is kept.
    await recordLastRun(store, b, at(10) + 1);
    await recordLastRun(store, a, at(10));
    const next = await runAt(lake, day0 + 11 * HOUR_MS + 1);
    expect(next.failures).toEqual([]);
  });
});

import { mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../../functions/adapters/fs-store.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { recordLastRun } from '../../../functions/core/ingest/record-last-run.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { runFailed } from '../../../functions/core/ingest/run-verdict.ts';
import { recordRunFailedToStart } from '../../../functions/core/lake/last-run.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

// Review F-EVID10 1: a scheduled run over a chain cut at its end appended and sealed over the cut,
// and rewrote the run record, so the truncation read as normal history.

const day0 = Date.parse('2026-10-01T00:00:00Z');
const entries = Array.from({ length: 16 }, (_, i) => viewEntry(day0 + i * 30 * 60_000, i));

/** A scheduled run of `acme`, recorded in the lake's run record as the entry points record it. */
async function recordedRunAt(lake: string, nowMs: number) {
  const source = new MemoryAuditSource(entries);
  const store = new FsObjectStore(lake);
  const summary = await runIngest(quietIngestDeps(source, store, nowMs), {
    ...defaultIngestConfig('acme'),
    backfillDays: 1,
  });
  await recordLastRun(store, summary, nowMs);
  return summary;
}

const digestNames = async (lake: string) => (await readdir(join(lake, 'digest/instance=acme'))).sort();

let dir: string;
let lake: string;
let recorded: number;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cut-chain-'));
  lake = join(dir, 'lake');
  await recordedRunAt(lake, day0 + 6 * HOUR_MS + 1);
  await recordedRunAt(lake, day0 + 8 * HOUR_MS + 1);
  recorded = JSON.parse(await readFile(join(lake, 'state/instance=acme/last-run.json'), 'utf8')).digest_head;
  const names = await digestNames(lake);
  await rm(join(lake, 'digest/instance=acme', names.at(-1) as string));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('a scheduled run over a chain cut before the recorded head', () => {
  it('refuses to append, fails, and every later run refuses too', async () => {
    const before = await digestNames(lake);
    for (const hour of [10, 11]) {
      const summary = await recordedRunAt(lake, day0 + hour * HOUR_MS + 1);
      expect(summary.outcome).toBe('failed');
      // The one verdict the function (it throws: its error, its alarm) and the command's exit share.
      expect(runFailed(summary)).toBe(true);
      expect(summary.stoppedEarly).toBe('fatal-error');
      const message = summary.failures[0]?.message ?? '';
      expect(message).toContain(`ends at digest ${recorded - 1}`);
      expect(message).toContain(`with it at digest ${recorded}`);
      expect(message).toContain('move that record aside');
      expect(summary.failures[0]?.configuration).toBe(true);
      expect(await digestNames(lake)).toEqual(before);
    }
    const record = JSON.parse(await readFile(join(lake, 'state/instance=acme/last-run.json'), 'utf8'));
    expect(record).toMatchObject({ outcome: 'failed', digest_head: recorded });
  });

  it('still refuses after a run that failed before reading the chain was recorded', async () => {
    // The function records a run that fails before it has a summary (a secret it cannot read or
    // use, a corrupt checkpoint) with no head of its own: the record lost the head, and the next
    // run appended over the cut.
    const store = new FsObjectStore(lake);
    await recordedRunAt(lake, day0 + 10 * HOUR_MS + 1);
    await recordRunFailedToStart(store, 'acme', 'the Domo secret cannot be read', day0 + 11 * HOUR_MS, 10);
    const summary = await recordedRunAt(lake, day0 + 12 * HOUR_MS + 1);
    expect(summary.failures[0]?.message).toContain('move that record aside');
    const record = JSON.parse(await readFile(join(lake, 'state/instance=acme/last-run.json'), 'utf8'));
    expect(record).toMatchObject({ outcome: 'failed', digest_head: recorded });
  });

  it('appends again once the operator moves the record aside', async () => {
    const state = join(lake, 'state/instance=acme');
    await rename(join(state, 'last-run.json'), join(state, 'last-run.cut.json'));
    const summary = await recordedRunAt(lake, day0 + 10 * HOUR_MS + 1);
    expect(summary.failures).toEqual([]);
    expect((await digestNames(lake)).length).toBeGreaterThanOrEqual(recorded);
  });
});

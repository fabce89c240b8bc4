import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../../functions/adapters/fs-store.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { recordLastRun } from '../../../functions/core/ingest/record-last-run.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, type MemoryEntry, viewEntry } from '../../support/memory-audit-source.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';
import { NO_HOUR_FINDINGS, statusAt } from '../../support/status-at.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');

let dir: string;
let lake: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'status-honest-'));
  lake = join(dir, 'lake');
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

async function run(
  instance: string,
  entries: MemoryEntry[],
  nowMs: number,
  fail?: MemoryAuditSource['fail'],
) {
  const source = new MemoryAuditSource(entries);
  if (fail) source.fail = fail;
  const store = new FsObjectStore(lake);
  const summary = await runIngest(quietIngestDeps(source, store, nowMs), {
    ...defaultIngestConfig(instance),
    backfillDays: 1,
  });
  await recordLastRun(store, summary, nowMs);
  return summary;
}

// Review of a355932a (status: DAMAGED): hours an honest lake lacks are no finding of deletion.
describe('status on honest lakes: no DAMAGED', () => {
  it('an hour whose every entry was quarantined', async () => {
    const deep = JSON.parse(
      `{"time":${day0 + 3 * HOUR_MS + 1000},"x":${'['.repeat(4000)}${']'.repeat(4000)}}`,
    );
    const entries = [viewEntry(day0 + HOUR_MS, 1), { timeMs: day0 + 3 * HOUR_MS + 1000, entry: deep }];
    const summary = await run('acme', entries, day0 + 8 * HOUR_MS + 1);
    expect(summary.quarantined).toBe(1);
    const { status, table } = await statusAt(new FsObjectStore(lake), 'acme', day0 + 8 * HOUR_MS + 60_000);
    expect(status.hours).toEqual(NO_HOUR_FINDINGS);
    expect(table).not.toContain('DAMAGED');
  });

  it('an instance added to the lake later', async () => {
    const entries = Array.from({ length: 16 }, (_, i) => viewEntry(day0 + i * 30 * 60_000, i));
    await run('acme', entries, day0 + 8 * HOUR_MS + 1);
    await run('beta', entries, day0 + 30 * HOUR_MS + 1);
    await run('acme', entries, day0 + 30 * HOUR_MS + 1);
    for (const instance of ['acme', 'beta']) {
      const { status } = await statusAt(new FsObjectStore(lake), instance, day0 + 30 * HOUR_MS + 60_000);
      expect(status.hours).toEqual(NO_HOUR_FINDINGS);
    }
  });

  it('a first run whose first hour failed, until the next run pulls it', async () => {
    // It said the hours were deleted ("the hours between are gone"), DAMAGED over the run's FAILED.
    const entries = Array.from({ length: 16 }, (_, i) => viewEntry(day0 + i * 30 * 60_000, i));
    const nowMs = day0 + 8 * HOUR_MS + 1;
    let firstHourMs: number | undefined;
    const summary = await run('acme', entries, nowMs, (query) => {
      firstHourMs ??= query.start;
      return query.start <= (firstHourMs as number) ? new Error('Domo answered 503') : undefined;
    });
    expect(summary.failures).toHaveLength(1);
    expect(summary.windowsDone).toBeGreaterThan(0);
    const { status, table } = await statusAt(new FsObjectStore(lake), 'acme', nowMs + 60_000);
    expect(status.hours?.oldestGone).toBeNull();
    expect(table).not.toContain('DAMAGED');
    expect(table).toContain('last run failed: Domo answered 503');
  });
});

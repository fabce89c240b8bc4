import { describe, expect, it } from 'vitest';
import { describe as describeRun } from '../../../functions/cli/commands/ingest.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { advanceCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { at, config, hour } from '../../support/lookback-day.ts';
import { MemoryAuditSource } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

/*
 * A run between two closed hours pulls nothing. When the checkpoint keeps an hour to pull again
 * (a run passed unfinished by another a moment before), "no hour has closed" alone reads as if
 * nothing were owed: the summary carries the kept hour and the line names it, with the re-pull
 * that fills it now.
 */

async function idleRunAfter(retryFromMs: number | undefined) {
  const store = new MemoryObjectStore();
  await advanceCheckpoint(store, 'acme', {
    watermarkMs: hour(3),
    runId: 'earlier',
    codeVersion: 'test',
    now: at(2),
    ...(retryFromMs === undefined ? {} : { retryFromMs }),
  });
  // 03:30: the hour from 03:00 has not closed, so the run plans nothing.
  return runIngest(quietIngestDeps(new MemoryAuditSource([]), store, at(3)), config);
}

describe('an ingest with nothing to pull', () => {
  it('names the hour the checkpoint keeps, and how to pull it now', async () => {
    const summary = await idleRunAfter(hour(1));
    expect(summary).toMatchObject({ windowsPlanned: 0, retryFromBeforeMs: hour(1), requests: 0 });
    const text = describeRun(summary, '/lake', 0);
    expect(text).toContain(
      '  nothing to pull yet: no hour has closed since the watermark, and the checkpoint keeps 2026-10-01 01:00 UTC to pull again',
    );
    expect(text).toContain('(to pull them now: --from 2026-10-01T01:00:00Z --to 2026-10-01T03:00:00Z)');
    expect(text).not.toContain('the lookback hours are re-pulled with the next one');
  });

  it('says only that no hour has closed when the checkpoint keeps none', async () => {
    const summary = await idleRunAfter(undefined);
    expect(summary).toMatchObject({ windowsPlanned: 0, retryFromBeforeMs: null });
    const text = describeRun(summary, '/lake', 0);
    expect(text).toContain('  nothing to pull: no hour has closed since the watermark;');
    expect(text).not.toContain('keeps');
  });
});

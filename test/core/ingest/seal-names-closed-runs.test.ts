/**
 * A run that seals the digest chain a killed run left open says so: which run, how many of its
 * digests and which hours (the summary's `closedRuns`, and a log line the Lambda's log keeps). It
 * is news: a run died, and `verify --integrity` passes again because of this seal. A run on a
 * chain that ends sealed says nothing of the kind.
 */
import { expect, it } from 'vitest';
import { describe as describeRun } from '../../../functions/cli/commands/ingest.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { lakeAfterDeadRepull } from '../../support/lake-after-dead-repull.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';
import { recordingLog } from '../../support/recording-log.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const hour = (h: number) => day0 + h * HOUR_MS;
const now = hour(6) + 30 * 60_000;
const config = { ...defaultIngestConfig('acme'), backfillDays: 1, concurrency: 1 };

it('a run with nothing to pull names the dead run it sealed, and the next names none', async () => {
  const domo = new MemoryAuditSource(
    Array.from({ length: 36 }, (_, i) => viewEntry(day0 + i * 10 * 60_000, i)),
  );
  const lake = await lakeAfterDeadRepull(domo, config, now, hour(2));
  const { log, logged } = recordingLog();
  const deps = { ...quietIngestDeps(domo, lake, now), log };
  const summary = await runIngest(deps, config, { runId: 'sealer' });

  expect(summary.windowsPlanned).toBe(0);
  // The re-pull's one digest: its opening, which lists the hour it was about to write.
  expect(summary.closedRuns).toEqual([{ runId: 'dead-repull', digests: 1, fromMs: hour(2), toMs: hour(3) }]);
  expect(logged).toContainEqual([
    'info',
    'sealed the digest chain other runs left open',
    { closedRuns: summary.closedRuns },
  ]);
  expect(describeRun(summary, 'memory://lake/', 0)).toContain(
    '  digest chain: sealed, closing run dead-repull (1 digest, 1 hour, 2026-10-01 02:00 .. 2026-10-01 03:00 UTC) that never sealed',
  );

  const again = await runIngest(quietIngestDeps(domo, lake, now), config, { runId: 'next' });
  expect(again.closedRuns).toBeUndefined();
  expect(describeRun(again, 'memory://lake/', 0)).not.toContain('digest chain');
});

it('a run that writes names the dead run its seal closed too', async () => {
  const domo = new MemoryAuditSource(
    Array.from({ length: 36 }, (_, i) => viewEntry(day0 + i * 10 * 60_000, i)),
  );
  const lake = await lakeAfterDeadRepull(domo, config, now, hour(2));
  // An hour later: a new hour to pull.
  const summary = await runIngest(quietIngestDeps(domo, lake, now + HOUR_MS), config, { runId: 'writer' });
  expect(summary.windowsDone).toBeGreaterThan(0);
  expect(summary.closedRuns?.map((run) => run.runId)).toEqual(['dead-repull']);
});

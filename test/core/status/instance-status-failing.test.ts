import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { recordLastRun } from '../../../functions/core/ingest/record-last-run.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { type RunTrigger, recordRunFailedToStart } from '../../../functions/core/lake/last-run.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';
import { statusAt } from '../../support/status-at.ts';

// Scheduled runs that fail before planning (a secret unreadable or in the wrong shape) report no
// lag, so <instance>-Lag fires once its window passes, and IngestErrors on each; but each run now
// records its failure, so status read neither LATE (the watermark still within lagHours) nor
// SILENT (a record every 15 minutes), said ok and exited 0.
const MINUTE = 60_000;
const goodRunAt = Date.UTC(2026, 11, 5, 8, 20);

async function lakeFailingSince(trigger: RunTrigger | undefined) {
  const store = new MemoryObjectStore();
  const source = new MemoryAuditSource();
  for (let t = goodRunAt - 30 * HOUR_MS; t < goodRunAt; t += 30 * MINUTE)
    source.add(viewEntry(t, t / MINUTE));
  const deps = quietIngestDeps(source, store, goodRunAt);
  const summary = await runIngest(deps, { ...defaultIngestConfig('main'), backfillDays: 1 }, {});
  await recordLastRun(store, summary, goodRunAt, trigger);
  for (let at = goodRunAt + 15 * MINUTE; at <= goodRunAt + 90 * MINUTE; at += 15 * MINUTE)
    await recordRunFailedToStart(
      store,
      'main',
      'DomoSecretError: the secret has no clientId',
      at,
      15,
      trigger,
    );
  return store;
}

describe('a scheduled lake whose runs keep failing', () => {
  it('reads FAILED, not ok, with the IngestErrors runbook, while its watermark is within lagHours', async () => {
    const store = await lakeFailingSince('schedule');
    const { status, table } = await statusAt(store, 'main', goodRunAt + 95 * MINUTE);
    expect(status.late).toBe(false);
    expect(status.silent).toBe(false);
    expect(status.failing).toBe(true);
    expect(table).toMatch(/\nmain +FAILED +/);
    expect(table).toContain(
      'main: last run failed: DomoSecretError: the secret has no clientId; see docs/operations.md, section "<instance>-IngestErrors"',
    );
  });

  it('is not FAILED when no schedule ran it: a failed command-line run was said where it ran', async () => {
    const store = await lakeFailingSince(undefined);
    const { status, table } = await statusAt(store, 'main', goodRunAt + 95 * MINUTE);
    expect(status.failing).toBe(false);
    expect(table).toMatch(/\nmain +ok +/);
    expect(table).not.toContain('IngestErrors');
  });
});

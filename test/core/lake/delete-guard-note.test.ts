import { describe, expect, it } from 'vitest';
import { newAlertCheckpoint, readAlertCheckpoint } from '../../../functions/core/alerts/alert-checkpoint.ts';
import { evaluateHours } from '../../../functions/core/alerts/evaluate-hours.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { planRun } from '../../../functions/core/ingest/run-plan.ts';
import { advanceCheckpoint, readCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { readStoredCoverage } from '../../../functions/core/lake/coverage.ts';
import { deleteGuardNote } from '../../../functions/core/lake/delete-guard-note.ts';
import { activityKey, alertsStateKey, coverageKey } from '../../../functions/core/lake/layout.ts';
import { type Log, silentLog } from '../../../functions/core/ports.ts';
import { DAY_MS, HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';
import { evaluationContext } from '../alerts/support/alert-fixtures.ts';

// On S3 the stack's bucket policy refuses every delete to a principal retention.deleteAllowedPrincipals
// does not name (none by default): a message that says "delete it" says what that takes there.

/** The memory store, named as a lake on S3 is. */
class S3NamedStore extends MemoryObjectStore {
  override readonly location = 's3://lake-bucket/';
}

const GUARD =
  'as a principal retention.deleteAllowedPrincipals names: docs/operations.md, "Deleting from the lake"';
const junk = new TextEncoder().encode('{"version":1,');

describe('the delete guard, where a message says to delete', () => {
  it('is named for a lake on S3 only', () => {
    expect(deleteGuardNote('s3://lake-bucket/prefix/')).toBe(` (on S3 ${GUARD})`);
    expect(deleteGuardNote('/home/ops/lake')).toBe('');
    expect(deleteGuardNote('memory://lake/')).toBe('');
  });

  it('follows "delete it" for a corrupt checkpoint, manifest or alerts checkpoint on S3', async () => {
    const s3 = new S3NamedStore();
    const disk = new MemoryObjectStore();
    for (const store of [s3, disk]) {
      store.putNow('state/instance=acme/checkpoint.json', junk);
      store.putNow(coverageKey('acme', Date.UTC(2026, 10, 2, 13)), junk);
      store.putNow('alerts-state/instance=acme/checkpoint.json', junk);
    }
    await expect(readCheckpoint(s3, 'acme')).rejects.toThrow(`delete it (on S3 ${GUARD}): the next run`);
    await expect(readCheckpoint(disk, 'acme')).rejects.toThrow('delete it: the next run');
    await expect(readStoredCoverage(s3, 'acme', Date.UTC(2026, 10, 2, 13))).rejects.toThrow(
      `delete it (on S3 ${GUARD}) and pull that hour again`,
    );
    await expect(readAlertCheckpoint(s3, 'acme')).rejects.toThrow(
      `Delete it (on S3 ${GUARD}) to start again`,
    );
    await expect(readAlertCheckpoint(disk, 'acme')).rejects.toThrow('Delete it to start again');
  });

  it('follows "delete it" for a watermark ahead of the clock on S3 (the run stops)', async () => {
    const now = Date.parse('2026-10-01T10:00:00Z');
    for (const store of [new S3NamedStore(), new MemoryObjectStore()]) {
      const ahead = now + 3 * HOUR_MS;
      await advanceCheckpoint(store, 'acme', {
        watermarkMs: ahead,
        runId: 'r',
        codeVersion: 'test',
        now: ahead,
      });
      const refused = planRun(store, defaultIngestConfig('acme'), undefined, now);
      await expect(refused).rejects.toThrow(
        store instanceof S3NamedStore
          ? `or delete it (on S3 ${GUARD}): the next run then backfills again`
          : 'or delete it: the next run then backfills again',
      );
    }
  });

  it('follows "delete it" for an alerts checkpoint under another instance on S3', async () => {
    const body = new TextEncoder().encode(JSON.stringify(newAlertCheckpoint('other', Date.UTC(2026, 10, 2))));
    const s3 = new S3NamedStore();
    const disk = new MemoryObjectStore();
    for (const store of [s3, disk]) store.putNow(alertsStateKey('acme', 'checkpoint.json'), body);
    await expect(readAlertCheckpoint(s3, 'acme')).rejects.toThrow(
      `or delete it to start again (on S3 ${GUARD}): alerts already archived`,
    );
    await expect(readAlertCheckpoint(disk, 'acme')).rejects.toThrow(
      'or delete it to start again: alerts already',
    );
  });

  it('follows "delete the object" in the alerts warning of an hour that does not read, on S3', async () => {
    const H = Date.parse('2026-11-18T14:00:00Z');
    const fixes = async (store: MemoryObjectStore): Promise<string[]> => {
      // The hour a day before H is in the history the login profile folds to judge H: cut short.
      store.putNow(activityKey('acme', H - DAY_MS), junk);
      const fix: string[] = [];
      const log: Log = { ...silentLog, warn: (_message, fields) => fix.push(String(fields?.fix)) };
      const checkpoint = { ...newAlertCheckpoint('acme', H - 40 * DAY_MS), next_hour_ms: H };
      await evaluateHours({ ...evaluationContext(store), log }, checkpoint, H + HOUR_MS);
      return fix;
    };
    const s3 = await fixes(new S3NamedStore());
    expect(s3).toHaveLength(1);
    expect(s3[0]).toContain(`delete the object with its hour’s coverage manifest (on S3 ${GUARD}) and pull`);
    expect(await fixes(new MemoryObjectStore())).toEqual([
      expect.stringContaining('delete the object with its hour’s coverage manifest and pull'),
    ]);
  });

  // Review verify6 #3: the hour that holds fewer events than its manifest counted said to remove
  // the manifest with no word of what a delete takes on S3.
  it('follows "remove the coverage manifest" for an hour that lost events, on S3', async () => {
    const hour = Date.parse('2026-10-01T10:00:00Z');
    const range = { fromMs: hour, toMs: hour + HOUR_MS };
    const entries = [viewEntry(hour + 60_000, 1), viewEntry(hour + 120_000, 2)];
    const shrunk = async (store: MemoryObjectStore): Promise<string | undefined> => {
      const pull = (served: typeof entries) =>
        runIngest(
          quietIngestDeps(new MemoryAuditSource(served), store, hour + 2 * HOUR_MS),
          { ...defaultIngestConfig('acme'), concurrency: 1 },
          { range },
        );
      expect((await pull(entries)).failures).toEqual([]);
      // The events object removed, and Domo serves one entry back of the two.
      store.objects.delete(activityKey('acme', hour));
      return (await pull(entries.slice(0, 1))).failures[0]?.message;
    };
    expect(await shrunk(new S3NamedStore())).toContain(
      `remove the coverage manifest too (on S3 ${GUARD}), so that no version of it is current`,
    );
    expect(await shrunk(new MemoryObjectStore())).toContain(
      'remove the coverage manifest too, so that no version of it is current',
    );
  });
});

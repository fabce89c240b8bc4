/**
 * A run killed mid-write leaves the chain's last digest unsealed, listing the bytes it was about
 * to write. verify --integrity reports what it left, and advises an ingest, which records those
 * objects. When no hour has closed since, that ingest had nothing to pull: it wrote no digest, and
 * the findings stayed. A run with nothing to pull now closes the runs open at the head all the
 * same (reading their hours, as every opening does), and seals.
 */
import { expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { decodeDigest, listDigestKeys } from '../../../functions/core/lake/digest.ts';
import { activityKey } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { lakeAfterDeadRepull } from '../../support/lake-after-dead-repull.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const hour = (h: number) => day0 + h * HOUR_MS;
const now = hour(6) + 30 * 60_000;
const config = { ...defaultIngestConfig('acme'), backfillDays: 1, concurrency: 1 };

it('an ingest with nothing to pull seals the chain a killed run left open', async () => {
  const domo = new MemoryAuditSource(
    Array.from({ length: 36 }, (_, i) => viewEntry(day0 + i * 10 * 60_000, i)),
  );
  const lake = await lakeAfterDeadRepull(domo, config, now, hour(2));
  const key = activityKey('acme', hour(2));
  const before = await verifyIntegrity(lake, 'acme');
  expect(before.unsealedHead?.runId).toBe('dead-repull');

  // The same hour has not closed: the scheduled run has nothing to pull.
  const summary = await runIngest(quietIngestDeps(domo, lake, now), config, { runId: 'scheduled-2' });
  expect(summary.windowsPlanned).toBe(0);
  expect(summary.failures).toEqual([]);

  const after = await verifyIntegrity(lake, 'acme');
  expect(after).toMatchObject({ ok: true, problems: [], unsealedHead: null });
  expect(after.recordedOnRead).toEqual([
    expect.objectContaining({ key, runId: 'scheduled-2', runs: ['dead-repull'] }),
  ]);
  const keys = await listDigestKeys(lake, 'acme');
  const last = keys.at(-1) as string;
  expect(decodeDigest(last, (await lake.get(last))?.body ?? new Uint8Array())).toMatchObject({
    sealed: true,
    run_id: 'scheduled-2',
  });

  // Sealed, a run with nothing to pull appends nothing.
  await runIngest(quietIngestDeps(domo, lake, now), config, { runId: 'scheduled-3' });
  expect(await listDigestKeys(lake, 'acme')).toEqual(keys);
});

it('bytes the killed run did not list stay a finding once that ingest sealed', async () => {
  const domo = new MemoryAuditSource(
    Array.from({ length: 36 }, (_, i) => viewEntry(day0 + i * 10 * 60_000, i)),
  );
  const lake = await lakeAfterDeadRepull(domo, config, now, hour(2));
  const key = activityKey('acme', hour(2));
  // A forger's bytes in the dead run's hour, before any run read them.
  await lake.put(key, new TextEncoder().encode('forged'));

  await runIngest(quietIngestDeps(domo, lake, now), config, { runId: 'scheduled-2' });

  const after = await verifyIntegrity(lake, 'acme');
  expect(after.unsealedHead).toBeNull();
  expect(after.problems).toEqual([expect.objectContaining({ kind: 'changed', key })]);
  expect(after.recordedOnRead).toEqual([]);
});

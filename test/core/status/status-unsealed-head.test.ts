/**
 * Right after a run was killed mid-write, `status` said `ok` ("every instance is within its lag
 * threshold") while `verify --integrity` failed on what that run may have left (review R-UPGRADE
 * L2). Freshness is what status is about, so the state and exit code stay; a note says the chain
 * ends unsealed, and since when, until an ingest seals it.
 */
import { expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { readInstanceStatus } from '../../../functions/core/status/instance-status.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { statusTableOf } from '../../support/instance-status-fixture.ts';
import { lakeAfterDeadRepull } from '../../support/lake-after-dead-repull.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const now = day0 + 6 * HOUR_MS + 30 * 60_000;
const config = { ...defaultIngestConfig('acme'), backfillDays: 1, concurrency: 1 };
const options = { nowMs: now, lagHours: 3, reportTimeZone: 'UTC' };

it('notes a chain left unsealed by a killed run, until an ingest seals it', async () => {
  const domo = new MemoryAuditSource(
    Array.from({ length: 36 }, (_, i) => viewEntry(day0 + i * 10 * 60_000, i)),
  );
  const lake = await lakeAfterDeadRepull(domo, config, now, day0 + 2 * HOUR_MS);

  const killed = await readInstanceStatus(lake, 'acme', options);
  expect(killed).toMatchObject({ late: false, unsealedHead: { runId: 'dead-repull' } });
  expect(statusTableOf([killed], now)).toContain(
    'acme: integrity: the last digest is not sealed: run dead-repull may still be running: the lake cannot tell (last write 2026-10-01 06:30 UTC, 0m ago',
  );

  await runIngest(quietIngestDeps(domo, lake, now), config, { runId: 'scheduled-2' });
  const sealed = await readInstanceStatus(lake, 'acme', options);
  expect(sealed.unsealedHead).toBeNull();
  expect(statusTableOf([sealed], now)).not.toContain('not sealed');
});

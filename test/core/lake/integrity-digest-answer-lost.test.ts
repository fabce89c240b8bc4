import { expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import type { IngestConfig } from '../../../functions/core/ingest/ingest-types.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { appendDigest, listDigestKeys } from '../../../functions/core/lake/digest.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { type ObjectStore, PreconditionFailedError } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';
import { VersionedMemoryStore } from '../../support/versioned-memory-store.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const now = day0 + 6 * HOUR_MS + 30 * 60_000;
const config = (): IngestConfig => ({ ...defaultIngestConfig('acme'), backfillDays: 1, concurrency: 1 });

/**
 * The lake, where the first digest put listing a create lands but its answer is lost: the SDK's
 * retry (If-None-Match: *) is answered 412, as if another run had taken the number.
 */
function answerLostOnce(lake: VersionedMemoryStore): ObjectStore {
  let lost = false;
  return {
    location: lake.location,
    get: (key) => lake.get(key),
    list: (prefix) => lake.list(prefix),
    put: async (key, body, options) => {
      const put = await lake.put(key, body, options);
      if (!lost && key.startsWith('digest/') && new TextDecoder().decode(body).includes('"replaced":null')) {
        lost = true;
        throw new PreconditionFailedError(key);
      }
      return put;
    },
  };
}

it('takes a digest that landed but whose answer was lost as no removal', async () => {
  const lake = new VersionedMemoryStore();
  const source = new MemoryAuditSource(
    Array.from({ length: 18 }, (_, i) => viewEntry(day0 + i * 20 * 60_000, i)),
  );
  const run = await runIngest(quietIngestDeps(source, answerLostOnce(lake), now), config(), {
    runId: 'run-a',
  });
  expect(run.windowsDone).toBe(run.windowsPlanned);
  const report = await verifyIntegrity(lake, 'acme', { versions: lake });
  expect(report.digestVersions).toBe('checked');
  expect(report.problems).toEqual([]);
});

it('takes the number its own landed put holds, and appends no second digest of the same entries', async () => {
  const lake = new VersionedMemoryStore();
  const input = {
    instance: 'acme',
    runId: 'run-a',
    createdAt: '2026-10-01T07:00:00.000Z',
    sealed: true,
    fromMs: day0,
  };
  await appendDigest(lake, { ...input, objects: [] });
  const objects = [
    { key: 'x', sha256: 'a'.repeat(64), bytes: 1, records: 1, how: 'write' as const, replaced: null },
  ];
  const head = await appendDigest(answerLostOnce(lake), { ...input, objects });
  expect(head.sequence).toBe(1);
  expect(await listDigestKeys(lake, 'acme')).toHaveLength(2);
});

it('still appends at the next number when another run took it', async () => {
  const store = new MemoryObjectStore();
  const input = {
    instance: 'acme',
    createdAt: '2026-10-01T07:00:00.000Z',
    objects: [],
    sealed: true,
    fromMs: day0,
  };
  const stale = await appendDigest(store, { ...input, runId: 'run-a' });
  await appendDigest(store, { ...input, runId: 'run-b', head: stale });
  const head = await appendDigest(store, { ...input, runId: 'run-c', head: stale });
  expect(head.sequence).toBe(2);
});

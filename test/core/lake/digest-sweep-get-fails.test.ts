import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import type { IngestConfig, IngestDeps } from '../../../functions/core/ingest/ingest-types.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { activityKey, HOUR_MS } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { type ObjectStore, silentLog } from '../../../functions/core/ports.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const now = day0 + 6 * HOUR_MS + 30 * 60_000;
const config = (overrides: Partial<IngestConfig> = {}): IngestConfig => ({
  ...defaultIngestConfig('acme'),
  backfillDays: 1,
  ...overrides,
});

/** The lake, but the first GET of `key` answers 503 (after the SDK's retries). */
function firstGetFails(lake: MemoryObjectStore, key: string): ObjectStore {
  let failed = false;
  return {
    location: lake.location,
    list: (prefix) => lake.list(prefix),
    put: (k, body, options) => lake.put(k, body, options),
    get: async (k) => {
      if (k === key && !failed) {
        failed = true;
        throw new Error('S3 GetObject failed with ServiceUnavailable (HTTP 503)');
      }
      return lake.get(k);
    },
  };
}

// The sweep of a dead run's hours is how its leftovers get into the chain. A run whose sweep fails
// must not seal: that would close the dead run with its leftovers unrecorded.
describe('a run whose sweep of a dead run fails', () => {
  it('leaves the chain unsealed, and the next run sweeps and records what the dead run left', async () => {
    const source = new MemoryAuditSource(
      Array.from({ length: 18 }, (_, i) => viewEntry(day0 + i * 20 * 60_000, i)),
    );
    const lake = new MemoryObjectStore();
    let clock = now;
    const depsOn = (store: ObjectStore): IngestDeps => ({
      source,
      store,
      clock: { now: () => clock },
      log: silentLog,
      metrics: { count() {} },
    });
    await runIngest(depsOn(lake), config());

    // A range run over hours 0-2 (which no scheduled run pulls again) dies right after rewriting hour 1.
    const hour1 = activityKey('acme', day0 + HOUR_MS);
    source.add(viewEntry(day0 + HOUR_MS + 1, 99));
    let dead = false;
    lake.beforePut = (key) => {
      if (dead) throw new Error('crash');
      if (key === hour1) dead = true;
    };
    await runIngest(depsOn(lake), config({ concurrency: 1 }), {
      range: { fromMs: day0, toMs: day0 + 3 * HOUR_MS },
    });
    lake.beforePut = undefined;

    // The next run's sweep cannot read hour 1 once: its first write fails, and it must not seal.
    clock = now + HOUR_MS;
    const failed = await runIngest(depsOn(firstGetFails(lake, hour1)), config(), { runId: 'run-b' });
    expect(failed.failures.some((failure) => failure.message.includes('HTTP 503'))).toBe(true);
    expect((await verifyIntegrity(lake, 'acme')).unsealedHead).not.toBeNull();

    clock = now + HOUR_MS + 60_000;
    await runIngest(depsOn(lake), config(), { runId: 'run-c' });
    const report = await verifyIntegrity(lake, 'acme');
    expect(report).toMatchObject({ ok: true, problems: [], unsealedHead: null });
    // What the dead range run left (hour 1, and the manifest it rewrote before) is recorded by run C.
    expect(report.recordedOnRead.map((r) => r.key)).toContain(hour1);
    expect(report.recordedOnRead.every((r) => r.runId === 'run-c')).toBe(true);
  });
});

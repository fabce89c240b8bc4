import { describe, expect, it } from 'vitest';
import type { IngestDeps } from '../../../functions/core/ingest/ingest-types.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { type ObjectStore, silentLog } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { noWaits } from '../../support/no-waits.ts';
import {
  deadRangeRun,
  SIX_HOUR_LAKE_NOW,
  sixHourConfig,
  sixHourSource,
} from '../../support/six-hour-lake.ts';

const now = SIX_HOUR_LAKE_NOW;
const config = sixHourConfig;

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
    const source = sixHourSource();
    const lake = new MemoryObjectStore();
    let clock = now;
    const depsOn = (store: ObjectStore): IngestDeps => ({
      ...noWaits,
      source,
      store,
      clock: { now: () => clock },
      log: silentLog,
      metrics: { count() {} },
    });
    await runIngest(depsOn(lake), config());

    // A range run over hours 0-2 dies right after rewriting hour 1 (a late event).
    const hour1 = await deadRangeRun(depsOn(lake), source, lake);

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

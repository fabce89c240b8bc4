/**
 * A scheduled run reads the last run record and finds the digest chain's head before its first pull
 * (chain-cut-guard.ts); its opening, at its first write, needs the head again. It searched for it
 * anew from digest 0 (~2·log2(N) probes in a row, the record's hint unused) where the guard had
 * just found it: the opening now lists after the head the guard found, and neither probes it nor
 * reads the record again. Counted on the in-memory store probing by HEAD, as S3 does (one run,
 * nothing concurrent: the counts are exact).
 */
import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { recordLastRun } from '../../../functions/core/ingest/record-last-run.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { listDigestKeys } from '../../../functions/core/lake/digest.ts';
import { digestSequenceFromKey } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import type { ObjectStore } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { HOURLY_RUNS_START, hourlyRunsLake } from '../../support/hourly-runs-lake.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import type { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

/** `lake` probing by HEAD (S3's), every request made of it listed as `<method> <key>`. */
function countingWithHead(lake: MemoryObjectStore): { store: ObjectStore; requests: string[] } {
  const requests: string[] = [];
  const store: ObjectStore = {
    location: lake.location,
    get: (key) => {
      requests.push(`get ${key}`);
      return lake.get(key);
    },
    exists: async (key) => {
      requests.push(`exists ${key}`);
      return lake.objects.has(key);
    },
    list: (prefix, options) => {
      requests.push(`list ${prefix}`);
      return lake.list(prefix, options);
    },
    put: (key, body, options) => {
      requests.push(`put ${key}`);
      return lake.put(key, body, options);
    },
  };
  return { store, requests };
}

const hour = (n: number) => HOURLY_RUNS_START + n * HOUR_MS;
const runAt = (n: number) => hour(n) + 20 * 60_000;

describe('a run that stores an hour on three days of hourly runs', () => {
  const config = { ...defaultIngestConfig('acme'), backfillDays: 1 };
  const domo = new MemoryAuditSource([
    viewEntry(hour(72) + 60_000, 1_072),
    viewEntry(hour(73) + 60_000, 1_073),
  ]);

  it('reads the run record once and probes the head once: its opening starts from what the guard found', async () => {
    const lake = await hourlyRunsLake(72);
    // The record the run before leaves (the lake's runs left none), naming the head.
    const before = await runIngest(quietIngestDeps(domo, lake, runAt(72)), config, { runId: 'before' });
    await recordLastRun(lake, before, runAt(72));
    const headBefore = digestSequenceFromKey((await listDigestKeys(lake, 'acme')).at(-1) as string);

    const counted = countingWithHead(lake);
    const run = await runIngest(quietIngestDeps(domo, counted.store, runAt(73)), config, {
      runId: 'counted',
    });
    // The hour settled since, and the lookback's hours again: the run opens its digest and seals.
    expect(run.windowsFailed).toBe(0);
    expect(run.eventsWritten).toBeGreaterThan(0);
    const of = (test: (request: string) => boolean) => counted.requests.filter(test);
    expect(of((r) => r.includes('/last-run.json'))).toEqual(['get state/instance=acme/last-run.json']);
    // Digest 0 looked for (chain-restart-guard.ts) and the recorded head (chain-cut-guard.ts): no
    // other probe (the search from digest 0 made 15 more on this chain).
    const probes = of((r) => r.startsWith('exists digest/'));
    expect(probes).toHaveLength(2);
    expect(probes[1]).toContain(`${String(headBefore).padStart(10, '0')}.json`);
    // A listing after the head by the guard, and one by the opening: digests appended in between
    // are found (the head is never taken from the guard alone).
    expect(of((r) => r.startsWith('list digest/'))).toHaveLength(2);
    // The chain the run appended to is whole, its digests linked to the head it found.
    expect((await verifyIntegrity(lake, 'acme')).problems).toEqual([]);
    expect(run.digestHead).toBeGreaterThan(headBefore as number);
  });
});

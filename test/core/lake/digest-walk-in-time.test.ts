/**
 * The opening's walk over the runs open at the chain's head stops for want of time, as its sweep
 * does, whatever seal it meets. A chain whose sealed digests predate `began` (a lake written
 * before it, or a forger's sealed digest without it) is read whole from digest 0: that read had no
 * time bound, so one run with nothing to pull on such a chain read every digest before its sweep
 * noticed the time (review R-SECOND2 L2: 81 GETs on 51 digests, for a budget of about 30).
 */
import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { appendDigest, listDigestKeys, readDigestHead } from '../../../functions/core/lake/digest.ts';
import { DigestRecorder, SweepOutOfTimeError } from '../../../functions/core/lake/digest-recorder.ts';
import type { ObjectStore } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { rewriteDigestsWithout } from '../../support/first-version-chain.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const now = day0 + 6 * HOUR_MS + 30 * 60_000;
const config = { ...defaultIngestConfig('acme'), backfillDays: 1, concurrency: 1 };

/** Eight re-pulls that sealed (`began` removed when `olderSeals`), then a dead run's two digests. */
async function longChain(olderSeals: boolean): Promise<MemoryObjectStore> {
  const domo = new MemoryAuditSource(
    Array.from({ length: 36 }, (_, i) => viewEntry(day0 + i * 10 * 60_000, i)),
  );
  const lake = new MemoryObjectStore();
  for (let run = 0; run < 8; run++) {
    const range = { fromMs: day0, toMs: day0 + 6 * HOUR_MS };
    await runIngest(quietIngestDeps(domo, lake, now), config, { runId: `sealed-${run}`, range });
    // A new entry, so the next re-pull writes (and lists) an hour again.
    domo.add(viewEntry(day0 + run * HOUR_MS + 5, 900 + run));
  }
  if (olderSeals) await rewriteDigestsWithout(lake, 'acme', ['began']);
  for (let digest = 0; digest < 2; digest++) {
    await appendDigest(lake, {
      instance: 'acme',
      runId: 'dead',
      createdAt: new Date(now).toISOString(),
      objects: [],
      sealed: false,
      fromMs: day0,
      toMs: day0 + HOUR_MS,
      head: await readDigestHead(lake, 'acme'),
    });
  }
  return lake;
}

describe('the opening of a run with nothing to pull, on a store where each GET takes 10 ms of 200', () => {
  it.each([
    ['seals that say where their run began', false],
    ['seals written before `began` (the whole chain read forward)', true],
  ])('stops reading digests once out of time: %s', async (_, olderSeals) => {
    const lake = await longChain(olderSeals);
    const digests = (await listDigestKeys(lake, 'acme')).length;
    let digestGets = 0;
    let gets = 0;
    const counting: ObjectStore = {
      location: lake.location,
      get: (key) => {
        gets++;
        if (key.startsWith('digest/')) digestGets++;
        return lake.get(key);
      },
      list: (prefix, options) => lake.list(prefix, options),
      put: (key, body, options) => lake.put(key, body, options),
    };
    const recorder = new DigestRecorder(counting, {
      instance: 'acme',
      runId: 'closer',
      clock: { now: () => now },
      reserveMs: 0,
      remainingTimeMs: () => 200 - 10 * gets,
    });
    recorder.begin(day0, day0 + HOUR_MS);
    await expect(recorder.openToCloseOpenRuns()).rejects.toThrow(SweepOutOfTimeError);
    expect(digests).toBeGreaterThan(50);
    // Its budget is 20 GETs; a batch of 16 in flight when the time ran out may still land.
    expect(digestGets).toBeLessThan(digests);
    expect(gets).toBeLessThanOrEqual(20 + 16);
  });
});

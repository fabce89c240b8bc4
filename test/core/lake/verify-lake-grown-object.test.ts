import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import type { IngestConfig, IngestDeps } from '../../../functions/core/ingest/ingest-types.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { activityKey, coverageKey } from '../../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip, encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import type { ObjectStore } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { deferred } from '../../support/deferred.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

// A pull merges an hour's new events into its object first and rewrites the manifest after: a
// verify reading the hour in between (an operator's check while the schedule runs) or after a
// pull died there finds more events than the manifest counts. Nothing is lost, so that is not a
// broken promise; an object holding anything else than whole later pulls' additions still is.
const day0 = Date.parse('2026-10-01T00:00:00Z');
const hour = { fromMs: day0, toMs: day0 + HOUR_MS };
const config: IngestConfig = { ...defaultIngestConfig('acme'), backfillDays: 2 };

/** One hour of three events pulled, then a late fourth that Domo starts serving. */
async function hourWithLateEvent() {
  const source = new MemoryAuditSource([0, 1, 2].map((i) => viewEntry(day0 + i * 600_000, i)));
  const store = new MemoryObjectStore();
  const deps: IngestDeps = quietIngestDeps(source, store, day0 + 48 * HOUR_MS);
  await runIngest(deps, config, { range: hour });
  expect(await verifyLake(store, 'acme', hour)).toMatchObject({ ok: true, events: 3 });
  source.add(viewEntry(day0 + 20 * 60_000, 77));
  const pullAgain = () => runIngest(deps, config, { range: hour });
  return { store, pullAgain };
}

const isManifest = (key: string) => key === coverageKey('acme', day0);

describe('verifyLake on an hour whose object grew past its manifest', () => {
  it('while a pull is between its merge and its manifest: reported as grown, not a failure', async () => {
    const { store, pullAgain } = await hourWithLateEvent();
    let midPull: Awaited<ReturnType<typeof verifyLake>> | undefined;
    store.beforePut = async (key) => {
      if (isManifest(key) && !midPull) midPull = await verifyLake(store, 'acme', hour);
    };
    await pullAgain();
    expect(midPull).toMatchObject({
      ok: true,
      events: 4,
      manifestMismatches: [],
      grownPastManifest: [{ windowStartMs: day0, detail: 'manifest says 3 events, object holds 4' }],
    });
    store.beforePut = undefined;
    expect(await verifyLake(store, 'acme', hour)).toMatchObject({ ok: true, grownPastManifest: [] });
  });

  it('reads the manifest again: a pull that wrote it after the object was read leaves nothing to report', async () => {
    const { store, pullAgain } = await hourWithLateEvent();
    const objectRead = deferred();
    let pulled: Promise<unknown> = Promise.resolve();
    // Verify reads the old manifest and the grown object; the manifest lands before it is read again.
    let manifestReads = 0;
    const watched: ObjectStore = {
      location: store.location,
      list: (prefix) => store.list(prefix),
      put: (key, body, options) => store.put(key, body, options),
      get: async (key) => {
        if (isManifest(key) && ++manifestReads === 2) await pulled;
        const found = await store.get(key);
        if (key === activityKey('acme', day0)) objectRead.resolve();
        return found;
      },
    };
    let verified: ReturnType<typeof verifyLake> | undefined;
    store.beforePut = async (key) => {
      if (!isManifest(key) || verified) return;
      verified = verifyLake(watched, 'acme', hour);
      await objectRead.promise;
    };
    pulled = pullAgain();
    await pulled;
    expect(manifestReads).toBe(2);
    expect(await verified).toMatchObject({
      ok: true,
      events: 4,
      manifestMismatches: [],
      grownPastManifest: [],
    });
  });

  it('after a pull died before its manifest: grown until the next pull of the hour rewrites it', async () => {
    const { store, pullAgain } = await hourWithLateEvent();
    store.beforePut = (key) => {
      if (isManifest(key)) throw new Error('the process died');
    };
    expect((await pullAgain()).failures).toHaveLength(1);
    store.beforePut = undefined;
    const report = await verifyLake(store, 'acme', hour);
    expect(report).toMatchObject({ ok: true, grownPastManifest: [{ windowStartMs: day0 }] });
    await pullAgain();
    expect(await verifyLake(store, 'acme', hour)).toMatchObject({ ok: true, grownPastManifest: [] });
  });

  it('an event added beside the pulls that wrote the hour is still a mismatch', async () => {
    const { store } = await hourWithLateEvent();
    const key = activityKey('acme', day0);
    const records = decodeNdjsonGzip(store.objects.get(key)?.body as Uint8Array) as EventRecord[];
    const forged = { ...(records[0] as EventRecord), event_id: 'f'.repeat(64) };
    store.putNow(key, encodeNdjsonGzip([...records, forged]));
    expect(await verifyLake(store, 'acme', hour)).toMatchObject({
      ok: false,
      manifestMismatches: [{ windowStartMs: day0, detail: 'manifest says 3 events, object holds 4' }],
      grownPastManifest: [],
    });
  });
});

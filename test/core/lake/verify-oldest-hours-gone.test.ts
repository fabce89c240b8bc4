import { describe, expect, it } from 'vitest';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { readCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { appendDigest, listDigestKeys } from '../../../functions/core/lake/digest.ts';
import {
  activityKey,
  checkpointKey,
  coverageKey,
  digestKey,
  quarantineKey,
  tableInstancePrefix,
  windowStartFromKey,
} from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import { wholeLakeRange } from '../../../functions/core/lake/whole-lake-range.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { runDigest } from '../../support/sealed-digest.ts';
import { DAY0, lakeAfterOneRun, oneDayConfig } from './support/one-run-lake.ts';

/** The covered hours of `acme`, oldest first. */
async function coveredHours(store: MemoryObjectStore): Promise<number[]> {
  const hours: number[] = [];
  for await (const key of store.list(tableInstancePrefix('coverage', 'acme'))) {
    const start = windowStartFromKey(key);
    if (start !== undefined) hours.push(start);
  }
  return hours.sort((a, b) => a - b);
}

/** Deletes the `n` oldest covered hours, their manifests, events and quarantine objects. */
async function deleteOldestHours(store: MemoryObjectStore, n: number): Promise<number[]> {
  const gone = (await coveredHours(store)).slice(0, n);
  for (const hour of gone) {
    for (const key of [coverageKey('acme', hour), activityKey('acme', hour), quarantineKey('acme', hour)])
      store.objects.delete(key);
  }
  return gone;
}

/** Two scheduled runs: the checkpoint's `plan_from_ms` is then the second one's, not the lake's start. */
async function lakeAfterTwoRuns() {
  const lake = await lakeAfterOneRun();
  lake.setClock(DAY0 + 8 * HOUR_MS + 30 * 60_000);
  await runIngest(lake.deps, oneDayConfig());
  return lake;
}

describe('verify without a range, of a lake whose oldest hours were deleted', () => {
  it('starts where the genesis digest says the lake began, and reports the hours deleted as a gap', async () => {
    const { store } = await lakeAfterTwoRuns();
    const first = (await coveredHours(store))[0] as number;
    const intact = await verifyLake(store, 'acme');
    expect(intact).toMatchObject({ ok: true, gaps: [], fromMs: first });
    const planFromMs = (await readCheckpoint(store, 'acme'))?.checkpoint.plan_from_ms as number;
    expect(planFromMs).toBeGreaterThan(first + 3 * HOUR_MS);

    const gone = await deleteOldestHours(store, 3);
    const report = await verifyLake(store, 'acme');
    expect(report.ok).toBe(false);
    expect(report.fromMs).toBe(first);
    expect(report.gaps).toEqual([{ fromMs: gone[0], toMs: (gone[2] as number) + HOUR_MS }]);
    expect(report.windowsExpected - report.windowsCovered).toBe(3);
    // Below the watermark: a broken promise that scheduled runs do not mend.
    expect(report.uncoveredBelowWatermark).toBe(3);
  });

  it("starts at the checkpoint's plan start when the chain says nothing (its digests gone)", async () => {
    const { store } = await lakeAfterOneRun();
    const first = (await coveredHours(store))[0] as number;
    for (const key of await listDigestKeys(store, 'acme')) store.objects.delete(key);
    expect((await readCheckpoint(store, 'acme'))?.checkpoint.plan_from_ms).toBe(first);
    const gone = await deleteOldestHours(store, 2);
    const report = await verifyLake(store, 'acme');
    expect(report.ok).toBe(false);
    expect(report.gaps).toEqual([{ fromMs: gone[0], toMs: (gone[1] as number) + HOUR_MS }]);
  });

  it('reports every hour to the watermark when all were deleted, rather than "no covered hour"', async () => {
    const { store } = await lakeAfterOneRun();
    const hours = await coveredHours(store);
    await deleteOldestHours(store, hours.length);
    const watermarkMs = (await readCheckpoint(store, 'acme'))?.checkpoint.watermark_ms as number;
    const report = await verifyLake(store, 'acme');
    expect(report.ok).toBe(false);
    expect(report.windowsCovered).toBe(0);
    expect(report.gaps).toEqual([{ fromMs: hours[0], toMs: watermarkMs }]);
  });

  it('of a lake only ingest --from/--to filled (no checkpoint), starts at the first range run', async () => {
    const { deps } = await lakeAfterOneRun();
    const range = { fromMs: DAY0 - 4 * HOUR_MS, toMs: DAY0 + 4 * HOUR_MS };
    const ranged = new MemoryObjectStore();
    await runIngest({ ...deps, store: ranged }, oneDayConfig(), { range });
    expect(await readCheckpoint(ranged, 'acme')).toBeUndefined();
    expect(await verifyLake(ranged, 'acme')).toMatchObject({ ok: true, fromMs: range.fromMs });
    await deleteOldestHours(ranged, 2);
    const report = await verifyLake(ranged, 'acme');
    expect(report.ok).toBe(false);
    expect(report.gaps).toEqual([{ fromMs: range.fromMs, toMs: range.fromMs + 2 * HOUR_MS }]);
  });

  it("takes no start from a genesis that enrich wrote: its hours are those it was asked for, not the lake's", async () => {
    const store = new MemoryObjectStore();
    const hour = DAY0 + 5 * HOUR_MS;
    store.putNow(coverageKey('acme', hour), new Uint8Array());
    await appendDigest(store, { ...runDigest('enrich-20261001T070000000Z', [], DAY0 - 100 * HOUR_MS, true) });
    expect(await wholeLakeRange(store, 'acme', { watermarkMs: null })).toEqual({
      fromMs: hour,
      toMs: hour + HOUR_MS,
      listFromMs: hour,
      wholeLake: true,
    });
    // The same genesis by an ingest run (a `mode`) says where the lake began.
    const ingested = new MemoryObjectStore();
    ingested.putNow(coverageKey('acme', hour), new Uint8Array());
    await appendDigest(ingested, {
      ...runDigest('run-1', [], DAY0 - 2 * HOUR_MS, true),
      mode: 'range',
    });
    expect(await wholeLakeRange(ingested, 'acme', { watermarkMs: null })).toEqual({
      fromMs: DAY0 - 2 * HOUR_MS,
      toMs: hour + HOUR_MS,
      listFromMs: hour,
      wholeLake: true,
      began: { fromMs: DAY0 - 2 * HOUR_MS, from: 'genesis', coveredFromMs: hour, looksEdited: false },
    });
  });
});

/** `store`, counting the listings of coverage day folders (one LIST each on S3, at least). */
function countingCoverageDayLists(store: MemoryObjectStore) {
  const counted = { dayLists: 0 };
  const list = store.list.bind(store);
  store.list = (prefix, options) => {
    if (/^coverage\/instance=acme\/dt=/.test(prefix)) counted.dayLists++;
    return list(prefix, options);
  };
  return counted;
}

describe('verify without a range, of a lake whose recorded start was edited back', () => {
  it('reports the hours before the first covered one as one gap, without listing their days', async () => {
    const { store } = await lakeAfterOneRun();
    const first = (await coveredHours(store))[0] as number;
    // Review R-VERIFY2: plan_from_ms set to 0 cost a LIST per day since 1970 (21,099).
    const key = checkpointKey('acme');
    const checkpoint = JSON.parse(new TextDecoder().decode(store.objects.get(key)?.body));
    store.putNow(key, new TextEncoder().encode(JSON.stringify({ ...checkpoint, plan_from_ms: 0 })));
    const counted = countingCoverageDayLists(store);
    const report = await verifyLake(store, 'acme');
    expect(report.ok).toBe(false);
    expect(report.gaps).toEqual([{ fromMs: 0, toMs: first }]);
    // The lake's days (its backfill reaches into the day before), not one per day since 1970.
    const days = new Set((await coveredHours(store)).map((h) => Math.floor(h / (24 * HOUR_MS))));
    expect(counted.dayLists).toBe(days.size);
    expect(report.began).toEqual({ fromMs: 0, from: 'checkpoint', coveredFromMs: first, looksEdited: true });
  });

  it('says which record set the start, and does not call a start within any backfill edited', async () => {
    const { store } = await lakeAfterTwoRuns();
    const first = (await coveredHours(store))[0] as number;
    await deleteOldestHours(store, 3);
    const report = await verifyLake(store, 'acme');
    expect(report.began).toEqual({
      fromMs: first,
      from: 'genesis',
      coveredFromMs: first + 3 * HOUR_MS,
      looksEdited: false,
    });
    // A start where the first covered hour is: nothing to say.
    const intact = await lakeAfterTwoRuns();
    expect((await verifyLake(intact.store, 'acme')).began).toBeUndefined();
  });

  it('hides the oldest hours deleted from plain verify when the records are edited forward too, but not digest 0 gone: --integrity sees them', async () => {
    const { store } = await lakeAfterOneRun();
    const gone = await deleteOldestHours(store, 3);
    const left = (await coveredHours(store))[0] as number;
    store.objects.delete(digestKey('acme', 0));
    const key = checkpointKey('acme');
    const checkpoint = JSON.parse(new TextDecoder().decode(store.objects.get(key)?.body));
    store.putNow(key, new TextEncoder().encode(JSON.stringify({ ...checkpoint, plan_from_ms: left })));
    // What docs/guarantees.md §6 says plain verify cannot see: the hours. It sees digest 0 gone
    // while digest 1 is there (review STATUS7), and fails on that.
    expect(await verifyLake(store, 'acme')).toMatchObject({
      ok: false,
      gaps: [],
      fromMs: left,
      startUnlinked: digestKey('acme', 0),
    });
    const integrity = await verifyIntegrity(store, 'acme');
    expect(integrity.ok).toBe(false);
    expect(integrity.problems).toContainEqual(
      expect.objectContaining({ kind: 'broken-link', key: digestKey('acme', 0) }),
    );
    // The deleted hours' objects that later digests list.
    const missing = integrity.problems.filter((p) => p.kind === 'missing').map((p) => p.key);
    expect(missing).toEqual(expect.arrayContaining(gone.map((hour) => coverageKey('acme', hour))));
  });
});

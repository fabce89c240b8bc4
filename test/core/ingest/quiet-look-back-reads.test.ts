import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { coverageKey } from '../../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';
import { documentedSignIn, renamedSignIn } from '../../support/renamed-sign-ins.ts';

/*
 * A quiet hour's gaps are judged with the manifests of the hours before it (quiet-hours-before.ts).
 * On an instance of an entry an hour, each hourly run summed its lookback hour with 9 manifests
 * and its later pull with 9 more, read one after another, and read the manifest of every hour
 * it had just stored again to learn that it had.
 */

const day0 = Date.parse('2026-10-01T00:00:00Z');
const config = { ...defaultIngestConfig('acme'), backfillDays: 2 };

/** The lake's manifest reads: how many, and how many at once at most. */
function countedManifestReads(store: MemoryObjectStore) {
  const get = store.get.bind(store);
  const reads = {
    count: 0,
    inFlight: 0,
    mostAtOnce: 0,
    reset: () => Object.assign(reads, { count: 0, mostAtOnce: 0 }),
  };
  store.get = async (key) => {
    if (!key.startsWith('coverage/')) return get(key);
    reads.count++;
    reads.inFlight++;
    reads.mostAtOnce = Math.max(reads.mostAtOnce, reads.inFlight);
    // Another turn of the event loop, as a request to S3 takes: reads made at once overlap.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      return await get(key);
    } finally {
      reads.inFlight--;
    }
  };
  return reads;
}

/** An entry an hour from two days before `day0` to a day after it. */
const anEntryAnHour = () =>
  new MemoryAuditSource(
    Array.from({ length: 72 }, (_, h) => {
      const entry = documentedSignIn(day0 + (h - 48) * HOUR_MS, 10);
      return { timeMs: entry.time, entry };
    }),
  );

describe("a quiet hour's look back", () => {
  it("reads the hours before an hourly run's lookback several at once, and none the run stored", async () => {
    const source = anEntryAnHour();
    const store = new MemoryObjectStore();
    const reads = countedManifestReads(store);
    const first = await runIngest(quietIngestDeps(source, store, day0 + 20 * 60_000), config);
    expect(first.windowsDone).toBe(48);
    // Its own manifest an hour, and the hour before a span's first when another span stores it
    // still (97 before: the hour before each hour again).
    expect(reads.count).toBeLessThanOrEqual(60);

    reads.reset();
    const hourly = await runIngest(quietIngestDeps(source, store, day0 + HOUR_MS + 20 * 60_000), config);
    // The two lookback hours, the new one and the later pull of the hour a day before.
    expect(hourly.windowsDone).toBe(4);
    // Each look back reads the 8 manifests its sum needs at once (one after another before).
    expect(reads.mostAtOnce).toBeGreaterThanOrEqual(8);
    // The 4 hours' own, the hour before the plan, and 8 and 9 for the two look backs (25 before).
    expect(reads.count).toBeLessThanOrEqual(22);
  });

  it('judges as before: the sum stops at an hour not stored, though it read the hours past it', async () => {
    // 10:00 and 11:00 were pulled by a run of their own; 09:00 never was, and 00:00 to 08:00 hold
    // renamed sign-ins that summed with 12:00 would read as a change of shape.
    const at = (h: number) => day0 + h * HOUR_MS;
    const renamed = Array.from({ length: 9 }, (_, h) => renamedSignIn(at(h), 5));
    const served = [...renamed, renamedSignIn(at(10), 5), renamedSignIn(at(11), 5), renamedSignIn(at(12), 5)];
    const source = new MemoryAuditSource(served.map((entry) => ({ timeMs: entry.time, entry })));
    const store = new MemoryObjectStore();
    const range = (fromH: number, toH: number) => ({ range: { fromMs: at(fromH), toMs: at(toH) } });
    const deps = quietIngestDeps(source, store, at(30));
    await runIngest(deps, config, range(0, 9));
    await runIngest(deps, config, range(10, 12));
    expect(await store.get(coverageKey('acme', at(9)))).toBeUndefined();
    const notes: string[] = [];
    await runIngest({ ...deps, onShapeChange: (note) => notes.push(note) }, config, range(12, 13));
    expect(notes).toEqual([]);
  });

  // REVIEW89: a manifest read of the look back that failed (S3 after its retries) failed the hour
  // the run had just stored, and every hour judged after it, and stopped the run.
  it('fails no hour when a manifest it reads cannot be read: that hour is passed over', async () => {
    const source = anEntryAnHour();
    const store = new MemoryObjectStore();
    const at = (h: number) => day0 + h * HOUR_MS;
    const range = (fromH: number, toH: number) => ({ range: { fromMs: at(fromH), toMs: at(toH) } });
    await runIngest(quietIngestDeps(source, store, at(20)), config, range(-10, 0));
    const get = store.get.bind(store);
    store.get = async (key) => {
      if (key === coverageKey('acme', at(-4))) throw new Error('S3 answered 500');
      return get(key);
    };
    const hourly = { ...range(0, 3), spanSizing: { targetEvents: 1, maxHours: 1 } };
    const summary = await runIngest(quietIngestDeps(source, store, at(20)), config, hourly);
    expect(summary.failures).toEqual([]);
    expect(summary.windowsDone).toBe(3);
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { S3ObjectStore } from '../../functions/adapters/s3-store.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { verifyLake } from '../../functions/core/lake/verify-lake.ts';
import { noMetrics, type ObjectStore, silentLog } from '../../functions/core/ports.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import {
  generateInstance,
  type SimEvent,
  type Simulator,
  type SimulatorOptions,
  startSimulator,
  type TimeFormat,
} from '../../functions/simulator/index.ts';
import { startLocalS3 } from '../adapters/s3rver-harness.ts';
import { clockFrom } from '../support/clock-from.ts';
import { compareWithGroundTruth, readLake } from '../support/lake-contents.ts';
import { MemoryObjectStore } from '../support/memory-store.ts';
import { noWaits } from '../support/no-waits.ts';
import { simulatorClient } from '../support/simulator-client.ts';

const fromMs = Date.parse('2026-10-01T00:00:00Z');
const toMs = Date.parse('2026-10-03T00:00:00Z');
const instance = generateInstance({ seed: 7, fromMs, toMs, users: 12, eventsPerUserDay: 30 });
/** "Now" for the simulators and the ingests: a day after the two days, whatever the date (see clockFrom). */
const clock = clockFrom(toMs + 24 * HOUR_MS);

// Rates high enough that the ~35 requests of two days read in spans meet every kind of fault.
const faults = {
  rate429: 0.1,
  retryAfter: 'seconds' as const,
  rate5xx: 0.1,
  rateHtml: 0.06,
  rateTruncated: 0.06,
  tokenLifetimeSec: 2,
};
const variation = { omitOptional: 0.05, nullOptional: 0.05, extraFields: 0.05, twins: 0.03, malformed: 0.01 };

/** Ingests the two days through the real audit client, over HTTP or (`inProcess`) with the simulator's fetch. */
async function ingestFrom(
  sim: Simulator,
  store: ObjectStore,
  seed = 1,
  inProcess = false,
  range = { fromMs, toMs },
) {
  const source = simulatorClient(sim, { seed, inProcess });
  const summary = await runIngest(
    { ...noWaits, source, store, clock, log: silentLog, metrics: noMetrics },
    { ...defaultIngestConfig('default'), concurrency: 4 },
    { range },
  );
  return { summary, stats: source.stats() };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lake-it-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ingest against the simulator', () => {
  // The time formats change what Domo answers, not how it is reached or where the lake is: one goes
  // over HTTP and writes a lake on disk, the others call the simulator in process and write the
  // memory store (same conditional-write semantics, no temporary file, fsync and rename per put).
  const formats: { timeFormat: TimeFormat; inProcess: boolean }[] = [
    { timeFormat: 'epochMs', inProcess: false },
    { timeFormat: 'docString', inProcess: true },
    { timeFormat: 'iso', inProcess: true },
  ];
  for (const { timeFormat, inProcess } of formats) {
    const how = inProcess ? 'in process' : 'over HTTP';
    it(`stores exactly the source with faults on (time format ${timeFormat}, ${how}), and a rerun adds only what is new`, async () => {
      const options: SimulatorOptions = {
        events: instance.events,
        timeFormat,
        seed: 3,
        faults,
        entryVariation: variation,
        clock: clock.now,
      };
      const sim = await startSimulator(options);
      try {
        const store = inProcess ? new MemoryObjectStore() : new FsObjectStore(join(dir, timeFormat));
        const { summary, stats } = await ingestFrom(sim, store, 1, inProcess);
        expect(summary.failures).toEqual([]);
        expect(summary.windowsDone).toBe(48);
        const simStats = sim.stats();
        // The faults really happened and were survived.
        expect(simStats.faultsInjected.rate429 + simStats.faultsInjected.rate5xx).toBeGreaterThan(0);
        expect(simStats.faultsInjected.html + simStats.faultsInjected.truncated).toBeGreaterThan(0);
        expect(stats.retries).toBeGreaterThan(0);

        const first = compareWithGroundTruth(
          await readLake(store, 'default'),
          sim.groundTruth(),
          fromMs,
          toMs,
        );
        expect(first).toMatchObject({ lost: 0, duplicated: 0, quarantineLost: 0, duplicateIds: 0 });
        expect(first.expectedEvents).toBeGreaterThan(400);
        expect(first.storedEvents).toBe(first.expectedEvents);
        expect(first.expectedQuarantined).toBeGreaterThan(0);

        // Late events appear in Domo for hours already pulled; the rerun adds exactly them.
        // Served clean (no twin), so that exactly five more events are stored.
        const late: SimEvent[] = instance.events.slice(0, 5).map((e, i) => ({
          ...e,
          timeMs: fromMs + (i + 3) * HOUR_MS + 17,
          entry: { ...e.entry, objectName: `late ${i}` },
          planted: true,
        }));
        sim.addEvents(late);
        const rerun = await ingestFrom(sim, store, 2, inProcess);
        expect(rerun.summary.eventsWritten).toBe(5);
        expect(rerun.summary.lateEvents).toBe(5);
        const second = compareWithGroundTruth(
          await readLake(store, 'default'),
          sim.groundTruth(),
          fromMs,
          toMs,
        );
        expect(second).toMatchObject({ lost: 0, duplicated: 0, quarantineLost: 0, duplicateIds: 0 });
        expect(second.storedEvents).toBe(first.storedEvents + 5);
        const report = await verifyLake(store, 'default', { fromMs, toMs });
        expect(report.ok).toBe(true);
        expect(report.lateEventsTotal).toBe(5);
      } finally {
        await sim.close();
      }
    });
  }

  it('writes the same lake into S3 (s3rver) as on disk', async () => {
    const sim = await startSimulator({
      events: instance.events,
      seed: 5,
      faults,
      entryVariation: variation,
      clock: clock.now,
    });
    const s3 = await startLocalS3('lake-bucket');
    // Twelve hours across midnight: both day partitions, at a tenth of s3rver's requests for two days.
    const range = { fromMs: fromMs + 18 * HOUR_MS, toMs: fromMs + 30 * HOUR_MS };
    try {
      const store = new S3ObjectStore({ client: s3.client, bucket: 'lake-bucket', prefix: 'domo/lake' });
      // What is proven here is the S3 side: Domo is answered in process.
      const { summary } = await ingestFrom(sim, store, 1, true, range);
      expect(summary.failures).toEqual([]);
      const lake = await readLake(store, 'default');
      const comparison = compareWithGroundTruth(lake, sim.groundTruth(), range.fromMs, range.toMs);
      expect(comparison).toMatchObject({ lost: 0, duplicated: 0, quarantineLost: 0 });
      expect(comparison.storedEvents).toBeGreaterThan(0);
      const keys: string[] = [];
      for await (const key of store.list('coverage/')) keys.push(key);
      // Every hour is covered; hours without events have a manifest but no event object.
      expect(keys).toHaveLength(12);
      expect(keys[0]).toBe('coverage/instance=default/dt=2026-10-01/2026-10-01T18.json');
      const days = new Set<string>();
      for await (const key of store.list('activity_log/')) {
        expect(key).toMatch(
          /^activity_log\/instance=default\/dt=2026-10-0[12]\/2026-10-0[12]T\d\d\.ndjson\.gz$/,
        );
        days.add(key.split('/')[2] as string);
      }
      expect([...days].sort()).toEqual(['dt=2026-10-01', 'dt=2026-10-02']);
      expect((await verifyLake(store, 'default', range)).ok).toBe(true);
    } finally {
      await s3.stop();
      await sim.close();
    }
  });
});

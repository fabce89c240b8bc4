import { beforeAll, describe, expect, it } from 'vitest';
import { READS_IN_FLIGHT } from '../../../functions/core/lake/read-ahead.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import type { ObjectStore } from '../../../functions/core/ports.ts';
import {
  hourlyRunsLake,
  OneAtATimeStore,
  ScrambledStore,
  tamperedHourlyRunsLake,
} from '../../support/hourly-runs-lake.ts';
import type { MemoryObjectStore } from '../../support/memory-store.ts';
import { VirtualLatencyStore } from '../../support/virtual-latency-store.ts';

/** A GET of S3, roughly. */
const GET_MS = 30;
/** Three days of hours: three day partitions, and a chain of a few digests an hour. */
const HOURS = 72;

let lake: MemoryObjectStore;
beforeAll(async () => {
  lake = await hourlyRunsLake(HOURS);
});

/** Round trips the GETs cost: the virtual time over that of one GET. */
const roundTrips = (timed: VirtualLatencyStore) => timed.elapsedMs / GET_MS;

describe('verify on a store with round trips (S3)', () => {
  it('reads ahead: a lake of N hours in about a sixteenth of the round trips, 16 GETs at most at once', async () => {
    const timed = new VirtualLatencyStore(lake, GET_MS);
    const report = await verifyLake(timed, 'acme');
    expect(report.ok).toBe(true);
    expect(report.windowsCovered).toBeGreaterThanOrEqual(HOURS);
    // One GET after the other: a manifest and an object an hour, 2N + 1 round trips.
    expect(timed.gets).toBeGreaterThanOrEqual(2 * HOURS);
    expect(roundTrips(timed)).toBeLessThan(timed.gets / 8);
    expect(timed.mostInFlight).toBeLessThanOrEqual(READS_IN_FLIGHT);
  });

  it('reads the digest chain and the objects ahead too (--integrity)', async () => {
    const timed = new VirtualLatencyStore(lake, GET_MS);
    const report = await verifyIntegrity(timed, 'acme');
    expect(report.ok).toBe(true);
    expect(report.digests).toBeGreaterThan(HOURS);
    expect(timed.gets).toBeGreaterThanOrEqual(report.digests + report.objectsChecked);
    expect(roundTrips(timed)).toBeLessThan(timed.gets / 8);
    expect(timed.mostInFlight).toBeLessThanOrEqual(READS_IN_FLIGHT);
  });
});

const verifyBoth = async (store: ObjectStore) => ({
  lake: await verifyLake(store, 'acme'),
  integrity: await verifyIntegrity(store, 'acme'),
});

describe('verify reading ahead', () => {
  it('finds in a tampered lake exactly what reading one GET at a time finds, in the same order', async () => {
    const store = await tamperedHourlyRunsLake(HOURS);
    const oneAtATime = await verifyBoth(new OneAtATimeStore(store));
    expect(oneAtATime.lake.gaps).toHaveLength(1);
    expect(oneAtATime.lake.manifestMismatches.length).toBeGreaterThanOrEqual(3);
    expect(oneAtATime.lake.duplicateIds).toBeGreaterThan(0);
    expect(new Set(oneAtATime.integrity.problems.map((p) => p.kind))).toEqual(
      new Set(['broken-link', 'bad-digest', 'changed', 'missing', 'unlisted']),
    );
    // GETs that end in another order than they were made change nothing, not even the order.
    expect(await verifyBoth(new ScrambledStore(store))).toEqual(oneAtATime);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { inDigestScope } from '../../../functions/core/lake/digest.ts';
import { digestKey } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import { verifyWithIntegrity } from '../../../functions/core/lake/verify-with-integrity.ts';
import type { ObjectStore, StoredObject } from '../../../functions/core/ports.ts';
import { hourlyRunsLake, tamperedHourlyRunsLake } from '../../support/hourly-runs-lake.ts';
import type { MemoryObjectStore } from '../../support/memory-store.ts';

const HOURS = 60;

/** A store that notes each GET's key, in the order they are made. */
class GetLog implements ObjectStore {
  readonly location: string;
  readonly keys: string[] = [];

  constructor(private readonly lake: ObjectStore) {
    this.location = lake.location;
  }

  get(key: string): Promise<StoredObject | undefined> {
    this.keys.push(key);
    return this.lake.get(key);
  }

  put: ObjectStore['put'] = (key, body, options) => this.lake.put(key, body, options);
  list: ObjectStore['list'] = (prefix, options) => this.lake.list(prefix, options);
}

let lake: MemoryObjectStore;
beforeAll(async () => {
  lake = await hourlyRunsLake(HOURS);
});

describe('verify --integrity', () => {
  it('reads each object of the tables once, after the last digest', async () => {
    const log = new GetLog(lake);
    const report = await verifyWithIntegrity(log, 'acme', undefined);
    expect(report.ok).toBe(true);
    const tableReads = log.keys.filter((key) => inDigestScope('acme', key));
    // Every object checked was read (hours of no events have no object: read, found none).
    expect(tableReads.length).toBeGreaterThanOrEqual(report.integrity?.objectsChecked ?? Infinity);
    expect(new Set(tableReads).size).toBe(tableReads.length);
    // The objects are judged by the digests: read after them, not before a run recorded a rewrite.
    // Then the number after the last is probed, for a run that appended meanwhile.
    const next = digestKey('acme', report.integrity?.digests ?? 0);
    expect(log.keys.at(-1)).toBe(next);
    const lastDigest = log.keys.findLastIndex((key) => key.startsWith('digest/') && key !== next);
    const firstObject = log.keys.findIndex((key) => inDigestScope('acme', key));
    expect(lastDigest).toBeLessThan(firstObject);
  });

  it('finds in a tampered lake what the two checks one after the other find', async () => {
    const store = await tamperedHourlyRunsLake(HOURS);
    const apart = await verifyLake(store, 'acme');
    // The digests of this lake are not signed: they name no key, and no key was given.
    apart.integrity = { ...(await verifyIntegrity(store, 'acme')), signingKey: { keyIds: [] } };
    apart.ok &&= apart.integrity.ok;
    expect(apart.ok).toBe(false);
    expect(apart.integrity.problems.length).toBeGreaterThan(5);
    const together = await verifyWithIntegrity(store, 'acme', undefined);
    // And who the digests say ran their runs, which the chain check alone does not group: these
    // runs recorded none.
    expect(together.integrity?.runners).toEqual([expect.not.objectContaining({ runner: expect.anything() })]);
    delete together.integrity?.runners;
    expect(together).toEqual(apart);
  });
});

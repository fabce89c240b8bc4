import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { activityKey, coverageKey, digestKey, quarantineKey } from '../../functions/core/lake/layout.ts';
import type { ObjectStore, StoredObject } from '../../functions/core/ports.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from './memory-audit-source.ts';
import { MemoryObjectStore } from './memory-store.ts';
import { quietIngestDeps } from './quiet-ingest-deps.ts';
import { seeded } from './seeded-random.ts';

/** The first hour of {@link hourlyRunsLake}. */
export const HOURLY_RUNS_START = Date.parse('2026-10-01T00:00:00Z');

/**
 * Instance `acme` after `hours` scheduled runs, one an hour (as the stack runs them), each pulling
 * the hour just settled (one view): a lake whose digest chain grows a few digests an hour.
 */
export async function hourlyRunsLake(hours: number): Promise<MemoryObjectStore> {
  const store = new MemoryObjectStore();
  const source = new MemoryAuditSource(
    Array.from({ length: hours + 1 }, (_, i) => viewEntry(HOURLY_RUNS_START + i * HOUR_MS + 60_000, i)),
  );
  const config = { ...defaultIngestConfig('acme'), backfillDays: 1 };
  for (let hour = 1; hour <= hours; hour++) {
    const now = HOURLY_RUNS_START + hour * HOUR_MS + 20 * 60_000;
    await runIngest(quietIngestDeps(source, store, now), config);
  }
  return store;
}

/**
 * {@link hourlyRunsLake} (of at least 60 hours) with a finding of most kinds, spread over its
 * hours and its chain.
 */
export async function tamperedHourlyRunsLake(hours: number): Promise<MemoryObjectStore> {
  const store = await hourlyRunsLake(hours);
  const hour = (n: number) => HOURLY_RUNS_START + n * HOUR_MS;
  const bodyOf = (key: string) => store.objects.get(key)?.body as Uint8Array;
  // Hour 11's events stored in hour 12 too: duplicates, misplaced records, a changed object.
  store.putNow(activityKey('acme', hour(12)), bodyOf(activityKey('acme', hour(11))));
  // Two hours' objects swapped.
  const [a, b] = [activityKey('acme', hour(30)), activityKey('acme', hour(31))];
  const [bytesA, bytesB] = [bodyOf(a), bodyOf(b)];
  store.putNow(a, bytesB);
  store.putNow(b, bytesA);
  // A manifest gone (a gap, an interrupted hour) and an object gone (a mismatch, a missing object).
  store.objects.delete(coverageKey('acme', hour(20)));
  store.objects.delete(activityKey('acme', hour(40)));
  // An object no digest lists, a digest gone and one that does not decode.
  store.putNow(quarantineKey('acme', hour(50)), new Uint8Array([1, 2, 3]));
  store.objects.delete(digestKey('acme', 9));
  store.putNow(digestKey('acme', 25), new TextEncoder().encode('{"not":"a digest"}'));
  return store;
}

/**
 * A store whose GETs answer after 0 to 3 ms, drawn from a fixed seed: GETs made together end in
 * another order than they were made, as on S3.
 */
export class ScrambledStore implements ObjectStore {
  readonly location: string;
  private readonly delay = seeded(39);

  constructor(private readonly lake: ObjectStore) {
    this.location = lake.location;
  }

  async get(key: string): Promise<StoredObject | undefined> {
    await new Promise((resolve) => setTimeout(resolve, Math.floor(this.delay() * 4)));
    return this.lake.get(key);
  }

  put: ObjectStore['put'] = (key, body, options) => this.lake.put(key, body, options);
  list: ObjectStore['list'] = (prefix, options) => this.lake.list(prefix, options);
}

/** A store that answers one GET at a time, in the order they were made: reading one after the other. */
export class OneAtATimeStore implements ObjectStore {
  readonly location: string;
  private last: Promise<unknown> = Promise.resolve();

  constructor(private readonly lake: ObjectStore) {
    this.location = lake.location;
  }

  get(key: string): Promise<StoredObject | undefined> {
    const answer = this.last.then(() => this.lake.get(key));
    this.last = answer.catch(() => undefined);
    return answer;
  }

  put: ObjectStore['put'] = (key, body, options) => this.lake.put(key, body, options);
  list: ObjectStore['list'] = (prefix, options) => this.lake.list(prefix, options);
}

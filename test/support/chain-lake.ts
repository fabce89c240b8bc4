import { expect } from 'vitest';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { listDigestKeys } from '../../functions/core/lake/digest.ts';
import { noMetrics, silentLog } from '../../functions/core/ports.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import {
  generateInstance,
  type SimEvent,
  type SimUser,
  type Simulator,
  startSimulator,
} from '../../functions/simulator/index.ts';
import { MemoryObjectStore } from './memory-store.ts';
import { noWaits } from './no-waits.ts';
import { simulatorClient } from './simulator-client.ts';

/**
 * A small lake of instance "acme" pulled by scheduled runs from an in-process simulator, for the
 * tests of what a run does when the digest chain is missing or asked to restart.
 */

const day0 = Date.parse('2026-10-01T00:00:00Z');
/** The first scheduled run's time: six hours and a half into the simulated day. */
export const firstNow = day0 + 6 * HOUR_MS + 30 * 60_000;
const config = { ...defaultIngestConfig('acme'), backfillDays: 1, repullAfterHours: 0 };

let sim: Simulator | undefined;

/** The simulator of the last {@link sixHourLake}; for a file's afterEach to close. */
export const chainLakeSimulator = (): Simulator => sim as Simulator;

/** Closes the simulator {@link sixHourLake} started, if any. */
export async function closeChainLakeSimulator(): Promise<void> {
  await sim?.close();
  sim = undefined;
}

/**
 * A scheduled run (checkpoint mode) at `nowMs` from the simulator into `store`; `onFirstPage` runs
 * before its first request for an hour.
 */
export async function scheduledRun(
  store: MemoryObjectStore,
  nowMs: number,
  restartDigestChain = false,
  onFirstPage?: () => void,
) {
  const source = simulatorClient(sim as Simulator, { seed: 1, inProcess: true });
  const fetchPage = source.fetchPage.bind(source);
  let first = onFirstPage;
  source.fetchPage = (query) => {
    first?.();
    first = undefined;
    return fetchPage(query);
  };
  return runIngest(
    {
      ...noWaits,
      source,
      store,
      clock: { now: () => nowMs },
      log: silentLog,
      metrics: noMetrics,
    },
    config,
    restartDigestChain ? { restartDigestChain } : {},
  );
}

/**
 * A lake of six hours pulled by a scheduled run; the next run's time two hours on. `plant` adds
 * events of its own, given the two users (the first an admin).
 */
export async function sixHourLake(plant: (users: readonly SimUser[]) => SimEvent[] = () => []) {
  const now = { ms: firstNow };
  const instance = generateInstance({
    seed: 8,
    fromMs: day0 - 24 * HOUR_MS,
    toMs: day0 + 9 * HOUR_MS,
    users: 2,
  });
  sim = await startSimulator({
    events: [...instance.events, ...plant(instance.users)],
    clock: () => now.ms,
  });
  const store = new MemoryObjectStore();
  expect((await scheduledRun(store, now.ms)).outcome).toBe('complete');
  now.ms += 2 * HOUR_MS;
  return { store, now };
}

/** The digest folder deleted. */
export async function deleteDigests(store: MemoryObjectStore): Promise<void> {
  for (const key of await listDigestKeys(store, 'acme')) store.objects.delete(key);
}

/** {@link sixHourLake}, its digest folder deleted. */
export async function lakeWithoutDigests() {
  const lake = await sixHourLake();
  await deleteDigests(lake.store);
  return lake;
}

/** Every object's bytes, by key. */
export const contents = (store: MemoryObjectStore) =>
  new Map([...store.objects].map(([key, stored]) => [key, Buffer.from(stored.body).toString('hex')]));

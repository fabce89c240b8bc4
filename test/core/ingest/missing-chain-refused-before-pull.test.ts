import { afterEach, describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { listDigestKeys } from '../../../functions/core/lake/digest.ts';
import { noMetrics, silentLog } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { generateInstance, type Simulator, startSimulator } from '../../../functions/simulator/index.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { noWaits } from '../../support/no-waits.ts';
import { simulatorClient } from '../../support/simulator-client.ts';

// Review F-EVID8: a scheduled run that would refuse to begin a digest chain (it is missing, yet the
// lake says one existed) pulled its hours from Domo first and refused at its first write.

const day0 = Date.parse('2026-10-01T00:00:00Z');
const firstNow = day0 + 6 * HOUR_MS + 30 * 60_000;
const config = { ...defaultIngestConfig('acme'), backfillDays: 1, repullAfterHours: 0 };

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/**
 * A scheduled run (checkpoint mode) at `nowMs` from the simulator into `store`; `onFirstPage` runs
 * before its first request for an hour.
 */
async function scheduledRun(
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

/** A lake of six hours pulled by a scheduled run; the next run's time two hours on. */
async function sixHourLake() {
  const now = { ms: firstNow };
  sim = await startSimulator({
    events: generateInstance({ seed: 8, fromMs: day0 - 24 * HOUR_MS, toMs: day0 + 9 * HOUR_MS, users: 2 })
      .events,
    clock: () => now.ms,
  });
  const store = new MemoryObjectStore();
  expect((await scheduledRun(store, now.ms)).outcome).toBe('complete');
  now.ms += 2 * HOUR_MS;
  return { store, now };
}

/** The digest folder deleted. */
async function deleteDigests(store: MemoryObjectStore): Promise<void> {
  for (const key of await listDigestKeys(store, 'acme')) store.objects.delete(key);
}

/** {@link sixHourLake}, its digest folder deleted. */
async function lakeWithoutDigests() {
  const lake = await sixHourLake();
  await deleteDigests(lake.store);
  return lake;
}

/** Every object's bytes, by key. */
const contents = (store: MemoryObjectStore) =>
  new Map([...store.objects].map(([key, stored]) => [key, Buffer.from(stored.body).toString('hex')]));

describe('a scheduled run over a lake whose digest chain is gone', () => {
  it('refuses before it asks Domo for anything or writes anything', async () => {
    const { store, now } = await lakeWithoutDigests();
    const requestsBefore = (sim as Simulator).stats().requests;
    const before = contents(store);
    store.puts.length = 0;
    const summary = await scheduledRun(store, now.ms);
    expect(summary.outcome).toBe('failed');
    expect(summary.stoppedEarly).toBe('fatal-error');
    expect(summary.failures[0]?.message).toContain('the digest chain of "acme" is missing');
    expect(summary.failures[0]?.configuration).toBe(true);
    expect((sim as Simulator).stats().requests).toBe(requestsBefore);
    expect(store.puts).toEqual([]);
    expect(contents(store)).toEqual(before);
  });
});

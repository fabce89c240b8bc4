import { afterEach, describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { decodeDigest, listDigestKeys } from '../../../functions/core/lake/digest.ts';
import { digestKey } from '../../../functions/core/lake/layout.ts';
import { noMetrics, silentLog } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { generateInstance, type Simulator, startSimulator } from '../../../functions/simulator/index.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { noWaits } from '../../support/no-waits.ts';
import { simulatorClient } from '../../support/simulator-client.ts';

// Review R-SECOND5 M2: told to restart the digest chain, a run never said whether it did; with
// nothing to pull it wrote no genesis, and over a chain that is there it ran as if not told.

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

describe('a run told to restart the digest chain', () => {
  it('with no hour to pull, writes the genesis all the same and says it restarted', async () => {
    const { store } = await lakeWithoutDigests();
    // The same hour as the lake's run: no hour has closed since its watermark.
    const summary = await scheduledRun(store, firstNow, true);
    expect(summary.windowsPlanned).toBe(0);
    expect(summary.digestRestart).toBe('restarted');
    const genesis = decodeDigest(
      digestKey('acme', 0),
      store.objects.get(digestKey('acme', 0))?.body as Uint8Array,
    );
    expect(genesis).toMatchObject({ genesis: true, restarted: true });
    // The next scheduled run is no longer refused.
    expect((await scheduledRun(store, firstNow + HOUR_MS)).outcome).toBe('complete');
  });

  it('over a chain that is there, is refused before it pulls or writes anything', async () => {
    const { store, now } = await sixHourLake();
    const requestsBefore = (sim as Simulator).stats().requests;
    const before = contents(store);
    store.puts.length = 0;
    const summary = await scheduledRun(store, now.ms, true);
    expect(summary.outcome).toBe('failed');
    expect(summary.digestRestart).toBe('chain-exists');
    expect(summary.failures[0]?.configuration).toBe(true);
    expect(summary.failures[0]?.message).toContain('was asked, but the chain is there');
    expect((sim as Simulator).stats().requests).toBe(requestsBefore);
    expect(store.puts).toEqual([]);
    expect(contents(store)).toEqual(before);
  });

  it('that writes no digest says so', async () => {
    const { store, now } = await lakeWithoutDigests();
    // Its genesis cannot be written: the run stops at its first write.
    const put = store.put.bind(store);
    store.put = (key, body, options) =>
      key.startsWith('digest/') ? Promise.reject(new Error('write refused')) : put(key, body, options);
    const summary = await scheduledRun(store, now.ms, true);
    expect(summary.outcome).toBe('failed');
    expect(summary.digestRestart).toBe('not-begun');
    expect(await listDigestKeys(store, 'acme')).toEqual([]);
  });

  it('an ordinary run says nothing of a restart', async () => {
    const { store, now } = await sixHourLake();
    expect((await scheduledRun(store, now.ms)).digestRestart).toBeUndefined();
  });
});

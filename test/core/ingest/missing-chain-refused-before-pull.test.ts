import { afterEach, describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { readCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { decodeDigest, listDigestKeys } from '../../../functions/core/lake/digest.ts';
import { checkpointKey, digestKey } from '../../../functions/core/lake/layout.ts';
import { verifyWithIntegrity } from '../../../functions/core/lake/verify-with-integrity.ts';
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
const decode = (body: Uint8Array | undefined) => JSON.parse(new TextDecoder().decode(body));
const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

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

/** `entries_read` stripped from every manifest: what a careful forger does before deleting the chain. */
function stripEntriesRead(store: MemoryObjectStore): void {
  for (const [key, stored] of store.objects) {
    if (!key.startsWith('coverage/')) continue;
    const { entries_read: _read, ...manifest } = decode(stored.body);
    store.putNow(key, encode(manifest));
  }
}

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

  it("refuses on the checkpoint's word when every manifest's entries_read was stripped", async () => {
    const { store, now } = await lakeWithoutDigests();
    stripEntriesRead(store);
    const checkpoint = await readCheckpoint(store, 'acme');
    expect(checkpoint?.checkpoint.digests_recorded).toBe(true);
    const requestsBefore = (sim as Simulator).stats().requests;
    const summary = await scheduledRun(store, now.ms);
    expect(summary.outcome).toBe('failed');
    const message = summary.failures[0]?.message ?? '';
    expect(message).toContain(
      `its checkpoint ${checkpointKey('acme')} says a run wrote it after the chain held a digest`,
    );
    expect(message).toContain(`run ${checkpoint?.checkpoint.run_id}`);
    expect(message).not.toContain('hour(s) written by a version');
    expect((sim as Simulator).stats().requests).toBe(requestsBefore);
    expect(await listDigestKeys(store, 'acme')).toEqual([]);
  });

  it("refuses at its genesis, on the checkpoint's word, when the chain is deleted while it pulls", async () => {
    const { store, now } = await sixHourLake();
    stripEntriesRead(store);
    const summary = await scheduledRun(store, now.ms, false, () => {
      for (const key of [...store.objects.keys()]) if (key.startsWith('digest/')) store.objects.delete(key);
    });
    expect(summary.outcome).toBe('failed');
    expect(summary.failures[0]?.message).toContain('says a run wrote it after the chain held a digest');
    expect(await listDigestKeys(store, 'acme')).toEqual([]);
  });

  it('begins the chain anew when told to, its genesis recording the restart the checkpoint revealed', async () => {
    const { store, now } = await lakeWithoutDigests();
    stripEntriesRead(store);
    const summary = await scheduledRun(store, now.ms, true);
    expect(summary.outcome).toBe('complete');
    const genesis = decodeDigest(
      digestKey('acme', 0),
      store.objects.get(digestKey('acme', 0))?.body as Uint8Array,
    );
    expect(genesis).toMatchObject({ genesis: true, restarted: true });
    const report = await verifyWithIntegrity(store, 'acme', undefined);
    expect(report.integrity?.problems.map((p) => p.kind)).toContain('restarted-chain');
    expect((await readCheckpoint(store, 'acme'))?.checkpoint.digests_recorded).toBe(true);
  });

  it('goes on as before over a lake older versions wrote (no entries_read, no word in the checkpoint)', async () => {
    const { store, now } = await lakeWithoutDigests();
    stripEntriesRead(store);
    const { digests_recorded: _said, ...older } = decode(store.objects.get(checkpointKey('acme'))?.body);
    store.putNow(checkpointKey('acme'), encode(older));
    const summary = await scheduledRun(store, now.ms);
    expect(summary.outcome).toBe('complete');
    const genesis = decodeDigest(
      digestKey('acme', 0),
      store.objects.get(digestKey('acme', 0))?.body as Uint8Array,
    );
    expect(genesis.restarted).toBeUndefined();
    // The first recording run's checkpoint says so from now on.
    expect((await readCheckpoint(store, 'acme'))?.checkpoint.digests_recorded).toBe(true);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { readCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { decodeDigest, listDigestKeys } from '../../../functions/core/lake/digest.ts';
import { checkpointKey, digestKey } from '../../../functions/core/lake/layout.ts';
import { verifyWithIntegrity } from '../../../functions/core/lake/verify-with-integrity.ts';
import {
  chainLakeSimulator,
  closeChainLakeSimulator,
  contents,
  lakeWithoutDigests,
  scheduledRun,
  sixHourLake,
} from '../../support/chain-lake.ts';
import type { MemoryObjectStore } from '../../support/memory-store.ts';

// Review F-EVID8: a scheduled run that would refuse to begin a digest chain (it is missing, yet the
// lake says one existed) pulled its hours from Domo first and refused at its first write.

const decode = (body: Uint8Array | undefined) => JSON.parse(new TextDecoder().decode(body));
const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

afterEach(closeChainLakeSimulator);

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
    const requestsBefore = chainLakeSimulator().stats().requests;
    const before = contents(store);
    store.puts.length = 0;
    const summary = await scheduledRun(store, now.ms);
    expect(summary.outcome).toBe('failed');
    expect(summary.stoppedEarly).toBe('fatal-error');
    expect(summary.failures[0]?.message).toContain('the digest chain of "acme" is missing');
    expect(summary.failures[0]?.configuration).toBe(true);
    expect(chainLakeSimulator().stats().requests).toBe(requestsBefore);
    expect(store.puts).toEqual([]);
    expect(contents(store)).toEqual(before);
  });

  it("refuses on the checkpoint's word when every manifest's entries_read was stripped", async () => {
    const { store, now } = await lakeWithoutDigests();
    stripEntriesRead(store);
    const checkpoint = await readCheckpoint(store, 'acme');
    expect(checkpoint?.checkpoint.digests_recorded).toBe(true);
    const requestsBefore = chainLakeSimulator().stats().requests;
    const summary = await scheduledRun(store, now.ms);
    expect(summary.outcome).toBe('failed');
    const message = summary.failures[0]?.message ?? '';
    expect(message).toContain(
      `its checkpoint ${checkpointKey('acme')} says a run wrote it after the chain held a digest`,
    );
    expect(message).toContain(`run ${checkpoint?.checkpoint.run_id}`);
    expect(message).not.toContain('hour(s) written by a version');
    expect(chainLakeSimulator().stats().requests).toBe(requestsBefore);
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

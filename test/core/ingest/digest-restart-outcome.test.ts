import { afterEach, describe, expect, it } from 'vitest';
import { decodeDigest, listDigestKeys } from '../../../functions/core/lake/digest.ts';
import { digestKey } from '../../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import {
  chainLakeSimulator,
  closeChainLakeSimulator,
  contents,
  firstNow,
  lakeWithoutDigests,
  scheduledRun,
  sixHourLake,
} from '../../support/chain-lake.ts';

// Review R-SECOND5 M2: told to restart the digest chain, a run never said whether it did; with
// nothing to pull it wrote no genesis, and over a chain that is there it ran as if not told.

afterEach(closeChainLakeSimulator);

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
    const requestsBefore = chainLakeSimulator().stats().requests;
    const before = contents(store);
    store.puts.length = 0;
    const summary = await scheduledRun(store, now.ms, true);
    expect(summary.outcome).toBe('failed');
    expect(summary.digestRestart).toBe('chain-exists');
    expect(summary.failures[0]?.configuration).toBe(true);
    expect(summary.failures[0]?.message).toContain('was asked, but the chain is there');
    expect(chainLakeSimulator().stats().requests).toBe(requestsBefore);
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

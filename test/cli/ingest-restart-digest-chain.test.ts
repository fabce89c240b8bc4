import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { ingestStoppedMessage } from '../../functions/cli/failure-message.ts';
import { decodeDigest } from '../../functions/core/lake/digest.ts';
import { digestKey } from '../../functions/core/lake/layout.ts';
import type { Simulator } from '../../functions/simulator/index.ts';
import { ingestThreeHours, startThreeHourSimulator } from '../support/three-hour-ingest.ts';

let sim: Simulator;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-restart-chain-'));
  sim = await startThreeHourSimulator(5);
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

/** An ingest of the simulated three hours into `lake`, with `extra` flags. */
const ingest = (lake: string, extra: readonly string[] = []) => ingestThreeHours(sim, lake, extra);

describe('ingest over a lake whose digest folder is gone', () => {
  it('fails, saying the chain is missing, until told to restart it; the genesis then says so', async () => {
    const lake = join(dir, 'lake');
    expect((await ingest(lake)).result.summary.outcome).toBe('complete');
    await rm(join(lake, 'digest'), { recursive: true, force: true });

    const requestsBefore = sim.stats().requests;
    const refused = await ingest(lake);
    expect(refused.result.summary.outcome).toBe('failed');
    // Refused before its first pull: not even a token was asked for.
    expect(sim.stats().requests).toBe(requestsBefore);
    const { summary } = refused.result;
    const line = ingestStoppedMessage(summary.failures, summary.windowsFailed, summary.windowsDone);
    expect(line).toContain('1 configuration error');
    expect(line).toContain('the digest chain of "main" is missing');
    expect(line).toContain('fix what it names, then run again');
    // The core names no flag: the command line adds the one it asks for (review R-SECOND5 L1).
    expect(line).toContain('run the ingest once with --restart-digest-chain');
    const store = new FsObjectStore(lake);
    expect(await store.get(digestKey('main', 0))).toBeUndefined();

    const restarted = await ingest(lake, ['--restart-digest-chain']);
    expect(restarted.result.summary.outcome, restarted.stderr()).toBe('complete');
    const genesis = await store.get(digestKey('main', 0));
    expect(decodeDigest(digestKey('main', 0), genesis?.body as Uint8Array).restarted).toBe(true);
    expect(restarted.result.summary.digestRestart).toBe('restarted');
    expect(restarted.stdout()).toContain('digest chain: begun anew as --restart-digest-chain asked');

    // Left in the command line, the flag is refused while the chain is there (review R-SECOND5 M2).
    const again = await ingest(lake, ['--restart-digest-chain']);
    expect(again.result.summary.outcome).toBe('failed');
    expect(again.result.summary.digestRestart).toBe('chain-exists');
    const { summary: refusedAgain } = again.result;
    expect(
      ingestStoppedMessage(refusedAgain.failures, refusedAgain.windowsFailed, refusedAgain.windowsDone),
    ).toContain('Run the ingest without --restart-digest-chain');
  });
});

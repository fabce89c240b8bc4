import { describe, expect, it } from 'vitest';
import { readDigestHeadSequence } from '../../../functions/core/lake/digest.ts';
import { unsealedChainEnd } from '../../../functions/core/lake/unsealed-chain-end.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { lakeBesideRun, secondRunAt } from '../../support/lake-beside-run.ts';
import { statusAt } from '../../support/status-at.ts';

// `status` beside an ingest catching up read LATE, "last run none recorded", and sent its reader
// to the <instance>-Lag runbook, while `verify` at the same moment said the hours were being
// written by a run. It now says, as verify does, that a run is catching up.

describe('status beside a running ingest', () => {
  it('says a late instance is being caught up by a run, not that its deployment is failing', async () => {
    const { store, finish } = await lakeBesideRun();
    const { status, table } = await statusAt(store, 'acme', secondRunAt + 5 * 60_000);
    expect(status.late).toBe(true);
    expect(status.ingestRunning).toEqual({
      runId: expect.any(String),
      lastWriteAt: new Date(secondRunAt).toISOString(),
    });
    expect(table).toContain(
      `acme: 6h 35m behind, over the 3 h threshold: an ingest run is catching up now (run ${status.ingestRunning?.runId}, its last digest written 2026-10-01 12:30 UTC): run status again once it ends`,
    );
    expect(table).not.toContain('<instance>-Lag');
    await finish();
  });

  it('points at the runbook again once the run is silent for 15 minutes, or has ended', async () => {
    const { store, finish } = await lakeBesideRun();
    const silent = await statusAt(store, 'acme', secondRunAt + 16 * 60_000);
    expect(silent.status.ingestRunning).toBeNull();
    expect(silent.table).toContain('see docs/operations.md, section "<instance>-Lag"');
    await finish(true);
    // Failed: its hour before the rest stays uncovered, the watermark where it was, the run ended.
    const ended = await statusAt(store, 'acme', secondRunAt + 5 * 60_000);
    expect(ended.status.late).toBe(true);
    expect(ended.status.ingestRunning).toBeNull();
  });

  it('reads only the last digest of the chain for an instance within its threshold, not its tail', async () => {
    const { store, finish } = await lakeBesideRun();
    await finish();
    const reads: string[] = [];
    const get = store.get.bind(store);
    store.get = async (key) => {
      reads.push(key);
      return get(key);
    };
    const digestReads = () => new Set(reads.filter((key) => key.startsWith('digest/')));
    await unsealedChainEnd(store, 'acme', await readDigestHeadSequence(store, 'acme'));
    const chainEnd = digestReads();
    reads.length = 0;
    const { status } = await statusAt(store, 'acme', secondRunAt + HOUR_MS);
    expect(status.late).toBe(false);
    // Whether the chain ends unsealed (review R-UPGRADE L2): the search for its head, not the
    // tail of 16 digests a late instance's runs are judged by.
    expect(digestReads()).toEqual(chainEnd);
  });
});

import { DomoConfigError } from '../domo/errors.ts';
import type { ObjectStore } from '../ports.ts';
import { readDigestHeadSequence } from './digest.ts';
import { readDigests } from './digest-tail.ts';
import { type LastRun, lastRunKey, readLastRun } from './last-run.ts';

/**
 * A run does not append to a chain that ends before the head the lake's last run record names
 * (`chain-shorter-than-recorded`, integrity-recorded-head.ts): no ingest deletes a digest, so its
 * newest digests were removed, or the record was edited. Appending would seal over the cut and
 * rewrite the record, and the truncation would read as normal history (review F-EVID10 1). So the
 * run refuses before it asks Domo for anything, as a configuration error: every run fails alike,
 * and the failure is the run's (the command's exit status; the function's error and its alarm).
 *
 * The way out is the operator's: restore the digests removed (their versions, a replica, a copy),
 * or, once the cause is known, move the run record aside (docs/operations.md, the section on
 * chain-shorter-than-recorded). Cost: the record's GET and, from the head it names, one probe
 * and one listing after it (readDigestHeadSequence), at every scheduled run; the run's opening then
 * starts from the head found here (checkChainCut's `headSeen`), neither probing it nor reading the
 * record again.
 */

/** What the refusal names: the record's head and run, and where the chain ends now. */
export interface ChainCut {
  recorded: number;
  endsAt: number | undefined;
  runId: string;
  outcome: string;
}

/**
 * What the guard read of the chain: the refusal when the run would seal over a cut; otherwise the
 * head it found (`headSeen`, a digest number probed or listed as stored: undefined when the record
 * names no head, the chain is empty, or a read failed), for the run's opening to start its own
 * search for the head from (DigestRecorder.chainSeenTo) instead of reading again what was read here.
 */
export interface ChainCutCheck {
  refusal?: ChainCutError;
  headSeen?: number;
}

/**
 * {@link ChainCutCheck}: no refusal when the chain reaches the recorded head, the record names none,
 * or a read fails (it tells nothing then: the run goes on, and its opening reads again).
 */
export async function checkChainCut(store: ObjectStore, instance: string): Promise<ChainCutCheck> {
  const read = await chainCutOf(store, instance).catch(() => undefined);
  if (read?.cut !== undefined) return { refusal: new ChainCutError(instance, read.cut) };
  return read?.endsAt === undefined ? {} : { headSeen: read.endsAt };
}

/** The cut, or where the chain ends when it is not cut; undefined when the record names no head. */
async function chainCutOf(
  store: ObjectStore,
  instance: string,
): Promise<{ cut?: ChainCut; endsAt?: number } | undefined> {
  const lastRun: LastRun | undefined = await readLastRun(store, instance);
  const recorded = lastRun?.digest_head;
  if (lastRun === undefined || recorded === undefined || !Number.isSafeInteger(recorded) || recorded < 0)
    return undefined;
  const endsAt = await readDigestHeadSequence(store, instance, recorded);
  if (endsAt !== undefined && endsAt >= recorded) return { endsAt };
  if (endsAt !== undefined && (await chainBegunAfter(store, instance, lastRun))) return { endsAt };
  return { cut: { recorded, endsAt, runId: lastRun.run_id, outcome: lastRun.outcome } };
}

/**
 * Whether the chain there now was begun after the recorded run ended: its genesis (digest 0) was
 * created later. A genesis is written only where the chain is missing, so the head the record names
 * is an earlier chain's, not one cut: a restart of the chain as docs/operations.md tells it, killed
 * after its genesis and before its run record (the function's timeout, an interrupted command),
 * left the old head in the record, and every later run refused for good. Whole chains replaced
 * are the missing-chain guard's and verify's (`restarted-chain`, objects adopted at genesis). One
 * GET, only when the chain is shorter than recorded; status's `CUT` asks it too.
 */
export async function chainBegunAfter(
  store: ObjectStore,
  instance: string,
  lastRun: LastRun,
): Promise<boolean> {
  const [genesis] = await readDigests(store, instance, [0]);
  const createdMs = genesis?.genesis ? Date.parse(genesis.created_at) : Number.NaN;
  return createdMs > lastRun.finished_at_ms;
}

/** The run's refusal of a cut chain; `cut.recorded` is kept in its run record, so every run refuses. */
export class ChainCutError extends DomoConfigError {
  constructor(
    instance: string,
    readonly cut: ChainCut,
  ) {
    const ends = cut.endsAt === undefined ? 'holds no digest' : `ends at digest ${cut.endsAt}`;
    super(
      `the digest chain of "${instance}" ${ends}, but the lake's last run record ` +
        `(${lastRunKey(instance)}) says run ${cut.runId} ended ${cut.outcome} with it at digest ` +
        `${cut.recorded}: digests were removed from its end, or the record was edited (no ingest ` +
        'deletes a digest). This run writes nothing: appending would seal over the cut and make it ' +
        'look like normal history. Keep a copy of the lake as it is (it may be evidence) and run the ' +
        'integrity check with the head last noted outside the lake; then restore the digests removed ' +
        '(on S3, Object Lock keeps their versions; or a replica or copy), or, only once you know why ' +
        'the chain is shorter, move that record aside (keep it): the next run then appends. ' +
        'See docs/operations.md, the section on chain-shorter-than-recorded.',
    );
    this.name = 'ChainCutError';
  }
}

import { DomoConfigError } from '../domo/errors.ts';
import { digestStored } from '../lake/digest.ts';
import type { ObjectStore } from '../ports.ts';

/**
 * What a run told to restart the digest chain did about it (IngestSummary.digestRestart), so the
 * operator who asked knows whether the chain was begun anew (review R-SECOND5 M2):
 * - `restarted`: this run wrote digest 0, the genesis (recording the restart when hours of an
 *   earlier chain were there);
 * - `chain-exists`: the chain was there: the run was refused, nothing pulled or written;
 * - `not-begun`: no chain, yet the run wrote no digest (it failed or stopped before): the next
 *   run without the restart is refused again.
 */
export type DigestRestartOutcome = 'restarted' | 'chain-exists' | 'not-begun';

/** The words of the core's advice the command line and the function replace with how they ask for it. */
export const RUN_WITHOUT_RESTART = 'Run the ingest without the restart of the digest chain';

/**
 * A restart asked where the chain is there. Refused, not ignored: the restart is one run's
 * request, and left set (a wrapper script, a cron line) it would begin a new chain unasked the
 * next time the chain is missing, adopting whatever the lake then holds (chain-restart-guard.ts).
 * A configuration error: every run with it fails alike until it is left out.
 */
export class DigestChainExistsError extends DomoConfigError {
  constructor(instance: string) {
    super(
      `the restart of the digest chain of "${instance}" was asked, but the chain is there ` +
        `(digest/instance=${instance}/0000000000.json), so there is nothing to restart and this run ` +
        `writes nothing. ${RUN_WITHOUT_RESTART}: ` +
        'left set, it would begin a new chain, unasked, the next time the chain is missing',
    );
    this.name = 'DigestChainExistsError';
  }
}

/**
 * Before a run told to restart pulls anything: its refusal when the chain is there (one look for
 * digest 0, a HEAD on S3). A read that fails tells nothing: the run goes on, as the missing-chain
 * check does.
 */
export async function chainExistsRefusal(
  store: ObjectStore,
  instance: string,
): Promise<DigestChainExistsError | undefined> {
  const stored = await digestStored(store, instance, 0).catch(() => false);
  return stored ? new DigestChainExistsError(instance) : undefined;
}

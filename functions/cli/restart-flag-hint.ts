import { RUN_WITHOUT_RESTART } from '../core/ingest/digest-restart.ts';
import type { IngestSummary } from '../core/ingest/ingest-types.ts';
import { RESTART_ALLOWED } from '../core/lake/chain-restart-guard.ts';

/** The flag the command line asks for a restart of the digest chain with. */
const FLAG = '--restart-digest-chain';

/**
 * A core message advising on the restart of the digest chain, with the flag that asks for it: the
 * core names no flag (the function asks with an event field), and advice without it left the
 * operator to find it in the docs (review R-SECOND5 L1).
 */
export const withRestartFlag = (message: string): string =>
  message
    .replace(RESTART_ALLOWED, `run the ingest once with ${FLAG}`)
    .replace(RUN_WITHOUT_RESTART, `Run the ingest without ${FLAG}`);

/**
 * The summary's line on a restart the run was told to make: whether it happened, so a restart
 * that wrote nothing is not taken for one made (review R-SECOND5 M2). Undefined when none was
 * asked; a refused one is said by the run's failure line.
 */
export function restartLine(summary: IngestSummary): string | undefined {
  if (summary.digestRestart === 'restarted')
    return `digest chain: begun anew as ${FLAG} asked (genesis digest/instance=${summary.instance}/0000000000.json); verify --integrity reports the restart it records until the finding is accepted`;
  if (summary.digestRestart === 'not-begun')
    return `warning: ${FLAG} was given, but this run wrote no digest (it stopped first): no chain was begun, and the next run without it is refused again. Once what stopped it is fixed, run the ingest again with ${FLAG}`;
  return undefined;
}

import { RUN_WITHOUT_RESTART } from '../core/ingest/digest-restart.ts';
import { RESTART_ALLOWED } from '../core/lake/chain-restart-guard.ts';

/** The event field a restart of the digest chain is asked with (ingest-event.ts). */
const FIELD = '"restartDigestChain": true';

/**
 * A core message advising on the restart of the digest chain, with the event field that asks for
 * it: the core names neither it nor the command line's flag (review R-SECOND5 L1).
 */
export const withRestartField = (message: string): string =>
  message
    .replace(RESTART_ALLOWED, `invoke the function once with ${FIELD} in its event`)
    .replace(RUN_WITHOUT_RESTART, `Invoke the function without ${FIELD}`);

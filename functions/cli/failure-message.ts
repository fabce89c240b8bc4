import { causeChain } from '../core/cause-chain.ts';
import { GIVEN_UP } from '../core/domo/http-request.ts';
import { errorMessage } from '../core/error-message.ts';
import { earliestFailure } from '../core/ingest/earliest-failure.ts';
import { MAX_READ_MS, READ_TIME_CEILING } from '../core/ingest/fetch-range.ts';
import type { WindowFailure } from '../core/ingest/ingest-types.ts';
import { NO_PROGRESS_LOGS } from '../core/ingest/run-recorder.ts';
import { MINUTE_MS } from '../core/time-units.ts';
import { withoutControls } from '../core/visible-text.ts';
import { withDomoCustomerFlags } from './domo-customer-hint.ts';
import { readGuardHint } from './read-guard-hint.ts';
import { withRestartFlag } from './restart-flag-hint.ts';
import { lakeWriteFix } from './writable-lake.ts';

/** Where AWS credentials come from: the fix wherever the SDK found none (Athena, Secrets Manager, S3). */
const AWS_CREDENTIALS_FIX =
  'no AWS credentials were found; sign in (aws sso login, or set AWS_PROFILE) or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, then retry';

/**
 * The AWS SDK's error for missing credentials: `error` itself, or one it wraps as its `cause`
 * (a command that rewords a failure keeps the original there); undefined when it is not one. Every
 * later request fails the same way, so a command stops at it rather than trying each in turn.
 */
export function missingAwsCredentials(error: unknown): Error | undefined {
  for (const cause of causeChain(error)) {
    if (cause instanceof Error && cause.name === 'CredentialsProviderError') return cause;
  }
  return undefined;
}

/**
 * The first line of the message, control characters, escape sequences and bidi controls turned into
 * spaces: DuckDB and Athena quote the value they failed on (`Could not convert string '…'`), and
 * a Domo name there could clear or retitle the terminal. A CR too: it would write over `error:`.
 */
const firstLine = (error: unknown): string =>
  withoutControls(errorMessage(error).split('\n')[0] ?? '', ' ').replaceAll('\r', ' ');

/**
 * The one line a failed command prints, fit for a terminal (above). The AWS SDK's own message for
 * missing credentials ("Could not load credentials from any providers") says nothing of where they
 * come from; wherever it surfaces, as it is or passed on in another error's words, the line gets
 * the fix. A wrapper that words the failure itself (the S3 store's, fix included) is left as it is,
 * but for a refused read on S3, which gets the reader list the stack's read guard keeps.
 */
export function failureMessage(error: unknown): string {
  const message = firstLine(error);
  const missing = missingAwsCredentials(error);
  if (missing && message === firstLine(missing)) return `${message}: ${AWS_CREDENTIALS_FIX}`;
  return `${message}${readGuardHint(error)}`;
}

/**
 * `6 failures (12 hours failed)`: a span of hours that fails is one failure and fails every hour in
 * it, which the summary's `hours:` line counts; a checkpoint, digest or no-progress failure fails
 * no hour of its own. Both counts, each named, so the two lines of one run never seem to disagree.
 */
function failedCount(failures: number, hours: number): string {
  const counted = `${failures} failure${failures === 1 ? '' : 's'}`;
  return hours === 0 ? counted : `${counted} (${hours} hour${hours === 1 ? '' : 's'} failed)`;
}

/**
 * What to do before running again. A configuration error fails every run alike: running again as
 * it is only repeats it; so does a lake write the disk refused, which the errno alone ("ENOSPC: no
 * space left on device") does not tell how to fix.
 */
function retryAdvice(failures: readonly WindowFailure[]): string {
  const diskFix = failures.map((failure) => lakeWriteFix(failure.message)).find((fix) => fix !== undefined);
  if (diskFix !== undefined) return `${diskFix}, then run the same command again`;
  if (failures.some((failure) => failure.configuration)) return 'fix what it names, then run again';
  // The next runs do not try such an hour again: running again does not retry it (review R-OP2 M2).
  const givenUp = failures.filter((failure) => failure.laterPullGivenUp);
  if (givenUp.length > 0) {
    const hours = givenUp.map(
      (failure) => `${new Date(failure.windowStartMs).toISOString().slice(0, 13)}:00Z`,
    );
    const shown =
      hours.length > 5 ? `${hours.slice(0, 5).join(', ')} and ${hours.length - 5} more` : hours.join(', ');
    const those = hours.length === 1 ? 'that hour' : 'each';
    return `re-pull ${shown} once the cause is fixed (ingest --from/--to of ${those}: the next runs do not try ${hours.length === 1 ? 'it' : 'them'} again)`;
  }
  return 'run again to retry';
}

/**
 * After a read given up at its time ceiling (`maxReadMinutes`, when known): if Domo was answering,
 * only slowly, a plain retry fails the same, so a ceiling to try, twice the one given (120 was
 * offered whatever the ceiling, below it too: review R-SECOND L4).
 */
function readCeilingAdvice(maxReadMinutes: number | undefined): string {
  const slow = ' (if Domo was answering, only slowly, a plain retry fails the same: run that hour again with';
  if (maxReadMinutes === undefined) return `${slow} a higher --max-read-minutes than the ceiling above)`;
  const highest = MAX_READ_MS / MINUTE_MS;
  if (maxReadMinutes >= highest)
    return ` (the ceiling given, ${maxReadMinutes} minutes, is the highest --max-read-minutes takes: Domo is not serving that hour)`;
  const doubled = Math.min(2 * maxReadMinutes, highest);
  return `${slow} a higher --max-read-minutes than the ${maxReadMinutes} given, e.g. ${doubled})`;
}

/**
 * The line of an ingest that stopped on failures: how many, and how many hours they failed (the
 * summary's `windowsFailed`), the one of the earliest hour, and the flag that eases throttling. The core's message
 * names --api-base itself where the address may be wrong (the client is given the flag's name).
 * After a configuration error it says to fix the cause first, not just to run again; after a lake
 * write the disk refused (full, read-only, not this user's), what to fix on it. Advice the core
 * gives in the deployment's terms (a restart of the digest chain, an instance's expected Domo
 * customer or its name) names the flag instead. Finished hours are said to be kept only when the
 * run finished some (`hoursDone`, the summary's `windowsDone`).
 */
export function ingestStoppedMessage(
  failures: readonly WindowFailure[],
  hoursFailed: number,
  hoursDone: number,
  maxReadMinutes?: number,
): string {
  const first = earliestFailure(failures);
  const hour = first ? new Date(first.windowStartMs).toISOString().slice(0, 13) : '';
  const original = first?.message ?? 'unknown error';
  const full = withDomoCustomerFlags(withRestartFlag(original));
  // Without its final period: the sentence goes on after it. The command line prints no log
  // unless asked: say how to see the retries a run that made no progress points at.
  const message = full
    .replace(/\.$/, '')
    .replace(NO_PROGRESS_LOGS, 'run again with --verbose to see each request and its answer');
  // Not when Domo named a wait longer than a retry takes: a slower pace does not shorten it.
  const paceHelps = full.includes(GIVEN_UP.throttled) && !full.includes(GIVEN_UP.longWait);
  const advice = paceHelps
    ? ' (a lower --requests-per-second eases it)'
    : full.includes(READ_TIME_CEILING)
      ? readCeilingAdvice(maxReadMinutes)
      : '';
  const retry = retryAdvice(failures);
  const kept = hoursDone > 0 ? 'finished hours are kept' : 'this run finished no hour';
  // One refusal fails every span in flight with it: one cause, not a failure of each span's own.
  const oneCause = failures.length > 0 && failures.every((f) => f.configuration && f.message === original);
  const count = oneCause
    ? `1 configuration error (${hoursFailed} hour${hoursFailed === 1 ? '' : 's'} failed)`
    : failedCount(failures.length, hoursFailed);
  return `ingest stopped: ${count}, first at ${hour}:00Z: ${message}; ${kept}, ${retry}${advice}`;
}

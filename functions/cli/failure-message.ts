import { GIVEN_UP } from '../core/domo/http-request.ts';
import { errorMessage } from '../core/error-message.ts';
import type { WindowFailure } from '../core/ingest/ingest-types.ts';

/**
 * The one line a failed command prints. The AWS SDK's own message for missing credentials ("Could
 * not load credentials from any providers") says nothing of where they come from; wherever it
 * surfaces (Athena, Secrets Manager, S3), the line gets the fix.
 */
export function failureMessage(error: unknown): string {
  const message = errorMessage(error).split('\n')[0] ?? '';
  const name = error instanceof Error ? error.name : '';
  if (name === 'CredentialsProviderError') {
    return `${message}: no AWS credentials were found; sign in (aws sso login, or set AWS_PROFILE) or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, then retry`;
  }
  return message;
}

/**
 * The line of an ingest that stopped on failed hours: how many, the first, and the fix in flags
 * this command has (the core's message knows no command line).
 */
export function ingestStoppedMessage(failures: readonly WindowFailure[]): string {
  const first = failures[0];
  const hour = first ? new Date(first.windowStartMs).toISOString().slice(0, 13) : '';
  const full = first?.message ?? 'unknown error';
  // Without its final period: the sentence goes on after it.
  const message = full.replace(/\.$/, '');
  const advice = full.includes(GIVEN_UP.unreachable)
    ? ' (check --api-base and the network)'
    : full.includes(GIVEN_UP.throttled)
      ? ' (a lower --requests-per-second eases it)'
      : '';
  return `ingest stopped: ${failures.length} failure(s), first at ${hour}:00Z: ${message}; finished hours are kept, run again to retry${advice}`;
}

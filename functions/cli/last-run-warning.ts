import { errorMessage } from '../core/error-message.ts';
import { lastRunKey } from '../core/lake/last-run.ts';

/**
 * The line a checkpoint ingest prints, whatever the log level, when it could not record itself for
 * `status`: the run's result stands (its exit status is its own), but `status` goes on showing an
 * earlier run as the last one, and a user who relies on it must learn why and what to fix.
 */
export function lastRunWarning(location: string, instance: string, error: unknown): string {
  const where = `${location.replace(/\/+$/, '')}/${lastRunKey(instance)}`;
  const access = /^s3:\/\//i.test(location)
    ? "give this role s3:PutObject on the lake's state/ prefix"
    : 'let this user write there';
  return `warning: could not record this run for status in ${where}: ${errorMessage(error)}; status shows the run before as the last one until a run is recorded: ${access}, and the next ingest records itself`;
}

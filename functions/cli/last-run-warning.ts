import { causeChain } from '../core/cause-chain.ts';
import { errorMessage } from '../core/error-message.ts';
import { lastRunKey } from '../core/lake/last-run.ts';
import { racedAnotherWriter } from '../core/raced-another-writer.ts';

/** Error codes of a write the lake refused for want of permission: S3's, then the file system's. */
const ACCESS_REFUSED = new Set(['AccessDenied', 'AllAccessDisabled', 'EACCES', 'EPERM']);
const ACCESS_REFUSED_WORD = /\b(AccessDenied|AllAccessDisabled|EACCES|EPERM)\b/;

interface ErrorFields {
  code?: unknown;
  Code?: unknown;
  name?: unknown;
}

/**
 * Whether `error` (or an error it wraps: the S3 store words S3's code into its own message, with
 * S3's error as the cause) is a refused permission: only then does access advice fix it.
 */
function refusedAccess(error: unknown): boolean {
  for (const cause of causeChain(error)) {
    if (typeof cause !== 'object') continue;
    const fields = cause as ErrorFields;
    const codes = [fields.code, fields.Code, fields.name];
    if (codes.some((code) => typeof code === 'string' && ACCESS_REFUSED.has(code))) return true;
  }
  return ACCESS_REFUSED_WORD.test(errorMessage(error));
}

/**
 * A permission the S3 store's error text names for a refused request (adapters/s3-failure.ts):
 * s3:PutObject for the write, s3:GetObject for the read before it.
 */
const GRANT_NAMED = /\bs3:[A-Za-z]+Object\b/;

/**
 * The line a checkpoint ingest prints, whatever the log level, when it could not record itself for
 * `status`: the run's result stands (its exit status is its own), but `status` goes on showing an
 * earlier run as the last one, and a user who relies on it must learn why and what to fix. Access
 * advice only when access was refused: a lost race or a full disk is not fixed by a permission;
 * and only once, when the error quoted does not give it already.
 * Only a lost race needs no fix before the next ingest records itself.
 */
export function lastRunWarning(location: string, instance: string, error: unknown): string {
  const where = `${location.replace(/\/+$/, '')}/${lastRunKey(instance)}`;
  const why = errorMessage(error);
  const said = `warning: could not record this run for status in ${where}: ${why}; status shows the run before as the last one until a run is recorded`;
  // A race with other runs recording at the same time: the next ingest records itself, nothing to fix.
  if (racedAnotherWriter(error, lastRunKey(instance))) return `${said}; the next ingest records itself`;
  // A full or read-only disk, a missing bucket: the next ingest fails the same way until then.
  if (!refusedAccess(error)) return `${said}; once that is fixed, the next ingest records itself`;
  // The S3 store's refusal names the permission already (with the object's ARN): said once.
  if (GRANT_NAMED.test(why)) return `${said}; once that access is granted, the next ingest records itself`;
  const access = /^s3:\/\//i.test(location)
    ? "give this role s3:PutObject on the lake's state/ prefix"
    : 'let this user write there';
  return `${said}: ${access}, and the next ingest records itself`;
}

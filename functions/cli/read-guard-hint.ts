import { causeChain } from '../core/cause-chain.ts';
import { errorMessage } from '../core/error-message.ts';

/**
 * A read of an S3 lake or of Athena's results refused: the S3 store's wording of a refused GET or
 * HEAD (adapters/s3-failure.ts), or Athena's, which reads the lake with the caller's credentials.
 */
const REFUSED_READ = [
  /\bS3 (GetObject|HeadObject) of s3:\/\/\S+ failed with AccessDenied\b/,
  /\bPermission denied on S3 path: s3:\/\//,
];

/**
 * What a refused read on S3 most often means since the stack's buckets deny reads to every role
 * they do not name (`OnlyNamedPrincipalsRead`): the role the command runs with is missing from the
 * reader list. Neither S3's "Access Denied" nor Athena's "Permission denied on S3 path" says which
 * list, and the role's IAM policy may well allow the read. Empty for any other failure.
 */
export function readGuardHint(error: unknown): string {
  for (const cause of causeChain(error)) {
    const message = errorMessage(cause);
    if (REFUSED_READ.some((pattern) => pattern.test(message))) {
      return "; the lake's buckets refuse reads to every role but the stack's and those retention.readAllowedPrincipals names: name the one you run this with (aws sts get-caller-identity) and deploy, or run as a named one (docs/configuration.md)";
    }
  }
  return '';
}

import type { MiddlewareObj } from '@middy/core';

/** middy's message when a middleware's fetch (here: GetSecretValue) rejected; the real errors sit in `cause.data`. */
const MIDDY_FETCH_FAILED = 'Failed to resolve internal values';

const describe = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

const isTimeout = (error: unknown): boolean => error instanceof Error && error.name === 'TimeoutError';

/** Every attempt went unanswered within the client's network bounds: neither the secret nor its key is the cause. */
const UNANSWERED =
  "Secrets Manager did not answer: the function's network path to it (a VPC with neither a Secrets Manager endpoint nor a NAT) or a service disruption; the next scheduled run tries again.";

const SECRET_OR_KEY =
  'Check that it exists in this account and region. The stack lets the function read exactly this secret, and decrypt it only with the KMS key named in cdk.json instances[].secretKmsKeyArn: a secret encrypted with a customer managed key needs that key set there (and a key policy that allows IAM grants), then cdk deploy.';

/**
 * Turns middy's opaque "Failed to resolve internal values" into an error that names the secret and
 * what Secrets Manager answered (AWS error names and messages never carry the secret's value).
 */
export function explainSecretFetchError(secretId: string): MiddlewareObj {
  return {
    onError: async (request) => {
      const error = request.error;
      if (!(error instanceof Error) || error.message !== MIDDY_FETCH_FAILED) return;
      const cause = error.cause as { data?: unknown } | undefined;
      const data: unknown[] = Array.isArray(cause?.data) ? cause.data : [];
      const reasons = data.length > 0 ? data.map(describe).join('; ') : 'unknown cause';
      request.error = new Error(
        `could not read the Domo secret "${secretId}" from Secrets Manager (${reasons}). ${data.length > 0 && data.every(isTimeout) ? UNANSWERED : SECRET_OR_KEY}`,
        { cause: error },
      );
    },
  };
}

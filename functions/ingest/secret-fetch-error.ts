import type { MiddlewareObj } from '@middy/core';

/** middy's message when a middleware's fetch (here: GetSecretValue) rejected; the real errors sit in `cause.data`. */
const MIDDY_FETCH_FAILED = 'Failed to resolve internal values';

const describe = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

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
      const reasons = Array.isArray(cause?.data) ? cause.data.map(describe).join('; ') : 'unknown cause';
      request.error = new Error(
        `could not read the Domo secret "${secretId}" from Secrets Manager (${reasons}). Check that it exists in this account and region. The stack lets the function read exactly this secret, and decrypt it only with the KMS key named in cdk.json instances[].secretKmsKeyArn: a secret encrypted with a customer managed key needs that key set there (and a key policy that allows IAM grants), then cdk deploy.`,
        { cause: error },
      );
    },
  };
}

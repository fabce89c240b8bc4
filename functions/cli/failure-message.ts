import { errorMessage } from '../core/error-message.ts';

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

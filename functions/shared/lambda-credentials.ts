/**
 * The AWS SDK's default credential provider as the Lambda bundles carry it: the bundler aliases
 * `@aws-sdk/credential-provider-node` to this module (LAMBDA_BUNDLE in
 * infra/constructs/lambda-bundle.ts), so every SDK client in a bundle, middy's Secrets Manager
 * client too, reads its credentials here.
 *
 * Lambda hands a function its execution role's credentials in the environment, the first source
 * the SDK's chain tries and the only one a function here ever uses. The rest of that chain (SSO,
 * shared config files, credential_process, web identity, container and instance metadata, with
 * the STS/SSO clients they need) was ~105 KiB, 15 % of each bundle, compiled on every cold start.
 * The command line is not bundled this way and keeps the SDK's full chain.
 */

/** What an SDK client signs with (the fields of the SDK's AwsCredentialIdentity we set). */
interface EnvironmentCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
  accountId?: string;
}

/**
 * The SDK's `defaultProvider(init)` shape: returns the function a client calls for credentials.
 * `init` (profile, logger, ...) names other sources of the chain, which a Lambda function has none of.
 */
export const defaultProvider =
  (_init?: unknown, env: Record<string, string | undefined> = process.env) =>
  async (): Promise<EnvironmentCredentials> => {
    const accessKeyId = env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
    if (!accessKeyId || !secretAccessKey) {
      throw new Error(
        'no AWS credentials in the environment: Lambda sets AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for the execution role. This bundle reads credentials only there (see functions/shared/lambda-credentials.ts); a runtime that supplies them otherwise (SnapStart, a container endpoint) needs the SDK chain back in LAMBDA_BUNDLE.',
      );
    }
    const expiration = env.AWS_CREDENTIAL_EXPIRATION;
    return {
      accessKeyId,
      secretAccessKey,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
      ...(expiration ? { expiration: new Date(expiration) } : {}),
      ...(env.AWS_ACCOUNT_ID ? { accountId: env.AWS_ACCOUNT_ID } : {}),
    };
  };

import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SDK_HTTP_BOUNDS, type SdkHttpBounds, sdkRequestHandler } from '../adapters/sdk-http.ts';
import { secretReferenceProblem } from '../core/domo/secret-reference.ts';
import type { DomoCredentials } from '../core/ports.ts';
import { UsageError } from './usage-error.ts';

/** Makes the Secrets Manager client; `region` is set only when the secret id names one. */
export type SecretsClientFactory = (region: string | undefined) => Promise<SecretsManagerClient>;

/** The region a secret ARN names (`arn:aws:secretsmanager:<region>:…`); a plain name names none. */
export const secretArnRegion = (secretId: string): string | undefined =>
  /^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):/.exec(secretId.trim())?.[1];

/** The CLI's Secrets Manager client, loaded on first use, with bounded network waits. */
export const newSecretsClient = async (
  region: string | undefined,
  bounds: SdkHttpBounds = SDK_HTTP_BOUNDS,
): Promise<SecretsManagerClient> => {
  const { SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
  return new SecretsManagerClient({
    ...(region === undefined ? {} : { region }),
    requestHandler: sdkRequestHandler(bounds),
  });
};

/**
 * Domo credentials from a Secrets Manager secret (`ingest --secret-id`). A secret's ARN carries its
 * region, so that one is used; otherwise the region must be set, and is checked before the request,
 * as an S3 lake's is: the SDK's own "Region is missing" does not say how to set it.
 */
export async function secretCredentials(
  secretId: string,
  newClient: SecretsClientFactory = newSecretsClient,
): Promise<DomoCredentials> {
  // Checked before the id is quoted anywhere: a secret's JSON pasted here would be printed.
  const problem = secretReferenceProblem(secretId);
  if (problem !== undefined) throw new UsageError(`--secret-id ${problem}`);
  const client = await newClient(secretArnRegion(secretId));
  const region = await client.config.region().catch(() => undefined);
  if (!region) {
    throw new UsageError(
      `--secret-id ${secretId} is read from Secrets Manager but no AWS region is set: export AWS_REGION=<the stack's region> (e.g. eu-west-1), set region in your AWS profile, or give the secret's ARN (the stack's output), which names its region`,
    );
  }
  const { SecretsManagerSource } = await import('../adapters/secrets-manager-source.ts');
  return new SecretsManagerSource({ client, secretId }).get();
}

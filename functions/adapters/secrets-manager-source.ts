import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DomoSecretError, parseDomoSecret } from '../core/domo/domo-secret.ts';
import { secretReferenceProblem } from '../core/domo/secret-reference.ts';
import type { DomoCredentials, SecretSource } from '../core/ports.ts';

interface SecretsManagerSourceOptions {
  client: SecretsManagerClient;
  /** Name or ARN of the secret holding `{"clientId","clientSecret"}` (the stack's output `<instance>SecretId`). */
  secretId: string;
}

/**
 * Domo credentials from the Secrets Manager secret the stack manages, for the command line
 * (`ingest --secret-id`). Reads the secret on every `get()`; the CLI calls it once per run.
 */
export class SecretsManagerSource implements SecretSource {
  constructor(private readonly options: SecretsManagerSourceOptions) {}

  async get(): Promise<DomoCredentials> {
    const { client, secretId } = this.options;
    // Every message below names the secret: a value that cannot be a name may be its content.
    const problem = secretReferenceProblem(secretId);
    if (problem !== undefined) throw new Error(`The Domo secret id ${problem}`);
    let text: string | undefined;
    try {
      text = (await client.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString;
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new Error(
        `could not read the Domo secret "${secretId}" from Secrets Manager (${reason}); ${fixFor(error)}`,
        { cause: error },
      );
    }
    const secret = parseDomoSecret(secretId, parseJsonObject(text));
    if (secret.kind === 'placeholder') {
      throw new DomoSecretError(secretId, 'it still holds the placeholder the stack created');
    }
    return secret.credentials;
  }
}

/**
 * What to check: a timeout (every attempt within the client's network bounds went unanswered) is
 * the network's, where the id, the region and the credentials would only send the reader astray.
 */
const fixFor = (error: unknown): string =>
  error instanceof Error && error.name === 'TimeoutError'
    ? 'Secrets Manager did not answer: check the network (a proxy, a VPN, a VPC endpoint) and try again'
    : 'check the secret id, the region (AWS_REGION) and your credentials';

/** The parsed JSON when the text is JSON, else the text itself (so the error says "not a JSON object"). */
const parseJsonObject = (text: string | undefined): unknown => {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

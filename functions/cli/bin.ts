import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretsManagerSource } from '../adapters/secrets-manager-source.ts';
import { main } from './main.ts';

const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  // Only `--secret-id` reaches AWS; everything else works without credentials.
  secretCredentials: (secretId) =>
    new SecretsManagerSource({ client: new SecretsManagerClient({}), secretId }).get(),
});
// Exit explicitly once output is flushed: idle keep-alive sockets must not hold a finished command open.
process.stdout.write('', () => process.exit(code));

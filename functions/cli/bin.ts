import { main } from './main.ts';

const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  // Only `--secret-id` reaches AWS, and only then is the SDK loaded; everything else works without credentials.
  secretCredentials: async (secretId) => {
    const [{ SecretsManagerClient }, { SecretsManagerSource }] = await Promise.all([
      import('@aws-sdk/client-secrets-manager'),
      import('../adapters/secrets-manager-source.ts'),
    ]);
    return new SecretsManagerSource({ client: new SecretsManagerClient({}), secretId }).get();
  },
});
// Exit explicitly once output is flushed: idle keep-alive sockets must not hold a finished command open.
process.stdout.write('', () => process.exit(code));

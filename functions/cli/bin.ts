// The AWS SDK prints an 8-line "will require node >=22" notice on Node 20, which this CLI supports
// (the Lambdas run Node 24): users get no action from it, so the SDK's documented switch turns it off.
// A user who sets the variable to anything else still sees it. Set before any client is created.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { outputStatus, processOutput } from './command-output.ts';
import { boundHeapGrowth } from './heap-growth.ts';
import { exitWithStatus } from './interrupts.ts';
import { main } from './main.ts';

// A process-wide setting, so here and not in a command (commands also run inside test workers).
boundHeapGrowth();

// A failed write reaches `output` through its callback, which keeps it (the exit status below); the
// same error as an event must not end the process with a stack trace. A reader that stops early
// (`| head`) closes the pipe: the output stops there, quietly, but the command runs to its end, so
// its status stands (`set -o pipefail` then sees a failing query or verify) and `demo | head` still
// writes its report.
process.stdout.on('error', () => {});
// The same for stderr, where nothing is kept: `2>&1 | tee log` and a Ctrl-C kill tee first, and the
// command's "stopping" line then met EPIPE and ended the process with status 1 before an
// interrupted enrich or ingest could seal its digest chain. Those lines are lost; the run is not.
process.stderr.on('error', () => {});

const output = processOutput();
const code = await main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: output,
  stderr: process.stderr,
  env: process.env,
  // Only `--secret-id` reaches AWS, and only then is the SDK loaded; everything else works without credentials.
  secretCredentials: async (secretId) =>
    (await import('./secret-credentials.ts')).secretCredentials(secretId),
  // Only a lake whose digest chain is signed (the stack's KMS key) needs KMS, and only then is it loaded.
  digestSigner: async (keyId) => {
    const { createKmsClient, KmsDigestSigner } = await import('../adapters/kms-digest-signer.ts');
    return new KmsDigestSigner(createKmsClient(), keyId);
  },
});
// Exit explicitly once output is flushed: idle keep-alive sockets must not hold a finished command open.
// An interrupted command (130, 143) ends by its signal, so a shell loop around it stops too.
exitWithStatus(await outputStatus(output, code, process.stderr));

/**
 * Runs one esbuild build in its own process, for `bundleLambda` (lambda-bundle.ts), which CDK calls
 * synchronously: esbuild's synchronous API takes no plugins, and the bundles need the one below.
 * Argument: the build options as JSON. Writes `{"warnings": [...]}` to stdout, or `{"errors": [...]}`
 * and exits 1 when the build fails (esbuild's own messages, for the parent to format).
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/** A top-level `const _x = "text";` of the AWS SDK's generated schema files. */
const STRING_CONSTANT = /^const (_\w+) = ("[^"\\\n]*");$/gm;

/**
 * `text` of an AWS SDK schema file with each computed key `[_x]:` whose `_x` is one of the file's
 * string constants written as that string. esbuild keeps every statement that builds an object
 * with a computed key (the key's conversion to a string might run code): the operation schemas of
 * every command of a client (`{ [_h]: ["POST", …] }`), and all they reach, stayed in each bundle,
 * about 130 KiB of the report function's, parsed at every cold start. With literal keys they are
 * pure, and esbuild drops those of the commands a function never sends.
 */
export function literalSchemaKeys(text) {
  const constants = new Map([...text.matchAll(STRING_CONSTANT)].map(([, name, value]) => [name, value]));
  return text.replace(/\[(_\w+)\]:/g, (key, name) => (constants.has(name) ? `${constants.get(name)}:` : key));
}

/** The esbuild plugin applying {@link literalSchemaKeys} to the AWS SDK clients' schema files. */
export const literalSchemaKeysPlugin = {
  name: 'literal-schema-keys',
  setup(bundle) {
    bundle.onLoad(
      {
        filter:
          /[\\/]node_modules[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/,
      },
      (file) => ({ contents: literalSchemaKeys(readFileSync(file.path, 'utf8')), loader: 'js' }),
    );
  },
};

// Run as a script (not imported, as the tests do): build what the argument asks.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const { warnings } = await build({ ...JSON.parse(process.argv[2]), plugins: [literalSchemaKeysPlugin] });
    process.stdout.write(JSON.stringify({ warnings }));
  } catch (error) {
    process.stdout.write(JSON.stringify({ errors: error.errors ?? [{ text: String(error) }] }));
    process.exitCode = 1;
  }
}

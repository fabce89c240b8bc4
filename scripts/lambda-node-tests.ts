// The test files `npm run test:lambda-node` runs on the Lambdas' Node (scripts/test-on-lambda-node.ts).
// Apart so a test can read them (test/scripts/lambda-node-tests.test.ts) without starting the run.

/**
 * The folders whose tests run code a Lambda bundles: the core and the adapters, the handlers'
 * folders and what they share, and the ingest run end to end (against the simulator over HTTP, under
 * the campaigns' faults, on an older lake). A folder here holds every file under it but those of
 * {@link OFF_LAMBDA_NODE} below it.
 */
export const ON_LAMBDA_NODE: readonly string[] = [
  'test/core/',
  'test/adapters/',
  'test/ingest/',
  'test/report/',
  'test/alerts/',
  'test/shared/',
  'test/integration/',
  'test/campaign/',
  'test/upgrade/',
];

/**
 * Files of the folders left out that are the only ones to import a module a Lambda bundles (the
 * layering test, test/architecture/import-rules.test.ts, names such a file: list it here, or test
 * that module from one of the folders above).
 */
export const LAMBDA_NODE_FILES: readonly string[] = [
  'test/cli/did-you-mean.test.ts',
  'test/cli/query-exact-integers.test.ts',
  'test/cli/query-list-columns.test.ts',
  'test/infra/ingest-settings-agreement.test.ts',
  'test/queries/address-activity.test.ts',
];

/**
 * The folders (or, inside a folder the pass runs, the start of the names of files) left to `npm
 * test`'s Node 20, each with why: what they prove runs on the developer's or operator's Node, not
 * on a Lambda's.
 */
export const OFF_LAMBDA_NODE: Readonly<Record<string, string>> = {
  'test/cli/': "the command line, on the operator's Node (engines: 20.20 or later), proven on its floor",
  'test/infra/': "the CDK app: cdk synth runs on the operator's Node, never on a Lambda",
  'test/queries/':
    "the catalog's SQL as DuckDB answers it: Athena runs it for the Lambdas, whatever their Node; " +
    "the code around it (parameters, rows, the catalog's loader) is the core's and the adapters'",
  'test/simulator/': 'the Domo simulator, a development and demo tool the Lambdas never load',
  'test/adapters/duckdb-':
    'DuckDB, the local query engine, which no Lambda loads (the layering rules forbid it)',
  'test/adapters/fs-store': "the lake on disk, the CLI's store (the Lambdas' is S3)",
  'test/adapters/file-lock': "the disk store's lock files",
  'test/core/status/': '`status`, a command of the CLI: no Lambda imports functions/core/status',
  'test/core/evidence/': 'evidence bundles, a command of the CLI: no Lambda imports functions/core/evidence',
  'test/architecture/': 'rules read off the source text, the same on any Node',
  'test/bench/': "the bench, which runs its own children on the Lambdas' Node where it measures them",
  'test/scripts/': "the project's own scripts, run on the developer's Node",
  'test/support/': "the tests' own helpers",
};

/** vitest's options whose value may follow as the next argument (`-t settle`): not a file filter. */
const TAKES_VALUE =
  /^(-t|--testNamePattern|--reporter|--outputFile|--project|--shard|--exclude|--bail|--retry)$/;

/**
 * vitest's arguments for the Node 24 pass: `run`, the selection unless the caller names files of
 * their own (an argument that is neither an option nor an option's value: a file filter replaces
 * the selection, `test/` asks for every file), then the caller's arguments.
 */
export function lambdaNodeArgs(extra: readonly string[]): string[] {
  const ownFiles = extra.some((arg, at) => !arg.startsWith('-') && !TAKES_VALUE.test(extra[at - 1] ?? ''));
  const selection = ownFiles
    ? []
    : [
        ...ON_LAMBDA_NODE,
        ...LAMBDA_NODE_FILES,
        ...Object.keys(OFF_LAMBDA_NODE)
          .filter((off) => ON_LAMBDA_NODE.some((on) => off.startsWith(on)))
          .flatMap((off) => ['--exclude', `${off}**`]),
      ];
  return ['run', ...selection, ...extra];
}

// The test files `npm run test:lambda-node` runs on the Lambdas' Node (scripts/test-on-lambda-node.ts).
// Apart so a test can read them (test/scripts/lambda-node-tests.test.ts) without starting the run.

/**
 * The folders whose tests run code a Lambda bundles: the core and the adapters, the handlers'
 * folders and what they share, and the ingest run end to end (against the simulator over HTTP, under
 * the campaigns' faults, on an older lake); and the command line, which operators run on their own
 * Node, since Node 20's end of support (April 2026) as likely 24 as the floor of `engines` that
 * `npm test` proves. A folder here holds every file under it.
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
  'test/cli/',
];

/**
 * Files of the folders left out that are the only ones to import a module a Lambda bundles (the
 * layering test, test/architecture/import-rules.test.ts, names such a file: list it here, or test
 * that module from one of the folders above).
 */
export const LAMBDA_NODE_FILES: readonly string[] = [
  'test/infra/ingest-settings-agreement.test.ts',
  'test/queries/address-activity.test.ts',
];

/**
 * Files of the folders above left to `npm test`'s Node 20, each with why: tests whose subject is a
 * document's text agreeing with a run (commands as written, figures as printed), the same on any
 * Node, while each command they run is tested on this pass by its own files. The costliest of the
 * command line's files: ~20 of the pass's CPU-s.
 */
export const OFF_LAMBDA_NODE_FILES: Readonly<Record<string, string>> = {
  'test/cli/compromised-account-runbook.test.ts':
    "docs/operations.md's runbook run as written on the demo's lake: its alerts, query, verify and " +
    'evidence commands are tested on Node 24 by their own test/cli files',
  'test/cli/readme-demo-transcript.test.ts':
    "the README's and docs/cli.md's demo transcript against a demo run: the demo is tested on Node 24 " +
    'by demo-verify-simulate.test.ts and the other demo files of test/cli',
};

/**
 * The folders left to `npm test`'s Node 20, each with why: what they prove does not change with the Node that runs it, or
 * runs on the developer's Node only.
 */
export const OFF_LAMBDA_NODE: Readonly<Record<string, string>> = {
  'test/infra/':
    "the CDK app: synth runs on the operator's Node too, but builds a template; the rules in it that " +
    'follow the Node (time zones: zoned-time.ts, zone-abbreviations.ts) are core modules whose own tests run here',
  'test/queries/':
    "the catalog's SQL as DuckDB answers it: Athena runs it for the Lambdas, whatever their Node; " +
    "the code around it (parameters, rows, the catalog's loader) is the core's and the adapters'",
  'test/simulator/': 'the Domo simulator, a development and demo tool the Lambdas never load',
  'test/architecture/': 'rules read off the source text, the same on any Node',
  'test/bench/': "the bench, which runs its own children on the Lambdas' Node where it measures them",
  'test/scripts/': "the project's own scripts, run on the developer's Node",
  'test/support/': "the tests' own helpers",
};

/** vitest's options whose value may follow as the next argument (`-t settle`): not a file filter. */
const TAKES_VALUE =
  /^(-t|--testNamePattern|--reporter|--outputFile|--project|--shard|--exclude|--bail|--retry|--testTimeout|--hookTimeout|--maxWorkers|--pool|--environment|--mode)$/;

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
        ...Object.keys(OFF_LAMBDA_NODE_FILES).flatMap((file) => ['--exclude', file]),
      ];
  return ['run', ...selection, ...extra];
}

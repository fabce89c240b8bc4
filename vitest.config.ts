import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import { CdkLastSequencer } from './test/cdk-last-sequencer.ts';

/**
 * Where the tests' lakes, reports and bundles go: memory-backed /dev/shm when the machine has it.
 * The stores make the same system calls there (temporary file, fsync, rename, exclusive create);
 * only the device flush behind fsync is gone, which no test can observe, and it was a third of the
 * waiting of the on-disk tests (about 10 s of test time).
 */
const scratchDir = (): string | undefined => {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return undefined;
  }
};
const TMPDIR = process.env.TMPDIR ?? scratchDir();

/** A file that does not exist: the SDK reads it as an empty shared config or credentials file. */
const NO_AWS_FILE = join(import.meta.dirname, 'test', 'no-aws-files', 'none');

export default defineConfig({
  test: {
    // Test files share each worker's module cache instead of re-importing the AWS SDK, CDK and
    // DuckDB per file: import time fell from 653 s to 189 s (summed over files), so they restore
    // what they patch (client mocks, env) in their own hooks; a file that needs singletons built
    // differently (the ingest handler test's DEBUG logger) imports fresh modules and resets them.
    isolate: false,
    // Transformed modules are kept on disk between runs (node_modules/.experimental-vitest-cache,
    // keyed by each file's content, the config and coverage): a rerun skips ~5 CPU-s of transform
    // in the main process and ~5 s of the workers' import wait. `npx vitest --clearCache` empties it.
    experimental: { fsModuleCache: true },
    // The CDK files run after all the others in each worker (see the sequencer for why).
    sequence: { sequencer: CdkLastSequencer },
    // test/support/file-cpu-probe.ts logs each file's wall and CPU time when asked to (see there).
    setupFiles: [
      'test/setup.ts',
      ...(process.env.VITEST_FILE_CPU_LOG ? ['test/support/file-cpu-probe.ts'] : []),
    ],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // CDK synth and DuckDB are CPU-heavy; two workers match the 2-core machines.
    maxWorkers: 2,
    // Measured in every `npm test`. The thresholds sit just under the level of 2026-12-01's 14:30 run
    // (lines 98.25 %, branches 92.46 %, statements 97.60 %, functions 97.45 %) so coverage can only go
    // up: raise them when it does. CLI subprocesses are not counted (their code runs in-process too).
    coverage: {
      // V8's coverage, taken once per worker as it stops and merged in one pass at the end
      // (test/coverage-provider.ts).
      provider: 'custom',
      customProviderModule: 'test/coverage-provider.ts',
      include: ['functions/**/*.ts', 'infra/**/*.ts'],
      // The globs match at any depth: without this, helpers such as test/infra/synth-helpers.ts
      // counted as product code.
      exclude: ['test/**'],
      reporter: ['text-summary'],
      // Reading the takes and mapping them back run after the last test file, with the workers done:
      // Vitest's default of one file at a time per core (2 here) left the main process waiting on
      // reads and parses, 1.43 / 1.50 s of 'Generate coverage' against 1.25 / 1.31 s with 16.
      processingConcurrency: 16,
      thresholds: { lines: 98.2, branches: 92.4, statements: 97.5, functions: 97.4 },
    },
    env: {
      AWS_REGION: 'eu-west-1',
      POWERTOOLS_DEV: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      CDK_DISABLE_VERSION_CHECK: '1',
      CDK_DISABLE_CLI_TELEMETRY: 'true',
      // The tests' lakes are tiny and both cores already run a worker: DuckDB's second thread only
      // added synchronisation (its files took ~12 % more CPU and wall time with it).
      DUCKDB_THREADS: '1',
      // No test may take the machine's AWS credentials or wait on the instance metadata service: an
      // SDK call that reaches the default credential chain (a mock restored too early, a timer left
      // running) fails as soon as it is made, with CredentialsProviderError, instead of after the
      // metadata service's timeouts (seconds under load), by then in some later file. Tests that
      // need credentials or a config file set their own (vi.stubEnv).
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: NO_AWS_FILE,
      AWS_SHARED_CREDENTIALS_FILE: NO_AWS_FILE,
      ...(TMPDIR ? { TMPDIR } : {}),
    },
  },
});

import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import { writeKnownLake } from './report/known-lake.ts';

/** Where the run's known lake is, and the files that say it is written, or why it is not. */
interface SharedKnownLake {
  lakeDir: string;
  readyFile: string;
  failedFile: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    sharedKnownLake: SharedKnownLake;
  }
}

/**
 * Writes the known lake (test/report/known-lake.ts) once per run, for the test files that only
 * read it. It is written here, in the main process beside the first files (which do not need it),
 * rather than by each worker under coverage (~3 CPU-s a worker); readers wait for `readyFile`.
 * Workers may be stopped without running their exit handlers, so the lake is removed here, once
 * every file has run.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The CLI bundle, rebuilt here once if a source changed since it was built: otherwise the first
  // test of each worker to run the command rebuilds it at the same time, and the swap of dist/ by
  // one build can pull a chunk from under a command the other worker is running.
  await promisify(execFile)(process.execPath, [join('scripts', 'build-cli.mjs'), '--if-stale'], {
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const dir = await mkdtemp(join(tmpdir(), 'vitest-shared-'));
  const shared: SharedKnownLake = {
    lakeDir: join(dir, 'known-lake'),
    readyFile: join(dir, 'known-lake.ready'),
    failedFile: join(dir, 'known-lake.failed'),
  };
  const writing = writeKnownLake(shared.lakeDir).then(
    () => writeFile(shared.readyFile, ''),
    (error: unknown) =>
      writeFile(shared.failedFile, error instanceof Error ? (error.stack ?? error.message) : String(error)),
  );
  project.provide('sharedKnownLake', shared);
  return async () => {
    await writing;
    await rm(dir, { recursive: true, force: true });
  };
}

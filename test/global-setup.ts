import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
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
  /**
   * How long a reader waits for it: 15 s less than the hook timeout the readers' beforeAll runs
   * under (vitest.config.ts), so that the wait's own message, not the hook's, says what is late,
   * with time left for what the hook does with the lake.
   */
  waitMs: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    sharedKnownLake: SharedKnownLake;
  }
}

const SHARED_PREFIX = 'vitest-shared-';

/** Whether process `pid` still runs (one of another user's answers EPERM). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A run that was killed never gets to its teardown: the next run removes what it left, known by
 * the main process's id in the name. Runs still going (another clone's, beside this one) keep theirs.
 */
async function removeStaleShared(scratch: string): Promise<void> {
  const pattern = new RegExp(`^${SHARED_PREFIX}(\\d+)-`);
  for (const name of await readdir(scratch).catch(() => [])) {
    const pid = Number(pattern.exec(name)?.[1]);
    if (pid > 0 && !running(pid)) await rm(join(scratch, name), { recursive: true, force: true });
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
  // Where the workers make theirs (vitest.config.ts's TMPDIR: /dev/shm when unset here).
  const scratch = project.config.env.TMPDIR ?? tmpdir();
  await removeStaleShared(scratch);
  const dir = await mkdtemp(join(scratch, `${SHARED_PREFIX}${process.pid}-`));
  const shared: SharedKnownLake = {
    lakeDir: join(dir, 'known-lake'),
    readyFile: join(dir, 'known-lake.ready'),
    failedFile: join(dir, 'known-lake.failed'),
    waitMs: project.config.hookTimeout - 15_000,
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

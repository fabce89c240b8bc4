import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A directory for fixtures that test files of one worker share, removed after the run. */
    sharedScratchDir: string;
  }
}

/**
 * Makes the run's shared scratch directory. Workers may be stopped without running their exit
 * handlers, so what they share on disk is removed here, once every file has run.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'vitest-shared-'));
  project.provide('sharedScratchDir', dir);
  return () => rm(dir, { recursive: true, force: true });
}

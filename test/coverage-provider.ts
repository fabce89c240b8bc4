import v8 from '@vitest/coverage-v8';
import type { CoverageProviderModule } from 'vitest/node';
import { takeAtStop } from './coverage-worker-take.ts';

/**
 * The V8 coverage provider as `coverage.provider: 'custom'`: the workers take coverage once, when
 * they stop (coverage-worker-take.ts), and the main process merges the takes in one pass
 * (coverage-batch-merge.ts). The provider is imported only when asked for, so the workers, which
 * load this module too, do not load its report code.
 */
/**
 * Which files coverage transforms: none. V8 counts in the engine, on the code Vitest runs anyway.
 * Said, so that Vitest's module cache on disk (`experimental.fsModuleCache`) keys a file alike
 * with coverage and without: left unsaid, the key held `"undefined"` under coverage and `"false"`
 * without, and a run without coverage (CI's Node 24 pass after `npm test`, one file's run after
 * `npm test`) transformed every file again (test/core/geo: 386 files cached by either run).
 */
export const transformsNothing = (_id: string): boolean => false;

const provider: CoverageProviderModule = {
  ...v8,
  takeCoverage: takeAtStop,
  async getProvider() {
    const { BatchMergingV8Provider } = await import('./coverage-batch-merge.ts');
    return Object.assign(new BatchMergingV8Provider(), { requiresTransform: transformsNothing });
  },
};

export default provider;

import v8 from '@vitest/coverage-v8';
import type { CoverageProviderModule } from 'vitest/node';
import { takeAtStop } from './coverage-worker-take.ts';

/**
 * The V8 coverage provider as `coverage.provider: 'custom'`: the workers take coverage once, when
 * they stop (coverage-worker-take.ts), and the main process merges the takes in one pass
 * (coverage-batch-merge.ts). The provider is imported only when asked for, so the workers, which
 * load this module too, do not load its report code.
 */
const provider: CoverageProviderModule = {
  ...v8,
  takeCoverage: takeAtStop,
  async getProvider() {
    const { BatchMergingV8Provider } = await import('./coverage-batch-merge.ts');
    return new BatchMergingV8Provider();
  },
};

export default provider;

import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** The test files that load aws-cdk-lib (the stack, its constructs, synth and cdk-nag). */
const loadsCdk = (spec: TestSpecification): boolean => /[\\/]test[\\/]infra[\\/]/.test(spec.moduleId);

/**
 * Vitest's own order (unknown and failed files first, then the longest), with the CDK files moved
 * after all the others. Why: coverage was taken after every file, and each take walks the counters
 * of every function the worker has ever run; once aws-cdk-lib has synthesized a stack, that walk
 * costs ~10 ms more per take. Loaded last, the CDK was walked by the ~25 CDK files' takes only,
 * instead of by most of the suite's ~300 in both workers. Since each worker takes coverage once, as
 * it stops (coverage-worker-take.ts), that saving is gone, but Vitest's plain order still cost more
 * in alternating runs (152.4 / 119.8 CPU-s against 122.9 / 115.0 with this one): the CDK's larger
 * heap then weighs on the rest of the run. Kept.
 */
export class CdkLastSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    return [...sorted.filter((spec) => !loadsCdk(spec)), ...sorted.filter(loadsCdk)];
  }
}

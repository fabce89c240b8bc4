import { V8CoverageProvider } from '@vitest/coverage-v8/dist/provider.js';

type ReadOptions = Parameters<V8CoverageProvider['readCoverageFiles']>[0];

/** What one take holds: V8's script coverages (only `result` is read here). */
interface Take {
  result: unknown[];
}

/**
 * Vitest's V8 provider, with one take per worker, sent as the worker stops (coverage-worker-take.ts),
 * and the takes merged in one pass at the end of the run. The provider merges each take into the
 * total as it reads them (`mergeProcessCovs([total, take])`), and every such merge normalizes the
 * whole total again: ~1.8 s of the main process after the last test file when there was a take per
 * file (~300). Handed all the takes' script coverages at once, the same merge groups them by script
 * and merges each group once. The counts are sums either way, so the report is the same.
 */
export class BatchMergingV8Provider extends V8CoverageProvider {
  /**
   * The options the workers get: still this module, not Vitest's built-in V8 one (the provider names
   * itself 'v8'), so that they take coverage when they stop (coverage-worker-take.ts).
   */
  override resolveOptions(): ReturnType<V8CoverageProvider['resolveOptions']> {
    return { ...super.resolveOptions(), provider: 'custom' } as unknown as ReturnType<
      V8CoverageProvider['resolveOptions']
    >;
  }

  /**
   * Waits for the workers to stop first: each sends its take as it stops, and Vitest reads the
   * takes as soon as the last file is done, while the stops it started are still under way.
   * Closing the pool (Vitest's internal `pool`, closed again when Vitest closes) awaits them. Were
   * a take lost, the coverage thresholds would fail the run.
   */
  override async generateCoverage(options: Parameters<V8CoverageProvider['generateCoverage']>[0]) {
    await (this.ctx as unknown as { pool?: { close?: () => Promise<void> } }).pool?.close?.();
    return super.generateCoverage(options);
  }

  override async readCoverageFiles<CoverageType>({ onFileRead, onFinished, onDebug }: ReadOptions) {
    let scripts: unknown[] = [];
    await super.readCoverageFiles<Take>({
      onFileRead: (take) => {
        for (const script of take.result) scripts.push(script);
      },
      onFinished: async (project, environment) => {
        onFileRead({ result: scripts } satisfies Take as CoverageType);
        scripts = [];
        await onFinished(project, environment);
      },
      onDebug,
    });
  }
}

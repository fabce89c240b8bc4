import { V8CoverageProvider } from '@vitest/coverage-v8/dist/provider.js';

type ReadOptions = Parameters<V8CoverageProvider['readCoverageFiles']>[0];

/** What one take holds: V8's script coverages (only `result` is read here). */
interface Take {
  result: unknown[];
}

/**
 * Vitest's V8 provider, with the takes merged in one pass at the end of the run. The provider
 * merges each file's take into the total as it reads them (`mergeProcessCovs([total, take])`), and
 * every such merge normalizes the whole total again: ~1.8 s of the main process after the last test
 * file, for ~300 takes. Handed all the takes' script coverages at once, the same merge groups them
 * by script and merges each group once. The counts are sums either way, so the report is the same.
 */
export class BatchMergingV8Provider extends V8CoverageProvider {
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

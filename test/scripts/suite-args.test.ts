import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { suiteArgs } from '../../scripts/suite-args.mjs';

describe("npm test's arguments to vitest", () => {
  it('measure coverage, and so check its thresholds, on the whole suite', () => {
    expect(suiteArgs([])).toEqual(['run', '--coverage']);
    expect(suiteArgs(['--reporter=verbose'])).toEqual(['run', '--coverage', '--reporter=verbose']);
  });

  it('leave coverage out of a run narrowed to some files or tests: one file cannot meet the thresholds', () => {
    expect(suiteArgs(['test/core/once.test.ts'])).toEqual(['run', 'test/core/once.test.ts']);
    expect(suiteArgs(['test/core/', 'lake'])).toEqual(['run', 'test/core/', 'lake']);
    expect(suiteArgs(['-t', 'settle'])).toEqual(['run', '-t', 'settle']);
    expect(suiteArgs(['--testNamePattern=settle'])).toEqual(['run', '--testNamePattern=settle']);
    expect(suiteArgs(['--shard=1/2'])).toEqual(['run', '--shard=1/2']);
    expect(suiteArgs(['--changed'])).toEqual(['run', '--changed']);
    // Asked for by name, it is measured (and judged) anyway.
    expect(suiteArgs(['--coverage', 'test/core/once.test.ts'])).toEqual([
      'run',
      '--coverage',
      'test/core/once.test.ts',
    ]);
  });

  it('are what scripts/test.mjs runs the suite with', () => {
    expect(readFileSync('scripts/test.mjs', 'utf8')).toContain(
      "run(nodeBin('vitest', 'vitest'), suiteArgs(process.argv.slice(2)))",
    );
  });
});

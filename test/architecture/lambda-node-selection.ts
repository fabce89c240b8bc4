import {
  LAMBDA_NODE_FILES,
  OFF_LAMBDA_NODE,
  OFF_LAMBDA_NODE_FILES,
  ON_LAMBDA_NODE,
} from '../../scripts/lambda-node-tests.ts';
import { handlerFolders, handlerReach, importGraph, type SourceFile } from './import-rules.ts';

/** Whether `npm run test:lambda-node` runs `file`, as vitest reads lambdaNodeArgs' filters. */
export const onLambdaNode = (file: string): boolean =>
  !(file in OFF_LAMBDA_NODE_FILES) &&
  (ON_LAMBDA_NODE.some((on) => file.startsWith(on)) || LAMBDA_NODE_FILES.includes(file));

const isTest = (file: string): boolean => file.startsWith('test/') && file.endsWith('.test.ts');

/**
 * What is wrong with the Node 24 pass's selection (scripts/lambda-node-tests.ts), one line each:
 * a module a Lambda bundles (what a functions/<job>/handler.ts reaches) that test files import but
 * none the pass runs, so its behaviour on the Lambdas' Node goes unproven; a test file of no
 * listed folder; an entry naming no test file. Checked in the layering test's one read of the tree.
 */
export function lambdaNodeProblems(files: readonly SourceFile[]): string[] {
  const graph = importGraph(files);
  const tests = files.map((f) => f.path).filter(isTest);
  const bundled = new Set(
    handlerFolders(files).flatMap((handler) => handlerReach(graph, `${handler}/handler.ts`).queue),
  );
  const importers = new Map<string, string[]>();
  for (const file of tests) {
    for (const target of (graph.get(file) ?? []).filter((target) => bundled.has(target))) {
      importers.set(target, [...(importers.get(target) ?? []), file]);
    }
  }
  const listed = [...ON_LAMBDA_NODE, ...Object.keys(OFF_LAMBDA_NODE)];
  return [
    ...[...importers]
      .filter(([, by]) => !by.some(onLambdaNode))
      .map(
        ([module, by]) =>
          `${module}: a Lambda bundles it and only ${by.join(', ')} import it, which npm run test:lambda-node leaves out (test it from a folder of ON_LAMBDA_NODE or list the file in LAMBDA_NODE_FILES, scripts/lambda-node-tests.ts)`,
      ),
    ...tests
      .filter((file) => !listed.some((folder) => file.startsWith(folder)) && !onLambdaNode(file))
      .map(
        (file) =>
          `${file}: in no folder of scripts/lambda-node-tests.ts (add it to ON_LAMBDA_NODE, or to OFF_LAMBDA_NODE with why)`,
      ),
    ...[...listed, ...LAMBDA_NODE_FILES, ...Object.keys(OFF_LAMBDA_NODE_FILES)]
      .filter((entry) => !tests.some((file) => file.startsWith(entry)))
      .map((entry) => `scripts/lambda-node-tests.ts: ${entry} names no test file`),
    ...offFileProblems(tests, OFF_LAMBDA_NODE_FILES),
    ...LAMBDA_NODE_FILES.filter((file) => ON_LAMBDA_NODE.some((on) => file.startsWith(on))).map(
      (file) =>
        `scripts/lambda-node-tests.ts: ${file} is in LAMBDA_NODE_FILES but already in a folder of ON_LAMBDA_NODE`,
    ),
  ];
}

/**
 * OFF_LAMBDA_NODE_FILES' rule held: each reason names, after "tested on Node 24 by", the test files
 * that run on Node 24 what the file left out touches of the runtime; one that names none, or a file
 * that is not among `tests` or that the pass does not run, is a problem.
 */
export function offFileProblems(tests: readonly string[], off: Readonly<Record<string, string>>): string[] {
  return Object.entries(off).flatMap(([file, reason]) => {
    const named = reason.split('tested on Node 24 by')[1]?.match(/test\/[\w./-]+\.test\.ts/g) ?? [];
    if (named.length === 0) {
      return [
        `scripts/lambda-node-tests.ts: ${file}'s reason names no test file after "tested on Node 24 by"`,
      ];
    }
    return named
      .filter((by) => !tests.includes(by) || !onLambdaNode(by))
      .map(
        (by) =>
          `scripts/lambda-node-tests.ts: ${file} is left to Node 20 as tested on Node 24 by ${by}, which ${tests.includes(by) ? 'npm run test:lambda-node leaves out' : 'is no test file'}`,
      );
  });
}

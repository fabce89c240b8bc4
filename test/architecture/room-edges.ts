import path from 'node:path';
import { type SourceFile, specifiersOf } from './import-rules.ts';

/**
 * The layering of the repository's rooms (docs/architecture.md, rule 7): which rooms each room may
 * import, each edge with why. Rules 2 and 3 (import-rules.ts) deny the edges known to be wrong;
 * this map allows only the edges known to be right, so an edge nobody thought of (an adapter
 * leaning on functions/shared, the simulator on an adapter) fails until it is listed with a reason
 * (review R-SHAPE3 M2). Inside a room, the core's folders have their own map (folder-edges.test.ts)
 * and infra's imports of functions/ are narrowed file by file by rule 3.
 */

/** What the whole-tree check reads: every folder of code, and the test runner's config. */
export const SCANNED = ['functions', 'infra', 'bench', 'scripts', 'bin', 'test', 'vitest.config.ts'];

/** The package's own name: a self-reference by it would hide an edge from every rule. */
const PACKAGE_NAME = 'domo-activity-lake';

/** A room that may import every room: the tests, which prove each of them. */
const ANY = '*';

const HANDLER_WHY = {
  core: 'the use case it calls and the ports it fills',
  adapters: 'the AWS adapters it wires into the use case',
  shared: "the Lambdas' logger, metrics, environment parsing and credentials",
};

/** Room → the rooms it may import (its own files always), each with why. */
export const ROOM_ALLOWED: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  core: { 'package.json': 'the code version, data the bundler inlines (rule 1)' },
  queries: { core: 'the SQL header parser and the named-parameter binding' },
  adapters: {
    core: 'the ports they implement and the rules they apply',
    queries: 'the query catalog and the DuckDB prelude the query engines run',
  },
  shared: {
    core: 'the port types its logger and metric sink implement',
    adapters: "rule 2: the handlers' shared wiring may build an adapter (none does today)",
  },
  simulator: {
    core: "Domo's wall-clock zones, the audit API's limits and great-circle distances (review R-SHAPE3 L9: its time formatting shares the core's zone code)",
  },
  ingest: HANDLER_WHY,
  report: HANDLER_WHY,
  alerts: HANDLER_WHY,
  cli: {
    core: 'the use cases every command calls',
    adapters: 'the local and AWS adapters a command picks',
    queries: 'the query catalog the query command lists and runs',
    shared: "run-memory.ts: the memory a run sizes its holding from, the Lambda's rule too",
    simulator: 'demo and simulate run the Domo simulator',
  },
  infra: {
    core: "the lake's layout, schemas and limits the stack is built from",
    queries: 'the catalog published as Athena named queries (rule 3 narrows it to INFRA_IMPORTS)',
    shared: "the handlers' metric names the alarms read (INFRA_IMPORTS)",
    adapters: 'the geo database build the ingest bundle ships (INFRA_IMPORTS)',
    ingest: "the handler's environment contract, config.ts only (rule 3)",
    report: "the handler's environment contract, config.ts only (rule 3)",
    alerts: "the handler's environment contract, config.ts only (rule 3)",
  },
  bench: {
    core: 'the use cases measured',
    adapters: 'the adapters measured',
    queries: 'the query catalog timed on DuckDB',
    simulator: 'the Domo the ingest benchmarks pull from',
    cli: 'the lake targets and the report command the benchmarks drive',
    infra: 'the Lambda bundle settings and Node pin the bundle benchmarks build with',
    'test support': 'the in-memory store and audit source the benchmarks run the core on',
  },
  scripts: {
    bench: "test-on-lambda-node.ts: the Lambda Node pin and the child bundles' builder",
    infra: "test-on-lambda-node.ts: the Lambdas' runtime, whose Node it runs the suite on",
  },
  bin: { scripts: "the Node version check and the CLI bundle's build on first use" },
  'test support': { [ANY]: 'fixtures and fakes for every room the tests prove' },
  test: { [ANY]: 'tests may import anything' },
};

/**
 * The room of a repository path: a folder of functions/ (the core as one), infra, bench, scripts,
 * bin; under test/, 'test support' for the fixtures and fakes (a support/ or fixtures/ folder, a
 * helper at the top of test/, the runner's config) and 'test' for the rest; else the path itself
 * (package.json), or undefined for a path that is none of these.
 */
export function roomOf(file: string): string | undefined {
  const [top, second] = file.split('/');
  if (top === 'functions') return second;
  if (top === 'vitest.config.ts') return 'test support';
  if (top === 'test') {
    const support =
      /\/(support|fixtures)\//.test(file) || (file.split('/').length === 2 && !file.endsWith('.test.ts'));
    return support ? 'test support' : 'test';
  }
  if (['infra', 'bench', 'scripts', 'bin'].includes(top as string)) return top;
  return file === 'package.json' ? file : undefined;
}

/** A specifier that is neither relative nor a package: an `#alias` or the package's own name. */
const hidesItsTarget = (specifier: string): boolean =>
  specifier.startsWith('#') || specifier === PACKAGE_NAME || specifier.startsWith(`${PACKAGE_NAME}/`);

/** What is wrong with one import of `file` (in `from`), or undefined. */
function edgeProblem(
  file: SourceFile,
  from: string,
  specifier: string,
  allowed: Readonly<Record<string, Readonly<Record<string, string>>>>,
): string | undefined {
  if (hidesItsTarget(specifier)) {
    return `${file.path}: imports "${specifier}" (write a relative path: no layering rule reads an alias)`;
  }
  if (!specifier.startsWith('.')) return;
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(file.path), specifier));
  const to = roomOf(target) ?? target;
  const may = allowed[from] ?? {};
  if (to === from || ANY in may || to in may) return;
  return `${file.path}: imports ${target} (${from} -> ${to} is not an allowed edge)`;
}

/**
 * Every import of one room by another that `allowed` does not list, every import spelled so no
 * rule can follow it, and every file in a room the map does not name, one line each.
 */
export function roomEdgeProblems(
  files: readonly SourceFile[],
  allowed: Readonly<Record<string, Readonly<Record<string, string>>>> = ROOM_ALLOWED,
): string[] {
  return files.flatMap((file) => {
    const from = roomOf(file.path);
    if (from === undefined || !(from in allowed)) {
      return [`${file.path}: the room ${from ?? file.path} is not in the rooms' allowed-edges map`];
    }
    return specifiersOf(file).flatMap((specifier) => edgeProblem(file, from, specifier, allowed) ?? []);
  });
}

import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { readRunCache, runCacheFile, writeRunCache } from '../support/run-cache.ts';

/**
 * The layering rules of docs/architecture.md, checked on source text (no build needed):
 * - functions/core/** imports only functions/core/**, zod, node:buffer, node:crypto and node:zlib (and the
 *   version from package.json, which the bundler inlines), never imports a module it names at run
 *   time (an `import()` or `require()` of anything but a string literal), never
 *   reads process.* (environment, argv, cwd), and reads the real clock or Math.random only in the
 *   files of AMBIENT_READERS: the core is pure and runs anywhere. (biome.json denies the core the
 *   other ambient globals: timers, fetch, performance, globalThis.)
 * - functions/adapters/** never imports an entry point (a handler's folder or the CLI); nothing in
 *   functions/ but the CLI imports the simulator; functions/shared/** imports only the core and the
 *   adapters.
 * - nothing under functions/ or bench/ imports a handler's folder from outside it, and nothing else
 *   under functions/ imports functions/cli: an entry point is the end of the line. (infra/ may read
 *   the core, a handler's environment contract, e.g. ingestEnvironment, so the CDK app and the
 *   handler cannot disagree on variable names, and the files of INFRA_IMPORTS; tests may import
 *   anything.) No handler.ts reaches DuckDB, the simulator or the CLI through any chain of imports.
 * - no string in functions/core/** names a flag of the command line or cdk.json: the core throws
 *   typed errors with data, and the caller that knows which flag or config key applies words them.
 * - no two files import each other, directly or around a circle (type-only imports included).
 */

export interface SourceFile {
  /** Repository-relative, with `/` separators. */
  path: string;
  text: string;
}

// zod as either build: the full one, or zod/mini with its English messages (zod/locales), the one
// the report function bundles (docs/decisions.md, 2026-12-07).
const CORE_PACKAGES = new Set(['zod', 'zod/mini', 'zod/locales', 'node:buffer', 'node:crypto', 'node:zlib']);

/**
 * The module specifiers a file imports or re-exports: static, type-only, `export … from` (`export *
 * as ns from` too), dynamic `import()` (a template literal without substitutions too), `typeof
 * import()`, `require()`, `import x = require()` and a `declare module` augmentation. Read from the
 * syntax tree, never a regex: a string holding `/*` made the regex this replaced skip the rest of
 * the file as a comment (61 lines of a command), and TypeScript's `preProcessFile` does not see
 * `export * as ns from` (review R-SHAPE2 F1). A specifier the code computes is not here: see
 * {@link computedImportsOf}.
 */
export function importsOf(text: string): string[] {
  return specifiersIn(ts.createSourceFile('file.ts', text, ts.ScriptTarget.Latest, true));
}

/** {@link importsOf} on a parsed tree. */
function specifiersIn(tree: ts.SourceFile): string[] {
  return nodesOf(tree).flatMap((node) => {
    const specifier = specifierOf(node);
    return specifier !== undefined && isLiteralSpecifier(specifier)
      ? [(specifier as ts.StringLiteralLike).text]
      : [];
  });
}

/** The node naming the module `node` imports, if it imports one. */
function specifierOf(node: ts.Node): ts.Node | undefined {
  if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return node.moduleSpecifier;
  if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
    return node.moduleReference.expression;
  }
  if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) return node.argument.literal;
  if (ts.isModuleDeclaration(node) && ts.isStringLiteral(node.name)) return node.name;
  const loads =
    ts.isCallExpression(node) &&
    (node.expression.kind === ts.SyntaxKind.ImportKeyword || isGlobal(node.expression, 'require'));
  return loads ? node.arguments[0] : undefined;
}

/**
 * {@link importsOf} of a file, read once per SourceFile object (every rule reads them), and kept
 * for later runs by its text ({@link knownSpecifiers}).
 */
const specifiers = new WeakMap<SourceFile, string[]>();
export function specifiersOf(file: SourceFile): string[] {
  let found = specifiers.get(file);
  if (!found) {
    const key = specifierKey(file);
    found = knownSpecifiers.read.get(key) ?? specifiersIn(treeOf(file));
    knownSpecifiers.used.set(key, found);
    specifiers.set(file, found);
  }
  return found;
}

/**
 * The specifiers of the files of earlier runs, by {@link specifierKey}, and those of this run (and
 * the core files' {@link syntaxProblems}). Why: parsing the whole tree under coverage was ~6
 * CPU-s, the suite's costliest file but one, and three quarters of it the test files, whose only
 * rule (no circles) reads nothing but their specifiers. A file's specifiers are a function of its
 * text, its kind, this file's rules and TypeScript's version, all in the key, so a file read before
 * is read the same way again; a changed file, a changed rule or another TypeScript is parsed anew.
 */
const knownSpecifiers: { file?: string; read: Map<string, string[]>; used: Map<string, string[]> } = {
  read: new Map(),
  used: new Map(),
};

const RULES_VERSION = createHash('sha256')
  .update(`${ts.version}\0${readFileSync(import.meta.filename, 'utf8')}`)
  .digest('hex');

const specifierKey = (file: SourceFile): string =>
  createHash('sha256')
    .update(`${RULES_VERSION}\0${scriptKindOf(file)}\0${file.text}`)
    .digest('base64');

/** Reads the specifiers earlier runs saved under `root`'s node_modules/.cache, if any. */
function loadKnownSpecifiers(root: string): void {
  const file = runCacheFile(root, 'import-specifiers.json');
  knownSpecifiers.file = file;
  knownSpecifiers.read = readRunCache<string[]>(file);
}

/**
 * Saves the specifiers of the files read in this process for the next run (those of files since
 * changed or gone are dropped), if {@link readSources} named where ({@link writeRunCache}).
 */
export function saveKnownSpecifiers(): void {
  const { file, used } = knownSpecifiers;
  if (file) writeRunCache(file, used);
}

const SCRIPT_KINDS: Record<string, ts.ScriptKind> = {
  '.js': ts.ScriptKind.JS,
  '.mjs': ts.ScriptKind.JS,
  '.cjs': ts.ScriptKind.JS,
};

/** The syntax tree of a file (parsed once per SourceFile object: several rules read it). */
const trees = new WeakMap<SourceFile, ts.SourceFile>();
const scriptKindOf = (file: SourceFile): ts.ScriptKind =>
  SCRIPT_KINDS[path.posix.extname(file.path)] ?? ts.ScriptKind.TS;
function treeOf(file: SourceFile): ts.SourceFile {
  let tree = trees.get(file);
  if (!tree) {
    tree = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true, scriptKindOf(file));
    trees.set(file, tree);
  }
  return tree;
}

/** Every node of a tree, depth first. */
function nodesOf(tree: ts.SourceFile): ts.Node[] {
  const nodes: ts.Node[] = [];
  const visitNode = (node: ts.Node): void => {
    nodes.push(node);
    ts.forEachChild(node, visitNode);
  };
  visitNode(tree);
  return nodes;
}

const isLiteralSpecifier = (node: ts.Node | undefined): boolean =>
  node !== undefined && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node));

/**
 * The `import(…)` and `require(…)` calls whose module is not a string literal, as written: no
 * scanner can say what they load, so the core may not have one.
 */
export function computedImportsOf(file: SourceFile): string[] {
  return nodesOf(treeOf(file))
    .filter(
      (node): node is ts.CallExpression =>
        ts.isCallExpression(node) &&
        (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
          (ts.isIdentifier(node.expression) && node.expression.text === 'require')) &&
        !isLiteralSpecifier(node.arguments[0]),
    )
    .map((call) => call.getText());
}

/** Whether `node` is `process` read as a value (`process.env`, `process?.x`, `{ env } = process`). */
function readsProcess(node: ts.Node): boolean {
  if (ts.isIdentifier(node) && node.text === 'process') {
    // `x.process`, `{ process: … }` and the like name a property, not the global.
    const parent = node.parent as ts.Node & { name?: ts.Node; propertyName?: ts.Node };
    return parent.name !== node && parent.propertyName !== node;
  }
  // `globalThis.process`, `globalThis['process']`.
  const onGlobal =
    (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === 'globalThis';
  if (!onGlobal) return false;
  const key = ts.isPropertyAccessExpression(node) ? node.name : node.argumentExpression;
  return (ts.isIdentifier(key) || ts.isStringLiteralLike(key)) && key.text === 'process';
}

/**
 * The core files that may read the real clock or the random source, each with why: everywhere
 * else time and randomness come in as parameters (a Clock, a `random`), so a test controls them.
 */
export const AMBIENT_READERS: Readonly<Record<string, string>> = {
  'functions/core/runtime.ts':
    'the real clocks and random source the entry points pass in (and the defaults)',
};

const isGlobal = (expression: ts.Node, name: string): boolean =>
  ts.isIdentifier(expression) && expression.text === name;

/** The name a property access reads: `a.b` and `a['b']` both read `b`; '' for a computed key. */
function memberName(node: ts.PropertyAccessExpression | ts.ElementAccessExpression): string {
  const key = ts.isPropertyAccessExpression(node) ? node.name : node.argumentExpression;
  return ts.isIdentifier(key) || ts.isStringLiteralLike(key) ? key.text : '';
}

/** `Date`'s static members that only convert: every other use of `Date` may read the clock. */
const DATE_CONVERSIONS = new Set(['UTC', 'parse']);

/** Whether `node` stands where a name is declared or a type is named, not read as a value. */
function isNameNotValue(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return true;
  if (ts.isQualifiedName(parent) && parent.right === node) return true;
  if (ts.isTypeReferenceNode(parent) || ts.isExpressionWithTypeArguments(parent)) return true;
  // A key of an object literal or a class, a declared name: `{ Date: 1 }`, `let Date`.
  return (
    ((ts.isPropertyAssignment(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isMethodDeclaration(parent)) &&
      parent.name === node) ||
    (ts.isVariableDeclaration(parent) && parent.name === node)
  );
}

/**
 * What a value use of `Date` reads: nothing for `new Date(x)` with an argument, `Date.UTC` and
 * `Date.parse`; else the clock (`Date.now`, `new Date()`, `Date()`, and any alias, destructuring
 * or `Reflect.construct(Date, [])`, which no narrower rule could follow).
 */
function dateRead(node: ts.Identifier): string | undefined {
  const parent = node.parent;
  if (ts.isNewExpression(parent) && parent.expression === node && (parent.arguments?.length ?? 0) > 0) return;
  const member = ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent);
  if (member && parent.expression === node && DATE_CONVERSIONS.has(memberName(parent))) return;
  return (member && parent.expression === node) ||
    ((ts.isNewExpression(parent) || ts.isCallExpression(parent)) && parent.expression === node)
    ? parent.getText()
    : node.getText();
}

/** What a value use of `Math` reads: the random source, unless it names another of its members. */
function mathRead(node: ts.Identifier): string | undefined {
  const parent = node.parent;
  const member =
    (ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) &&
    parent.expression === node;
  if (member && memberName(parent) !== 'random' && memberName(parent) !== '') return;
  return member ? parent.getText() : node.getText();
}

/**
 * What `node` reads of the real clock or the random source, as written; undefined if nothing.
 * Every value use of `Date` and `Math` counts but the converting and other members, and so does a
 * formatter's `format()` or `formatToParts()` without an argument (Intl formats now then).
 */
function ambientRead(node: ts.Node): string | undefined {
  if (ts.isIdentifier(node) && !isNameNotValue(node)) {
    if (node.text === 'Date') return dateRead(node);
    if (node.text === 'Math') return mathRead(node);
    return;
  }
  const formatsNow =
    ts.isCallExpression(node) &&
    node.arguments.length === 0 &&
    ts.isPropertyAccessExpression(node.expression) &&
    ['format', 'formatToParts'].includes(node.expression.name.text);
  return formatsNow ? node.getText() : undefined;
}

/** Rule 1: the core's reads of the real clock or the random source, outside {@link AMBIENT_READERS}. */
function ambientProblems(file: SourceFile): string[] {
  if (file.path in AMBIENT_READERS) return [];
  const reads = new Set(nodesOf(treeOf(file)).flatMap((node) => ambientRead(node) ?? []));
  return [...reads].map(
    (read) => `${file.path}: reads ${read} (take a Clock or a random source as a parameter)`,
  );
}

/** Date's methods that read or set the machine's time zone; each has a UTC twin that does not. */
const LOCAL_TIME_METHODS = new Set([
  ...['FullYear', 'Year', 'Month', 'Date', 'Day', 'Hours', 'Minutes', 'Seconds', 'Milliseconds'].flatMap(
    (part) => [`get${part}`, `set${part}`],
  ),
  'getTimezoneOffset',
  'toDateString',
  'toTimeString',
]);

/** The methods that read the machine's locale when not given one: the index of the locale argument. */
const LOCALE_ARGUMENT = new Map([
  ['toLocaleString', 0],
  ['toLocaleDateString', 0],
  ['toLocaleTimeString', 0],
  ['toLocaleUpperCase', 0],
  ['toLocaleLowerCase', 0],
  ['localeCompare', 1],
]);

/** Methods and Intl formatters that only ever format a date: without a `timeZone`, the machine's. */
const DATE_ONLY = new Set(['toLocaleDateString', 'toLocaleTimeString', 'DateTimeFormat']);

/** Whether an argument is missing or written `undefined`: the machine's default then applies. */
const isDefault = (node: ts.Expression | undefined): boolean =>
  node === undefined || (ts.isIdentifier(node) && node.text === 'undefined');

/** Whether an options argument names a time zone (an object literal with a `timeZone` key). */
const namesZone = (node: ts.Expression | undefined): boolean =>
  node !== undefined &&
  ts.isObjectLiteralExpression(node) &&
  node.properties.some((p) => p.name !== undefined && ts.isIdentifier(p.name) && p.name.text === 'timeZone');

/** A call of a method named as in `LOCAL_TIME_METHODS` or `LOCALE_ARGUMENT` that reads the machine's. */
function methodZoneRead(call: ts.CallExpression): boolean {
  if (!ts.isPropertyAccessExpression(call.expression)) return false;
  const name = call.expression.name.text;
  if (LOCAL_TIME_METHODS.has(name)) return true;
  const locale = LOCALE_ARGUMENT.get(name);
  if (locale === undefined) return false;
  return isDefault(call.arguments[locale]) || (DATE_ONLY.has(name) && !namesZone(call.arguments[locale + 1]));
}

/** `Intl.X(…)` or `new Intl.X(…)` without a locale, or a date formatter without a `timeZone`. */
function intlZoneRead(node: ts.CallExpression | ts.NewExpression): boolean {
  const callee = node.expression;
  const intl =
    ts.isPropertyAccessExpression(callee) &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === 'Intl';
  if (!intl || callee.name.text === 'supportedValuesOf' || callee.name.text === 'getCanonicalLocales')
    return false;
  const [locale, options] = node.arguments ?? [];
  return isDefault(locale) || (DATE_ONLY.has(callee.name.text) && !namesZone(options));
}

/**
 * What `node` reads of the machine's time zone or locale, as written; undefined if nothing: a
 * local-time method of `Date`, `new Date(y, m, …)` (local fields), a locale method or an Intl
 * constructor without a locale, a date formatter without a `timeZone`. Not seen: a Date's
 * `toLocaleString('en')` (a number's reads no zone, and the syntax tree cannot tell them apart),
 * `String(date)`, and a zone-less date string parsed as local time.
 */
function zoneRead(node: ts.Node): string | undefined {
  const reads =
    (ts.isCallExpression(node) && (methodZoneRead(node) || intlZoneRead(node))) ||
    (ts.isNewExpression(node) &&
      (intlZoneRead(node) ||
        (ts.isIdentifier(node.expression) &&
          node.expression.text === 'Date' &&
          (node.arguments?.length ?? 0) > 1)));
  return reads ? node.getText() : undefined;
}

/** Rule 1: the core's reads of the machine's time zone or locale (review R-SHAPE3 L1). */
function zoneProblems(file: SourceFile): string[] {
  const reads = new Set(nodesOf(treeOf(file)).flatMap((node) => zoneRead(node) ?? []));
  return [...reads].map(
    (read) =>
      `${file.path}: reads the machine's time zone or locale: ${read} (name them: a UTC method, a locale, a timeZone)`,
  );
}

const resolve = (from: string, specifier: string): string =>
  path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));

const under = (file: string, dir: string): boolean => file.startsWith(`${dir}/`);

/** The folders of the Lambda handlers: every functions/<name>/ holding a handler.ts. */
export const handlerFolders = (files: readonly SourceFile[]): string[] =>
  files.filter((f) => /^functions\/[^/]+\/handler\.ts$/.test(f.path)).map((f) => path.posix.dirname(f.path));

/** Rule 1: what a core file may import and read. */
function coreProblems(file: SourceFile): string[] {
  const problems: string[] = [];
  if (nodesOf(treeOf(file)).some(readsProcess)) {
    problems.push(`${file.path}: reads process.* (the core takes its settings as parameters)`);
  }
  for (const call of computedImportsOf(file)) {
    problems.push(
      `${file.path}: imports a module it names at run time: ${call} (write the specifier as a string)`,
    );
  }
  for (const specifier of specifiersOf(file)) {
    if (!specifier.startsWith('.')) {
      if (!CORE_PACKAGES.has(specifier)) {
        problems.push(
          `${file.path}: imports "${specifier}" (the core may import only zod, node:buffer, node:crypto, node:zlib)`,
        );
      }
      continue;
    }
    const target = sourceOf(file.path, specifier);
    // package.json is data the bundler inlines (the code version), not a file read at run time.
    if (!under(target, 'functions/core') && target !== 'package.json') {
      problems.push(`${file.path}: imports ${target} from outside the core`);
    }
    // The readers' own file is theirs to define, not the core's to call: a default taken from it
    // is a real wait or clock a test forgot to replace.
    if (target in AMBIENT_READERS) {
      problems.push(
        `${file.path}: imports ${target} (take the clock, sleep or random source as a parameter)`,
      );
    }
  }
  return problems;
}

/**
 * What infra/ may import from functions/ besides the core and a handler's environment contract
 * (`functions/<job>/config.ts`), each with why: the CDK app deploys these, it does not run them.
 */
export const INFRA_IMPORTS: Readonly<Record<string, string>> = {
  'functions/queries/catalog.ts':
    'the query catalog: published as Athena named queries and shipped in the report bundle',
  'functions/shared/telemetry.ts':
    "the handlers' metric namespace and names: the dashboard and alarms cannot drift from them",
  'functions/adapters/geo-database-build.ts':
    'builds and checks the geo database file the ingest bundle ships, at synth time',
};

/**
 * What infra/ reaches in functions/ through the files it may import, besides the core and those
 * files themselves, each with why: the CDK app loads all of it at synth time.
 */
export const INFRA_REACHES: Readonly<Record<string, string>> = {
  'functions/shared/lambda-environment.ts':
    "the environment variables' parsing each handler's config.ts declares its contract with",
  'functions/adapters/geo-file.ts': 'the geo file reader geo-database-build.ts checks the built file with',
};

/**
 * Rule 3 for infra/ as a whole: what its imports reach in functions/, followed through every file,
 * outside the core, the handlers' config.ts, {@link INFRA_IMPORTS} and {@link INFRA_REACHES}. A
 * file infra may import could otherwise re-export an adapter or a handler and pass rule 3 edge by
 * edge (review R-SHAPE2 F8).
 */
function infraReachProblems(files: readonly SourceFile[], handlers: readonly string[]): string[] {
  const graph = importGraph(files);
  const allowed = (file: string) =>
    under(file, 'functions/core') ||
    file in INFRA_IMPORTS ||
    file in INFRA_REACHES ||
    handlers.some((handler) => file === `${handler}/config.ts`);
  const reached = new Map<string, string>();
  const queue = files.filter((f) => under(f.path, 'infra')).map((f) => f.path);
  for (let at = 0; at < queue.length; at++) {
    for (const next of graph.get(queue[at] as string) ?? []) {
      if (reached.has(next) || under(next, 'infra')) continue;
      reached.set(next, queue[at] as string);
      queue.push(next);
    }
  }
  // What infra imports itself is rule 3's, edge by edge: only what it reaches further is new here.
  return [...reached]
    .filter(([file, by]) => under(file, 'functions') && !under(by, 'infra') && !allowed(file))
    .map(
      ([file, by]) =>
        `infra/ reaches ${file} through ${by} (list it in INFRA_REACHES with why, or cut the import)`,
    );
}

/**
 * What no Lambda may load, each with why: rules 2 and 3 deny the edges one by one, and an edge
 * they do not name (a handler's own file importing the DuckDB adapter) would still pull it into the
 * bundle (review R-SHAPE3 M2).
 */
const NEVER_IN_A_LAMBDA: readonly { what: string; loads: (fileOrPackage: string) => boolean }[] = [
  { what: "DuckDB's native binary, the local query engine", loads: (p) => p.startsWith('@duckdb/') },
  { what: 'the simulator, for tests and demos', loads: (p) => under(p, 'functions/simulator') },
  { what: 'the command line', loads: (p) => under(p, 'functions/cli') },
];

/** The import chain from `start` to `file`, as `a -> b -> c`, along the walk's first finds. */
function chainTo(file: string, foundBy: ReadonlyMap<string, string>): string {
  const chain = [file];
  for (let at = foundBy.get(file); at !== undefined; at = foundBy.get(at)) chain.unshift(at);
  return chain.join(' -> ');
}

/**
 * What `start` reaches through its imports in `graph` (type-only ones too), itself first, in the
 * order found, and each file reached with the file that first imported it.
 */
export function handlerReach(
  graph: ReadonlyMap<string, readonly string[]>,
  start: string,
): { queue: string[]; foundBy: Map<string, string> } {
  const foundBy = new Map<string, string>();
  const queue = [start];
  for (let at = 0; at < queue.length; at++) {
    for (const next of graph.get(queue[at] as string) ?? []) {
      if (next === start || foundBy.has(next)) continue;
      foundBy.set(next, queue[at] as string);
      queue.push(next);
    }
  }
  return { queue, foundBy };
}

/**
 * Rule 3 for a Lambda's bundle: what each functions/<job>/handler.ts reaches through its imports,
 * followed through every file (type-only imports too: one edit from a value import), holds none of
 * {@link NEVER_IN_A_LAMBDA}.
 */
function handlerReachProblems(files: readonly SourceFile[], handlers: readonly string[]): string[] {
  const graph = importGraph(files);
  const byPath = new Map(files.map((f) => [f.path, f]));
  return handlers.flatMap((handler) => {
    const start = `${handler}/handler.ts`;
    const { queue, foundBy } = handlerReach(graph, start);
    return queue.flatMap((file) => {
      const packages = specifiersOf(byPath.get(file) as SourceFile).filter((p) => !p.startsWith('.'));
      // Past the first file of a kind, the rest of it (the simulator's own imports) adds nothing.
      const inside = foundBy.get(file) ?? '';
      return [file, ...packages].flatMap((loaded) =>
        NEVER_IN_A_LAMBDA.filter((never) => never.loads(loaded) && !never.loads(inside)).map(
          (never) =>
            `${start} reaches ${loaded} (${never.what}: a Lambda never loads it): ${chainTo(file, foundBy)}`,
        ),
      );
    });
  });
}

/** The path a specifier names, a JavaScript name read as its TypeScript source (`./x.js`: x.ts). */
const sourceOf = (from: string, specifier: string): string =>
  resolve(from, specifier).replace(/\.([mc]?)js$/, '.$1ts');

/** Rule 3 for infra/: into functions/ only the core, a handler's config.ts and {@link INFRA_IMPORTS}. */
function infraProblem(from: string, target: string, handler: string | undefined): string | undefined {
  if (!under(target, 'functions') || under(target, 'functions/core') || target in INFRA_IMPORTS) return;
  if (handler && target === `${handler}/config.ts`) return;
  return `${from}: imports ${target} (infra reads only the core, a handler's config.ts and the files its rule lists)`;
}

/** One import, from one file to the repository path it names, and the handler folder it lies in. */
interface Edge {
  from: string;
  target: string;
  handler: string | undefined;
}

/** Rules 2 and 3, one function per rule: what is wrong with an edge, or undefined. */
const EDGE_RULES: readonly ((edge: Edge) => string | undefined)[] = [
  ({ from, target, handler }) =>
    under(from, 'functions/adapters') && (under(target, 'functions/cli') || handler)
      ? `${from}: an adapter imports the entry point ${target}`
      : undefined,
  ({ from, target, handler }) =>
    handler && !under(from, handler) && !under(from, 'infra')
      ? `${from}: imports ${target} from the handler folder ${handler}`
      : undefined,
  ({ from, target, handler }) => (under(from, 'infra') ? infraProblem(from, target, handler) : undefined),
  ({ from, target }) =>
    // An adapter's breach is worded by the rule above.
    under(target, 'functions/cli') &&
    under(from, 'functions') &&
    !under(from, 'functions/cli') &&
    !under(from, 'functions/adapters')
      ? `${from}: imports ${target} (the command line is an entry point: nothing in functions/ imports it)`
      : undefined,
  ({ from, target }) =>
    under(from, 'functions/shared') &&
    !['functions/core', 'functions/adapters', 'functions/shared'].some((dir) => under(target, dir))
      ? `${from}: imports ${target} (functions/shared imports only the core and the adapters)`
      : undefined,
  // Only the command line (demo, simulate) runs the simulator; a handler folder did not count
  // (review R-SHAPE2 F7).
  ({ from, target }) =>
    under(from, 'functions') &&
    !under(from, 'functions/cli') &&
    !under(from, 'functions/simulator') &&
    under(target, 'functions/simulator')
      ? `${from}: imports ${target} (production code never loads the simulator)`
      : undefined,
];

/**
 * Rules 2 and 3: adapters never import an entry point; nobody imports a handler's folder from
 * outside, nor the CLI from elsewhere in functions/; functions/shared leans only on the core and
 * the adapters; nothing in functions/ but the CLI loads the simulator; infra, see
 * {@link infraProblem}. Tests may import anything.
 */
function entryPointProblems(file: SourceFile, handlers: readonly string[]): string[] {
  if (under(file.path, 'test')) return [];
  return specifiersOf(file)
    .filter((s) => s.startsWith('.'))
    .flatMap((specifier) => {
      const target = sourceOf(file.path, specifier);
      const edge: Edge = { from: file.path, target, handler: handlers.find((h) => under(target, h)) };
      return EDGE_RULES.flatMap((rule) => rule(edge) ?? []);
    });
}

// A comment, or a string literal (quoted or template), as written.
const TOKEN = /\/\*[\s\S]*?\*\/|\/\/[^\n]*|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\[\s\S]|[^`\\])*`/g;

/** The string literals of a source text (template literals whole), comments left out. */
export const stringsOf = (text: string): string[] =>
  [...text.matchAll(TOKEN)].map((m) => m[0]).filter((token) => !token.startsWith('/'));

// `name: { type: 'string' | 'boolean'` in a parseArgs spec of the command line.
const OPTION = /['"]?([a-z][a-z0-9-]*)['"]?\s*:\s*\{\s*type:\s*'(?:string|boolean)'/g;

/** The long options the command line defines (the keys of its parseArgs specs), without `--`. */
export const cliFlags = (files: readonly SourceFile[]): Set<string> =>
  new Set(
    files
      .filter((f) => under(f.path, 'functions/cli'))
      .flatMap((f) => [...f.text.matchAll(OPTION)].map((m) => m[1] as string)),
  );

// An AWS CLI command line (`aws <service> <command> … --flag`): its flags are not ours.
const AWS_COMMAND = /\baws [a-z0-9-]+ [a-z0-9-]+\b[^;]*$/;

/** Rule 4: core strings name neither a command-line flag nor cdk.json. */
function callerWordingProblems(file: SourceFile, flags: ReadonlySet<string>): string[] {
  const problems = new Set<string>();
  for (const literal of stringsOf(file.text)) {
    if (/cdk\.json/.test(literal)) {
      problems.add(
        `${file.path}: a string names cdk.json (throw a typed error; the Lambda or infra words it)`,
      );
    }
    for (const match of literal.matchAll(/--([a-z][a-z0-9-]*)/g)) {
      if (!flags.has(match[1] as string) || AWS_COMMAND.test(literal.slice(0, match.index))) continue;
      problems.add(
        `${file.path}: a string names the flag ${match[0]} (throw a typed error; the command words it)`,
      );
    }
  }
  return [...problems];
}

/**
 * The file of `files` a relative specifier names, if any: as written, or the TypeScript source of
 * a JavaScript name (`./x.js` is `x.ts` under NodeNext, `.mjs` is `.mts`, `.cjs` is `.cts`).
 */
function resolveKnown(known: ReadonlySet<string>, from: string, specifier: string): string | undefined {
  const target = resolve(from, specifier);
  if (known.has(target)) return target;
  const source = target.replace(/\.([mc]?)js$/, '.$1ts');
  return known.has(source) ? source : undefined;
}

/** Each file's imports of other files in `files` (relative specifiers only). */
export function importGraph(files: readonly SourceFile[]): Map<string, string[]> {
  const known = new Set(files.map((f) => f.path));
  return new Map(
    files.map((f) => [
      f.path,
      specifiersOf(f)
        .filter((s) => s.startsWith('.'))
        .flatMap((s) => resolveKnown(known, f.path, s) ?? []),
    ]),
  );
}

/** Tarjan's walk: its numbering, the stack of files not yet placed in a group, and the groups. */
interface Walk {
  graph: Map<string, string[]>;
  index: Map<string, number>;
  low: Map<string, number>;
  stack: string[];
  circles: string[][];
}

function visit(walk: Walk, file: string): void {
  const { graph, index, low, stack } = walk;
  index.set(file, index.size);
  low.set(file, index.size - 1);
  stack.push(file);
  for (const next of graph.get(file) ?? []) {
    if (!index.has(next)) visit(walk, next);
    if (stack.includes(next)) low.set(file, Math.min(low.get(file) as number, low.get(next) as number));
  }
  if (low.get(file) === index.get(file)) closeGroup(walk, file);
}

/** `file` roots a group: the files above it on the stack are its members; a circle if more than one. */
function closeGroup(walk: Walk, file: string): void {
  const group = walk.stack.splice(walk.stack.lastIndexOf(file));
  if (group.length > 1 || walk.graph.get(file)?.includes(file)) walk.circles.push(group.sort());
}

/**
 * Rule 5: the files that import each other around a circle, one group per circle (Tarjan's
 * strongly connected components), each group's paths sorted.
 */
export function importCircles(files: readonly SourceFile[]): string[][] {
  const walk: Walk = { graph: importGraph(files), index: new Map(), low: new Map(), stack: [], circles: [] };
  for (const file of walk.graph.keys()) if (!walk.index.has(file)) visit(walk, file);
  return walk.circles;
}

/**
 * Rule 1's findings in a core file's syntax tree (its imports, calls and globals): a function of its
 * path, its text and the rules, kept for later runs as the specifiers are ({@link knownSpecifiers}),
 * so a core file read before is not parsed again either.
 */
function syntaxProblems(file: SourceFile): string[] {
  const key = `problems\0${file.path}\0${specifierKey(file)}`;
  const found = knownSpecifiers.read.get(key) ?? [
    ...coreProblems(file),
    ...ambientProblems(file),
    ...zoneProblems(file),
  ];
  knownSpecifiers.used.set(key, found);
  return found;
}

/** Every broken rule, one line each: `<file>: <what>`. */
export function findViolations(files: readonly SourceFile[]): string[] {
  const handlers = handlerFolders(files);
  const flags = cliFlags(files);
  return [
    ...files.flatMap((file) => [
      ...(under(file.path, 'functions/core')
        ? [...syntaxProblems(file), ...callerWordingProblems(file, flags)]
        : []),
      ...entryPointProblems(file, handlers),
    ]),
    ...infraReachProblems(files, handlers),
    ...handlerReachProblems(files, handlers),
    ...importCircles(files).map(
      (group) => `${group.join(' <-> ')}: import each other (move what they share into a file of its own)`,
    ),
  ];
}

/** A file that holds code: TypeScript or JavaScript, as modules or CommonJS. */
const CODE_FILE = /\.[mc]?[tj]s$/;

/**
 * The code files (TypeScript and JavaScript) under `dirs` of the repository at `root`, and those
 * of `dirs` that name a file. A symbolic link fails: its files would read as lying where the link
 * is, so a core folder linked to the adapters would pass every rule (review R-SHAPE3 L2).
 */
export function readSources(root: string, dirs: readonly string[]): SourceFile[] {
  loadKnownSpecifiers(root);
  const files: SourceFile[] = [];
  const read = (rel: string) => files.push({ path: rel, text: readFileSync(path.join(root, rel), 'utf8') });
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      // The bench's gitignored cache holds bundles built from the sources: the rules judge those.
      if (entry.isDirectory() && entry.name === '.cache') continue;
      if (entry.isSymbolicLink()) throw new Error(symlinkRefusal(rel));
      if (entry.isDirectory()) walk(rel);
      else if (CODE_FILE.test(entry.name)) read(rel);
    }
  };
  for (const dir of dirs) {
    const stats = lstatSync(path.join(root, dir));
    if (stats.isSymbolicLink()) throw new Error(symlinkRefusal(dir));
    if (stats.isDirectory()) walk(dir);
    else read(dir);
  }
  return files;
}

const symlinkRefusal = (rel: string): string =>
  `${rel} is a symbolic link: the layering rules read files where they lie, so no scanned folder may hold one`;

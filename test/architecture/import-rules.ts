import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The layering rules of docs/architecture.md, checked on source text (no build needed):
 * - functions/core/** imports only functions/core/**, zod, node:crypto and node:zlib (and the
 *   version from package.json, which the bundler inlines), and never
 *   reads process.* (environment, argv, cwd): the core is pure and runs anywhere.
 * - functions/adapters/** never imports an entry point (a handler's folder or the CLI).
 * - nothing under functions/ or bench/ imports a handler's folder from outside it: a handler is the
 *   end of the line. (infra/ may read a handler's environment contract, e.g. ingestEnvironment,
 *   so the CDK app and the handler cannot disagree on variable names; tests may import anything.)
 * - no string in functions/core/** names a flag of the command line or cdk.json: the core throws
 *   typed errors with data, and the caller that knows which flag or config key applies words them.
 * - no two files import each other, directly or around a circle (type-only imports included).
 */

export interface SourceFile {
  /** Repository-relative, with `/` separators. */
  path: string;
  text: string;
}

const CORE_PACKAGES = new Set(['zod', 'node:crypto', 'node:zlib']);
const IMPORT =
  /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The module specifiers a file imports or re-exports (static and dynamic). */
export function importsOf(text: string): string[] {
  const withoutComments = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  return [...withoutComments.matchAll(IMPORT)].map((m) => (m[1] ?? m[2]) as string);
}

const resolve = (from: string, specifier: string): string =>
  path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));

const under = (file: string, dir: string): boolean => file.startsWith(`${dir}/`);

/** The folders of the Lambda handlers: every functions/<name>/ holding a handler.ts. */
export const handlerFolders = (files: readonly SourceFile[]): string[] =>
  files.filter((f) => /^functions\/[^/]+\/handler\.ts$/.test(f.path)).map((f) => path.posix.dirname(f.path));

const withoutComments = (text: string): string => text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');

/** Rule 1: what a core file may import and read. */
function coreProblems(file: SourceFile): string[] {
  const problems: string[] = [];
  if (/\bprocess\s*\./.test(withoutComments(file.text))) {
    problems.push(`${file.path}: reads process.* (the core takes its settings as parameters)`);
  }
  for (const specifier of importsOf(file.text)) {
    if (!specifier.startsWith('.')) {
      if (!CORE_PACKAGES.has(specifier)) {
        problems.push(
          `${file.path}: imports "${specifier}" (the core may import only zod, node:crypto, node:zlib)`,
        );
      }
      continue;
    }
    const target = resolve(file.path, specifier);
    // package.json is data the bundler inlines (the code version), not a file read at run time.
    if (!under(target, 'functions/core') && target !== 'package.json') {
      problems.push(`${file.path}: imports ${target} from outside the core`);
    }
  }
  return problems;
}

/** Rules 2 and 3: adapters never import an entry point; nobody imports a handler's folder from outside. */
function entryPointProblems(file: SourceFile, handlers: readonly string[]): string[] {
  const problems: string[] = [];
  const exempt = under(file.path, 'infra') || under(file.path, 'test');
  for (const specifier of importsOf(file.text).filter((s) => s.startsWith('.'))) {
    const target = resolve(file.path, specifier);
    const handler = handlers.find((h) => under(target, h));
    if (under(file.path, 'functions/adapters') && (under(target, 'functions/cli') || handler)) {
      problems.push(`${file.path}: an adapter imports the entry point ${target}`);
    }
    if (handler && !under(file.path, handler) && !exempt) {
      problems.push(`${file.path}: imports ${target} from the handler folder ${handler}`);
    }
  }
  return problems;
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

/** Each file's imports of other files in `files` (relative specifiers only). */
function importGraph(files: readonly SourceFile[]): Map<string, string[]> {
  const known = new Set(files.map((f) => f.path));
  return new Map(
    files.map((f) => [
      f.path,
      importsOf(f.text)
        .filter((s) => s.startsWith('.'))
        .map((s) => resolve(f.path, s))
        .filter((target) => known.has(target)),
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

/** Every broken rule, one line each: `<file>: <what>`. */
export function findViolations(files: readonly SourceFile[]): string[] {
  const handlers = handlerFolders(files);
  const flags = cliFlags(files);
  return [
    ...files.flatMap((file) => [
      ...(under(file.path, 'functions/core')
        ? [...coreProblems(file), ...callerWordingProblems(file, flags)]
        : []),
      ...entryPointProblems(file, handlers),
    ]),
    ...importCircles(files).map(
      (group) => `${group.join(' <-> ')}: import each other (move what they share into a file of its own)`,
    ),
  ];
}

/** The TypeScript files under `dirs` of the repository at `root`. */
export function readSources(root: string, dirs: readonly string[]): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.ts'))
        files.push({ path: rel, text: readFileSync(path.join(root, rel), 'utf8') });
    }
  };
  for (const dir of dirs) walk(dir);
  return files;
}

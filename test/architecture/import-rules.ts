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

/** Every broken rule, one line each: `<file>: <what>`. */
export function findViolations(files: readonly SourceFile[]): string[] {
  const handlers = handlerFolders(files);
  return files.flatMap((file) => [
    ...(under(file.path, 'functions/core') ? coreProblems(file) : []),
    ...entryPointProblems(file, handlers),
  ]);
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

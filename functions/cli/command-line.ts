import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';

/** The package's name, which is also the name of its bin. */
const PACKAGE_NAME = 'domo-activity-lake';

/** Whether the package.json at `manifest` is this package's (an unreadable one is not). */
const namesPackage = (manifest: string): boolean => {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    return false;
  }
};

/**
 * The directory of the package's package.json: the first above `from` (this module's directory,
 * functions/cli/ in a checkout, dist/ in the CLI bundle) whose package.json names the package, or
 * undefined when none does (a bundle copied elsewhere).
 */
export function packageRootAbove(from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && namesPackage(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** This package's directory, null when not found; looked up once, when first needed. */
let packageRoot: string | null | undefined;
const ownPackageRoot = (): string | null => {
  if (packageRoot === undefined) packageRoot = packageRootAbove(import.meta.dirname) ?? null;
  return packageRoot;
};

/**
 * How a reader in `cwd` runs the CLI, for the command lines it prints (a fix, a pull, a listing).
 * Never npx without `--no`: outside the checkout npx would fetch whatever the public
 * registry serves under that name (this package is not published) and run it with the reader's
 * Domo and AWS credentials in its environment. So, inside the package's directory (the checkout,
 * or a subdirectory), `npx --no domo-activity-lake`: npx finds the package's own bin and `--no`
 * forbids any download; anywhere else, `node` with the absolute path of the bin. Both keep the
 * reader's directory, so a relative `--lake` means what it meant when printed (`npm run cli` runs
 * in the package's root instead).
 */
export function cliCommandIn(cwd: string, root: string | null = ownPackageRoot()): string {
  if (root === null) return `npx --no ${PACKAGE_NAME}`;
  const below = relative(root, cwd);
  const inside = below.split(sep)[0] !== '..' && !isAbsolute(below);
  return inside ? `npx --no ${PACKAGE_NAME}` : cliCommandAnywhere(root);
}

/**
 * How to run the CLI from any directory: `node` with the absolute path of the bin (npx only when
 * the package's root is not known). For what a message or a file written by the CLI tells its
 * reader, who reads it in a mail client away from the checkout, where `npx --no` finds nothing
 * (review R-USER 6).
 */
export function cliCommandAnywhere(
  root: string | null = ownPackageRoot(),
  word: (text: string) => string = shellWord,
): string {
  if (root === null) return `npx --no ${PACKAGE_NAME}`;
  return `node ${word(join(root, 'bin', `${PACKAGE_NAME}.js`))}`;
}

/**
 * An argument as PowerShell reads it back: bare when it holds only plain path characters (`\`
 * included, Windows' separator), else in single quotes, a quote in it doubled.
 */
export const powerShellWord = (text: string): string =>
  /^[\w%+=:,./\\-]+$/.test(text) ? text : `'${text.replaceAll("'", "''")}'`;

/** How the reader runs the CLI from the current directory ({@link cliCommandIn}). */
export const cliCommand = (): string => cliCommandIn(process.cwd());

/**
 * An argument as a shell reads it back: bare when it holds only plain path characters, else in
 * single quotes; text with quotes of its own (SQL literals) goes in double quotes when nothing in it
 * is special there (`$`, backquote, backslash, `"`, and `!` for an interactive bash), as
 * `'\''` for each quote is hard to read.
 */
export const shellWord = (text: string): string => {
  if (/^[\w@%+=:,./-]+$/.test(text)) return text;
  if (!text.includes("'")) return `'${text}'`;
  if (!/[$`\\"!]/.test(text)) return `"${text}"`;
  return `'${text.replaceAll("'", "'\\''")}'`;
};

/** {@link cliCommand} and `words`, each word quoted for the shell as needed. */
export const commandLine = (words: readonly string[]): string =>
  `${cliCommand()} ${words.map(shellWord).join(' ')}`;

/** {@link cliCommandAnywhere} and `words`: a command line a message gives, to run from anywhere. */
export const messageCommandLine = (words: readonly string[]): string =>
  `${cliCommandAnywhere()} ${words.map(shellWord).join(' ')}`;

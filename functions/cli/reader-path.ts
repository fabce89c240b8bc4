import { dirname, isAbsolute, relative, resolve } from 'node:path';

/**
 * A relative `path` of this process's directory as the reader's shell, in `readerDir`, reads it:
 * `npm run demo` from a subdirectory of the checkout runs in the checkout's root (npm says where
 * the reader is in INIT_CWD), so the `./lake` it printed named a directory that is not there from
 * where the reader pastes it. Unchanged when absolute, or when the reader is where the process is.
 */
export function readerPath(path: string, readerDir: string | undefined, cwd: string = process.cwd()): string {
  if (readerDir === undefined || readerDir === '' || isAbsolute(path)) return path;
  if (resolve(readerDir) === resolve(cwd)) return path;
  const fromReader = relative(resolve(readerDir), resolve(cwd, path));
  if (fromReader === '') return '.';
  return fromReader.startsWith('..') || isAbsolute(fromReader) ? fromReader : `./${fromReader}`;
}

/**
 * The reader's directory npm names in INIT_CWD, when this process is the one `npm run` started in
 * the package's root (npm_package_json names the package.json there): only then are the paths it
 * was given relative to that root rather than to where the reader is. INIT_CWD is inherited by
 * everything below an npm script, a shell or a script that changed directory included, and there
 * it named a directory the paths were never relative to. Undefined otherwise: paths stay as given.
 */
export function readerDirectory(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): string | undefined {
  const { INIT_CWD: readerDir, npm_package_json: packageJson } = env;
  if (!readerDir || !packageJson) return undefined;
  return resolve(dirname(packageJson)) === resolve(cwd) ? readerDir : undefined;
}

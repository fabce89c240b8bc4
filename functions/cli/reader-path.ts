import { isAbsolute, relative, resolve } from 'node:path';

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

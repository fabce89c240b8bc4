import { lstat, readdir, rmdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { errorCode } from '../adapters/error-code.ts';

/**
 * The directories that making `dir` would create: `dir` and its missing parents, deepest first;
 * empty when `dir` is there already (or cannot be looked at, which is then nobody's to remove).
 */
export async function missingDirectories(dir: string): Promise<string[]> {
  const missing: string[] = [];
  for (let path = resolve(dir); ; path = dirname(path)) {
    try {
      await lstat(path);
      return missing;
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') return missing;
    }
    missing.push(path);
    if (dirname(path) === path) return missing;
  }
}

/**
 * Removes `dir` and the folders below it when none holds a file, deepest first, each with rmdir,
 * which refuses a directory with anything in it: a file written meanwhile stays, with its folders.
 * Symbolic links count as files. True when `dir` is gone.
 */
async function removeEmptyTree(dir: string): Promise<boolean> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      if (!entry.isDirectory() || !(await removeEmptyTree(join(dir, entry.name)))) return false;
    }
    await rmdir(dir);
    return true;
  } catch {
    return false;
  }
}

/**
 * Undoes the making of `made` ({@link missingDirectories}, deepest first) as far as they are empty:
 * the deepest with its empty folders, then each parent made with it, stopping at the first that
 * holds anything. Returns the shallowest removed, or undefined when none was. Directories that were
 * there before are never in `made`, so never removed.
 */
export async function removeMadeDirectories(made: readonly string[]): Promise<string | undefined> {
  const [deepest, ...parents] = made;
  if (deepest === undefined || !(await removeEmptyTree(deepest))) return undefined;
  let removed = deepest;
  for (const parent of parents) {
    try {
      await rmdir(parent);
    } catch {
      break;
    }
    removed = parent;
  }
  return removed;
}

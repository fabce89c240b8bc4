import { readdirSync } from 'node:fs';
import { readdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';

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
 * Undoes the making of `made` (what `makeDirectory` returns, deepest first) as far as they are empty:
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

/**
 * True when `dir` holds no file, only folders or nothing (or is gone): what
 * {@link removeMadeDirectories} removes whole. Synchronous, for a signal's handler, which says what
 * it leaves before it starts removing.
 */
export function holdsNoFile(dir: string): boolean {
  try {
    return readdirSync(dir, { withFileTypes: true }).every(
      (entry) => entry.isDirectory() && holdsNoFile(join(dir, entry.name)),
    );
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

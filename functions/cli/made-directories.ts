import { existsSync, readdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Removes `dir` and the folders below it when none holds a file, deepest first, each with rmdir,
 * which refuses a directory with anything in it: a file written meanwhile stays, with its folders.
 * Symbolic links count as files. True when `dir` is gone.
 */
function removeEmptyTree(dir: string): boolean {
  try {
    const entries = readdirSync(dir, { withFileTypes: true });
    for (const entry of entries) {
      if (!entry.isDirectory() || !removeEmptyTree(join(dir, entry.name))) return false;
    }
    rmdirSync(dir);
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
 *
 * Synchronous, for a signal's handler too: it says what it left once this has returned, so what it
 * says is what happened, not a guess a file written meanwhile could make untrue. A made directory
 * holds a few empty folders at most, or stops the removal at its first file.
 */
export function removeMadeDirectories(made: readonly string[]): string | undefined {
  const [deepest, ...parents] = made;
  if (deepest === undefined || !removeEmptyTree(deepest)) return undefined;
  let removed = deepest;
  for (const parent of parents) {
    try {
      rmdirSync(parent);
    } catch {
      break;
    }
    removed = parent;
  }
  return removed;
}

/**
 * The shallowest folder of `relative` (a key prefix such as `reports/instance=main/`) under `root`
 * that is not there yet: what a write under that prefix would make, for
 * {@link removeMadeDirectories} to undo; undefined when all are there. Taken before the write, so
 * a folder that was there before is never one to remove.
 */
export function firstMissingDirectory(root: string, relative: string): string | undefined {
  let path = root;
  for (const segment of relative.split('/').filter((part) => part !== '')) {
    path = join(path, segment);
    if (!existsSync(path)) return path;
  }
  return undefined;
}

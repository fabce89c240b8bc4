import { readdirSync, rmdirSync } from 'node:fs';
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

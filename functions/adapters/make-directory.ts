import { lstat, mkdir, readlink, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { errorCode } from './error-code.ts';
import { PRIVATE_DIR_MODE } from './private-mode.ts';

/** Whether `path` is a directory; false when it is something else or is not there. */
export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The nearest of `path` and its parents that exists but is not a directory: what a mkdir refused
 * with ENOTDIR stumbled on. Walks up at most the path's depth.
 */
async function fileInTheWay(path: string): Promise<string | undefined> {
  for (let current = path; ; current = dirname(current)) {
    try {
      if (!(await stat(current)).isDirectory()) return current;
    } catch {
      // Not there (or unreadable): look further up.
    }
    if (dirname(current) === current) return undefined;
  }
}

/**
 * What stands at `path` where a directory should be: a file, or a symbolic link whose target is
 * missing (an unmounted disk), loops, or is no directory; a dangling link is no file to remove.
 */
async function notADirectory(path: string): Promise<string> {
  try {
    if ((await lstat(path)).isSymbolicLink()) {
      const to = await readlink(path);
      const code = await stat(path).then(
        () => undefined,
        (error: unknown) => errorCode(error),
      );
      if (code === 'ENOENT') return `${path} is a symbolic link to ${to}, which does not exist`;
      if (code === 'ELOOP') return `${path} is a symbolic link to ${to}, which loops back on itself`;
      return `${path} is a symbolic link to ${to}, which is not a directory`;
    }
  } catch {
    // Gone meanwhile: say what the mkdir found.
  }
  return `${path} is a file, not a directory`;
}

/** Why `path` could not be made, in words, from the refusal of its mkdir. */
async function reasonOf(path: string, error: unknown): Promise<string> {
  const code = errorCode(error);
  if (code === 'EEXIST') return notADirectory(path);
  if (code === 'ENOTDIR') {
    const file = await fileInTheWay(path);
    return file ? notADirectory(file) : 'a part of the path is a file, not a directory';
  }
  if (code === 'ELOOP') return `a symbolic link in ${path} loops back on itself`;
  if (code === 'ENOENT') {
    // Its parent is there (it was made or found first), yet mkdir still finds nothing: a file
    // system that takes no new directories, such as /proc.
    return `${dirname(path)} takes no new directories (a virtual file system such as /proc or /sys)`;
  }
  if (code === 'EACCES' || code === 'EPERM') return `permission denied to create ${path}`;
  if (code === 'EROFS') return `${path} is on a read-only file system`;
  return error instanceof Error ? error.message : String(error);
}

/** The error a failed directory gets: which directory, why, and what to do. */
async function cannotMake(target: string, path: string, error: unknown): Promise<Error> {
  return new Error(
    `cannot create the directory ${target}: ${await reasonOf(path, error)}; choose a directory on a writable file system, or create it yourself first`,
    { cause: error },
  );
}

/** Makes one directory whose parent exists (`fs.mkdir`; tests stand another process beside it). */
type MakeOne = (path: string) => Promise<unknown>;

/** Walks the path again this many times when another process removes a parent meanwhile. */
const WALKS = 2;

/** Whether a mkdir refusal means `path` is there already, as a directory (made by another process too). */
const alreadyThere = async (path: string, error: unknown): Promise<boolean> =>
  errorCode(error) === 'EEXIST' && (await isDirectory(path));

/** The missing directories below the first that exists or could be made, deepest first, and that one when this walk made it. */
interface WalkUp {
  missing: string[];
  made: string | undefined;
}

/**
 * Walks up from `target` to the first directory that exists or could be made, and returns the
 * missing ones below it, deepest first. Bounded by the path's depth.
 */
async function missingBelow(target: string, make: MakeOne): Promise<WalkUp> {
  const missing: string[] = [];
  for (let path = target; ; path = dirname(path)) {
    try {
      await make(path);
      return { missing, made: path };
    } catch (error) {
      if (await alreadyThere(path, error)) return { missing, made: undefined };
      if (errorCode(error) !== 'ENOENT' || dirname(path) === path)
        throw await cannotMake(target, path, error);
      missing.push(path);
    }
  }
}

/**
 * Makes the directory `dir` and any missing parents, one level at a time; an existing directory
 * is fine. Node's own `mkdir(dir, { recursive: true })` (Node 20) never returns on some paths
 * (under /proc it retries the same ENOENT forever), so a command given such a directory hung;
 * here the walk up is bounded by the path's depth, each directory is tried once on the way down,
 * and any refusal is an error naming the directory, why, and the fix.
 *
 * Returns the directories this call's own mkdirs created, deepest first: never one that was there
 * already or that another process made meanwhile (its mkdir here then met EEXIST), so a caller
 * that undoes them on failure (ingest) removes only its own. Looking first (lstat) and making
 * after would count a directory another process made between the two.
 */
export async function makeDirectory(
  dir: string,
  make: MakeOne = (path) => mkdir(path, { mode: PRIVATE_DIR_MODE }),
): Promise<string[]> {
  const target = resolve(dir);
  const made = new Set<string>();
  for (let walk = 1; ; walk++) {
    const { made: madeNow, removed } = await makeMissing(target, make);
    for (const path of madeNow) {
      // A walk stopped by a removed parent lost what it made at and below that parent; those
      // above it are still its own. All lie on target's path, so "above" is "shorter".
      if (removed === undefined || path.length < removed.parent.length) made.add(path);
    }
    if (removed === undefined) return [...made].sort((a, b) => b.length - a.length);
    if (walk === WALKS) {
      throw new Error(
        `cannot create the directory ${target}: ${removed.parent} was removed while it was being made, ${WALKS} times (another process deleting it?); stop what removes it, then try again`,
        { cause: removed.error },
      );
    }
  }
}

/**
 * Makes the missing directories down to `target`, shallowest first (each then has its parent),
 * and returns those its mkdirs created, deepest first.
 * A mkdir that finds no parent although it was there or made just before is told apart by
 * looking: a parent that is still a directory takes no new ones (/proc); one that is gone was
 * removed meanwhile, and is returned so the path is walked again.
 */
async function makeMissing(
  target: string,
  make: MakeOne,
): Promise<{ made: string[]; removed?: { parent: string; error: unknown } }> {
  const { missing, made: first } = await missingBelow(target, make);
  const made = first === undefined ? [] : [first];
  for (const path of missing.reverse()) {
    try {
      await make(path);
      made.unshift(path);
    } catch (error) {
      if (await alreadyThere(path, error)) continue;
      if (errorCode(error) === 'ENOENT' && !(await isDirectory(dirname(path))))
        return { made, removed: { parent: dirname(path), error } };
      throw await cannotMake(target, path, error);
    }
  }
  return { made };
}

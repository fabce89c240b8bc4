import { access, constants } from 'node:fs/promises';
import { join } from 'node:path';
import { causeChain } from '../core/cause-chain.ts';
import { errorMessage } from '../core/error-message.ts';
import { INGEST_FOLDERS } from '../core/lake/layout.ts';
import type { ObjectStore } from '../core/ports.ts';

/**
 * Whether this process may create, replace and remove files in a directory; `missing` if none;
 * else the code `access(2)` refused it with (EROFS: a read-only mount, whose fix is not the user's).
 */
export type DirectoryWriteAccess = 'writable' | 'missing' | NotWritable;

/** Why a directory is not writable, as `access(2)` says it. */
export type NotWritable = 'EACCES' | 'EPERM' | 'EROFS';

export async function directoryWriteAccess(dir: string): Promise<DirectoryWriteAccess> {
  try {
    await access(dir, constants.W_OK | constants.X_OK);
    return 'writable';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'missing';
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return code;
    throw error;
  }
}

/** The refusal of a lake this user cannot write: said as it is, never reworded as a failed write. */
class LakeNotWritableError extends Error {}

/**
 * Refuses a lake directory this user cannot write, before any request to Domo: the lake's root and,
 * where they exist, the folders an ingest of `instance` writes into. Met at the first write instead,
 * it came after the run had pulled its first spans, and read as every hour failing with "run again
 * to retry", which cannot help. Worded with the fix of its cause: a read-only mount is not fixed by
 * running as the lake's owner.
 */
export async function assertLakeWritable(
  dir: string,
  instance: string,
  accessOf: (dir: string) => Promise<DirectoryWriteAccess> = directoryWriteAccess,
): Promise<void> {
  const folders = [
    dir,
    ...INGEST_FOLDERS.flatMap((folder) => [folder, join(folder, `instance=${instance}`)]),
  ];
  for (const folder of folders) {
    const path = folder === dir ? dir : join(dir, folder);
    const found = await accessOf(path);
    if (found === 'writable' || found === 'missing') continue;
    const what = path === dir ? '' : ` (${path} is not writable)`;
    throw new LakeNotWritableError(`cannot write the lake at ${dir}${what}: ${LAKE_WRITE_FIXES[found]}`);
  }
}

/**
 * What the file system said when a write into a directory lake failed for a reason running again
 * as it is cannot fix, worded with the fix (the disk, the user, the mount); undefined for any other
 * failure. Read from the error's code (or a code it wraps as its cause) or, for a failure known only
 * by its text (an ingest's failed span), from the code the text quotes: Node starts each message
 * with it (`ENOSPC: no space left on device, write`).
 */
export function lakeWriteFix(error: unknown): string | undefined {
  const code = fileSystemCode(error);
  return code === undefined ? undefined : LAKE_WRITE_FIXES[code];
}

const LAKE_WRITE_FIXES: Readonly<Record<string, string>> = {
  ENOSPC: "the lake's disk is full (ENOSPC): free space on it",
  EDQUOT: "this user's disk quota is used up (EDQUOT): free space on the lake's disk, or raise the quota",
  EROFS:
    'the lake is on a read-only file system (EROFS): mount it read-write, or copy the lake to a writable disk',
  EACCES:
    'this user may not write there (EACCES): run the command as the user who owns the lake, or give this user write access to it',
  EPERM:
    'this user may not write there (EPERM): run the command as the user who owns the lake, or give this user write access to it',
};

/**
 * The code as Node's file-system errors open their message (`EROFS: read-only file system, open …`):
 * a network error quotes its code in brackets (`network error (EACCES)`), and is no disk's.
 */
const FILE_SYSTEM_CODE = /\b(ENOSPC|EDQUOT|EROFS|EACCES|EPERM): /;

function fileSystemCode(error: unknown): string | undefined {
  return fsErrorOf(error)?.code ?? FILE_SYSTEM_CODE.exec(errorMessage(error))?.[1];
}

/**
 * A failed write into the lake at `dir`, worded for the operator when {@link lakeWriteFix} knows the
 * cause: the lake named, what the file system said (the object's path kept; a hidden temporary
 * file's path, which names no object, given as its folder) and the fix, then `then`. A permission
 * error met by a read (open, stat, scandir: the syscall does not tell a write's open from a read's)
 * is no write's, so it is said as "read or write". Any other error is returned as it is.
 */
export function lakeWriteFailure(dir: string, error: unknown, then: string): unknown {
  const code = error instanceof LakeNotWritableError ? undefined : fileSystemCode(error);
  if (code === undefined) return error;
  const write = WRITE_ONLY_CODES.has(code) || WRITE_SYSCALLS.has(syscallOf(error) ?? '');
  const fix = write ? LAKE_WRITE_FIXES[code] : permissionFix(code);
  const said = errorMessage(fsErrorOf(error) ?? error).replace(TEMP_FILE_PATH, "a temporary file in '$1'");
  return new Error(
    `could not ${write ? 'write' : 'read or write'} the lake at ${dir} (${said}): ${fix}; then ${then}`,
    { cause: error },
  );
}

/** Codes only a write meets: a read never fills a disk or is refused by a read-only mount. */
const WRITE_ONLY_CODES: ReadonlySet<string> = new Set(['ENOSPC', 'EDQUOT', 'EROFS']);

/** The syscalls that only write, as Node names them on its errors (`error.syscall`). */
const WRITE_SYSCALLS: ReadonlySet<string> = new Set([
  'write',
  'writev',
  'rename',
  'mkdir',
  'mkdtemp',
  'unlink',
  'rmdir',
  'rm',
  'link',
  'symlink',
  'copyfile',
  'ftruncate',
  'fsync',
  'fdatasync',
  'utime',
  'futime',
  'chmod',
  'fchmod',
]);

/** A quoted path to one of the store's temporary files (`.<hex>.tmp`), its folder captured. */
const TEMP_FILE_PATH = /'([^']*)\/\.[^/']*\.tmp'/g;

function permissionFix(code: string): string {
  return `this user may not read or write there (${code}): run the command as the user who owns the lake, or give this user read and write access to it`;
}

/** The file-system error in the cause chain: the one with the code, the syscall and the path. */
function fsErrorOf(error: unknown): NodeJS.ErrnoException | undefined {
  for (const cause of causeChain(error)) {
    const code = typeof cause === 'object' ? (cause as { code?: unknown }).code : undefined;
    if (typeof code === 'string' && Object.hasOwn(LAKE_WRITE_FIXES, code))
      return cause as NodeJS.ErrnoException;
  }
  return undefined;
}

function syscallOf(error: unknown): string | undefined {
  const syscall = fsErrorOf(error)?.syscall;
  return typeof syscall === 'string' ? syscall : undefined;
}

/**
 * `store`, with `check` run once before its first write: a command that writes only what needs
 * changing (enrich) refuses a lake it cannot write when it first has to, so a run that changes
 * nothing still reads a read-only lake and exits 0.
 */
export function checkedBeforeFirstWrite(store: ObjectStore, check: () => Promise<void>): ObjectStore {
  let checked: Promise<void> | undefined;
  const { exists } = store;
  return {
    location: store.location,
    get: (key) => store.get(key),
    ...(exists ? { exists: (key: string) => exists.call(store, key) } : {}),
    list: (prefix, options) => store.list(prefix, options),
    put: async (key, body, options) => {
      checked ??= check();
      await checked;
      return store.put(key, body, options);
    },
  };
}

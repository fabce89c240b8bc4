import { randomUUID } from 'node:crypto';
import { copyFile, readdir, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { errorMessage } from '../core/error-message.ts';
import { MINUTE_MS } from '../core/time-units.ts';
import { errorCode } from './error-code.ts';
import { type FileLockOptions, removeLockLitter, withFileLock } from './file-lock.ts';
import { PRIVATE_FILE_MODE } from './private-mode.ts';
import { renameWithRetry } from './rename-retry.ts';

/** The file-system calls a switch makes: Node's by default; a test's, to fail any one of them. */
export interface FileSetFs {
  writeFile(path: string, content: string): Promise<void>;
  /** Copies `from` to `to`, following a link at `from`; rejects with ENOENT when nothing is there. */
  copyFile(from: string, to: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** Removes `path`; nothing there is no error. */
  rm(path: string): Promise<void>;
}

export const nodeFileSetFs: FileSetFs = {
  writeFile: (path, content) => writeFile(path, content, { encoding: 'utf8', mode: PRIVATE_FILE_MODE }),
  copyFile: (from, to) => copyFile(from, to),
  rename: (from, to) => renameWithRetry(from, to),
  rm: (path) => rm(path, { force: true }),
};

interface FileToWrite {
  path: string;
  content: string;
}

interface Step extends FileToWrite {
  temp: string;
  backup: string;
  /** Whether a file was at `path` (and is copied to `backup`). */
  hadOld: boolean;
}

/** The lock file a switch holds in the folder, so that one run at a time switches its files. */
export const SWITCH_LOCK_FILE = '.file-set.lock';

/**
 * A lock of a run that cannot be checked (another machine's or container's, or unreadable) older
 * than this is a killed run's: a switch takes milliseconds.
 */
const STALE_LOCK_MS = 10 * MINUTE_MS;

/** How long a switch waits for another run's to end before giving up, by default. */
const LOCK_WAIT_MS = 5_000;

interface SwitchOptions {
  /** How long to wait for another run's lock before giving up (default 5 s). */
  lockWaitMs?: number;
}

/**
 * Replaces a set of files (one directory's) all or nothing: every file is written in full to a
 * temporary name and every earlier file copied aside before the first one is switched in by a
 * rename, and when a rename fails the files already switched are put back. One run at a time
 * switches files in a folder: a switch holds the folder's lock file ({@link SWITCH_LOCK_FILE}, the
 * disk lake's lock of file-lock.ts), waiting a few seconds for another run's; without it,
 * two runs at once could leave some files of each, and one's put-back could restore its earlier
 * files over the other's new ones. What a reader sees:
 * - before the first rename and after the call, each file whole, all of one set (the earlier set
 *   if the call failed, the new one if it returned);
 * - during the switch (back-to-back renames, and the renames back after a failed one), a reader
 *   opening the files one after the other can get some of the new set and some of the earlier
 *   one, never a half-written or a missing file where one was;
 * - only when putting back fails too (the error then names the files left new), or the process is
 *   killed mid-switch, a mix stays until the next switch. That one, holding the lock, first
 *   removes the `<name>.*.tmp`/`.old` strays a killed run left (and the lock's own litter: see
 *   removeLockLitter), and takes over its lock once its
 *   process is gone (same host, pid namespace and boot; a live one's is kept however old: it may
 *   be paused), or, when that cannot be checked, once the lock is {@link STALE_LOCK_MS} old.
 */
export async function switchFileSet(
  files: readonly FileToWrite[],
  fs: FileSetFs = nodeFileSetFs,
  options: SwitchOptions = {},
): Promise<void> {
  const first = files[0];
  if (!first) return;
  const dir = dirname(first.path);
  const lockPath = join(dir, SWITCH_LOCK_FILE);
  const lock: FileLockOptions = {
    staleMs: STALE_LOCK_MS,
    timeoutMs: options.lockWaitMs ?? LOCK_WAIT_MS,
    timedOut: (holder) =>
      new Error(
        `another run is writing files into ${dir} (its lock file ${lockPath}${holder ? `, process ${holder.pid} on ${holder.host} since ${holder.acquiredAt}` : ''}): run again once it is done; if no run is, remove ${lockPath}`,
      ),
  };
  await withFileLock(lockPath, lock, async () => {
    // The folder is read once for both clean-ups.
    const entries = await readdir(dir).catch((): string[] => []);
    await removeLockLitter(lockPath, lock, entries);
    await removeStrays(fs, dir, files, entries);
    await switchLocked(files, fs);
  });
}

async function switchLocked(files: readonly FileToWrite[], fs: FileSetFs): Promise<void> {
  const tag = `${process.pid}.${randomUUID().slice(0, 8)}`;
  const steps: Step[] = files.map((file) => ({
    ...file,
    temp: `${file.path}.${tag}.tmp`,
    backup: `${file.path}.${tag}.old`,
    hadOld: false,
  }));
  try {
    for (const step of steps) await fs.writeFile(step.temp, step.content);
    for (const step of steps) step.hadOld = await copyAside(fs, step);
  } catch (error) {
    await removeLeftovers(fs, steps);
    throw error;
  }
  let switched = 0;
  try {
    for (const step of steps) {
      await fs.rename(step.temp, step.path);
      switched++;
    }
  } catch (error) {
    const leftNew = await putBack(fs, steps.slice(0, switched));
    await removeLeftovers(fs, steps);
    if (leftNew.length === 0) throw error;
    throw new Error(
      `${errorMessage(error)}; putting the earlier files back failed too, so ${leftNew.join(', ')} ${leftNew.length === 1 ? 'is' : 'are'} new and the others the earlier ones: write the set again`,
      { cause: error },
    );
  }
  await removeLeftovers(fs, steps);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Removes the temporary and set-aside files a killed switch of these files left
 * (`<name>.<pid>.<8 hex>.tmp`/`.old`, this switch's own naming, nothing else). Called holding the
 * lock, so no live run is writing them.
 */
async function removeStrays(
  fs: FileSetFs,
  dir: string,
  files: readonly FileToWrite[],
  entries: readonly string[],
): Promise<void> {
  const names = files.map((file) => escapeRegExp(basename(file.path)));
  const stray = new RegExp(`^(?:${names.join('|')})\\.\\d+\\.[0-9a-f]{8}\\.(?:tmp|old)$`);
  for (const name of entries.filter((entry) => stray.test(entry))) {
    await fs.rm(join(dir, name)).catch(() => undefined);
  }
}

/** Copies the file at the step's path aside; false when there is none (a first write). */
async function copyAside(fs: FileSetFs, step: Step): Promise<boolean> {
  try {
    await fs.copyFile(step.path, step.backup);
    return true;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    throw error;
  }
}

/** Undoes the switched steps (the earlier file back, or the new one removed); the names it could not. */
async function putBack(fs: FileSetFs, switched: readonly Step[]): Promise<string[]> {
  const failed: string[] = [];
  for (const step of switched) {
    try {
      await (step.hadOld ? fs.rename(step.backup, step.path) : fs.rm(step.path));
    } catch {
      failed.push(basename(step.path));
    }
  }
  return failed;
}

/** Removes the temporary and the set-aside files still there; what cannot be removed stays (harmless). */
async function removeLeftovers(fs: FileSetFs, steps: readonly Step[]): Promise<void> {
  for (const path of steps.flatMap((step) => [step.temp, step.backup])) {
    await fs.rm(path).catch(() => undefined);
  }
}

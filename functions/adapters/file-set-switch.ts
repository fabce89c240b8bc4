import { randomUUID } from 'node:crypto';
import { copyFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { errorMessage } from '../core/error-message.ts';

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
  writeFile: (path, content) => writeFile(path, content, 'utf8'),
  copyFile: (from, to) => copyFile(from, to),
  rename: (from, to) => rename(from, to),
  rm: (path) => rm(path, { force: true }),
};

export interface FileToWrite {
  path: string;
  content: string;
}

interface Step extends FileToWrite {
  temp: string;
  backup: string;
  /** Whether a file was at `path` (and is copied to `backup`). */
  hadOld: boolean;
}

const codeOf = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;

/**
 * Replaces a set of files (one directory's) all or nothing: every file is written in full to a
 * temporary name and every earlier file copied aside before the first one is switched in by a
 * rename, and when a rename fails the files already switched are put back. What a reader sees:
 * - before the first rename and after the call, each file whole, all of one set (the earlier set
 *   if the call failed, the new one if it returned);
 * - during the switch (back-to-back renames, and the renames back after a failed one), a reader
 *   opening the files one after the other can get some of the new set and some of the earlier
 *   one, never a half-written or a missing file where one was;
 * - only when putting back fails too (the error then names the files left new), or the process is
 *   killed mid-switch, a mix stays until the next switch, with stray `.tmp`/`.old` files.
 */
export async function switchFileSet(
  files: readonly FileToWrite[],
  fs: FileSetFs = nodeFileSetFs,
): Promise<void> {
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

/** Copies the file at the step's path aside; false when there is none (a first write). */
async function copyAside(fs: FileSetFs, step: Step): Promise<boolean> {
  try {
    await fs.copyFile(step.path, step.backup);
    return true;
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return false;
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

import { access, constants } from 'node:fs/promises';
import { join } from 'node:path';
import { INGEST_FOLDERS } from '../core/lake/layout.ts';

/** Whether this process may create, replace and remove files in a directory; `missing` if none. */
export type DirectoryWriteAccess = 'writable' | 'not-writable' | 'missing';

export async function directoryWriteAccess(dir: string): Promise<DirectoryWriteAccess> {
  try {
    await access(dir, constants.W_OK | constants.X_OK);
    return 'writable';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'missing';
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return 'not-writable';
    throw error;
  }
}

/**
 * Refuses a lake directory this user cannot write, before any request to Domo: the lake's root and,
 * where they exist, the folders an ingest of `instance` writes into. Met at the first write instead,
 * it came after the run had pulled its first spans, and read as every hour failing with "run again
 * to retry", which cannot help.
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
    if ((await accessOf(path)) !== 'not-writable') continue;
    const what = path === dir ? 'the directory' : path;
    throw new Error(
      `cannot write the lake at ${dir}: ${what} is not writable by this user (permission denied, or a read-only file system); run the command as the user who owns the lake, or give this user write access to it`,
    );
  }
}

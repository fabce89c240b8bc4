import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isRunLockEntry } from '../adapters/run-lock.ts';
import { INGEST_FOLDERS } from '../core/lake/layout.ts';
import { DEMO_MARKER } from './demo-lake.ts';

/**
 * Files a desktop's file manager leaves in any folder it has shown (macOS Finder, Windows
 * Explorer): alone, they do not make a directory "not empty". Other hidden entries do count: a
 * folder holding only `.git/`, `.bashrc` or `.env` is a repository or a home directory.
 */
const FILE_MANAGER_FILES = new Set(['.DS_Store', '.localized', 'Thumbs.db', 'desktop.ini']);

/**
 * What a directory given as a lake holds, judged before a command writes a lake into it:
 * - `missing`: nothing there yet (the command creates it);
 * - `empty`: nothing, or only file-manager files;
 * - `demo-lake`: a lake the demo built (it holds the demo's marker, a regular file);
 * - `lake`: a lake, recognised by its layout: a folder an ingest writes (`activity_log/`,
 *   `coverage/`, `quarantine/`, `state/`, `digest/`) holding an `instance=<name>/` folder;
 * - `other`: anything else, such as a home directory or a project folder.
 * `found` lists its entries (folders with a trailing `/`, file-manager files left out), sorted.
 */
type LakeDirectory =
  | { kind: 'missing'; found: [] }
  | { kind: 'empty' | 'demo-lake' | 'lake' | 'other'; found: string[] };

export async function inspectLakeDirectory(dir: string): Promise<LakeDirectory> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing', found: [] };
    throw error;
  }
  // A killed first run leaves only its run lock in the folder it made: still no lake's content,
  // so the next ingest takes the folder and removes the lock (review R-LOOKA F1).
  const shown = entries.filter((entry) => !FILE_MANAGER_FILES.has(entry.name) && !isRunLockEntry(entry.name));
  const found = shown.map((entry) => (entry.isDirectory() ? `${entry.name}/` : entry.name)).sort();
  if (shown.length === 0) return { kind: 'empty', found };
  // A regular file, as the demo writes it (see isDemoLake): a link or a folder of its name is not it.
  if (shown.some((entry) => entry.name === DEMO_MARKER && entry.isFile()))
    return { kind: 'demo-lake', found };
  for (const entry of shown) {
    if (INGEST_FOLDERS.includes(entry.name) && (await holdsInstanceFolder(join(dir, entry.name)))) {
      return { kind: 'lake', found };
    }
  }
  return { kind: 'other', found };
}

/** True when `folder` is a directory (or a link to one) holding an `instance=<name>` folder. */
async function holdsInstanceFolder(folder: string): Promise<boolean> {
  try {
    const children = await readdir(folder, { withFileTypes: true });
    return children.some((child) => child.name.startsWith('instance=') && !child.isFile());
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR' || code === 'ENOENT') return false;
    throw error;
  }
}

/** `a.txt, src/ and 12 more`: the first few entries of a directory, for a message. */
export function listFound(found: readonly string[], shown = 5): string {
  if (found.length <= shown) return found.join(', ');
  return `${found.slice(0, shown).join(', ')} and ${found.length - shown} more`;
}

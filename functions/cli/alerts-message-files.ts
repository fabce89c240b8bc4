/**
 * Which lake the alerts message in an output directory is of. A local alerts run that finds no
 * alert removes an earlier run's message, so a reader never takes it for this run's; but the
 * directory is shared (`./out` by default, the demo's `out/` next to its lake): a run on another
 * lake or instance must not remove what that one wrote. So every run that writes a message leaves
 * a small file beside it naming its lake and instance, and a run removes only a message that names
 * its own.
 */

import { readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PRIVATE_FILE_MODE } from '../adapters/private-mode.ts';

/** The file beside the message naming the lake and instance it is of. */
export const MESSAGE_OWNER_FILE = 'alerts.lake.json';

/** The lake (as its store names it: an absolute directory, or s3://bucket/prefix/) and instance. */
export interface MessageOwner {
  lake: string;
  instance: string;
}

/** What a run without an alert did with the message files it found. */
type EarlierMessage =
  | { kind: 'none' }
  | { kind: 'removed'; paths: string[] }
  /** Left as they were: another lake's or instance's (`owner`), or of no known run (no owner). */
  | { kind: 'kept'; paths: string[]; owner?: MessageOwner };

const ownerPath = (dir: string) => join(dir, MESSAGE_OWNER_FILE);

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/** The owner the file names; undefined when there is none or it is not one (hand-edited, cut). */
async function readOwner(dir: string): Promise<MessageOwner | undefined> {
  let text: string;
  try {
    text = await readFile(ownerPath(dir), 'utf8');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  try {
    const { lake, instance } = JSON.parse(text) as Partial<MessageOwner>;
    return typeof lake === 'string' && typeof instance === 'string' ? { lake, instance } : undefined;
  } catch {
    return undefined;
  }
}

async function removeIfThere(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}

async function existing(paths: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const path of paths) {
    try {
      await stat(path);
      found.push(path);
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }
  return found;
}

/** Before a message is written: it is no longer the earlier owner's, whatever happens next. */
const disownMessage = (dir: string): Promise<boolean> => removeIfThere(ownerPath(dir));

/** The owner file's text as it is (undefined: none there), to put it back as it was. */
async function ownerText(dir: string): Promise<string | undefined> {
  try {
    return await readFile(ownerPath(dir), 'utf8');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/**
 * Writes a message with `write` (a file set switch), the owner file following the message: it is
 * removed before (while the switch runs the message is no longer the earlier owner's), names
 * `owner` after, and when `write` fails, as the switch has then put the earlier message back, the
 * earlier owner file is put back with it: without it a later run of that lake and instance finding
 * no alert would keep that message, of no known run, rather than remove it.
 */
export async function writeOwnedMessage<T>(
  dir: string,
  owner: MessageOwner,
  write: () => Promise<T>,
): Promise<T> {
  const earlier = await ownerText(dir);
  await disownMessage(dir);
  let written: T;
  try {
    written = await write();
  } catch (error) {
    // Not put back, the message is of no known run: kept by every run, which is safe. The write's
    // error is the one to tell.
    if (earlier !== undefined)
      await writeFile(ownerPath(dir), earlier, { encoding: 'utf8', mode: PRIVATE_FILE_MODE }).catch(
        () => undefined,
      );
    throw error;
  }
  await ownMessage(dir, owner);
  return written;
}

/** After a message is written: names the lake and instance it is of. */
export async function ownMessage(dir: string, owner: MessageOwner): Promise<void> {
  await writeFile(ownerPath(dir), `${JSON.stringify(owner, null, 2)}\n`, {
    encoding: 'utf8',
    mode: PRIVATE_FILE_MODE,
  });
}

/**
 * A run of `owner` that wrote no message: removes the message `paths` in `dir` (and the owner
 * file) when they are of the same lake and instance; leaves them, saying whose they are, when not.
 */
export async function clearEarlierMessage(
  dir: string,
  paths: readonly string[],
  owner: MessageOwner,
): Promise<EarlierMessage> {
  const found = await existing(paths);
  const earlier = await readOwner(dir);
  const same = earlier?.lake === owner.lake && earlier.instance === owner.instance;
  if (!same) {
    return found.length === 0
      ? { kind: 'none' }
      : { kind: 'kept', paths: found, ...(earlier ? { owner: earlier } : {}) };
  }
  const removed: string[] = [];
  for (const path of paths) if (await removeIfThere(path)) removed.push(path);
  await disownMessage(dir);
  return removed.length === 0 ? { kind: 'none' } : { kind: 'removed', paths: removed };
}

import { createHash, randomBytes } from 'node:crypto';
import { constants, type Dirent, type Stats } from 'node:fs';
import { link, lstat, open, readdir, rm, stat, unlink } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import {
  type ListOptions,
  type ObjectStore,
  PreconditionFailedError,
  type PutOptions,
  type StoredObject,
} from '../core/ports.ts';
import { MINUTE_MS } from '../core/time-units.ts';
import { visibleText } from '../core/visible-text.ts';
import { errorCode } from './error-code.ts';
import {
  type BrokenLock,
  type FileLockOptions,
  type LockHolder,
  type LockWait,
  lockOfLitter,
  removeLockLitter,
  withFileLock,
} from './file-lock.ts';
import { isDirectory, makeDirectory } from './make-directory.ts';
import { isNoLinksError, NoHardLinksError } from './no-links.ts';
import { PRIVATE_FILE_MODE } from './private-mode.ts';
import type { ProcessIdentity } from './process-identity.ts';
import { renameWithRetry } from './rename-retry.ts';

export interface FsObjectStoreOptions {
  /**
   * A lock file older than this (by the time its writer wrote into it) is taken to be left behind
   * by a crashed writer and is broken, when its owner cannot be checked: a process of another
   * machine (a lake on a shared disk), of another pid namespace (a container sharing the hostname)
   * or boot, or a lock file not written or unreadable. A lock of a process this one can check (same host, pid namespace and boot) is
   * broken when, and only when, that process is gone (or its pid now names a later process),
   * however old: a live writer may be paused (Ctrl-Z, a laptop asleep) inside its compare and
   * rename. Holders keep a lock for milliseconds, so the default 30 s is generous.
   */
  staleLockMs?: number;
  /** How long a writer waits for another writer's lock before failing. Default 60 s. */
  lockTimeoutMs?: number;
  /** Injected by tests; defaults to real timers and `Date.now`. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Injected by tests; defaults to reading Linux's /proc (see {@link ProcessIdentity}). */
  identity?: ProcessIdentity;
  /**
   * Told, as one line, of a write that has waited 2 s for another writer's lock (whose, and until
   * when), and of a lock this store broke as a crashed writer's: the command's warnings.
   */
  onLockNotice?: (line: string) => void;
  /** Injected by tests: `link()` of a create-only write, and the platform its errors are read for. */
  link?: (existing: string, path: string) => Promise<void>;
  platform?: string;
}

/**
 * A temp file of a write killed before it renamed or linked it into place, or removed it after a
 * link: `.<16 hex>.tmp` ({@link FsObjectStore.writeTemp}), a full copy of an object otherwise kept
 * for ever. Not a lock's or a claim's temp file (`.<name>.lock.<24 hex>.tmp`: file-lock.ts).
 */
const KILLED_TEMP = /^\.[0-9a-f]{16}\.tmp$/;

/**
 * How old a write's temp file must be to be a killed write's. A live write keeps one from its
 * first byte to its rename: a lock wait (a minute at most) in between, or a writer paused (Ctrl-Z)
 * there longer than this, which then fails that write when it goes on, as its temp is gone.
 */
export const KILLED_TEMP_AGE_MS = 10 * MINUTE_MS;

/**
 * Removes the temp files of killed writes ({@link KILLED_TEMP}) in `dir` but `own`, those whose
 * last write is older than {@link KILLED_TEMP_AGE_MS}, as the mail folder removes its own strays
 * (file-set-switch.ts). Age is judged by the file system's clock, as `own` (the temp file this
 * store has just written there) shows it: a lake on a file server is stamped by the server, and a
 * client whose clock ran ahead of it would otherwise take a live writer's temp file for a killed
 * one's. The modification time, not the change time, so a test can age a file; nothing sets a
 * temp file's back but a copy of the lake, whose killed writes' files are as stale. One that
 * cannot be read or removed is left for the next run.
 */
async function removeKilledTemps(dir: string, own: string, entries: readonly string[]): Promise<void> {
  const stray = entries.filter((entry) => KILLED_TEMP.test(entry) && join(dir, entry) !== own);
  if (stray.length === 0) return;
  const fileSystemNow = (await lstat(own).catch(() => undefined))?.mtimeMs;
  if (fileSystemNow === undefined) return;
  for (const entry of stray) {
    const path = join(dir, entry);
    const stats = await lstat(path).catch(() => undefined);
    if (stats?.isFile() && fileSystemNow - stats.mtimeMs > KILLED_TEMP_AGE_MS)
      await rm(path, { force: true }).catch(() => undefined);
  }
}

/** `2026-12-03T02:18:39Z`: a time to the second, for a line a person reads. */
const toSecond = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** `in 28 s`: how long until `atMs`, from `nowMs`. */
const inSeconds = (atMs: number, nowMs: number): string =>
  `in ${Math.max(0, Math.ceil((atMs - nowMs) / 1000))} s`;

/**
 * Whose a lock is, as its file says: `process 1 on othervm since <time>`. On one line, without
 * control characters: anyone who can write the lake can write a lock file, and its text reaches
 * the terminal.
 */
const holderText = (holder: LockHolder | undefined): string =>
  holder
    ? `process ${holder.pid} on ${plain(holder.host)} since ${plain(holder.acquiredAt)}`
    : 'a writer its lock file does not name (being written, or unreadable)';

const plain = (text: string): string => visibleText(String(text)).replace(/\s+/g, ' ');

/** The line of a write that has waited a moment for another writer's lock: whose, and until when. */
function lockWaitLine(lockPath: string, wait: LockWait): string {
  const held = `waiting for the write lock ${lockPath}, held by ${holderText(wait.holder)}`;
  const giveUp = `this write gives up at ${toSecond(wait.givesUpAtMs)} (${inSeconds(wait.givesUpAtMs, wait.atMs)})`;
  if (wait.breaksAtMs === undefined)
    return `${held}: that process still runs; ${giveUp} unless it is released`;
  const unchecked = 'that process cannot be checked from here (another host, container or boot)';
  if (wait.breaksAtMs >= wait.givesUpAtMs) return `${held}: ${unchecked}; ${giveUp} unless it is released`;
  return `${held}: ${unchecked}, so the lock is broken at ${toSecond(wait.breaksAtMs)} (${inSeconds(wait.breaksAtMs, wait.atMs)}) unless it is released first`;
}

/** The line of a lock broken as a crashed writer's: whose, and why it was taken to be. */
function lockBrokenLine(lockPath: string, broken: BrokenLock, staleMs: number): string {
  const whose = `broke the write lock ${lockPath} of ${holderText(broken.holder)}`;
  if (broken.why === 'gone') return `${whose}: that process is no longer running`;
  return `${whose}: it was over ${Math.round(staleMs / 1000)} s old and that process cannot be checked from here; if it still runs, stop it (it may write the same key)`;
}

/** S3's ETag for a single-part upload is the quoted MD5 of the bytes; mirroring it keeps both adapters alike. */
const etagOf = (body: Uint8Array): string => `"${createHash('md5').update(body).digest('hex')}"`;

const unquote = (etag: string): string => etag.replace(/^W\//, '').replace(/^"(.*)"$/, '$1');

// Names starting with "." are this store's own temp and lock files; keys may not use them.
const isReserved = (name: string): boolean => name.startsWith('.');

function invalidKey(key: string, why: string): Error {
  return new Error(`invalid lake key ${JSON.stringify(key)}: ${why}`);
}

function checkPath(key: string, allowPartialLast: boolean): void {
  if (key.includes('\\')) throw invalidKey(key, 'backslashes are not allowed; use "/" between segments');
  if (key.includes('\0')) throw invalidKey(key, 'NUL characters are not allowed');
  if (isAbsolute(key) || /^[A-Za-z]:/.test(key)) {
    throw invalidKey(key, 'keys are relative to the lake root, not absolute paths');
  }
  const segments = key.split('/');
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    if (segment === '..' || segment === '.') throw invalidKey(key, `"${segment}" segments are not allowed`);
    if (segment === '' && !(last && allowPartialLast)) throw invalidKey(key, 'empty path segment');
    if (isReserved(segment) && !(last && allowPartialLast)) {
      throw invalidKey(key, 'segments starting with "." are reserved for temp and lock files');
    }
  });
}

/** A file, folder, symbolic link or special file a walk found under the lake's root. */
interface WalkItem {
  key: string;
  kind: 'file' | 'folder' | 'link' | 'special';
  sortKey: Buffer;
  /** What a special file is ({@link specialFileKind}). */
  what?: string;
}

/**
 * What a special file is (a FIFO, a socket, a device), for the message refusing it; undefined for
 * a regular file, a folder or a symbolic link.
 */
function specialFileKind(entry: Dirent | Stats): string | undefined {
  if (entry.isFIFO()) return 'a FIFO (named pipe)';
  if (entry.isSocket()) return 'a socket';
  if (entry.isCharacterDevice()) return 'a character device';
  if (entry.isBlockDevice()) return 'a block device';
  return undefined;
}

/**
 * What a walk makes of a folder's entry at `key`: a file, a folder, a symbolic link or a special
 * file (none of the lake's objects, see {@link SymbolicLinkInLakeError} and
 * {@link SpecialFileInLakeError}). A folder, or a link that may be one, sorts as "name/", so that
 * "a-b" (0x2D) comes before everything under "a/" (0x2F).
 */
function itemOf(key: string, entry: Dirent): WalkItem | undefined {
  if (entry.isFile()) return { key, kind: 'file', sortKey: Buffer.from(key, 'utf8') };
  const what = specialFileKind(entry);
  if (what) return { key, kind: 'special', sortKey: Buffer.from(key, 'utf8'), what };
  const kind = entry.isDirectory() ? 'folder' : entry.isSymbolicLink() ? 'link' : undefined;
  return kind && { key, kind, sortKey: Buffer.from(`${key}/`, 'utf8') };
}

/**
 * Whether a listing of `prefix` concerns `item`: a file or special file whose key begins with it,
 * a folder, or a link that may be one, that holds or is on the way to such keys.
 */
function concerns(item: WalkItem, prefix: string): boolean {
  if (item.kind === 'file' || item.kind === 'special') return item.key.startsWith(prefix);
  const inner = `${item.key}/`;
  return inner.startsWith(prefix) || prefix.startsWith(inner);
}

/**
 * Whether a listed file, or any key under a listed folder (`sortKey` "name/"), sorts after `after`:
 * a folder whose name begins `after` may hold keys on either side of it.
 */
function reachesPast(item: WalkItem, after: Buffer): boolean {
  if (item.kind !== 'file' && after.subarray(0, item.sortKey.length).equals(item.sortKey)) return true;
  return Buffer.compare(item.sortKey, after) > 0;
}

/**
 * A symbolic link where the lake keeps its objects. The store writes regular files in real folders
 * only, so a link is none of its objects; reading through one would let a link add, or stand in
 * for, bytes that no listing shows and no check vouches for. The lake's top folders (`activity_log`
 * moved to another disk) and the lake's root may be links: those move the lake, not its objects.
 */
export class SymbolicLinkInLakeError extends Error {
  constructor(
    readonly key: string,
    readonly path: string,
    folder: boolean,
  ) {
    super(
      folder
        ? `${key} in the lake (${path}) is a symbolic link to a folder, not a folder of the lake: the lake holds no links below its top folders; replace it with the folder or remove it (docs/guarantees.md §6)`
        : `${key} in the lake (${path}) is a symbolic link, not an object: the lake holds none; replace it with the file or remove it (docs/guarantees.md §6)`,
    );
    this.name = 'SymbolicLinkInLakeError';
  }
}

/**
 * A FIFO, socket or device where the lake keeps its objects, or a folder where a read or probe
 * looks for one. The store writes regular files only, so one is none of its objects; and opening
 * one to read it may wait for ever (a FIFO with no writer) or read bytes someone feeds it that no
 * listing shows and no check vouches for. The store never reads one: a listing, read or probe that
 * meets one fails, naming it, as one that meets a symbolic link does. A folder is named by the read
 * or probe of its key only: a listing walks into it, as into any folder, and on S3 a key and a
 * prefix of the same name live side by side.
 */
export class SpecialFileInLakeError extends Error {
  constructor(
    readonly key: string,
    readonly path: string,
    what: string,
  ) {
    super(
      what === FOLDER
        ? `${key} in the lake (${path}) is a folder where the lake keeps that object: move it away (docs/guarantees.md §6)`
        : `${key} in the lake (${path}) is ${what}, not an object: the lake holds regular files only; remove it (docs/guarantees.md §6)`,
    );
    this.name = 'SpecialFileInLakeError';
  }
}

/** What {@link SpecialFileInLakeError} names a folder standing where an object is looked for. */
const FOLDER = 'a folder';

/** Throws {@link SpecialFileInLakeError} for `stats` of `key` unless they are a regular file's or a folder's. */
function refuseSpecial(key: string, path: string, stats: Stats): void {
  const what = specialFileKind(stats);
  if (what !== undefined) throw new SpecialFileInLakeError(key, path, what);
}

/** The refusal of a write onto `key` whose place a folder holds: no rename or link replaces it. */
const folderInTheWay = (key: string, path: string): Error =>
  new Error(`cannot write ${key}: ${path} is a folder where the lake keeps that object; move it away`);

/**
 * Removes the file at `path`, if there: `rm` with `force` as one unlink (rm first looks at what
 * is there, a second round trip for a temp file this store made itself).
 */
async function removeFile(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
}

/** Whether `path` itself is a symbolic link. */
const isLink = (path: string): Promise<boolean> =>
  lstat(path).then(
    (stats) => stats.isSymbolicLink(),
    () => false,
  );

/** O_NOFOLLOW where the platform has it (not Windows: there the last segment is checked by lstat). */
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

/**
 * O_NONBLOCK where the platform has it: opening a FIFO with no writer then returns at once, so its
 * type can be checked (and it refused) before any read, rather than the open waiting for ever.
 */
const NO_WAIT = constants.O_NONBLOCK ?? 0;

/** Throws unless `key` is a safe relative object key (what the lake layout produces). */
function assertFsKey(key: string): void {
  if (key === '') throw invalidKey(key, 'the key is empty');
  checkPath(key, false);
}

async function fsyncDir(dir: string): Promise<void> {
  // Makes the rename/link durable. Some platforms refuse to open or sync a directory; there the
  // rename is still atomic, only its durability across a power cut is left to the OS.
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort, see above
  }
}

/**
 * An {@link ObjectStore} over a local directory: the lake of the local demo and the CLI.
 *
 * - Writes are atomic: the body goes to a temp file in the target directory, is fsynced, then
 *   renamed (or hard-linked) into place, so a reader sees the old object or the new one, never a part.
 *   A write killed before its rename leaves its temp file (a dot file no listing shows): the first
 *   write of a store into that folder removes those of killed writes ({@link KILLED_TEMP_AGE_MS}).
 * - `ifNoneMatch: '*'` is a `link()` of the temp file: the kernel refuses it if the key exists,
 *   atomically, across processes.
 * - Every other write (`ifMatch` and unconditional) holds a per-key lock file (`open 'wx'`) while it
 *   compares the current ETag and renames, so conditional writers in several processes serialise.
 *   A lock of a process this one can check (same host, pid namespace and boot) is broken once that
 *   process is gone or its pid reused (never by age: a live writer may be paused inside its
 *   critical section); one of another machine or container, or unreadable, once it is older than
 *   `staleLockMs`. A writer only ever removes its own lock, even when it was broken and retaken
 *   (see file-lock.ts, the lock the local mailer's file switch takes too).
 */
export class FsObjectStore implements ObjectStore {
  readonly location: string;
  private readonly lockOptions: Omit<FileLockOptions, 'timedOut'>;
  private readonly onLockNotice: ((line: string) => void) | undefined;
  private readonly link: (existing: string, path: string) => Promise<void>;
  private readonly platform: string;
  /**
   * The folders whose killed writes' temp files this store has removed: each once, at its first
   * write (a store lives for one command), so a run pays one read of each folder it writes.
   */
  private readonly swept = new Set<string>();
  /**
   * The locks (their paths) that a folder's first read showed litter of, left by lock users killed
   * at the wrong moment ({@link removeLockLitter}): each is cleared the next time this store holds
   * that lock, so a run whose folders hold none reads no folder more.
   */
  private readonly littered = new Set<string>();
  /** The folders this store has made or found as folders at a write ({@link writeTempInFolder}). */
  private readonly folders = new Set<string>();

  constructor(root: string, options: FsObjectStoreOptions = {}) {
    this.location = resolve(root);
    const { staleLockMs, lockTimeoutMs, onLockNotice, link: makeLink, platform, ...injected } = options;
    this.lockOptions = { staleMs: staleLockMs ?? 30_000, timeoutMs: lockTimeoutMs ?? MINUTE_MS, ...injected };
    this.onLockNotice = onLockNotice;
    this.link = makeLink ?? link;
    this.platform = platform ?? process.platform;
  }

  private pathOf(key: string): string {
    assertFsKey(key);
    return join(this.location, ...key.split('/'));
  }

  async get(key: string): Promise<StoredObject | undefined> {
    const path = this.pathOf(key);
    if (!(await this.noLinkOnPath(key, NO_FOLLOW === 0))) return undefined;
    const bytes = await this.readRegular(key, path);
    if (bytes === undefined) return undefined;
    const body = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return { body, etag: etagOf(body) };
  }

  /**
   * The bytes of the regular file at `path`; undefined when none is there. Its type is checked on
   * the opened file before any read, so a FIFO, socket or device is refused, never read or waited
   * on. So is a folder: on a disk (unlike S3) one at an object's key keeps that key from ever being
   * written, and read as no object it made an hour's events "missing" to `verify --integrity`, a
   * mismatch to `verify`, and left no word of the folder anywhere.
   */
  private async readRegular(key: string, path: string): Promise<Buffer | undefined> {
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(path, constants.O_RDONLY | NO_FOLLOW | NO_WAIT);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      // Where a platform refuses to open a folder for reading at all.
      if (code === 'EISDIR') throw new SpecialFileInLakeError(key, path, FOLDER);
      // O_NOFOLLOW's refusal of a link as the last segment.
      if (code === 'ELOOP' && (await isLink(path))) throw new SymbolicLinkInLakeError(key, path, false);
      throw error;
    }
    try {
      const stats = await handle.stat();
      if (stats.isDirectory()) throw new SpecialFileInLakeError(key, path, FOLDER);
      refuseSpecial(key, path, stats);
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  }

  /**
   * Whether `key` is stored; a link, special file or folder in its place, or a link on its path,
   * is refused as {@link get} refuses it: a folder there keeps the key from ever being written, so
   * a check that took it for "not written yet" would pass a chain no run can extend.
   */
  async exists(key: string): Promise<boolean> {
    const path = this.pathOf(key);
    if (!(await this.noLinkOnPath(key, true))) return false;
    try {
      const stats = await stat(path);
      if (stats.isDirectory()) throw new SpecialFileInLakeError(key, path, FOLDER);
      refuseSpecial(key, path, stats);
      return stats.isFile();
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') return false;
      throw error;
    }
  }

  async put(key: string, body: Uint8Array, options: PutOptions = {}): Promise<{ etag: string }> {
    const path = this.pathOf(key);
    const dir = dirname(path);
    const temp = await this.writeTempInFolder(dir, path, body);
    await this.sweepOnce(dir, temp);
    // Renamed into place, the temp file is gone: no removal to ask for.
    let renamed = false;
    try {
      if (options.ifNoneMatch === '*' && options.ifMatch === undefined) await this.linkNew(key, temp, path);
      else renamed = await this.renameLocked(key, temp, path, options);
      await fsyncDir(dir);
    } finally {
      if (!renamed) await removeFile(temp);
    }
    return { etag: etagOf(body) };
  }

  /** A create-only write: `temp` hard-linked at `path`, which the kernel refuses when it exists. */
  private async linkNew(key: string, temp: string, path: string): Promise<void> {
    try {
      await this.link(temp, path);
    } catch (error) {
      // Not a permission to fix: the lake is on a disk that cannot hold it (a USB stick).
      if (isNoLinksError(error, this.platform)) throw new NoHardLinksError(path, error);
      if (errorCode(error) !== 'EEXIST') throw error;
      // A folder at the object's path would be refused as a lost race every time.
      if (await isDirectory(path)) throw folderInTheWay(key, path);
      throw new PreconditionFailedError(key);
    }
  }

  /** Any other write: `temp` renamed onto `path` under the key's lock, once its condition holds; true once renamed. */
  private renameLocked(key: string, temp: string, path: string, options: PutOptions): Promise<boolean> {
    return this.withLock(path, async () => {
      if (options.ifMatch !== undefined || options.ifNoneMatch === '*') {
        const current = await this.get(key);
        if (options.ifNoneMatch === '*' && current) throw new PreconditionFailedError(key);
        if (
          options.ifMatch !== undefined &&
          (!current || unquote(current.etag) !== unquote(options.ifMatch))
        ) {
          throw new PreconditionFailedError(key);
        }
      }
      await renameWithRetry(temp, path).catch(async (error: unknown) => {
        throw errorCode(error) === 'EISDIR' && (await isDirectory(path)) ? folderInTheWay(key, path) : error;
      });
      return true;
    });
  }

  /**
   * The temp file of a write to `path`, in its folder `dir`, made first when missing. A folder this
   * store has made or found is not made again at each write (a mkdir refused and a stat, each a
   * round trip to the thread pool): only when the temp file's open finds it gone (removed since,
   * or a file put in its way), and then as at a first write.
   */
  private async writeTempInFolder(dir: string, path: string, body: Uint8Array): Promise<string> {
    if (this.folders.has(dir)) {
      try {
        return await this.writeTemp(path, body);
      } catch (error) {
        const code = errorCode(error);
        if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
        this.folders.delete(dir);
      }
    }
    await makeDirectory(dir);
    this.folders.add(dir);
    return this.writeTemp(path, body);
  }

  /**
   * Keys under `prefix` in S3's order. `startAfter` is honoured as S3 does (only keys after it, by
   * their UTF-8 bytes): a folder wholly before it is not read and the entries before it are dropped
   * before sorting, so a look past the 26,000th digest of a year's chain sorts the few after it,
   * not the whole folder. `pageSize` asks nothing of a disk: a folder is read whole either way.
   */
  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<string> {
    if (prefix !== '') checkPath(prefix, true);
    const slash = prefix.lastIndexOf('/');
    const after = options.startAfter === undefined ? undefined : Buffer.from(options.startAfter, 'utf8');
    const start = slash === -1 ? '' : prefix.slice(0, slash);
    if (start !== '' && !(await this.noLinkOnPath(`${start}/`, true))) return;
    yield* this.walk(start, prefix, after);
  }

  /**
   * Whether every folder of `key` below its top one (and its last segment too, when `last`) is
   * there and no symbolic link; false at the first one missing, or not a folder. Throws
   * {@link SymbolicLinkInLakeError} at a link. A key ending in "/" names a folder.
   */
  private async noLinkOnPath(key: string, last: boolean): Promise<boolean> {
    const segments = key.replace(/\/$/, '').split('/');
    const end = last ? segments.length : segments.length - 1;
    for (let depth = 2; depth <= end; depth++) {
      const path = join(this.location, ...segments.slice(0, depth));
      let linked: boolean;
      try {
        linked = (await lstat(path)).isSymbolicLink();
      } catch (error) {
        const code = errorCode(error);
        if (code === 'ENOENT' || code === 'ENOTDIR') return false;
        throw error;
      }
      const folder = depth < segments.length || key.endsWith('/');
      if (linked)
        throw new SymbolicLinkInLakeError(
          segments.slice(0, depth).join('/') + (folder ? '/' : ''),
          path,
          folder,
        );
    }
    return true;
  }

  /** Depth-first walk that yields keys in S3's order (byte order of the whole key), those after `after` only. */
  private async *walk(dirKey: string, prefix: string, after: Buffer | undefined): AsyncGenerator<string> {
    for (const item of await this.itemsOf(dirKey, after)) {
      if (!concerns(item, prefix)) continue;
      if (item.kind === 'folder') yield* this.walk(item.key, prefix, after);
      else if (item.kind === 'file') yield item.key;
      else await this.refuseNonObject(item);
    }
  }

  /** Throws for the link or special file a walk met: none of the lake's objects. */
  private async refuseNonObject(item: WalkItem): Promise<never> {
    if (item.kind === 'link') return this.refuseLink(item.key);
    throw new SpecialFileInLakeError(item.key, join(this.location, ...item.key.split('/')), `${item.what}`);
  }

  /** The entries of the folder `dirKey` a walk goes through, in S3's order: those after `after` only. */
  private async itemsOf(dirKey: string, after: Buffer | undefined): Promise<WalkItem[]> {
    let entries: Dirent[];
    try {
      entries = await readdir(dirKey === '' ? this.location : join(this.location, ...dirKey.split('/')), {
        withFileTypes: true,
      });
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') return [];
      throw error;
    }
    const shown = entries.filter((entry) => !isReserved(entry.name));
    // Links among the root's entries are followed: only there is a stat needed.
    const listed =
      dirKey === ''
        ? await Promise.all(shown.map((entry) => this.rootItemOf(entry)))
        : shown.map((entry) => itemOf(`${dirKey}/${entry.name}`, entry));
    return listed
      .filter((item): item is WalkItem => item !== undefined)
      .filter((item) => after === undefined || reachesPast(item, after))
      .sort((a, b) => Buffer.compare(a.sortKey, b.sortKey));
  }

  /**
   * An entry of the lake's root as the walk takes it: a symbolic link there is a top folder moved
   * (`activity_log` on another disk), followed as the folder or file it points to; undefined when
   * it points nowhere.
   */
  private async rootItemOf(entry: Dirent): Promise<WalkItem | undefined> {
    if (!entry.isSymbolicLink()) return itemOf(entry.name, entry);
    const target = await stat(join(this.location, entry.name)).catch(() => undefined);
    if (target?.isDirectory())
      return { key: entry.name, kind: 'folder', sortKey: Buffer.from(`${entry.name}/`) };
    if (target?.isFile()) return { key: entry.name, kind: 'file', sortKey: Buffer.from(entry.name) };
    return undefined;
  }

  /** Throws {@link SymbolicLinkInLakeError} for the link at `key`, naming a folder's as one. */
  private async refuseLink(key: string): Promise<never> {
    const path = join(this.location, ...key.split('/'));
    const folder = await isDirectory(path);
    throw new SymbolicLinkInLakeError(folder ? `${key}/` : key, path, folder);
  }

  /**
   * Removes the temp files of killed writes in `dir` at its first write by this store (`own` its
   * temp), and notes the locks there that have litter beside them.
   */
  private async sweepOnce(dir: string, own: string): Promise<void> {
    if (this.swept.has(dir)) return;
    this.swept.add(dir);
    const entries = await readdir(dir).catch((): string[] => []);
    for (const entry of entries) {
      const lock = lockOfLitter(entry);
      if (lock !== undefined) this.littered.add(join(dir, lock));
    }
    await removeKilledTemps(dir, own, entries);
  }

  private async writeTemp(path: string, body: Uint8Array): Promise<string> {
    const temp = join(dirname(path), `.${randomBytes(8).toString('hex')}.tmp`);
    const handle = await open(temp, 'wx', PRIVATE_FILE_MODE);
    try {
      await handle.writeFile(body);
      await handle.sync();
    } catch (error) {
      await handle.close();
      await rm(temp, { force: true });
      throw error;
    }
    await handle.close();
    return temp;
  }

  /** Runs `critical` holding the key's lock file (`.<name>.lock`, next to it; see file-lock.ts). */
  private withLock<R>(path: string, critical: () => Promise<R>): Promise<R> {
    const lockPath = join(dirname(path), `.${path.slice(dirname(path).length + 1)}.lock`);
    const notice = this.onLockNotice;
    const told: Pick<FileLockOptions, 'onWait' | 'onBroken'> = notice
      ? {
          onWait: (wait) => notice(lockWaitLine(lockPath, wait)),
          onBroken: (broken) => notice(lockBrokenLine(lockPath, broken, this.lockOptions.staleMs)),
        }
      : {};
    return withFileLock(
      lockPath,
      { ...this.lockOptions, ...told, timedOut: () => this.timedOut(lockPath) },
      async () => {
        // Held, so a claim beside it is known to be of a lock since gone (removeLockLitter).
        if (this.littered.delete(lockPath)) await removeLockLitter(lockPath, this.lockOptions);
        return critical();
      },
    );
  }

  private timedOut(lockPath: string): Error {
    return new Error(
      `timed out after ${this.lockOptions.timeoutMs} ms waiting for the write lock ${lockPath}: another process is writing this key (the lock file names its host and pid). If no domo-activity-lake process is running against ${this.location}, delete the lock file; see docs/operations.md, section "Local lake: timed out … waiting for the write lock".`,
    );
  }
}

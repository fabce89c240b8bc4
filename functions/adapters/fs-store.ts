import { createHash, randomBytes } from 'node:crypto';
import { type Dirent, readFileSync, readlinkSync } from 'node:fs';
import { link, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import {
  type ObjectStore,
  PreconditionFailedError,
  type PutOptions,
  type StoredObject,
} from '../core/ports.ts';
import { makeDirectory } from './make-directory.ts';

export interface FsObjectStoreOptions {
  /**
   * A lock file older than this is taken to be left behind by a crashed writer and is broken, when
   * its owner cannot be checked: a process of another machine (a lake on a shared disk), of another
   * pid namespace (a container sharing the hostname) or boot, or a lock file not written or
   * unreadable. A lock of a process this one can check (same host, pid namespace and boot) is
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
}

/**
 * What tells processes of one hostname apart beyond their pid, read from Linux's /proc; every
 * field is undefined where it cannot be read (no /proc: macOS, Windows). A hostname is no proof
 * of one pid space: containers sharing a lake directory and a hostname (host networking, an
 * explicit hostname) each have their own pid namespace, where the same pid is another process,
 * or none; and a pid is reused once its process is gone.
 */
export interface ProcessIdentity {
  /** This process's pid namespace (`pid:[4026531836]`): pids compare only inside one. */
  pidNamespace(): string | undefined;
  /** This boot of the kernel: a namespace id is unique only within it. */
  bootId(): string | undefined;
  /** When `pid` (of this process's namespace) started, in clock ticks since boot: a reused pid differs. */
  startTime(pid: number): string | undefined;
}

const readOrUndefined = (read: () => string): string | undefined => {
  try {
    return read().trim() || undefined;
  } catch {
    return undefined;
  }
};

/** The start time field (22nd) of `/proc/<pid>/stat`; the command name before it may hold spaces and ")". */
function procStartTime(pid: number): string | undefined {
  const stat = readOrUndefined(() => readFileSync(`/proc/${pid}/stat`, 'utf8'));
  if (stat === undefined) return undefined;
  // Fields after the command name's closing ")" start at the 3rd.
  return stat
    .slice(stat.lastIndexOf(')') + 1)
    .trim()
    .split(/\s+/)[22 - 3];
}

interface OwnIdentity {
  pidNamespace?: string;
  bootId?: string;
  started?: string;
}

let own: OwnIdentity | undefined;

/** This process's namespace, boot and start time, read once: none changes while it runs. */
function ownIdentity(): OwnIdentity {
  own ??= {
    pidNamespace: readOrUndefined(() => readlinkSync('/proc/self/ns/pid')),
    bootId: readOrUndefined(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8')),
    started: procStartTime(process.pid),
  };
  return own;
}

/** The {@link ProcessIdentity} of this machine's /proc. */
export const procIdentity: ProcessIdentity = {
  pidNamespace: () => ownIdentity().pidNamespace,
  bootId: () => ownIdentity().bootId,
  // Every lock this process takes records its own: read that once.
  startTime: (pid) => (pid === process.pid ? ownIdentity().started : procStartTime(pid)),
};

interface LockOwner {
  pid: number;
  host: string;
  acquired_at: string;
  /** Random per acquisition: proves ownership when releasing (inode numbers get reused). */
  token: string;
  /**
   * Where `pid` means this process ({@link ProcessIdentity}); absent where /proc cannot be read,
   * and in the locks of earlier versions, which are judged by host and pid alone.
   */
  pid_ns?: string;
  boot_id?: string;
  started?: string;
}

const errorCode = (error: unknown): string | undefined =>
  error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;

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

/** Throws unless `key` is a safe relative object key (what the lake layout produces). */
export function assertFsKey(key: string): void {
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
 * - `ifNoneMatch: '*'` is a `link()` of the temp file: the kernel refuses it if the key exists,
 *   atomically, across processes.
 * - Every other write (`ifMatch` and unconditional) holds a per-key lock file (`open 'wx'`) while it
 *   compares the current ETag and renames, so conditional writers in several processes serialise.
 *   A lock of a process this one can check (same host, pid namespace and boot) is broken once that
 *   process is gone or its pid reused (never by age: a live writer may be paused inside its
 *   critical section); one of another machine or container, or unreadable, once it is older than
 *   `staleLockMs`. A writer only ever removes its own lock, even when it was broken and retaken
 *   (see `release`).
 */
export class FsObjectStore implements ObjectStore {
  readonly location: string;
  private readonly staleLockMs: number;
  private readonly lockTimeoutMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly identity: ProcessIdentity;

  constructor(root: string, options: FsObjectStoreOptions = {}) {
    this.location = resolve(root);
    this.staleLockMs = options.staleLockMs ?? 30_000;
    this.lockTimeoutMs = options.lockTimeoutMs ?? 60_000;
    this.sleep = options.sleep ?? ((ms) => delay(ms));
    this.now = options.now ?? Date.now;
    this.identity = options.identity ?? procIdentity;
  }

  private pathOf(key: string): string {
    assertFsKey(key);
    return join(this.location, ...key.split('/'));
  }

  async get(key: string): Promise<StoredObject | undefined> {
    const path = this.pathOf(key);
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return undefined;
      throw error;
    }
    const body = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return { body, etag: etagOf(body) };
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(key))).isFile();
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') return false;
      throw error;
    }
  }

  async put(key: string, body: Uint8Array, options: PutOptions = {}): Promise<{ etag: string }> {
    const path = this.pathOf(key);
    const dir = dirname(path);
    await makeDirectory(dir);
    const temp = await this.writeTemp(path, body);
    try {
      if (options.ifNoneMatch === '*' && options.ifMatch === undefined) {
        try {
          await link(temp, path);
        } catch (error) {
          if (errorCode(error) === 'EEXIST') throw new PreconditionFailedError(key);
          throw error;
        }
      } else {
        await this.withLock(path, async () => {
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
          await rename(temp, path);
        });
      }
      await fsyncDir(dir);
    } finally {
      await rm(temp, { force: true });
    }
    return { etag: etagOf(body) };
  }

  async *list(prefix: string): AsyncIterable<string> {
    if (prefix !== '') checkPath(prefix, true);
    const slash = prefix.lastIndexOf('/');
    yield* this.walk(slash === -1 ? '' : prefix.slice(0, slash), prefix);
  }

  /** Depth-first walk that yields keys in S3's order (byte order of the whole key). */
  private async *walk(dirKey: string, prefix: string): AsyncGenerator<string> {
    let entries: Dirent[];
    try {
      entries = await readdir(dirKey === '' ? this.location : join(this.location, ...dirKey.split('/')), {
        withFileTypes: true,
      });
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') return;
      throw error;
    }
    // A directory sorts as "name/" so that "a-b" (0x2D) comes before everything under "a/" (0x2F).
    const items = entries
      .filter((entry) => !isReserved(entry.name) && (entry.isFile() || entry.isDirectory()))
      .map((entry) => {
        const key = dirKey === '' ? entry.name : `${dirKey}/${entry.name}`;
        const directory = entry.isDirectory();
        return { key, directory, sortKey: Buffer.from(directory ? `${key}/` : key, 'utf8') };
      })
      .sort((a, b) => Buffer.compare(a.sortKey, b.sortKey));
    for (const item of items) {
      if (item.directory) {
        const inner = `${item.key}/`;
        if (inner.startsWith(prefix) || prefix.startsWith(inner)) yield* this.walk(item.key, prefix);
      } else if (item.key.startsWith(prefix)) {
        yield item.key;
      }
    }
  }

  private async writeTemp(path: string, body: Uint8Array): Promise<string> {
    const temp = join(dirname(path), `.${randomBytes(8).toString('hex')}.tmp`);
    const handle = await open(temp, 'wx');
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

  private async withLock<R>(path: string, critical: () => Promise<R>): Promise<R> {
    const lockPath = join(dirname(path), `.${path.slice(dirname(path).length + 1)}.lock`);
    const token = await this.acquire(lockPath);
    let result: R;
    try {
      result = await critical();
    } catch (error) {
      // The write's own failure is what the caller must see, not a failure to release after it.
      await release(lockPath, token).catch(() => undefined);
      heldHere.delete(token);
      throw error;
    }
    // The write is made: a lock that cannot be removed now is broken by the next writer (its
    // token is no longer held here, so this process is as good as gone for it), so it must not
    // turn the made write into a failed one (the caller would retry a write whose ETag it no
    // longer knows).
    await release(lockPath, token).catch(() => undefined);
    heldHere.delete(token);
    return result;
  }

  /** Takes the lock (create-only open) and returns the token that proves ownership. */
  private async acquire(lockPath: string): Promise<string> {
    const deadline = this.now() + this.lockTimeoutMs;
    let wait = 2;
    for (;;) {
      const owner: LockOwner = {
        pid: process.pid,
        host: hostname(),
        acquired_at: new Date().toISOString(),
        token: randomBytes(12).toString('hex'),
        pid_ns: this.identity.pidNamespace(),
        boot_id: this.identity.bootId(),
        started: this.identity.startTime(process.pid),
      };
      // Held from before the file exists: another store of this process judging it must see it live.
      heldHere.add(owner.token);
      try {
        const handle = await open(lockPath, 'wx');
        try {
          await handle.writeFile(JSON.stringify(owner));
        } catch (error) {
          await handle.close();
          await rm(lockPath, { force: true });
          throw error;
        }
        await handle.close();
        return owner.token;
      } catch (error) {
        heldHere.delete(owner.token);
        if (errorCode(error) !== 'EEXIST') throw error;
      }
      if (await this.breakIfStale(lockPath)) continue;
      if (this.now() >= deadline) {
        throw new Error(
          `timed out after ${this.lockTimeoutMs} ms waiting for the write lock ${lockPath}: another process is writing this key (the lock file names its host and pid). If no domo-activity-lake process is running against ${this.location}, delete the lock file; see docs/operations.md, section "Local lake: timed out … waiting for the write lock".`,
        );
      }
      await this.sleep(wait + Math.random() * wait);
      wait = Math.min(wait * 2, 100);
    }
  }

  /** Breaks the lock if its owner is gone; true if the caller should simply try again. */
  private async breakIfStale(lockPath: string): Promise<boolean> {
    let judged: { text: string; mtimeMs: number };
    try {
      judged = { mtimeMs: (await stat(lockPath)).mtimeMs, text: await readFile(lockPath, 'utf8') };
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return true;
      throw error;
    }
    const owner = ownerState(judged.text, this.identity);
    if (owner === 'alive') return false;
    if (owner === 'unknown' && this.now() - judged.mtimeMs <= this.staleLockMs) return false;
    // Rename first: only one breaker can move a given lock aside. If what got moved is not the
    // lock judged stale (it was released and retaken in between), put it back where it was.
    const aside = `${lockPath}.${randomBytes(6).toString('hex')}.stale`;
    try {
      await rename(lockPath, aside);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return true;
      throw error;
    }
    try {
      if ((await readFile(aside, 'utf8')) !== judged.text) await link(aside, lockPath).catch(() => undefined);
    } finally {
      await rm(aside, { force: true });
    }
    return true;
  }
}

/**
 * Removes the lock at `lockPath` if it is still the one `token` took. POSIX has no "unlink this path
 * only if it is still this file": reading the token and then unlinking the path let a writer whose
 * lock was broken as stale, and retaken between the two steps, unlink the new owner's lock, so a
 * third writer could get in beside that owner for the rest of its critical section. Instead the lock
 * is renamed to a name no other process knows (rename is atomic: one file moves, once) and its token
 * read there, where nobody can replace it: ours is unlinked, anyone else's linked back (`link` never
 * replaces a lock created meanwhile). A lock already seen to be someone else's is never moved, so a
 * foreign one is moved only in that rare gap, and is then missing for one read: a writer taking the
 * key then goes ahead, and the owner's lock is not put back over it. A crash after the rename leaves
 * the key unlocked and a `.release` file behind (never listed, like the `.tmp` and `.stale` ones).
 */
async function release(lockPath: string, token: string): Promise<void> {
  // Only remove our own lock: if ours was broken as stale, the file now belongs to someone else.
  if ((await lockToken(lockPath)) !== token) return;
  const aside = `${lockPath}.${randomBytes(6).toString('hex')}.release`;
  try {
    await rename(lockPath, aside);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw error;
  }
  try {
    if ((await lockToken(aside)) !== token) await link(aside, lockPath).catch(() => undefined);
  } finally {
    await rm(aside, { force: true });
  }
}

/** The token of the lock file at `path`; undefined when it is gone or not written yet. */
async function lockToken(path: string): Promise<string | undefined> {
  try {
    return (JSON.parse(await readFile(path, 'utf8')) as Partial<LockOwner> | null)?.token;
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || error instanceof SyntaxError) return undefined;
    throw error;
  }
}

/**
 * The tokens of the locks this process holds right now. A lock naming this process with another
 * token was left by one of its writers that could not remove it: that writer is done.
 */
const heldHere = new Set<string>();

/**
 * Whether the lock's owner still runs: `alive` or `gone` for a process of this machine and pid
 * namespace (checked with signal 0, and its start time against a reused pid), `unknown` for one
 * of another machine, another pid namespace (a container sharing the hostname) or another boot,
 * or a lock not written yet or unreadable: only its age can judge those.
 */
function ownerState(lockText: string, identity: ProcessIdentity): 'alive' | 'gone' | 'unknown' {
  let owner: Partial<LockOwner>;
  try {
    owner = JSON.parse(lockText) as Partial<LockOwner>;
  } catch {
    // Not written yet by an owner that has just created it: judge by age only.
    return 'unknown';
  }
  if (owner?.host !== hostname() || typeof owner.pid !== 'number') return 'unknown';
  if (!samePidSpace(owner, identity)) return 'unknown';
  if (owner.pid === process.pid)
    return typeof owner.token === 'string' && heldHere.has(owner.token) ? 'alive' : 'gone';
  if (!signalReaches(owner.pid)) return 'gone';
  // The pid runs, but perhaps as another process that got the dead owner's pid.
  // Only within a known namespace: a start time read where the pid means another process is no proof.
  const started =
    owner.started === undefined || owner.pid_ns === undefined ? undefined : identity.startTime(owner.pid);
  return started !== undefined && started !== owner.started ? 'gone' : 'alive';
}

/**
 * Whether the lock's pid names a process of this pid namespace and boot. A lock without a
 * namespace is an earlier version's, or written where /proc is missing: it is judged by host and
 * pid alone, as it always was.
 */
function samePidSpace(owner: Partial<LockOwner>, identity: ProcessIdentity): boolean {
  if (owner.pid_ns === undefined) return true;
  const here = identity.pidNamespace();
  return here !== undefined && owner.pid_ns === here && owner.boot_id === identity.bootId();
}

/** Whether a process with this pid exists (signal 0 sends nothing). */
function signalReaches(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists, under another user.
    return errorCode(error) !== 'ESRCH';
  }
}

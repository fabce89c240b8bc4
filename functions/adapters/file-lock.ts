import { createHash, randomBytes } from 'node:crypto';
import { link, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { errorCode } from './error-code.ts';
import { isNoLinksError } from './no-links.ts';
import { type ProcessIdentity, procIdentity, signalReaches } from './process-identity.ts';
import { renameWithRetry } from './rename-retry.ts';

/** Who holds a lock, as its file says: for the error of a writer that waited for it in vain. */
export interface LockHolder {
  pid: number;
  host: string;
  acquiredAt: string;
  /** What the holder took it for ({@link FileLockOptions.label}), when its lock says. */
  label?: string;
}

export interface FileLockOptions {
  /**
   * A lock older than this (see {@link takenAt}) is taken to be left behind by a crashed holder
   * and is broken, when its owner cannot be checked: a process of another machine, of another pid
   * namespace (a container sharing the hostname) or boot, a lock file not written or unreadable,
   * or one whose pid runs but that records no start time to tell it is still the owner (written
   * by an earlier version, or where /proc is missing). A lock of a process this one can check
   * (same host, pid namespace and boot) is broken when, and only when, that process is gone (or
   * its pid now names a later process), however old: a live holder may be paused (Ctrl-Z, a
   * laptop asleep) inside its critical section.
   */
  staleMs: number;
  /** How long to wait for another holder's lock before failing. */
  timeoutMs: number;
  /** The error thrown when the wait runs out; `holder` is the lock as last read, if it could be. */
  timedOut: (holder: LockHolder | undefined) => Error;
  /** Injected by tests; default real timers and `Date.now`. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Injected by tests; default Linux's /proc (see {@link ProcessIdentity}). */
  identity?: ProcessIdentity;
  /**
   * Told once per wait, when it has lasted {@link waitNoticeMs}: a lock whose holder cannot be
   * checked is waited for up to the stale age, which without a word looks like a hung command.
   */
  onWait?: (wait: LockWait) => void;
  /** How long a wait lasts before {@link onWait} is told; default 2 s. */
  waitNoticeMs?: number;
  /** Told when this waiter broke a lock as its holder's that is gone or too old to be live. */
  onBroken?: (broken: BrokenLock) => void;
  /**
   * Asked once `critical` has ended (returned or thrown): true leaves the lock file where it is, a
   * mark for readers ({@link lockOwner}) that its holder did not finish its work. It reads as its
   * holder's that is gone from then on (this process no longer holds it), and is broken by the
   * next holder of its name as such.
   */
  leaveLock?: () => boolean;
  /**
   * Written in the lock for its readers ({@link LockHolder.label}): what the holder takes it for,
   * where the lock's name does not say (an ingest run's lock names its run, not its instance).
   */
  label?: string;
}

/** A wait for another holder's lock, as {@link FileLockOptions.onWait} is told of it. */
export interface LockWait {
  /** The lock as last read; undefined when it names no holder (not written yet, or unreadable). */
  holder: LockHolder | undefined;
  /** When the waiter was told (`now()`'s time), and how long it had waited by then. */
  atMs: number;
  waitedMs: number;
  /**
   * When the lock is broken if still there (`now()`'s time): a lock whose holder cannot be checked
   * is broken at its stale age; undefined for one whose holder was checked and runs.
   */
  breaksAtMs: number | undefined;
  /** When the wait gives up (`timedOut`). */
  givesUpAtMs: number;
}

/** A lock broken by this waiter, as {@link FileLockOptions.onBroken} is told of it. */
export interface BrokenLock {
  holder: LockHolder | undefined;
  /** `gone`: its holder was checked and no longer runs; `old`: it could not be, and the lock was older than the stale age. */
  why: 'gone' | 'old';
}

/** What a lock file holds (JSON): whose it is, to tell a live holder's from a crashed one's. */
interface LockOwner {
  pid: number;
  host: string;
  acquired_at: string;
  /** `acquired_at` in the local mailer's locks of earlier versions. */
  at?: string;
  /** Random per acquisition: proves ownership when releasing (inode numbers get reused). */
  token: string;
  /**
   * Where `pid` means this process ({@link ProcessIdentity}); absent where /proc cannot be read,
   * and in the locks of earlier versions, which are judged by host and pid alone.
   */
  pid_ns?: string;
  boot_id?: string;
  started?: string;
  /** {@link FileLockOptions.label}; absent in locks taken without one, and in earlier versions'. */
  label?: string;
}

/** What judges whether a lock's owner is gone. */
type Judging = Pick<Resolved, 'staleMs' | 'now' | 'identity'>;

/** The options with their defaults filled in (the callbacks stay optional). */
type Resolved = Required<Omit<FileLockOptions, 'onWait' | 'onBroken' | 'leaveLock' | 'label'>> &
  Pick<FileLockOptions, 'onWait' | 'onBroken' | 'leaveLock' | 'label'>;

/**
 * Runs `critical` holding the lock file at `lockPath` (created exclusively; one holder at a time
 * across processes and machines sharing the folder), waiting for another holder's lock, breaking
 * it when its holder is gone ({@link FileLockOptions.staleMs}). The holder only ever removes its
 * own lock, even when it was broken as stale and retaken (see {@link release}). What `critical`
 * throws is what the caller sees; once it has returned, a lock that cannot be removed is no failure
 * (the next holder breaks it: its token is no longer held here, so this process is as good as gone
 * for it), so a made write is never reported as failed.
 */
export async function withFileLock<R>(
  lockPath: string,
  options: FileLockOptions,
  critical: () => Promise<R>,
): Promise<R> {
  const resolved: Resolved = {
    ...options,
    sleep: options.sleep ?? ((ms) => delay(ms)),
    now: options.now ?? Date.now,
    identity: options.identity ?? procIdentity,
    waitNoticeMs: options.waitNoticeMs ?? 2_000,
  };
  const token = await acquire(lockPath, resolved);
  try {
    return await critical();
  } finally {
    if (!leaves(options)) await release(lockPath, token).catch(() => undefined);
    heldHere.delete(token);
  }
}

/** Whether the holder leaves its lock ({@link FileLockOptions.leaveLock}); one that throws does not. */
function leaves(options: FileLockOptions): boolean {
  try {
    return options.leaveLock?.() === true;
  } catch {
    return false;
  }
}

/** Takes the lock (create-only open) and returns the token that proves ownership. */
async function acquire(lockPath: string, options: Resolved): Promise<string> {
  const started = options.now();
  const deadline = started + options.timeoutMs;
  let told = false;
  let wait = 2;
  for (;;) {
    const owner = ownerOfThisProcess(options.identity, options.label);
    if (await create(lockPath, owner)) return owner.token;
    const judged = await breakIfStale(lockPath, options);
    if (judged.broken) continue;
    const now = options.now();
    if (now >= deadline) throw options.timedOut(judged.holder);
    if (!told && now - started >= options.waitNoticeMs) {
      told = true;
      const { holder, breaksAtMs } = judged;
      const wait = { holder, atMs: now, waitedMs: now - started, breaksAtMs, givesUpAtMs: deadline };
      tell(() => options.onWait?.(wait));
    }
    await options.sleep(wait + Math.random() * wait);
    wait = Math.min(wait * 2, 100);
  }
}

/** Calls a listener: one that throws must not fail the write it only watches. */
function tell(listener: () => void): void {
  try {
    listener();
  } catch {
    // ignored, see above
  }
}

function ownerOfThisProcess(identity: ProcessIdentity, label: string | undefined): LockOwner {
  return {
    pid: process.pid,
    host: hostname(),
    acquired_at: new Date().toISOString(),
    token: randomBytes(12).toString('hex'),
    pid_ns: identity.pidNamespace(),
    boot_id: identity.bootId(),
    started: identity.startTime(process.pid),
    ...(label === undefined ? {} : { label }),
  };
}

/**
 * Creates the lock file holding `owner`; false when one is there already. The file appears with
 * its content: created empty and then written, a holder killed in between left an empty lock,
 * which says nothing of its dead owner and was judged by its mtime alone (minutes). So the content
 * is written to a name of this holder's own first (`<lock>.<token>.tmp`) and linked to the lock's
 * name, which fails when that is taken (and is atomic on NFS too). A holder killed before the link
 * leaves only that temp file, which no lock user reads ({@link removeLockLitter} removes it).
 */
async function create(lockPath: string, owner: LockOwner): Promise<boolean> {
  // Held from before the file exists: another lock user of this process judging it must see it live.
  heldHere.add(owner.token);
  try {
    return await createWith(lockPath, `${lockPath}.${owner.token}.tmp`, JSON.stringify(owner));
  } catch (error) {
    heldHere.delete(owner.token);
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  }
}

/** Creates `path` holding `text` by way of `temp`; rejects with EEXIST when `path` is there. */
async function createWith(path: string, temp: string, text: string): Promise<true> {
  try {
    // Inside the try: a full disk fails the write after the exclusive create made the temp file.
    await writeFile(temp, text, { flag: 'wx' });
    try {
      await link(temp, path);
    } catch (error) {
      if (!isNoLinksError(error)) throw error;
      await createInPlace(path, text);
    }
  } finally {
    await rm(temp, { force: true });
  }
  return true;
}

/** Where links are missing: creates the file exclusively, then writes it (empty if killed between). */
async function createInPlace(path: string, text: string): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(text);
  } catch (error) {
    await handle.close();
    await rm(path, { force: true });
    throw error;
  }
  await handle.close();
}

type Judgement =
  | { broken: true }
  | { broken: false; holder: LockHolder | undefined; breaksAtMs: number | undefined };

/** A lock file as a waiter read it: to tell later whether the lock there is still that one. */
interface SeenLock {
  text: string;
  ino: number;
  mtimeMs: number;
}

async function readLock(path: string): Promise<SeenLock | undefined> {
  try {
    const { ino, mtimeMs } = await stat(path);
    return { ino, mtimeMs, text: await readFile(path, 'utf8') };
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * A lock file as a waiter read it, with its fields parsed once for every check of one judgement
 * (its owner, its age, the claim named after its exact text).
 */
interface JudgedLock extends SeenLock {
  /** The lock's fields, whichever could be read; undefined when it is not JSON (not written yet). */
  owner: Partial<LockOwner> | undefined;
}

/**
 * Whether the lock at `path` is held, for a reader that does not take it: `free` when there is no
 * lock file, else its owner's state as a waiter would judge it ({@link ownerState}).
 */
export async function lockState(
  path: string,
  identity: ProcessIdentity = procIdentity,
): Promise<'free' | 'alive' | 'gone' | 'unknown'> {
  return (await lockOwner(path, identity)).state;
}

/**
 * The lock at `path` as {@link lockState} judges it, with its holder as its file names it (none:
 * not written yet, or unreadable).
 */
export async function lockOwner(
  path: string,
  identity: ProcessIdentity = procIdentity,
): Promise<
  { state: 'free' } | { state: 'alive' | 'gone' | 'unknown'; holder: LockHolder | undefined; rebooted?: true }
> {
  const seen = await readLock(path);
  if (seen === undefined) return { state: 'free' };
  const owner = parseOwner(seen.text);
  const state = ownerState(owner, identity);
  return {
    state,
    holder: holderOf(owner),
    ...(state === 'unknown' && bootedSince(owner, identity) ? { rebooted: true as const } : {}),
  };
}

/**
 * Whether `owner` wrote its lock on this host, in this pid namespace, in an earlier boot: its
 * process ended with that boot, unless another machine of the same name shares the disk and the
 * initial pid namespace's number. Left to callers to weigh: a run lock's reader takes it as gone
 * (a reboot is how most runs of a workstation die), the locks that guard a write do not.
 */
function bootedSince(owner: Partial<LockOwner> | undefined, identity: ProcessIdentity): boolean {
  if (owner?.host !== hostname() || owner.pid_ns === undefined || owner.boot_id === undefined) return false;
  const boot = identity.bootId();
  return owner.pid_ns === identity.pidNamespace() && boot !== undefined && owner.boot_id !== boot;
}

/** Reads the lock at `path` to judge it: undefined when it is gone. */
async function readJudged(path: string): Promise<JudgedLock | undefined> {
  const seen = await readLock(path);
  return seen && { ...seen, owner: parseOwner(seen.text) };
}

/** Whether `now` is the very lock `seen` (not another one with the same text, or at the same inode). */
const sameLock = (now: SeenLock | undefined, seen: SeenLock): boolean =>
  now !== undefined && now.ino === seen.ino && now.text === seen.text;

/**
 * When the lock read becomes its holder's that is gone (`options.staleMs`, {@link ownerState}):
 * minus infinity when its holder was checked and is gone, undefined when it was checked and runs,
 * else the end of its stale age.
 */
function staleAt(lock: JudgedLock, options: Judging, now: number): number | undefined {
  const owner = ownerState(lock.owner, options.identity);
  if (owner === 'gone') return Number.NEGATIVE_INFINITY;
  if (owner === 'alive') return undefined;
  return takenAt(lock, now, options.staleMs) + options.staleMs;
}

/** Whether the lock read is its holder's that is gone (see {@link staleAt}). */
function isStale(lock: JudgedLock, options: Judging): boolean {
  const now = options.now();
  const at = staleAt(lock, options, now);
  return at !== undefined && now > at;
}

/**
 * When the lock was taken, for the age of one whose owner cannot be checked: the time its owner
 * wrote into it (`acquired_at`), else (not written yet, unreadable) the file's mtime. No time read
 * here is of this machine's clock, but the written one is the owner's own statement: exact for the
 * commonest such owner (a container of this machine: the same clock), and of another machine off
 * by the difference of the two clocks, which NTP keeps to milliseconds against a stale age of
 * seconds or minutes. The mtime is the file system's (on a shared disk the server's, and on NFSv3
 * an exclusive create may leave its create verifier there until the client sets the time), and a
 * copy, a restore or a `touch` changes it. A written time further ahead than the stale age is a
 * wrong clock's (it would keep a dead lock for ever): the mtime judges that lock.
 */
function takenAt(lock: JudgedLock, now: number, staleMs: number): number {
  const written = lock.owner?.acquired_at ?? lock.owner?.at;
  const at = typeof written === 'string' ? Date.parse(written) : Number.NaN;
  return Number.isFinite(at) && at <= now + staleMs ? at : lock.mtimeMs;
}

/** Breaks the lock if its owner is gone (`broken`: the caller should simply try again). */
async function breakIfStale(lockPath: string, options: Resolved): Promise<Judgement> {
  const lock = await readJudged(lockPath);
  if (lock === undefined) return { broken: true };
  const now = options.now();
  const at = staleAt(lock, options, now);
  const why = at === Number.NEGATIVE_INFINITY ? 'gone' : 'old';
  if (at !== undefined && now > at && (await takeOver(lockPath, lock, options, why))) return { broken: true };
  return { broken: false, holder: holderOf(lock.owner), breaksAtMs: at };
}

/**
 * Removes the stale lock `seen` if it is still there, as the one waiter that does; false while
 * another waiter is doing so. Moving a lock by its path moves whatever is there: two waiters that
 * both judged one dead lock stale each moved "it", the second the lock the first had meanwhile
 * taken, which was missing until put back (a third writer could get in beside the first, and the
 * first's release found nothing to remove and left its lock behind, put back). So a waiter first
 * creates the claim file of that very lock (exclusively, named after its content), and only the
 * one that did looks again and moves the lock, if it is still the one judged. The claim is removed
 * after: a waiter claiming the lock later finds it gone or another one, and leaves it.
 */
async function takeOver(
  lockPath: string,
  seen: JudgedLock,
  options: Resolved,
  why: BrokenLock['why'],
): Promise<boolean> {
  const claimPath = claimPathOf(lockPath, seen.text);
  const claim = ownerOfThisProcess(options.identity, undefined);
  if (!(await create(claimPath, claim))) return breakStaleClaim(claimPath, options);
  let moved = false;
  try {
    if (sameLock(await readLock(lockPath), seen)) moved = await moveAside(lockPath, seen);
  } finally {
    heldHere.delete(claim.token);
    await rm(claimPath, { force: true });
  }
  if (moved) tell(() => options.onBroken?.({ holder: holderOf(seen.owner), why }));
  return true;
}

/** The claim file of the lock whose content is `lockText` (see {@link takeOver}). */
const claimPathOf = (lockPath: string, lockText: string): string =>
  `${lockPath}.${createHash('sha256').update(lockText).digest('hex').slice(0, 32)}.claim`;

/**
 * Moves the lock judged stale aside and removes it. Only its owner can have replaced it since the
 * claim's look (one judged stale by age that was not dead, and released it: a writer that took
 * the lock then is put back, unless a third took the free path meanwhile).
 */
const moveAside = (lockPath: string, seen: SeenLock): Promise<boolean> =>
  removeIfStill(lockPath, 'stale', (text) => text === seen.text);

/**
 * Removes the lock at `lockPath` if `isMeant` says it is still the file meant. The lock is renamed
 * to a name no other process knows (rename is atomic: one file moves, once) and read there, where
 * nobody can replace it: the one meant is unlinked, anyone else's linked back (`link` never
 * replaces a lock created meanwhile). True when it was the one meant.
 */
async function removeIfStill(
  lockPath: string,
  suffix: string,
  isMeant: (text: string) => boolean,
): Promise<boolean> {
  const aside = `${lockPath}.${randomBytes(6).toString('hex')}.${suffix}`;
  try {
    await renameWithRetry(lockPath, aside);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    throw error;
  }
  try {
    const text = await readFile(aside, 'utf8');
    if (isMeant(text)) return true;
    await putBack(aside, lockPath, text);
    return false;
  } finally {
    await rm(aside, { force: true });
  }
}

/**
 * Puts another holder's lock back at `lockPath` unless a lock was created there meanwhile: by a
 * link, or where links are missing by an exclusive create (without it, the lock would be gone
 * for good and a third writer could get in beside its holder).
 */
async function putBack(aside: string, lockPath: string, text: string): Promise<void> {
  try {
    await link(aside, lockPath);
  } catch (error) {
    if (isNoLinksError(error)) await createInPlace(lockPath, text).catch(() => undefined);
  }
}

/**
 * Removes the claim of a waiter that died taking a lock over (a claim is held for milliseconds),
 * judged like a lock; true if the caller should simply try again. By its path: two waiters that
 * judge one dead waiter's claim at once may both take the lock over, as before claims, which needs
 * a waiter killed inside its takeover first.
 */
async function breakStaleClaim(claimPath: string, options: Resolved): Promise<boolean> {
  const claim = await readJudged(claimPath);
  if (claim === undefined) return true;
  if (!isStale(claim, options)) return false;
  await rm(claimPath, { force: true });
  return true;
}

/**
 * Removes the lock at `lockPath` if it is still the one `token` took. POSIX has no "unlink this path
 * only if it is still this file": reading the token and then unlinking the path let a holder whose
 * lock was broken as stale, and retaken between the two steps, unlink the new owner's lock, so a
 * third could get in beside that owner for the rest of its critical section. Instead the lock is
 * moved aside and its token read there ({@link removeIfStill}): ours is unlinked, anyone else's
 * linked back. A lock already seen to be someone else's is never moved, so a
 * foreign one is moved only in that rare gap, and is then missing for one read: a writer taking the
 * lock then goes ahead, and the owner's lock is not put back over it. A crash after the rename
 * leaves the lock free and a `.release` file behind (a dot file, like the `.stale` ones).
 */
async function release(lockPath: string, token: string): Promise<void> {
  // Only remove our own lock: if ours was broken as stale, the file now belongs to someone else.
  if ((await lockToken(lockPath)) !== token) return;
  await removeIfStill(lockPath, 'release', (text) => parseOwner(text)?.token === token);
}

/** The token of the lock file at `path`; undefined when it is gone or not written yet. */
async function lockToken(path: string): Promise<string | undefined> {
  try {
    return parseOwner(await readFile(path, 'utf8'))?.token;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/** The lock's fields, whichever could be read; undefined when it is not JSON (not written yet). */
function parseOwner(text: string): Partial<LockOwner> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Partial<LockOwner>) : undefined;
  } catch {
    return undefined;
  }
}

function holderOf(owner: Partial<LockOwner> | undefined): LockHolder | undefined {
  if (typeof owner?.pid !== 'number' || typeof owner.host !== 'string') return undefined;
  const acquiredAt = owner.acquired_at ?? owner.at;
  if (typeof acquiredAt !== 'string') return undefined;
  return {
    pid: owner.pid,
    host: owner.host,
    acquiredAt,
    ...(typeof owner.label === 'string' ? { label: owner.label } : {}),
  };
}

/**
 * The tokens of the locks this process holds right now. A lock naming this process with another
 * token was left by one of its holders that could not remove it: that holder is done.
 */
const heldHere = new Set<string>();

/**
 * Whether the lock's owner still runs: `alive` or `gone` for a process of this machine and pid
 * namespace (checked with signal 0, and its start time against a reused pid), `unknown` for one
 * of another machine, another pid namespace (a container sharing the hostname) or another boot,
 * or a lock not written yet or unreadable: only its age can judge those.
 */
function ownerState(
  owner: Partial<LockOwner> | undefined,
  identity: ProcessIdentity,
): 'alive' | 'gone' | 'unknown' {
  // Not JSON: not written yet by an owner that has just created it, judged by age only.
  if (owner?.host !== hostname() || typeof owner.pid !== 'number') return 'unknown';
  if (!samePidSpace(owner, identity)) return 'unknown';
  if (owner.pid === process.pid)
    return typeof owner.token === 'string' && heldHere.has(owner.token) ? 'alive' : 'gone';
  // A holder killed but not reaped by its parent is gone, though signal 0 still reaches it.
  if (!signalReaches(owner.pid) || identity.exited?.(owner.pid)) return 'gone';
  // The pid runs, but perhaps as another process that got the dead owner's pid.
  if (owner.pid_ns === undefined || owner.started === undefined) return unverifiedOwner(owner, identity);
  const started = identity.startTime(owner.pid);
  return started !== undefined && started !== owner.started ? 'gone' : 'alive';
}

/**
 * How far a process may seem to have started after the lock naming its pid was written and still
 * be the lock's owner: the two times are read off clocks (the lock's writer's, and this boot's
 * uptime) that an NTP step or a resumed VM can move apart by seconds. Generous, as a pid reused
 * within it only leaves the lock to be judged by its age.
 */
const START_SLACK_MS = 30_000;

/**
 * A running pid of a lock that records no start time to compare (an earlier version's, or one
 * written where /proc is missing: macOS) may be any process that got the owner's pid since:
 * taken for the owner, it kept a dead lock for ever. Gone when that process started after the
 * lock was written (Linux tells when); else its owner cannot be checked, and the lock is judged by
 * its age, as those versions did.
 */
function unverifiedOwner(owner: Partial<LockOwner>, identity: ProcessIdentity): 'gone' | 'unknown' {
  const written = Date.parse(String(owner.acquired_at ?? owner.at));
  const started = typeof owner.pid === 'number' ? identity.startedAtMs?.(owner.pid) : undefined;
  return started !== undefined && started > written + START_SLACK_MS ? 'gone' : 'unknown';
}

/**
 * Whether the lock's pid names a process of this pid namespace and boot. A lock without a
 * namespace is an earlier version's, or written where /proc is missing: its pid is taken as one
 * of this machine's, as it always was.
 */
function samePidSpace(owner: Partial<LockOwner>, identity: ProcessIdentity): boolean {
  if (owner.pid_ns === undefined) return true;
  const here = identity.pidNamespace();
  return here !== undefined && owner.pid_ns === here && owner.boot_id === identity.bootId();
}

/** What lock users killed at the wrong moment leave beside a lock, by kind. */
type Litter = 'aside' | 'claim' | 'temp';

/** The kind of litter `entry` is of the lock named `lockName` (its own names only), if it is. */
function litterOf(lockName: string, entry: string): Litter | undefined {
  if (!entry.startsWith(`${lockName}.`)) return undefined;
  const rest = entry.slice(lockName.length);
  if (/^\.[0-9a-f]{12}\.(?:stale|release)$/.test(rest)) return 'aside';
  if (/^\.[0-9a-f]{32}\.claim$/.test(rest)) return 'claim';
  if (/^(?:\.[0-9a-f]{32}\.claim)?\.[0-9a-f]{24}\.tmp$/.test(rest)) return 'temp';
  return undefined;
}

/**
 * The name of the lock `entry` is litter of (see {@link removeLockLitter}), if it is any lock's:
 * how a folder's listing tells which of its locks a killed lock user left something beside.
 */
export function lockOfLitter(entry: string): string | undefined {
  for (let at = entry.indexOf('.lock.'); at !== -1; at = entry.indexOf('.lock.', at + 1)) {
    const lockName = entry.slice(0, at + '.lock'.length);
    if (litterOf(lockName, entry) !== undefined) return lockName;
  }
  return undefined;
}

/**
 * Whether a piece of litter is no live lock user's. A claim or temp file holds its maker's
 * owner record, judged like a lock (gone, or older than the stale age when it cannot be checked;
 * one being written, not JSON yet, by its mtime). A lock moved aside (`.stale`, `.release`) holds
 * the moved lock's record, not its mover's, and is the mover's for an instant only: it is litter
 * once its move (the change time a rename sets, never older than the mtime) is older than the
 * stale age, which no paused mover sits out unseen.
 */
async function isLitter(path: string, kind: Litter, options: Judging): Promise<boolean> {
  if (kind !== 'aside') {
    const litter = await readJudged(path);
    return litter !== undefined && isStale(litter, options);
  }
  const { mtimeMs, ctimeMs } = await stat(path);
  return options.now() - Math.max(mtimeMs, ctimeMs) > options.staleMs;
}

/**
 * Removes what lock users killed at the wrong moment left beside the lock at `lockPath`, which
 * nothing else removes: locks moved aside (`.stale`, `.release`), claims (`.claim`) and the temp
 * files locks and claims are written to (`.tmp`), when no live lock user's ({@link isLitter}).
 * To be called holding that lock: a claim is removed only when the lock it claims is gone, which
 * the lock held here shows (its own claim is left, for the waiter that may be making it).
 */
export async function removeLockLitter(
  lockPath: string,
  options: Pick<FileLockOptions, 'staleMs' | 'now' | 'identity'>,
  /** The lock's folder as the caller read it already; read here when not given. */
  listed?: readonly string[],
): Promise<void> {
  const judging: Judging = {
    staleMs: options.staleMs,
    now: options.now ?? Date.now,
    identity: options.identity ?? procIdentity,
  };
  const held = await readLock(lockPath).catch(() => undefined);
  const heldClaim = held === undefined ? undefined : basename(claimPathOf(lockPath, held.text));
  const entries = listed ?? (await readdir(dirname(lockPath)).catch((): string[] => []));
  for (const entry of entries) {
    const kind = litterOf(basename(lockPath), entry);
    if (kind === undefined || entry === heldClaim) continue;
    const path = join(dirname(lockPath), entry);
    // Gone meanwhile, unreadable: left for the next holder.
    if (await isLitter(path, kind, judging).catch(() => false))
      await rm(path, { force: true }).catch(() => undefined);
  }
}

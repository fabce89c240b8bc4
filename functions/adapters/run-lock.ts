import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunProcesses, RunProcessState } from '../core/ports.ts';
import { DAY_MS } from '../core/time-units.ts';
import { type LockHolder, lockOfLitter, lockOwner, removeLockLitter, withFileLock } from './file-lock.ts';
import type { ProcessIdentity } from './process-identity.ts';

/**
 * The lock file an ingest run holds in the root of a lake on disk while it runs, named by its run
 * id: a dot name, which the lake's store never lists (fs-store.ts), so no reader takes it for an
 * object. Its owner record (pid, host, pid namespace, boot, start time) tells `status` and
 * `verify` whether the run's process still runs ({@link diskRunProcesses}); its label, the
 * instance the run ingests (a lake holds several), whose runs may remove it once that process is
 * gone, and whose `enrich` it concerns.
 */
const RUN_LOCK = /^\.ingest-run-([0-9A-Za-z_-]{1,100})\.lock$/;

/** Run ids a lock may be named by: those `newRunId` makes, and nothing a path could be escaped with. */
const SAFE_RUN_ID = /^[0-9A-Za-z_-]{1,100}$/;

export const runLockName = (runId: string): string => `.ingest-run-${runId}.lock`;

/** Whether `entry` (a name in a lake's root) is a run lock or what taking one left beside it. */
export const isRunLockEntry = (entry: string): boolean =>
  RUN_LOCK.test(entry) || RUN_LOCK.test(lockOfLitter(entry) ?? '');

/**
 * The run lock is never waited for (its name is its run's own); this ages the litter a lock user
 * killed at the wrong moment left beside one whose owner cannot be checked, and such locks
 * themselves (see {@link removeDeadRunLocks}).
 */
const RUN_LOCK_STALE_MS = DAY_MS;

interface RunLockOptions {
  /** The instance the run ingests, written in its lock (see {@link removeDeadRunLocks}). */
  instance: string;
  /** Injected by tests; default Linux's /proc. */
  identity?: ProcessIdentity;
  /**
   * Asked when the run has ended: true leaves the lock, so that readers take the run as one that
   * stopped without ending once this process is gone (its end could not be recorded).
   */
  leaveLock?: () => boolean;
}

/**
 * Runs `work` (an ingest run of id `runId`) holding its run lock in the lake `dir`; then, if it
 * recorded its end, removes the locks that runs killed or failed before recording theirs left
 * there, their process gone (and what lock users killed while taking one left beside them). Locks of processes that cannot be
 * checked (another machine sharing the disk) stay: their machine's next ingest removes them.
 */
export async function holdingRunLock<R>(
  dir: string,
  runId: string,
  options: RunLockOptions,
  work: () => Promise<R>,
): Promise<R> {
  if (!SAFE_RUN_ID.test(runId)) throw new Error(`run id ${JSON.stringify(runId)} cannot name a lock file`);
  const lockPath = join(dir, runLockName(runId));
  const result = await withFileLock(
    lockPath,
    {
      staleMs: RUN_LOCK_STALE_MS,
      timeoutMs: 0,
      // Only a run id used twice meets its lock taken.
      timedOut: () => new Error(`another ingest run holds ${lockPath}, the lock of run ${runId}`),
      ...(options.identity ? { identity: options.identity } : {}),
      ...(options.leaveLock ? { leaveLock: options.leaveLock } : {}),
      label: options.instance,
    },
    work,
  );
  // Only once this run has recorded its end (its seal closes the runs open before it): removed at
  // its start, a dead run's lock left that run to read as one in progress again whenever this run
  // failed without a seal (review R-LOOKA F2).
  if (!options.leaveLock?.())
    await removeDeadRunLocks(dir, { runId, instance: options.instance }, options.identity);
  return result;
}

/**
 * Removes the run locks in `dir` whose process is gone, but `own`'s, and the litter beside run
 * locks. Only the locks of `own`'s instance, or of no instance said (earlier versions'): the seal
 * of `own` closed the runs open in its instance's chain, not another's, and that one's killed run,
 * its lock gone, would read as catching up now again (review R-MULTI L2); that instance's next
 * run removes it. One whose process cannot be checked (another machine or pid namespace: a
 * container per run) goes once untouched for a day, whatever its instance: no run lasts that
 * long, and readers take such a lock as they take none, so only clutter goes (review R-LOOKA F6).
 * One that cannot be read or removed is left for the next run.
 */
export async function removeDeadRunLocks(
  dir: string,
  own: { runId: string; instance: string },
  identity?: ProcessIdentity,
  nowMs: number = Date.now(),
): Promise<void> {
  const entries = await readdir(dir).catch((): string[] => []);
  const ownLock = runLockName(own.runId);
  const littered = new Set<string>();
  for (const entry of entries) {
    const lockName = lockOfLitter(entry);
    if (lockName !== undefined && RUN_LOCK.test(lockName) && lockName !== ownLock) littered.add(lockName);
    if (!RUN_LOCK.test(entry) || entry === ownLock) continue;
    const path = join(dir, entry);
    if (await leftBehind(path, own.instance, identity, nowMs))
      await rm(path, { force: true }).catch(() => undefined);
  }
  for (const lockName of littered) {
    const judging = { staleMs: RUN_LOCK_STALE_MS, ...(identity ? { identity } : {}) };
    await removeLockLitter(join(dir, lockName), judging, entries).catch(() => undefined);
  }
}

/**
 * Whether the run lock at `path` was left by a run that no longer runs, for a run of `instance` to
 * remove: its process gone (or of an earlier boot of this machine) and the lock of `instance` or
 * of none said; or, for one of another instance whose process is gone, or one no process here can
 * be checked for, untouched for a day. Another instance's dead lock is left to that instance's run
 * for a day (its seal is what tells the killed run closed), but not for good: a typo or a retired
 * instance runs no more, and no run goes a day without touching its lock (review revid4 L2).
 */
async function leftBehind(
  path: string,
  instance: string,
  identity: ProcessIdentity | undefined,
  nowMs: number,
): Promise<boolean> {
  const judged = await judgedRunLock(path, identity);
  if (judged?.state === 'gone' && (judged.holder?.label ?? instance) === instance) return true;
  return (judged?.state === 'gone' || judged?.state === 'unknown') && (await untouchedFor(path, nowMs));
}

/**
 * The run lock at `path` as every reader of run locks judges it (undefined when there is none):
 * `running` while its process runs; `gone` once its process of this machine (pid namespace and
 * boot) has exited, or when it was written in an earlier boot of this machine, which ended that
 * run (review R-OP2 L3); else `unknown`.
 */
async function judgedRunLock(
  path: string,
  identity: ProcessIdentity | undefined,
): Promise<{ state: RunProcessState['state']; holder?: LockHolder } | undefined> {
  const judged = await lockOwner(path, identity).catch(() => undefined);
  if (judged === undefined || judged.state === 'free') return undefined;
  const holder = judged.holder ? { holder: judged.holder } : {};
  if (judged.state === 'alive') return { state: 'running', ...holder };
  return { state: judged.state === 'gone' || judged.rebooted === true ? 'gone' : 'unknown', ...holder };
}

/** Whether the file at `path` was last changed more than {@link RUN_LOCK_STALE_MS} before `nowMs`. */
const untouchedFor = async (path: string, nowMs: number): Promise<boolean> => {
  const changed = await stat(path).catch(() => undefined);
  return changed !== undefined && nowMs - Math.max(changed.mtimeMs, changed.ctimeMs) > RUN_LOCK_STALE_MS;
};

/**
 * Whether a run's process still runs, by its lock in the lake `dir`: `running` or `gone` for a
 * process of this machine (and pid namespace, and boot; `gone` too for one of an earlier boot),
 * else `unknown`, which the age of the
 * run's last digest judges. A run without a lock is `unknown` too: a run of a version before run
 * locks (one may still run beside this one), a first run that stopped in a lake it made (it
 * removes its lock with the lake), or a run whose lock the next ingest removed as its process was
 * gone (that run's hours are then being pulled again). See docs/decisions.md.
 */
export function diskRunProcesses(dir: string, identity?: ProcessIdentity): RunProcesses {
  return {
    async stateOf(runId: string): Promise<RunProcessState> {
      if (!SAFE_RUN_ID.test(runId)) return { state: 'unknown' };
      const judged = await judgedRunLock(join(dir, runLockName(runId)), identity);
      if (judged?.state === 'running')
        return {
          state: 'running',
          ...(judged.holder ? { since: judged.holder.acquiredAt, pid: judged.holder.pid } : {}),
        };
      if (judged?.state === 'gone' && judged.holder) return { state: 'gone', pid: judged.holder.pid };
      return { state: 'unknown' };
    },
  };
}

/** A run lock found in a lake's root, judged as {@link diskRunProcesses} judges it. */
export interface RunLockSeen {
  runId: string;
  state: RunProcessState['state'];
  /** The process and machine the lock names, when its file says. */
  holder?: LockHolder;
  /** The instance the run ingests, when its lock says (earlier versions' do not). */
  instance?: string;
}

/**
 * The run locks in the lake `dir` (none when it cannot be listed), in name order (their run ids
 * start with the run's start time), each with whether its process still runs: what a command
 * that meets an ingest's lock says of that run (`enrich` beside a running one, a folder that
 * holds only a dead first run's lock).
 */
export async function runLocksIn(dir: string, identity?: ProcessIdentity): Promise<RunLockSeen[]> {
  const entries = await readdir(dir).catch((): string[] => []);
  const seen: RunLockSeen[] = [];
  for (const entry of entries.sort()) {
    const runId = RUN_LOCK.exec(entry)?.[1];
    if (runId === undefined) continue;
    const judged = await judgedRunLock(join(dir, entry), identity);
    if (judged === undefined) continue;
    // As diskRunProcesses: a process gone is told only of a lock that names it.
    const state = judged.state === 'gone' && !judged.holder ? 'unknown' : judged.state;
    const instance = judged.holder?.label;
    seen.push({ runId, ...judged, state, ...(instance === undefined ? {} : { instance }) });
  }
  return seen;
}

import { readFileSync, readlinkSync } from 'node:fs';
import { errorCode } from './error-code.ts';

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
  /**
   * When `pid` (of this process's namespace) started, in ms since the epoch by this machine's
   * clock: tells a process that got a pid after a lock naming it was written from that lock's owner.
   * Optional for an injected identity (none: such a lock is judged by its age).
   */
  startedAtMs?(pid: number): number | undefined;
  /**
   * Whether `pid` has exited but is not reaped yet (a zombie): signal 0 still reaches it, and its
   * start time is still its own. Optional for an injected identity.
   */
  exited?(pid: number): boolean;
}

const readOrUndefined = (read: () => string): string | undefined => {
  try {
    return read().trim() || undefined;
  } catch {
    return undefined;
  }
};

/** Field `n` (1-based) of `/proc/<pid>/stat`; the command name (2nd) may hold spaces and ")". */
function procStatField(pid: number, n: number): string | undefined {
  const stat = readOrUndefined(() => readFileSync(`/proc/${pid}/stat`, 'utf8'));
  if (stat === undefined) return undefined;
  // Fields after the command name's closing ")" start at the 3rd.
  return stat
    .slice(stat.lastIndexOf(')') + 1)
    .trim()
    .split(/\s+/)[n - 3];
}

/** The start time field (22nd) of `/proc/<pid>/stat`. */
const procStartTime = (pid: number): string | undefined => procStatField(pid, 22);

/** A zombie's state (3rd field) is Z; X (dead) is never seen but means the same. */
const procExited = (pid: number): boolean => ['Z', 'X'].includes(procStatField(pid, 3) ?? '');

/**
 * Clock ticks per second of `/proc/<pid>/stat`'s start time: USER_HZ, 100 on every Linux
 * architecture Node runs on (Node cannot ask sysconf).
 */
const TICKS_PER_SECOND = 100;

/**
 * `pid`'s start as a wall-clock time: the boot's time (now less `/proc/uptime`) plus its start
 * ticks. Both count from boot on the same clock (since Linux 5.3; before it the start time
 * leaves out suspended time, which only makes a process look older, never younger).
 */
function procStartedAtMs(pid: number): number | undefined {
  if (!startTimesAgree()) return undefined;
  const started = bootRelativeStart(pid);
  // A start in the future is a clock stepped since: no reading.
  return started !== undefined && started <= Date.now() ? started : undefined;
}

function bootRelativeStart(pid: number): number | undefined {
  const ticks = Number(procStartTime(pid));
  const uptime = Number(readOrUndefined(() => readFileSync('/proc/uptime', 'utf8'))?.split(/\s+/)[0]);
  if (!Number.isFinite(ticks) || !Number.isFinite(uptime)) return undefined;
  return Date.now() - uptime * 1000 + (ticks / TICKS_PER_SECOND) * 1000;
}

/** How far this process's start read from /proc may be from the one Node knows and still be trusted. */
const OWN_START_TOLERANCE_MS = 1_000;

/**
 * Whether /proc's start times can be read as wall-clock times here: this process's own, read that
 * way, matches the one Node knows. Under LXCFS (LXD, Incus, some Kubernetes nodes) /proc/uptime is
 * the container's while start ticks count from the host's boot, and every process would seem to
 * start in the future.
 */
function startTimesAgree(): boolean {
  const own = bootRelativeStart(process.pid);
  return (
    own !== undefined && Math.abs(own - (Date.now() - process.uptime() * 1000)) <= OWN_START_TOLERANCE_MS
  );
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
  startedAtMs: procStartedAtMs,
  exited: procExited,
};

/**
 * Whether a process with this pid exists in this pid namespace (signal 0 sends nothing): EPERM
 * means it does, under another user.
 */
export function signalReaches(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) !== 'ESRCH';
  }
}

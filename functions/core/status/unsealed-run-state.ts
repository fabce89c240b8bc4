import { endedRunIds, type LastRun } from '../lake/last-run.ts';
import { RUN_SILENCE_MS } from '../lake/runs-in-progress.ts';
import type { UnsealedChainEnd } from '../lake/unsealed-chain-end.ts';
import type { RunProcesses } from '../ports.ts';

/**
 * Whether the run that left the chain's last digest unsealed still runs, as far as the lake can
 * tell:
 * - `running`: its run lock (a lake on this machine's disk) names a process that still runs, and
 *   it wrote a digest within {@link RUN_SILENCE_MS}; `since`, when the lock was taken;
 * - `hung`: its lock names a process that still runs, but it has written no digest for longer than
 *   that (`silentMs`): hung (a stalled mount), suspended (SIGSTOP, Ctrl-Z), or a lock planted to
 *   name a live process. Verify takes such a run as stopped and its hours as gaps, and status must
 *   not tell the operator to wait for it for good (review revid4 L1);
 * - `stopped`: its process is gone (`pid`), or, where no lock tells, it has written no digest for
 *   longer than a run goes without one ({@link RUN_SILENCE_MS}: a scheduled run lives 15 minutes at
 *   most; `silentMs`): killed, or failed without its seal. The next ingest seals it;
 * - `ended`: the last run's record names it as ended: it recorded its end, but its seal was left
 *   open (the re-read before it ran out of time or failed). The next ingest seals it;
 * - `unknown`: it wrote recently and nothing tells whether it still runs (a lake on S3 keeps no run
 *   lock, nor one of another machine's run that this one can check).
 */
export type UnsealedRunState =
  | { state: 'running'; since?: string }
  | { state: 'hung'; silentMs: number; since?: string; pid?: number }
  | { state: 'stopped'; pid: number }
  | { state: 'stopped'; silentMs: number }
  | { state: 'ended' }
  | { state: 'unknown'; silentMs: number };

/** {@link UnsealedRunState} of `head`'s run, at `nowMs`. */
export async function unsealedRunState(
  head: UnsealedChainEnd,
  read: { nowMs: number; lastRun: LastRun | null; runProcesses?: RunProcesses },
): Promise<UnsealedRunState> {
  const lockHolder = (await read.runProcesses?.stateOf(head.runId).catch(() => undefined)) ?? {
    state: 'unknown' as const,
  };
  const written = Date.parse(head.createdAt);
  // A write time that does not read (an edited digest) tells nothing of its silence.
  const silentMs = Number.isFinite(written) ? Math.max(0, read.nowMs - written) : 0;
  const silent = silentMs > RUN_SILENCE_MS;
  if (lockHolder.state === 'running')
    return silent
      ? { state: 'hung', silentMs, ...sinceOf(lockHolder), ...pidOf(lockHolder) }
      : { state: 'running', ...sinceOf(lockHolder) };
  if (lockHolder.state === 'gone') return { state: 'stopped', pid: lockHolder.pid };
  if (endedRunIds(read.lastRun ?? undefined).has(head.runId)) return { state: 'ended' };
  return silent ? { state: 'stopped', silentMs } : { state: 'unknown', silentMs };
}

const sinceOf = (running: { since?: string }): { since?: string } =>
  running.since === undefined ? {} : { since: running.since };

const pidOf = (running: { pid?: number }): { pid?: number } =>
  running.pid === undefined ? {} : { pid: running.pid };

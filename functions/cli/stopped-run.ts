import type { LakeSpec } from '../adapters/lake-location.ts';
import { diskRunProcesses, type RunLockSeen, runLocksIn } from '../adapters/run-lock.ts';
import type { RunProcesses } from '../core/ports.ts';
import { visibleLine } from '../core/visible-line.ts';
import { inspectLakeDirectory } from './lake-directory.ts';

/**
 * What judges whether a run's process still runs, for `status` and `verify`: its run lock, on a
 * lake on disk (run-lock.ts); none on S3, whose runs (the Lambda's, or another machine's) only
 * the age of their last digest judges.
 */
export const runProcessesOf = (spec: LakeSpec): { runProcesses?: RunProcesses } =>
  spec.kind === 'fs' ? { runProcesses: diskRunProcesses(spec.dir) } : {};

/** A run that would read as in progress, but whose process is gone. */
interface StoppedRunSeen {
  runId: string;
  pid: number;
}

/**
 * What `status` and `verify` say of a run that stopped without ending: not one to wait for. `byDemo`:
 * the lake is the demo's, which the demo builds again, not the ingest.
 */
export function stoppedRunNote(run: StoppedRunSeen, byDemo: boolean): string {
  const again = byDemo ? 'run the demo again' : 'run the same ingest again (the hours it stored are kept)';
  return `ingest run ${visibleLine(run.runId)} stopped without ending: its process ${run.pid} on this machine is gone (it failed or was killed): ${again}`;
}

/** What one run lock in a folder without a lake yet says of its run. */
function firstRunClause(lock: RunLockSeen): string {
  const run = `ingest run ${visibleLine(lock.runId)}`;
  const pid = lock.holder ? `process ${lock.holder.pid}` : 'its process';
  if (lock.state === 'gone') {
    return `${run} stopped before it saved its first hour (${pid} on this machine is gone: it failed or was killed) and left only its run lock: run the same ingest again`;
  }
  if (lock.state === 'running') {
    return `${run} (${pid} on this machine) is pulling its first hour into it: try again once it has saved one`;
  }
  const where = lock.holder ? `${pid} on ${visibleLine(lock.holder.host)}` : pid;
  return `it holds only the run lock of ${run} (${where}, which this machine cannot check): once that run saves an hour, it is a lake`;
}

/**
 * Why a directory that holds no lake is still where one is being made: nothing in it but the run
 * locks of first ingests (which the next ingest takes as an empty lake, and removes when their
 * process is gone). Undefined for any other directory, which is not a lake.
 */
export async function firstRunOnlyMessage(dir: string, shown: string): Promise<string | undefined> {
  if ((await inspectLakeDirectory(dir)).kind !== 'empty') return undefined;
  const locks = await runLocksIn(dir);
  if (locks.length === 0) return undefined;
  return `there is no lake at ${shown} yet: ${locks.map(firstRunClause).join('; ')}`;
}

import type { LakeSpec } from '../adapters/lake-location.ts';
import { diskRunProcesses } from '../adapters/run-lock.ts';
import type { RunProcesses } from '../core/ports.ts';
import { visibleLine } from '../core/visible-line.ts';

/**
 * What judges whether a run's process still runs, for `status` and `verify`: its run lock, on a
 * lake on disk (run-lock.ts); none on S3, whose runs (the Lambda's, or another machine's) only
 * the age of their last digest judges.
 */
export const runProcessesOf = (spec: LakeSpec): { runProcesses?: RunProcesses } =>
  spec.kind === 'fs' ? { runProcesses: diskRunProcesses(spec.dir) } : {};

/** A run that would read as in progress, but whose process is gone. */
export interface StoppedRunSeen {
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

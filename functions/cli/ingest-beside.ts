import { runLocksIn } from '../adapters/run-lock.ts';
import { visibleLine } from '../core/visible-line.ts';

/** An ingest run seen running in a lake on disk, by its run lock. */
interface IngestSeen {
  runId: string;
  pid: number | undefined;
}

/**
 * The ingest runs of `instance` whose lock in the lake `dir` names a process of this machine that
 * runs: another instance's run writes none of its hours (review R-MULTI L3). A lock that names no
 * instance (an earlier version's) may be of this one.
 */
async function runningIngests(dir: string, instance: string): Promise<IngestSeen[]> {
  const locks = await runLocksIn(dir);
  return locks
    .filter((lock) => lock.state === 'running' && (lock.instance ?? instance) === instance)
    .map((lock) => ({ runId: lock.runId, pid: lock.holder?.pid }));
}

/**
 * Watches for ingests of `instance` writing the lake `dir` while a command rewrites that
 * instance's hours (`enrich`): looked for when it starts and when it ends, as a run may start or
 * end in between. Such a run saves hours
 * that the command has already passed, or had counted as outside the lake (not pulled yet), with
 * the categories and places that the ingest gave them: what `notes` then says, with the fix.
 */
export async function watchIngestsBeside(
  dir: string | undefined,
  instance: string,
): Promise<{ notes: () => Promise<string[]> }> {
  if (dir === undefined) return { notes: async () => [] };
  const atStart = await runningIngests(dir, instance);
  return {
    async notes() {
      const seen = new Map(atStart.map((run) => [run.runId, run]));
      for (const run of await runningIngests(dir, instance)) seen.set(run.runId, run);
      return [...seen.values()].map(
        (run) =>
          `ingest run ${visibleLine(run.runId)} (${run.pid === undefined ? 'its process' : `process ${run.pid}`} on this machine) was writing this lake meanwhile: the hours it had not saved yet when enrich came to them were counted as outside the lake or left as they were, and keep the categories and places that ingest gave them; run the same enrich again once that ingest has ended`,
      );
    },
  };
}

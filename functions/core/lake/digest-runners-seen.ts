import type { StoredDigestRunner } from './digest-runner.ts';

/** What one digest of the chain says of its run: the run's id and runner (none: not recorded). */
export interface DigestRunNoted {
  runId: string;
  runner?: StoredDigestRunner;
}

/**
 * Digests that name the same runner, once the fields of one invocation (request id, log stream)
 * are set aside: one line of a report per function and trigger, or per machine and user. `runner`
 * undefined: digests that record none (written before runners were recorded, 2026-12-06).
 */
export interface RunnerSeen {
  runner?: StoredDigestRunner;
  digests: number;
  runs: number;
  /** The first and last digest of the chain that name it (keys). */
  firstDigest: string;
  lastDigest: string;
}

/** Fields that differ between invocations of one function: set aside when grouping. */
const PER_INVOCATION = new Set(['request_id', 'log_stream']);

/** The runner as grouped: without the fields of one invocation. */
function groupedRunner(runner: StoredDigestRunner): StoredDigestRunner {
  const caller = Object.fromEntries(
    Object.entries(runner.caller).filter(([field]) => !PER_INVOCATION.has(field)),
  );
  return { ...runner, caller: caller as StoredDigestRunner['caller'] };
}

/** A key that sorts a runner's fields, so two digests written in other key orders group together. */
const groupKey = (runner: StoredDigestRunner | undefined): string =>
  runner === undefined
    ? ''
    : JSON.stringify([runner.trigger, runner.api_base ?? null, Object.entries(runner.caller).sort()]);

/**
 * The digests of `noted` (by digest key) grouped by runner, in the order each runner is first met
 * in the chain: who the chain says ran its runs, for a recipient to check the ones that were not
 * the ingest function (docs/operations.md, "Runs from the command line are claims to check").
 */
export function runnersSeen(noted: ReadonlyMap<string, DigestRunNoted>): RunnerSeen[] {
  const groups = new Map<string, RunnerSeen & { runIds: Set<string> }>();
  // In chain order: the digests' numbers are zero-padded in their keys.
  for (const key of [...noted.keys()].sort()) {
    const { runId, runner } = noted.get(key) as DigestRunNoted;
    const grouped = runner === undefined ? undefined : groupedRunner(runner);
    const id = groupKey(grouped);
    const group = groups.get(id);
    if (group) {
      group.digests++;
      group.runIds.add(runId);
      group.lastDigest = key;
      continue;
    }
    groups.set(id, {
      ...(grouped === undefined ? {} : { runner: grouped }),
      digests: 1,
      runs: 0,
      firstDigest: key,
      lastDigest: key,
      runIds: new Set([runId]),
    });
  }
  return [...groups.values()].map(({ runIds, ...group }) => ({ ...group, runs: runIds.size }));
}

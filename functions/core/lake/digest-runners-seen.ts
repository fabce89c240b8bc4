import type { StoredDigestRunner } from './digest-runner.ts';

/**
 * Digests that name the same runner, once the fields of one invocation (request id, log stream)
 * are set aside: one line of a report per function and trigger, or per machine and user. `runner`
 * undefined: digests that record none.
 */
export interface RunnerSeen {
  runner?: StoredDigestRunner;
  /**
   * Set on digests that record no runner after one that did (its key): written by a version that
   * records none, or edited, not old (review R-EVIDENCE3 M2). Apart from those before it.
   */
  afterRunnerAt?: string;
  /** Checked against a public key, digests it did not sign: what they say is anyone's (review R-EVIDENCE3 L1). */
  notSignedByKey?: true;
  digests: number;
  runs: number;
  /** The first and last digest of the chain that name it (keys). */
  firstDigest: string;
  lastDigest: string;
}

interface DigestNoted {
  runId: string;
  group: string;
  notSignedByKey: boolean;
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
 * What each digest of a chain says of its run, noted as the chain is walked, and the digests
 * grouped by runner ({@link seen}). A runner is kept once per group, not once per digest: a year
 * of a 15-minute schedule is tens of thousands of digests naming one function.
 */
export class RunnersNoted {
  /** By digest key: its run, and its runner's group. A digest walked again counts once. */
  private readonly byDigest = new Map<string, DigestNoted>();
  private readonly groups = new Map<string, StoredDigestRunner | undefined>();

  note(digestKey: string, runId: string, runner?: StoredDigestRunner, notSignedByKey = false): void {
    const grouped = runner === undefined ? undefined : groupedRunner(runner);
    const group = groupKey(grouped);
    if (!this.groups.has(group)) this.groups.set(group, grouped);
    this.byDigest.set(digestKey, { runId, group, notSignedByKey });
  }

  /**
   * The digests grouped by runner, in the order each runner is first met in the chain: who the
   * chain says ran its runs, for a recipient to check the ones that were not the ingest function
   * (docs/operations.md, "Runs from the command line are claims to check").
   */
  seen(): RunnerSeen[] {
    const found = new Map<string, RunnerSeen & { runIds: Set<string> }>();
    let firstWithRunner: string | undefined;
    // In chain order: the digests' numbers are zero-padded in their keys.
    for (const key of [...this.byDigest.keys()].sort()) {
      const { runId, group, notSignedByKey } = this.byDigest.get(key) as DigestNoted;
      const runner = this.groups.get(group);
      if (runner !== undefined) firstWithRunner ??= key;
      const apart: Partial<RunnerSeen> = {
        ...(runner === undefined && firstWithRunner !== undefined ? { afterRunnerAt: firstWithRunner } : {}),
        ...(notSignedByKey ? { notSignedByKey: true as const } : {}),
      };
      const id = `${group}\n${apart.afterRunnerAt === undefined ? '' : 'after'}\n${notSignedByKey}`;
      const known = found.get(id);
      if (known) {
        known.digests++;
        known.runIds.add(runId);
        known.lastDigest = key;
        continue;
      }
      found.set(id, {
        ...(runner === undefined ? {} : { runner }),
        ...apart,
        digests: 1,
        runs: 0,
        firstDigest: key,
        lastDigest: key,
        runIds: new Set([runId]),
      });
    }
    return [...found.values()].map(({ runIds, ...group }) => ({ ...group, runs: runIds.size }));
  }
}

import type { Digest } from './digest.ts';

/**
 * What each run of the chain listed as about to be written ({@link Digest.intents}): the bytes a
 * run that died may have left, and no others. A run whose digests list none (an older version)
 * vouches for nothing it may have written.
 */
export class RunIntents {
  /** By run: `key\nsha256` of every write its digests listed before making it. */
  private readonly byRun = new Map<string, Set<string>>();

  /** Takes one digest, in chain order. */
  note(digest: Digest): void {
    if (digest.intents === undefined) return;
    const listed = this.byRun.get(digest.run_id) ?? new Set<string>();
    for (const intent of digest.intents) listed.add(`${intent.key}\n${intent.sha256}`);
    this.byRun.set(digest.run_id, listed);
  }

  /** Whether the run's digests list their writes before making them (a version that does). */
  lists(runId: string): boolean {
    return this.byRun.has(runId);
  }

  /** Whether the run listed, before writing it, the version `sha256` of `key`. */
  vouches(runId: string, key: string, sha256: string): boolean {
    return this.byRun.get(runId)?.has(`${key}\n${sha256}`) ?? false;
  }
}

import type { Digest } from './digest.ts';

/**
 * Which runs, at a point of the chain, may have written versions no digest lists yet: the runs
 * whose last digest so far is not sealed. A run lists every write in a digest before its sealed
 * one, so a version read at that point and written by no digest of the whole chain can only be the
 * write of one of those runs that never sealed (it died, or still runs) if its hour is one that
 * run pulled, or was made outside the ingest. Runs overlap (a re-pull beside the schedule): a run open when another read is the usual
 * case, not a sign of a death.
 *
 * A run that never seals stays open until a run that began after its last digest seals: by then
 * it had gone silent for a whole run, and is taken as ended (a run that began after an unsealed
 * head swept the hours it pulled, and recorded what it left). Without that, one run killed long
 * ago would excuse every forgery read after it. The cost: a run that goes silent for a whole other
 * run, writes again, then dies leaves versions that are reported as `changed` when first read.
 */
export class OpenRuns {
  /** Runs whose last digest so far is unsealed, with that digest's number. */
  private readonly unsealed = new Map<string, number>();
  private readonly firstSequence = new Map<string, number>();
  private readonly sealed = new Set<string>();
  /** Each run's earliest `from_ms` (null: unknown, any hour). */
  private readonly fromMs = new Map<string, number | null>();
  /** Each run's latest `to_ms` (null: unknown, no end). */
  private readonly toMs = new Map<string, number | null>();

  /** The runs other than `runId` open before the digest about to be noted. */
  openBesides(runId: string): string[] {
    return [...this.unsealed.keys()].filter((run) => run !== runId);
  }

  /** Takes one digest, in chain order. */
  note(digest: Digest): void {
    const run = digest.run_id;
    if (!this.firstSequence.has(run)) this.firstSequence.set(run, digest.sequence);
    const from = this.fromMs.has(run) ? this.fromMs.get(run) : digest.from_ms;
    this.fromMs.set(run, from == null || digest.from_ms === null ? null : Math.min(from, digest.from_ms));
    const to = this.toMs.has(run) ? this.toMs.get(run) : digest.to_ms;
    this.toMs.set(run, to == null || digest.to_ms == null ? null : Math.max(to, digest.to_ms));
    if (!digest.sealed) {
      this.unsealed.set(run, digest.sequence);
      return;
    }
    this.unsealed.delete(run);
    this.sealed.add(run);
    const began = this.firstSequence.get(run) ?? digest.sequence;
    for (const [other, last] of this.unsealed) if (last < began) this.unsealed.delete(other);
  }

  /**
   * Whether the run may have written the object of `hour` (undefined: an object of no one hour): a
   * run writes only the hours it pulls, from the earliest `from_ms` of its digests on, and before
   * their latest `to_ms` when they all say.
   */
  pulled(runId: string, hour: number | undefined): boolean {
    if (hour === undefined) return true;
    const from = this.fromMs.get(runId);
    const to = this.toMs.get(runId);
    return (from == null || hour >= from) && (to == null || hour < to);
  }

  /** Whether a digest of the run is sealed anywhere in the chain noted so far. */
  everSealed(runId: string): boolean {
    return this.sealed.has(runId);
  }
}

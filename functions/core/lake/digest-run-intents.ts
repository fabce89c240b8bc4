import type { Digest } from './digest.ts';

/** What a run's digests up to a number said it may have written a version: see {@link RunIntents.claim}. */
type RunClaim = 'listed' | 'lists-none' | 'no';

/** The hours one digest says its run pulls: `[fromMs, toMs)`, null for no bound. */
interface DigestHours {
  sequence: number;
  fromMs: number | null;
  toMs: number | null;
}

/**
 * What each run's digests said it was about to write: the bytes ({@link Digest.intents}) and the
 * hours (`from_ms`, `to_ms`), each with the digest that said it. Asked up to a digest number: a
 * claim counts for a version only from a digest before the one that first recorded the version
 * (an honest run lists a write before making it, so before any run reads it), and, with a noted
 * head no checked signature vouches for the digests after, only from a digest at or before that
 * head. A digest appended later in a dead run's name would otherwise vouch for any bytes of any
 * hour (review R-SECOND H1). A run whose digests list no intents (an older version) vouches for
 * nothing it may have written.
 */
export class RunIntents {
  /** By run: the number of the first digest listing each `key\nsha256` as about to be written. */
  private readonly byRun = new Map<string, Map<string, number>>();
  /** By run: the number of its first digest that lists intents (of a version that does). */
  private readonly firstListing = new Map<string, number>();
  /** By run: the hours each of its digests says it pulls, in chain order. */
  private readonly hours = new Map<string, DigestHours[]>();

  /** Takes one digest, in chain order. */
  note(digest: Digest): void {
    const run = digest.run_id;
    const hours = this.hours.get(run) ?? [];
    hours.push({ sequence: digest.sequence, fromMs: digest.from_ms, toMs: digest.to_ms ?? null });
    this.hours.set(run, hours);
    if (digest.intents === undefined) return;
    if (!this.firstListing.has(run)) this.firstListing.set(run, digest.sequence);
    const listed = this.byRun.get(run) ?? new Map<string, number>();
    for (const intent of digest.intents) {
      const id = `${intent.key}\n${intent.sha256}`;
      if (!listed.has(id)) listed.set(id, digest.sequence);
    }
    this.byRun.set(run, listed);
  }

  /**
   * What the run's digests numbered up to `upTo` say of the version `sha256` of `key`, of the hour
   * `hour` (undefined: an object of no one hour): `listed`, about to be written, in an hour they
   * say it pulled; `lists-none`, an hour they say it pulled, but they list no write before making
   * it (an older version), so it may have written anything there; `no`, it did not write it.
   */
  claim(runId: string, key: string, sha256: string, hour: number | undefined, upTo: number): RunClaim {
    if (!this.pulled(runId, hour, upTo)) return 'no';
    const first = this.firstListing.get(runId);
    if (first === undefined || first > upTo) return 'lists-none';
    const listedAt = this.byRun.get(runId)?.get(`${key}\n${sha256}`);
    return listedAt !== undefined && listedAt <= upTo ? 'listed' : 'no';
  }

  /**
   * Whether the run's digests numbered up to `upTo` say it pulled `hour` (undefined: an object of
   * no one hour, any run's): from their earliest `from_ms` on, before their latest `to_ms` when
   * they all give one. Not when none of its digests is that early.
   */
  pulled(runId: string, hour: number | undefined, upTo: number): boolean {
    let from: number | null = Number.POSITIVE_INFINITY;
    let to: number | null = Number.NEGATIVE_INFINITY;
    let counted = false;
    // In chain order: the digests after `upTo` end the walk.
    for (const digest of this.hours.get(runId) ?? []) {
      if (digest.sequence > upTo) break;
      counted = true;
      from = from === null || digest.fromMs === null ? null : Math.min(from, digest.fromMs);
      to = to === null || digest.toMs === null ? null : Math.max(to, digest.toMs);
    }
    if (!counted) return false;
    return hour === undefined || ((from === null || hour >= from) && (to === null || hour < to));
  }
}

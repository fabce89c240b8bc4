import { DAY_MS } from '../time-units.ts';
import { MAX_DAYS_LIMIT } from './aged-out.ts';

/** What one digest of the chain states of `retention.maxDays` (Digest.max_days), and when. */
export interface RetentionStatement {
  /** The digest's `created_at`. */
  atMs: number;
  /**
   * null: the run's deployment set none (nothing expires from then on), or the digest says
   * nothing of it (one written before digests stated it, or by a command-line run).
   */
  maxDays: number | null;
  /** The digest's key, to name it. */
  key?: string;
}

/**
 * The first statement of a bound synth would refuse (a digest the ingest did not write): it makes
 * the chain excuse nothing for good, digests being immutable, so the check names it.
 */
export const refusedStatement = (stated: readonly RetentionStatement[]): RetentionStatement | undefined =>
  stated.find(({ maxDays }) => maxDays !== null && !withinLimit(maxDays));

/**
 * The `retention.maxDays` the chain's statements (`stated`, in chain order) allow hours to have
 * aged out by at `nowMs`, or undefined when none does. An hour counts as aged out only when it is
 * older than every bound in force from when it was written to now, the largest of them: a smaller
 * one stated later is what a holder of the signing right (or any writer of an unsigned chain)
 * would append to excuse deleted hours, and the chain cannot tell it from the deployer's. A
 * statement of none keeps everything, so it is the largest of all (review R-SECOND7 H1): while it
 * is in force after an hour was written, that hour excuses nothing. The hours excused are a
 * prefix of the lake, so the first stretch whose hours are not all excused ends it. A value synth
 * would refuse (a digest the ingest did not write) makes it excuse nothing.
 */
export function signedMaxDays(stated: readonly RetentionStatement[], nowMs: number): number | undefined {
  if (refusedStatement(stated) !== undefined) return undefined;
  // The largest bound in force from each statement on (null: none, the unbounded one).
  const fromHere: (number | null)[] = [];
  let largest: number | null | undefined;
  for (let i = stated.length - 1; i >= 0; i--) {
    const maxDays = stated[i]?.maxDays ?? null;
    largest = largest === null || maxDays === null ? null : Math.max(largest ?? 0, maxDays);
    fromHere[i] = largest;
  }
  let startMs = Number.NEGATIVE_INFINITY;
  for (const [i, bound] of fromHere.entries()) {
    if (bound === null) return undefined;
    // A later digest backdated before the ones it follows ends no stretch earlier than they began
    // (review R-SECOND7 L4). A created_at that does not parse: its stretch is taken to reach into
    // the bound's days.
    startMs = Math.max(startMs, stated[i]?.atMs ?? startMs);
    const endMs = Math.max(startMs, stated[i + 1]?.atMs ?? nowMs);
    if (!(endMs <= nowMs - bound * DAY_MS)) return bound;
  }
  return undefined;
}

const withinLimit = (maxDays: number): boolean =>
  Number.isInteger(maxDays) && maxDays >= 1 && maxDays <= MAX_DAYS_LIMIT;

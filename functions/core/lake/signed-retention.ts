import { DAY_MS } from '../time-units.ts';
import { MAX_DAYS_LIMIT } from './aged-out.ts';

/** What one digest of the chain states of `retention.maxDays` (Digest.max_days), and when. */
export interface RetentionStatement {
  /** The digest's `created_at`. */
  atMs: number;
  /** null: the run's deployment set none (nothing expires from then on). */
  maxDays: number | null;
}

/**
 * The `retention.maxDays` the chain's statements (`stated`, in chain order) allow hours to have
 * aged out by at `nowMs`, or undefined when none does. A bound is in force from its digest to the
 * next statement (the latest to now); it counts while hours it kept may still be in the lake, so
 * until its own number of days after it stopped being in force; the bound is the largest that
 * counts. A smaller one stated later cannot excuse hours a larger one kept when they were written:
 * a shortened bound is what a holder of the signing right would append to excuse deleted hours,
 * and the chain cannot tell it from the deployer's. A value synth would refuse (a digest the
 * ingest did not write) makes it excuse nothing.
 */
export function signedMaxDays(stated: readonly RetentionStatement[], nowMs: number): number | undefined {
  let largest: number | undefined;
  for (const [i, statement] of stated.entries()) {
    const { maxDays } = statement;
    if (maxDays === null) continue;
    if (!Number.isInteger(maxDays) || maxDays < 1 || maxDays > MAX_DAYS_LIMIT) return undefined;
    // A created_at that does not parse: in force from no known time, so counted.
    const endMs = stated[i + 1]?.atMs ?? nowMs;
    if (endMs <= nowMs - maxDays * DAY_MS) continue;
    largest = Math.max(largest ?? 0, maxDays);
  }
  return largest;
}

import type { LastRun } from '../lake/last-run.ts';

/**
 * The chain ends before the head the lake's last run record says its run left it at (review
 * R-AUDITOR M1): no ingest deletes a digest, so its newest digests were removed, or the record was
 * edited. `endsAt`: the chain's last digest (null: none left).
 */
export interface ChainShorterThanRecorded {
  recorded: number;
  endsAt: number | null;
  runId: string;
  outcome: string;
}

/**
 * {@link ChainShorterThanRecorded} of a chain whose last digest is `endsAt` (undefined: none), or
 * undefined when it reaches the recorded head or the record names none.
 */
export function chainShorterThanRecorded(
  lastRun: LastRun | null,
  endsAt: number | undefined,
): ChainShorterThanRecorded | undefined {
  const recorded = lastRun?.digest_head;
  if (lastRun === null || recorded === undefined || !Number.isSafeInteger(recorded)) return undefined;
  if (endsAt !== undefined && endsAt >= recorded) return undefined;
  return { recorded, endsAt: endsAt ?? null, runId: lastRun.run_id, outcome: lastRun.outcome };
}

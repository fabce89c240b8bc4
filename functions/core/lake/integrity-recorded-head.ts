/**
 * The chain's end against the head the lake's last run recorded (`digest_head` in its run record):
 * no ingest deletes a digest, so a chain that ends before it lost its newest digests, or the record
 * was edited (review R-AUDITOR M1). The record is not signed: a tripwire, not proof. It is the only
 * trace on a lake that keeps no digest versions of removing the last run's seal alone, which
 * otherwise reads as a run that died before it.
 */
import type { IntegrityReport } from './integrity-report.ts';
import { digestKey, digestSequenceFromKey } from './layout.ts';

/** What the last run record says of the chain: the head it left, its run and how it ended. */
export interface RecordedHead {
  sequence: number;
  runId: string;
  outcome: string;
}

/** Where the chain ends now against the head recorded, when it ends before it; undefined otherwise. */
export function chainShorterThanRecorded(
  head: IntegrityReport['head'],
  instance: string,
  recorded: RecordedHead | undefined,
): { key: string; sha256?: string; detail: string } | undefined {
  if (recorded === undefined) return undefined;
  const endsAt = head === null ? -1 : digestSequenceFromKey(head.key);
  if (endsAt === undefined || endsAt >= recorded.sequence) return undefined;
  const ends = head === null ? 'the chain holds no digest' : `the chain ends at digest ${endsAt}`;
  return {
    key: head?.key ?? digestKey(instance, recorded.sequence),
    ...(head === null ? {} : { sha256: head.sha256 }),
    detail: `the lake's last run record (state/instance=${instance}/last-run.json) says run ${recorded.runId} ended ${recorded.outcome} with the chain at digest ${recorded.sequence}; ${ends}: digests were removed from its end (with them, a sealed run reads as one that died), or the record was edited. No ingest deletes a digest. The record is not signed, so this is a tripwire, not proof: keep a copy of the lake as it is (it may be evidence), and compare the head with the last one noted outside the lake`,
  };
}

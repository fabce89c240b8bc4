import type { VerifyReport } from './verify-report.ts';

/**
 * What a plain verify can find wrong, one word each: each fails the check (`VerifyReport.ok`), and
 * docs/operations.md says what to do about each (the CLI names the section). The chain's findings
 * are {@link INTEGRITY_PROBLEM_KINDS} (integrity-problem.ts).
 */
export const VERIFY_FINDING_KINDS = [
  'gap',
  'duplicate',
  'misplaced',
  'not-from-raw',
  'mismatch',
  'unreadable',
  'foreign',
  'future-object',
  'watermark-ahead',
  'start-unlinked',
] as const;

export type VerifyFindingKind = (typeof VERIFY_FINDING_KINDS)[number];

/** Whether the report holds findings of each kind: the check passes only with none. */
const HOLDS: Record<VerifyFindingKind, (r: VerifyReport) => boolean> = {
  gap: (r) => r.gaps.length > 0,
  duplicate: (r) => r.duplicateIds > 0,
  misplaced: (r) => r.misplacedRecords > 0,
  'not-from-raw': (r) => (r.rowsNotFromRaw?.count ?? 0) > 0,
  mismatch: (r) => r.manifestMismatches.length > 0,
  unreadable: (r) => r.unreadableCount > 0,
  foreign: (r) => r.foreignKeyCount > 0,
  'future-object': (r) => r.futureObjectCount > 0,
  'watermark-ahead': (r) => r.watermarkAhead === true,
  'start-unlinked': (r) => r.startUnlinked !== undefined,
};

/** The kinds of finding the report holds, in {@link VERIFY_FINDING_KINDS}'s order. */
export const verifyFindingKinds = (r: VerifyReport): VerifyFindingKind[] =>
  VERIFY_FINDING_KINDS.filter((kind) => HOLDS[kind](r));

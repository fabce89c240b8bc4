/** What `verify --integrity` can find wrong, one word each (docs/operations.md says what to do). */
export const INTEGRITY_PROBLEM_KINDS = [
  'changed',
  'rolled-back',
  'unlisted',
  'missing',
  'removed',
  'broken-link',
  'bad-digest',
  'bad-signature',
  'unsigned',
  'digest-deleted',
  'versions-not-checked',
] as const;

export type IntegrityProblemKind = (typeof INTEGRITY_PROBLEM_KINDS)[number];

/** One finding of the integrity check: an object, or a digest of the chain, and what is wrong with it. */
export interface IntegrityProblem {
  kind: IntegrityProblemKind;
  key: string;
  detail: string;
  /**
   * The whole sha256 of the object's bytes the finding is about (`changed`, `unlisted`,
   * `rolled-back`; `removed`: the version created anew).
   */
  sha256?: string;
}

/**
 * Versions the chain first shows without a write of them (read by a run, or replaced by its write),
 * and the words of the findings about those no run of the ingest vouches for.
 */
/** A version the chain first shows without a write of it: read, or replaced by a write. */
export interface FirstSeen {
  sha256: string;
  as: 'read' | 'replaced';
}

/** A version first seen on read (or as what a write replaced): judged once the whole chain is read. */
export interface ReadFirst extends FirstSeen {
  key: string;
  digest: string;
  /** That digest's number. */
  sequence: number;
  runId: string;
  /** Runs other than the reader whose writes were not all recorded when the reader's digest was appended. */
  open: string[];
}

/** Where the runbook says how to check bytes a dead run of an older version may have written. */
const RUNBOOK_UNVOUCHED = 'docs/operations.md, "Bytes no digest vouches for"';

/**
 * A version that dead runs claim only in digests after the noted head (open at it, or begun after
 * it): a forger appends such a digest in a dead run's name as readily as he changes the object,
 * and an honest run killed after the head (a re-pull, a timed-out Lambda) leaves the same.
 */
export const afterHeadDetail = (read: ReadFirst, runs: string[], notedKey: string): string =>
  `${firstRecorded(read)}, and the chain cannot tell whether they are the ingest's: run ${runs.join(', run ')}, never sealed, may have written them, but only digests after the noted head ${notedKey} say so (the run's own, listing these bytes as about to be written or its hours as pulled, or naming it alone), and no checked signature vouches for the digests after that head, so a forger appends such a digest in a dead run's name as readily as he changes the object. Check them against Domo (${RUNBOOK_UNVOUCHED}), then accept the finding`;

/** Where a version first seen without a write of it was first recorded. */
export const firstRecorded = (read: ReadFirst): string =>
  `its bytes (sha256 ${read.sha256.slice(0, 12)}…) were first recorded ${read.as === 'read' ? `when run ${read.runId} read them` : `as the version run ${read.runId} replaced`} (${read.digest})`;

/** A version first read that only a run of an older version, listing no intents, may have written. */
export const unvouchedDetail = (read: ReadFirst, runs: string[]): string =>
  `${firstRecorded(read)}, and no digest vouches for them: no digest lists them as written, and run ${runs.join(', run ')}, open then and never sealed, may have written them, but its version lists no write before making it, so a forgery in its hours looks the same. Check them (${RUNBOOK_UNVOUCHED}), then accept the finding`;

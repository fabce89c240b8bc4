/** What `verify --integrity` can find wrong, one word each (docs/operations.md says what to do). */
export const INTEGRITY_PROBLEM_KINDS = [
  'changed',
  'unvouched',
  'rolled-back',
  'holds-changed',
  'unlisted',
  'missing',
  'removed',
  'broken-link',
  'bad-digest',
  'bad-signature',
  'unsigned',
  'digest-deleted',
  'versions-not-checked',
  'noted-head',
  'changed-since-noted',
  'created-since-noted',
  'restarted-chain',
  'not-a-digest',
  'chain-shorter-than-recorded',
] as const;

export type IntegrityProblemKind = (typeof INTEGRITY_PROBLEM_KINDS)[number];

/** One finding of the integrity check: an object, or a digest of the chain, and what is wrong with it. */
export interface IntegrityProblem {
  kind: IntegrityProblemKind;
  key: string;
  detail: string;
  /**
   * The whole sha256 of the bytes the finding is about, so that accepting it holds for those bytes
   * alone: the object's (`changed`, `unvouched`, `unlisted`, `rolled-back`, `holds-changed`; `changed-since-noted`,
   * `created-since-noted`: the bytes the store holds now, of no bytes when gone; `removed`: the version created
   * anew), or the digest's (`unsigned`, `bad-signature`, `bad-digest`, `broken-link`,
   * `digest-deleted`, `noted-head`, `restarted-chain` (the genesis digest); a digest that is gone: the sha256 of no bytes; `unsigned` for the whole
   * chain: its last digest's, which links to every one before it).
   */
  sha256?: string;
  /**
   * `broken-link`: the sha256 of the digest before it in the lake, which its link does not name
   * (absent: no digest before it). A digest put back in a gap is another finding.
   */
  previousSha256?: string;
  /**
   * `changed`, `rolled-back`: what the chain last recorded for the key, and the digest (and its
   * run) that recorded it: the version to look for among the object's stored versions.
   */
  recorded?: { sha256: string; digest: string; runId: string };
  /**
   * `changed-since-noted`: the version the digests up to the noted head recorded for the key
   * (`recorded`, when there is one, names the first digest after the head that lists the bytes
   * held now, with its run: information, as nothing vouches for it).
   */
  notedSha256?: string;
  /**
   * `unvouched`, a coverage manifest: these bytes of it, as plain verify read them, count and hash
   * exactly the events of the hour's events object, whose bytes a digest vouches for (and the
   * quarantine object, which has no finding either, holds the entries it counts): what no digest
   * vouches for is the rest of the manifest, figures of the pulls (unvouched-manifests.ts).
   */
  agreesWithVouchedEvents?: true;
  /**
   * `unvouched`, and `changed` of bytes the chain's unsealed last digest may explain: the runs
   * that never sealed and may have written them, each with its last digest and the hours it pulled
   * (`fromMs` to `toMs`, as its digests record them; null: no bound). What a report groups such
   * findings by, and the span one scratch pull covers to check them all.
   */
  runs?: OpenRunSpan[];
  /**
   * `unvouched`: only digests after the noted head (unsigned, or no key to check them) say that
   * the `runs` may have written these bytes; the chain cannot tell those digests from a forger's.
   * Absent: the runs' release listed no write before making it.
   */
  claimedAfterNotedHead?: string;
}

/** A run that never sealed: its last digest, and the hours its digests say it pulled. */
export interface OpenRunSpan {
  runId: string;
  digest: string;
  fromMs: number | null;
  toMs: number | null;
  /** The API its last digest that records a runner says it read (written by whoever signed). */
  apiBase?: string;
}

/**
 * What a caller gives the integrity check beside the store and the instance: the public key, the
 * accepted findings and the lists they came from, noted heads, the hours asked for, the versions an
 * earlier check read, and where the hours aged out under `retention.maxDays` end.
 */

import type { ObjectVersionLister } from '../ports.ts';
import type { AcceptedFinding } from './accepted-findings.ts';
import type { AcceptedListChain } from './accepted-list-chain.ts';
import type { AgedOut } from './aged-out.ts';
import type { RecordedHead } from './integrity-recorded-head.ts';
import type { KnownVersion } from './known-versions.ts';
import type { RereadShare } from './object-sha256-source.ts';
import type { RetentionStatement } from './signed-retention.ts';
import type { NotedHead } from './verify-noted-head.ts';
import type { VerifyReads } from './verify-progress.ts';
import type { HourRange } from './verify-range.ts';

export interface VerifyIntegrityOptions {
  /** The stack's digest public key (base64 DER SubjectPublicKeyInfo, as KMS GetPublicKey returns it). */
  publicKey?: string;
  /** Findings already investigated and repaired: reported apart, and they do not fail the check. */
  accepted?: readonly AcceptedFinding[];
  /**
   * The store's version listing (S3 with versioning): a digest deleted, or written twice, is then
   * found even after the next run re-created its number. Without it (a lake on disk) it is not.
   */
  versions?: ObjectVersionLister;
  /** Counts the reads, for a progress line. */
  reads?: VerifyReads;
  /**
   * Heads of the chain noted outside the lake by an earlier check: each must still be on the chain
   * with the sha256 noted (a `noted-head` finding otherwise). The one check that finds a head
   * deleted and written again where the store keeps no versions of the digests.
   */
  notedHeads?: readonly NotedHead[];
  /**
   * The hours whose days' objects must be there (see integrity-hours.ts); the chain is walked
   * whole, and every object the store holds judged, all the same. Without it, every object the
   * chain lists must be there.
   */
  hours?: HourRange;
  /** The chains the lists of {@link accepted} were made of, where they say: each must be this one. */
  acceptedFrom?: readonly AcceptedListChain[];
  /**
   * Versions an earlier check read, by key (empty: none yet): the routine check. The current
   * versions are then listed ({@link versions}), and an object whose current version is one of
   * these is judged by its SHA-256 without being read; the others are read. Without it (or on a
   * store without versions) every object is read.
   */
  knownVersions?: ReadonlyMap<string, KnownVersion>;
  /**
   * With {@link knownVersions}: the share of the objects read all the same, whatever version is
   * current: those whose key falls in share `turn` of `of` (by its SHA-256). A check each turn
   * re-reads every object within `of` checks, so a forged entry of the file, or bytes damaged in
   * place, is found without a full read (review revid4 L5).
   */
  rereadShare?: RereadShare;
  /**
   * Where the hours the lake may have aged out under `retention.maxDays` end (aged-out.ts), given
   * what the chain's digests state of it (signed-retention.ts): an object of an hour before it that
   * a digest lists and that is gone expired by that policy, and is counted in
   * {@link IntegrityReport.agedOut}, not found `missing`. Without it, or undefined, none is.
   */
  agedOut?: (stated: readonly RetentionStatement[]) => AgedOut | undefined;
  /**
   * The head the lake's last run record says that run left the chain at: a chain that ends before
   * it is a `chain-shorter-than-recorded` finding (integrity-recorded-head.ts).
   */
  recordedHead?: RecordedHead;
}

/**
 * What the integrity check reports of one instance's digest chain and lake, and the report of a
 * chain nothing was read of yet.
 */
import type { AcceptedFinding, AcceptedProblem } from './accepted-findings.ts';
import type { AdoptedWriters } from './adopted-at-genesis.ts';
import type { DigestVersionsCheck } from './digest-versions.ts';
import type { IntegrityProblem } from './integrity-problem.ts';
import type { KnownVersionsFileNote, VersionListing } from './known-versions.ts';
import type { ObjectsTaken } from './object-sha256-source.ts';
import type { ChangedSinceNoted } from './verify-changed-since-noted.ts';

export interface IntegrityReport {
  instance: string;
  digests: number;
  /**
   * The chain's last digest: its key and the SHA-256 of its bytes. Kept with the date, they show
   * later whether the chain still holds that digest unchanged (a deleted head is re-created, with
   * other bytes, by the next run).
   */
  head: { key: string; sha256: string } | null;
  /**
   * Where the lake checked is (a folder, or an S3 bucket and prefix) and the chain's first digest,
   * with the SHA-256 of its bytes (null: no digest at number 0). A report given as accepted
   * findings names them, so that it is not taken of another lake or instance (accepted-list-chain.ts).
   */
  lake?: string;
  /**
   * `createdAt` and `runId`: the genesis digest's, when it decodes. When the chain began is what
   * tells adoption at an upgrade from a chain begun anew over recorded data ({@link adoptedWriters}).
   */
  genesis: { key: string; sha256: string; createdAt?: string; runId?: string; restarted?: true } | null;
  /**
   * The heads noted earlier that the chain still holds: each digest with the sha256 noted, reached
   * from the current head by its links. Only when heads were given to check
   * ({@link VerifyIntegrityOptions.notedHeads}); one the chain no longer holds is a `noted-head`
   * finding instead.
   */
  notedHeads?: { key: string; sha256: string }[];
  /**
   * Objects whose version, as the digests up to the latest noted head the chain holds recorded
   * it, a digest after that head lists as written over (a re-pull, an enrich, or a forger's
   * digest appended after the head). Only when a noted head is held. `signed`: every digest after
   * it carries a signature checked against the public key, so they are listed as information; else
   * each is a `changed-since-noted` finding. With no digest after it (`after` is `head`'s key),
   * `signed` says nothing (true with a key, of no digest): the chain's own findings name each.
   * `objects` is cut at the report's cap; `count` is all.
   */
  changedSinceNoted?: { after: string; signed: boolean; count: number; objects: ChangedSinceNoted[] };
  /** Whether the digests' stored versions were checked for one deleted or written twice. */
  digestVersions: DigestVersionsCheck;
  objectsChecked: number;
  /**
   * Only when versions an earlier check read were given ({@link VerifyIntegrityOptions.knownVersions}):
   * how the current versions were listed (anything but `listed`: every object read), how many
   * objects were judged by a version read before (`taken`, no GET) and how many were read.
   */
  versionsTaken?: ObjectsTaken & { listing: VersionListing; file?: KnownVersionsFileNote };
  /**
   * Only when some hours were asked for ({@link VerifyIntegrityOptions.hours}): those hours, and how
   * many objects the chain lists are not there and were not looked for, being of days the hours do
   * not touch (their absence said nothing of; every object there is judged all the same).
   */
  hours?: { fromMs: number; toMs: number; outsideNotChecked: number };
  /** Objects the genesis digest adopted (present before the chain began: no history before it). */
  adoptedAtGenesis: number;
  /**
   * Who wrote the adopted objects, as the adopted coverage manifests read say (absent: none read):
   * runs the chain has no record of. See adopted-at-genesis.ts.
   */
  adoptedWriters?: AdoptedWriters;
  /**
   * Versions first recorded by a run that read them (or as what its write replaced), that no
   * digest lists as written, and that a run which never sealed (`runs`: it died before its digest,
   * or still runs) listed in a digest as about to be written, before writing them: that run's
   * writes, of an hour it pulled. Not a failure. A version read first and written by a run anywhere
   * in the chain (an overlapping run that recorded its write after the other read it) is that run's
   * write, and is not listed. One that no such run listed is a problem instead: `changed` (made
   * outside the ingest), or `unvouched` when only a run of an older version, which listed no
   * writes before making them, may have written it.
   */
  recordedOnRead: RecordedOnRead[];
  signedDigests: number;
  /** Whether the signatures were checked against a public key (without one, only their shape). */
  signaturesChecked: boolean;
  /**
   * With a public key: unsigned digests before the chain's first signed one (history written
   * before signing was deployed, e.g. by the local CLI). Their bytes are fixed by the links of the
   * signed digests after them; an unsigned digest after a signed one is a problem.
   */
  unsignedBeforeSigning: number;
  /**
   * The chain's last digest when it is not sealed: its run died, or is still running, and lists the
   * objects it wrote after that digest only in its next digest (or, if it died, the next run's
   * reads record them). Objects `changed` or `unlisted` may be those writes; they are still
   * problems until a run records them.
   */
  unsealedHead: {
    key: string;
    runId: string;
    createdAt: string;
    /** The earliest hour the unsealed digests at the end pulled from (null: unknown, any hour). */
    fromMs: number | null;
    /** The end of the hours they pulled, when all of them give one (null or absent: no end). */
    toMs?: number | null;
  } | null;
  /** The problems found, the first {@link MAX_PROBLEMS} of them: `problemsFound` counts them all. */
  problems: IntegrityProblem[];
  /** How many problems the check found, listed or not (accepted findings are not problems). */
  problemsFound: number;
  /** Findings the operator listed as known (see accepted-findings.ts): reported, not failed on. */
  accepted: AcceptedProblem[];
  /** Listed findings the check no longer makes (the lake changed, or they are another instance's). */
  acceptedNotFound: AcceptedFinding[];
  /**
   * Objects the chain lists, of hours before the bound {@link VerifyIntegrityOptions.agedOut} gives, that
   * are gone: expired by `retention.maxDays`, not failed on. Absent: none, or no such bound.
   */
  agedOut?: number;
  /**
   * Set when a check that takes the chain's bound walked a digest stating a `retention.maxDays`
   * synth refuses: that digest and value. The chain then excuses no hour (signed-retention.ts).
   */
  maxDaysRefused?: { digest: string; maxDays: number };
  ok: boolean;
}

export interface RecordedOnRead {
  key: string;
  /** The digest that first lists the version: as read, or as the version a write there replaced. */
  digest: string;
  /** How that digest lists it: read by its run, or replaced by its run's write. */
  as: 'read' | 'replaced';
  /** That digest's run. */
  runId: string;
  /** The runs, open when it was read, that never sealed a digest and listed these bytes as about to be written. */
  runs: string[];
}

/** The problems a report lists at most: a lake of no digests makes one for every object. */
export const MAX_PROBLEMS = 1000;

/** The report of a chain nothing was read of yet: no digest, no finding, passing. */
export function emptyIntegrityReport(instance: string): IntegrityReport {
  return {
    instance,
    digests: 0,
    head: null,
    genesis: null,
    digestVersions: 'not-available',
    objectsChecked: 0,
    adoptedAtGenesis: 0,
    recordedOnRead: [],
    signedDigests: 0,
    signaturesChecked: false,
    unsignedBeforeSigning: 0,
    unsealedHead: null,
    problems: [],
    problemsFound: 0,
    accepted: [],
    acceptedNotFound: [],
    ok: true,
  };
}

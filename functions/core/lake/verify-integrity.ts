import { createPublicKey, type KeyObject, verify as verifySignature } from 'node:crypto';
import { errorMessage } from '../error-message.ts';
import type { ObjectStore, ObjectVersion, ObjectVersionLister } from '../ports.ts';
import { type AcceptedFinding, AcceptedFindings, type AcceptedProblem } from './accepted-findings.ts';
import { type AcceptedListChain, refuseOtherChain } from './accepted-list-chain.ts';
import {
  type AdoptedManifestFacts,
  type AdoptedWriters,
  adoptedWriters,
  restartedChainDetail,
} from './adopted-at-genesis.ts';
import type { AgedOut } from './aged-out.ts';
import {
  type Digest,
  type DigestEntry,
  type DigestLink,
  decodeDigest,
  digestScopePrefixes,
  listDigestKeys,
  sha256Hex,
  storedSignedBytes,
} from './digest.ts';
import { OpenRuns } from './digest-open-runs.ts';
import { RunIntents } from './digest-run-intents.ts';
import { type RunnerSeen, RunnersNoted } from './digest-runners-seen.ts';
import { checkDigestVersions, type DigestVersionsCheck } from './digest-versions.ts';
import { type ObjectsCompared, objectsCompared } from './integrity-hours.ts';
import type { IntegrityProblem, IntegrityProblemKind, OpenRunSpan } from './integrity-problem.ts';
import {
  currentVersions,
  type KnownVersion,
  type KnownVersionsFileNote,
  type VersionListing,
} from './known-versions.ts';
import { digestKey, digestPrefix, digestSequenceFromKey, windowStartFromKey } from './layout.ts';
import {
  ObjectSha256Source,
  type ObjectsTaken,
  type ReadVersion,
  type RereadShare,
} from './object-sha256-source.ts';
import { readAhead } from './read-ahead.ts';
import { type RetentionStatement, refusedStatement } from './signed-retention.ts';
import { type ChangedSinceNoted, changedSinceNotedDetail, SinceNoted } from './verify-changed-since-noted.ts';
import { type NotedHead, notedHeadFinding } from './verify-noted-head.ts';
import type { VerifyReads } from './verify-progress.ts';
import type { HourRange } from './verify-range.ts';

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
   * each is a `changed-since-noted` finding. `objects` is cut at the report's cap; `count` is all.
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

interface RecordedOnRead {
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
}

interface KeyHistory {
  /** Each version a digest lists, with the number of the last digest that lists it. */
  listedAt: Map<string, number>;
  /** Versions a digest lists as written (or adopted at genesis). */
  written: Set<string>;
  /**
   * Versions a recorded write replaced, with that digest's number, that no later write made current
   * again: an object found holding one of them was rolled back.
   */
  superseded: Map<string, number>;
  /** The digest that first listed the key. */
  firstListed: number;
  /**
   * What each version a digest lists as written was written over: the versions its writes
   * replaced, null for a create (`replaced: null`), `adopt` when the genesis adopted it.
   */
  origins: Map<string, Set<string | null>>;
  /** The digest that first lists each version as created (`replaced: null`), and its run. */
  createdIn: Map<string, { sequence: number; runId: string }>;
  /** The version the chain's last entry for the key lists, with its digest and run. */
  last?: { sha256: string; sequence: number; runId: string };
}

/**
 * A version a write created (`replaced: null`: a create-only put, so the key held nothing then) for
 * a key the chain listed already: judged once the whole chain is read.
 */
interface CreatedAnew {
  key: string;
  sha256: string;
  sequence: number;
  /** The run whose digest lists the create. */
  runId: string;
  firstListed: number;
  /** The versions of the key listed before it. */
  listedBefore: string[];
}

/**
 * A recorded write: the version it replaced is rolled back if found, and the version it wrote is
 * current again if a write had replaced it before (enrich with other rules, then with the first
 * ones, writes the earlier bytes back). Only a write that replaced a version listed at or after
 * that replacement revives it: a write of overlapping runs listed late, that replaced a version
 * older than the replacement, is not the newer write it looks like in chain order.
 */
function noteWrite(history: KeyHistory, entry: DigestEntry, sequence: number): void {
  const replacedAt = history.superseded.get(entry.sha256);
  if (replacedAt !== undefined) {
    const replacing = entry.replaced ? history.listedAt.get(entry.replaced) : undefined;
    if (!entry.replaced || (replacing !== undefined && replacing >= replacedAt)) {
      history.superseded.delete(entry.sha256);
    }
  }
  if (entry.replaced && entry.replaced !== entry.sha256) history.superseded.set(entry.replaced, sequence);
}

/** A version the chain first shows without a write of it: read, or replaced by a write. */
interface FirstSeen {
  sha256: string;
  as: 'read' | 'replaced';
}

/** A version first seen on read (or as what a write replaced): judged once the whole chain is read. */
interface ReadFirst extends FirstSeen {
  key: string;
  digest: string;
  /** That digest's number. */
  sequence: number;
  runId: string;
  /** Runs other than the reader whose writes were not all recorded when the reader's digest was appended. */
  open: string[];
}

/** The problems a report lists at most: a lake of no digests makes one for every object. */
export const MAX_PROBLEMS = 1000;

/** The sha256 of no bytes: what a finding about a digest that is gone is about. */
const NO_BYTES_SHA256 = sha256Hex(new Uint8Array());

/** What a file in the digest folder that is no digest of the chain is. */
const NOT_A_DIGEST =
  'a file in the digest folder that is no digest of the chain (a digest is <10-digit number>.json): the chain neither reads nor vouches for it; find out who put it there, then move it out of the lake (or delete it)';

/** Where the runbook says what to do about a finding on an object's bytes. */
const RUNBOOK = 'docs/operations.md, the section on the integrity findings `changed` and `rolled-back`';

/** Where the runbook says how to check bytes a dead run of an older version may have written. */
const RUNBOOK_UNVOUCHED = 'docs/operations.md, "Bytes no digest vouches for"';

/** The fields of a finding beside its kind, key, detail and sha256. */
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

type ProblemExtra = Pick<
  IntegrityProblem,
  'previousSha256' | 'recorded' | 'notedSha256' | 'runs' | 'claimedAfterNotedHead'
>;

/** Findings about an object's bytes or presence: what a run's writes after the walk can cause. */
const OBJECT_FINDINGS: ReadonlySet<IntegrityProblemKind> = new Set([
  'changed',
  'unlisted',
  'rolled-back',
  'holds-changed',
  'missing',
]);

class ChainIndex {
  readonly keys = new Map<string, KeyHistory>();
  readonly report: IntegrityReport;
  readonly runs = new OpenRuns();
  /** What each run listed as about to be written: the only bytes a dead run vouches for. */
  readonly intents = new RunIntents();
  readonly readFirst: ReadFirst[] = [];
  readonly createdAnew: CreatedAnew[] = [];
  /** Versions judged changed outside the ingest when a run first recorded them, by key. */
  readonly changedOnRead = new Map<string, Set<string>>();
  /**
   * Objects holding such a version now: a `holds-changed` finding once the `changed` finding of
   * those bytes is accepted, and only then (see {@link finishedReport}); kept apart from the
   * problems until it is known, so that none takes a place under the report's cap.
   */
  readonly holdingChanged: IntegrityProblem[] = [];
  /** The sha256 of each digest read, by key: what a `digest-deleted` finding is about. */
  readonly digestSha256 = new Map<string, string>();
  /** The link of each digest decoded, by key: the chain a noted head is walked back to on. */
  readonly digestLinks = new Map<string, DigestLink | null>();
  /** The `key_id` each signed digest names, by the digest's key: a digest walked again counts once. */
  readonly signingKeyIds = new Map<string, string>();
  /** What each digest decoded says of its run, by the digest's key: a digest walked again counts once. */
  readonly runsNoted = new RunnersNoted();
  /** The keys of every object finding, also past the report's cap of listed problems. */
  readonly objectFindingKeys = new Set<string>();
  /** The key of every finding of any kind, accepted or not, also past the report's cap. */
  readonly keysWithFinding = new Set<string>();
  /** The version the genesis digest adopted, by key. */
  readonly adopted = new Map<string, string>();
  /** The objects the chain lists that must be there: all, or those of the days asked for. */
  readonly compared: ObjectsCompared;
  /** What the digests after the earliest noted head list: set when heads noted earlier are given. */
  sinceNoted?: SinceNoted;
  /**
   * The latest noted head the chain holds, and whether a checked signature vouches for every
   * digest after it: what the store is compared with once its objects are read.
   */
  notedHeld?: { key: string; sequence: number; signed: boolean };

  /** The operator's accepted findings: set apart as they are made, so that none takes a listed place. */
  readonly accepted: AcceptedFindings;
  /** What the digests walked state of `retention.maxDays`, in chain order. */
  readonly retention: RetentionStatement[] = [];
  /** What {@link VerifyIntegrityOptions.agedOut} made of {@link retention}. */
  agedOut?: AgedOut;

  constructor(instance: string, hours?: HourRange, accepted: readonly AcceptedFinding[] = []) {
    this.report = emptyIntegrityReport(instance);
    this.compared = objectsCompared(hours);
    this.accepted = new AcceptedFindings(accepted);
  }

  /**
   * Called for each digest in chain order: the last one read is the head. Of a run of unsealed
   * digests at the end, the earliest hour any of them pulled from (`from_ms`) and the latest end
   * (`to_ms`): a dead run can only have written hours between them (null: unknown, no bound).
   */
  noteHead(key: string, digest: Digest): void {
    const earlier = this.report.unsealedHead;
    const toMsOf = digest.to_ms ?? null;
    const fromMs =
      earlier === null
        ? digest.from_ms
        : earlier.fromMs === null || digest.from_ms === null
          ? null
          : Math.min(earlier.fromMs, digest.from_ms);
    const earlierTo = earlier === null ? toMsOf : (earlier.toMs ?? null);
    const toMs = earlierTo === null || toMsOf === null ? null : Math.max(earlierTo, toMsOf);
    this.report.unsealedHead = digest.sealed
      ? null
      : { key, runId: digest.run_id, createdAt: digest.created_at, fromMs, toMs };
  }

  problem(
    kind: IntegrityProblemKind,
    key: string,
    detail: string,
    sha256?: string,
    extra: ProblemExtra = {},
  ): void {
    if (OBJECT_FINDINGS.has(kind)) this.objectFindingKeys.add(key);
    this.keysWithFinding.add(key);
    const problem = { kind, key, detail, ...(sha256 === undefined ? {} : { sha256 }), ...extra };
    if (this.found(problem) && this.report.problems.length < MAX_PROBLEMS) this.report.problems.push(problem);
  }

  /**
   * A finding listed before all others, so that the report's cap never leaves it out: one that
   * says the chain is not the one noted outweighs any number about its digests.
   */
  problemFirst(kind: IntegrityProblemKind, key: string, detail: string, sha256: string): void {
    const problem = { kind, key, detail, sha256 };
    this.keysWithFinding.add(key);
    if (!this.found(problem)) return;
    this.report.problems.unshift(problem);
    if (this.report.problems.length > MAX_PROBLEMS) this.report.problems.pop();
  }

  /**
   * Counts `problem` as found, unless the accepted list takes it (then it is listed as accepted):
   * an accepted finding takes no place under the cap. Whether the caller should list it.
   */
  private found(problem: IntegrityProblem): boolean {
    const accepted = this.accepted.take(problem);
    if (accepted) {
      this.report.accepted.push(accepted);
      return false;
    }
    this.report.ok = false;
    this.report.problemsFound++;
    return true;
  }

  /** Notes what one digest states of `retention.maxDays`, in chain order. */
  noteRetention(digest: Digest, key: string): void {
    // One that says nothing of it is no bound: it keeps everything (review R-SECOND7 H1).
    this.retention.push({ atMs: Date.parse(digest.created_at), maxDays: digest.max_days ?? null, key });
  }

  /** Takes one digest's entries, in chain order. */
  addDigest(digest: Digest, digestKeyName: string): void {
    this.sinceNoted?.noteDigest(digest);
    // What the first run read before the chain began is what it would otherwise have adopted.
    const asAdopted = digest.genesis;
    let open: string[] | undefined;
    for (const entry of digest.objects) {
      const how = asAdopted && entry.how === 'read' ? 'adopt' : entry.how;
      const firstSeen = this.add({ ...entry, how }, digest, asAdopted);
      if (!firstSeen) continue;
      open ??= this.runs.openBesides(digest.run_id);
      this.readFirst.push({
        key: entry.key,
        ...firstSeen,
        digest: digestKeyName,
        sequence: digest.sequence,
        runId: digest.run_id,
        open,
      });
    }
    this.runs.note(digest);
    this.intents.note(digest);
  }

  /**
   * Records one entry of digest `sequence`. Returns the version it shows the chain for the first
   * time without a write of it: a read of a version no digest before listed, or the version a write
   * replaced when no digest before listed it (the run read it, then wrote over it, so no digest of
   * it lists the read). Either was seen in the lake, and is judged alike.
   */
  private add(entry: DigestEntry, digest: Digest, genesis: boolean): FirstSeen | undefined {
    const sequence = digest.sequence;
    const history = this.historyOf(entry.key, sequence);
    if (entry.how === 'adopt') {
      this.report.adoptedAtGenesis++;
      this.adopted.set(entry.key, entry.sha256);
      noteOrigin(history, entry.sha256, null);
    }
    let firstSeen: FirstSeen | undefined;
    if (entry.how === 'read' && !history.listedAt.has(entry.sha256)) {
      firstSeen = { sha256: entry.sha256, as: 'read' };
    }
    if (entry.how === 'write') {
      const replaced = entry.replaced;
      this.noteLineage(history, entry, digest, genesis);
      // Before the chain began, what a write replaced is what the genesis digest adopts.
      if (replaced && !genesis && !history.listedAt.has(replaced)) {
        firstSeen = { sha256: replaced, as: 'replaced' };
      }
      noteWrite(history, entry, sequence);
      if (replaced && !history.listedAt.has(replaced)) history.listedAt.set(replaced, sequence);
    }
    history.listedAt.set(entry.sha256, sequence);
    if (entry.how !== 'read') history.written.add(entry.sha256);
    history.last = { sha256: entry.sha256, sequence, runId: digest.run_id };
    return firstSeen;
  }

  private historyOf(key: string, sequence: number): KeyHistory {
    let history = this.keys.get(key);
    if (!history) {
      history = {
        listedAt: new Map(),
        written: new Set(),
        superseded: new Map(),
        firstListed: sequence,
        origins: new Map(),
        createdIn: new Map(),
      };
      this.keys.set(key, history);
    }
    return history;
  }

  /** What a recorded write was written over, and a create of a key listed before (judged later). */
  private noteLineage(history: KeyHistory, entry: DigestEntry, digest: Digest, genesis: boolean): void {
    const replaced = entry.replaced;
    const { sequence, run_id: runId } = digest;
    // Only null says "created": digests of every format write it so; absent says nothing.
    if (replaced === null && !history.createdIn.has(entry.sha256))
      history.createdIn.set(entry.sha256, { sequence, runId });
    if (replaced === null && history.listedAt.size > 0) {
      this.createdAnew.push({
        key: entry.key,
        sha256: entry.sha256,
        sequence,
        runId,
        firstListed: history.firstListed,
        listedBefore: [...history.listedAt.keys()],
      });
    }
    if (replaced !== undefined) noteOrigin(history, entry.sha256, replaced);
    // Before the chain began, what a write replaced is what the genesis digest adopts.
    if (replaced && genesis && !history.origins.has(replaced)) noteOrigin(history, replaced, null);
  }

  /**
   * Whether a run that never sealed may excuse a version first read after it. Not one that began
   * after a noted head no checked signature vouches for the digests after, of a version first
   * read after that head: a forger appends such a run's unsealed digest as readily as the read.
   */
  private mayExcuse(run: string, read: ReadFirst): boolean {
    const noted = this.notedHeld;
    if (noted === undefined || noted.signed || read.sequence <= noted.sequence) return true;
    const began = this.runs.firstDigestOf(run);
    return began !== undefined && began <= noted.sequence;
  }

  /**
   * The last digest whose claims (intents, hours pulled) count for a version first read: the one
   * before the read's (an honest run lists a write before making it), and no later than a noted
   * head no checked signature vouches for the digests after (a forger appends a digest in a dead
   * run's name, listing his bytes and widening its hours, as readily as he changes an object).
   */
  private claimsUpTo(read: ReadFirst): number {
    const before = read.sequence - 1;
    const noted = this.notedHeld;
    return noted === undefined || noted.signed ? before : Math.min(before, noted.sequence);
  }

  /**
   * The versions first recorded on read, once the whole chain is known. One a run wrote, anywhere
   * in the chain, is that run's write: overlapping runs read each other's hours before the writer's
   * next digest lists them. One no run wrote may be the write of a run that was open when it was
   * read and never sealed (it died before its digest), if that run listed those very bytes as about
   * to be written (its intents) in a digest that counts ({@link claimsUpTo}): listed as that run's.
   * A run of a version that lists no intents vouches for nothing: such a version is `unvouched`, a
   * finding to check and accept. Otherwise no run of the ingest made it: reading it into the chain
   * is what adopting a forgery looks like.
   */
  judgeReadFirst(): void {
    for (const read of this.readFirst) {
      if (!this.keys.get(read.key)?.written.has(read.sha256)) this.judgeOneRead(read);
    }
  }

  /** {@link judgeReadFirst} of one version first read that no run wrote. */
  private judgeOneRead(read: ReadFirst): void {
    const hour = windowStartFromKey(read.key);
    const upTo = this.claimsUpTo(read);
    const claim = (run: string, at: number) => this.intents.claim(run, read.key, read.sha256, hour, at);
    const could = read.open.filter(
      (run) => !this.runs.everSealed(run) && this.intents.pulled(run, hour, read.sequence - 1),
    );
    const trusted = could.filter((run) => this.mayExcuse(run, read));
    const vouching = trusted.filter((run) => claim(run, upTo) === 'listed');
    if (vouching.length > 0) {
      const { key, digest, as, runId } = read;
      this.report.recordedOnRead.push({ key, digest, as, runId, runs: vouching });
      return;
    }
    // Claimed by digests after the noted head alone (a run open at it, or begun after it, that
    // died): the ingest's or a forger's, the chain cannot tell without a checked signature. A
    // finding to check and accept, not a verdict of forgery: said "changed outside the ingest",
    // an honest dead run's hours were findings no accept could clear (review R-UPGRADE3 M4).
    const afterHead = could.filter(
      (run) =>
        (!trusted.includes(run) || claim(run, upTo) === 'no') && claim(run, read.sequence - 1) !== 'no',
    );
    const notedKey = this.notedHeld?.key;
    const older = trusted.filter((run) => claim(run, upTo) === 'lists-none');
    if (afterHead.length > 0 && notedKey !== undefined && !this.notedHeld?.signed)
      this.problem('unvouched', read.key, afterHeadDetail(read, afterHead, notedKey), read.sha256, {
        runs: this.spansOf(afterHead),
        claimedAfterNotedHead: notedKey,
      });
    else if (older.length > 0)
      this.problem('unvouched', read.key, unvouchedDetail(read, older), read.sha256, {
        runs: this.spansOf(older),
      });
    else
      this.changedOnReadFinding(
        read,
        this.changedWhy(
          could,
          trusted.filter((run) => this.intents.pulled(run, hour, upTo)),
        ),
      );
  }

  /** The runs' spans, for a report to group the findings they may explain by ({@link OpenRunSpan}). */
  spansOf(runIds: readonly string[]): OpenRunSpan[] {
    return runIds.flatMap((runId) => {
      const span = this.runs.spanOf(runId);
      if (span === undefined) return [];
      const digest = digestKey(this.report.instance, span.lastSequence);
      const api = span.apiBase === undefined ? {} : { apiBase: span.apiBase };
      return [{ runId, digest, fromMs: span.fromMs, toMs: span.toMs, ...api }];
    });
  }

  /** Why no run of the ingest made a version first read, of the runs that `could` have. */
  private changedWhy(could: string[], trusted: string[]): string {
    if (trusted.length > 0)
      return `run ${trusted.join(', run ')}, open then and never sealed, listed before each write the bytes it was about to write, and not these`;
    if (could.length > 0 && this.notedHeld !== undefined)
      return `a run may have written them (run ${could.join(', run ')}, open then and never sealed), but not after the noted head ${this.notedHeld.key}: that run began after it, and no checked signature vouches for the digests after it, so a forger appends such a run as readily as the read`;
    return 'no run that could have written them had writes left unrecorded then';
  }

  /** A version first read that no run of the ingest can have written (`why`): `changed`. */
  private changedOnReadFinding(read: ReadFirst, why: string): void {
    const changed = this.changedOnRead.get(read.key) ?? new Set();
    this.changedOnRead.set(read.key, changed.add(read.sha256));
    this.problem(
      'changed',
      read.key,
      `${firstRecorded(read)}, no digest lists them as written, and ${why}: they were changed outside the ingest`,
      read.sha256,
    );
  }
}

/**
 * A version that dead runs claim only in digests after the noted head (open at it, or begun after
 * it): a forger appends such a digest in a dead run's name as readily as he changes the object,
 * and an honest run killed after the head (a re-pull, a timed-out Lambda) leaves the same.
 */
const afterHeadDetail = (read: ReadFirst, runs: string[], notedKey: string): string =>
  `${firstRecorded(read)}, and the chain cannot tell whether they are the ingest's: run ${runs.join(', run ')}, never sealed, may have written them, but only digests after the noted head ${notedKey} say so (the run's own, listing these bytes as about to be written or its hours as pulled, or naming it alone), and no checked signature vouches for the digests after that head, so a forger appends such a digest in a dead run's name as readily as he changes the object. Check them against Domo (${RUNBOOK_UNVOUCHED}), then accept the finding`;

/** Where a version first seen without a write of it was first recorded. */
const firstRecorded = (read: ReadFirst): string =>
  `its bytes (sha256 ${read.sha256.slice(0, 12)}…) were first recorded ${read.as === 'read' ? `when run ${read.runId} read them` : `as the version run ${read.runId} replaced`} (${read.digest})`;

/** A version first read that only a run of an older version, listing no intents, may have written. */
const unvouchedDetail = (read: ReadFirst, runs: string[]): string =>
  `${firstRecorded(read)}, and no digest vouches for them: no digest lists them as written, and run ${runs.join(', run ')}, open then and never sealed, may have written them, but its version lists no write before making it, so a forgery in its hours looks the same. Check them (${RUNBOOK_UNVOUCHED}), then accept the finding`;

function noteOrigin(history: KeyHistory, sha256: string, origin: string | null): void {
  const origins = history.origins.get(sha256) ?? new Set();
  origins.add(origin);
  history.origins.set(sha256, origins);
}

/**
 * Where the versions of a key listed from `sha256` back began, following what recorded writes
 * replaced: the versions created (or adopted) there, and whether a version of unknown origin is
 * on the way (one no digest lists as written: a dead run's write, or a change outside the ingest).
 */
function rootsOf(history: KeyHistory, sha256: string): { created: Set<string>; unknown: boolean } {
  const created = new Set<string>();
  let unknown = false;
  const seen = new Set([sha256]);
  const next = [sha256];
  for (let at = next.pop(); at !== undefined; at = next.pop()) {
    const origins = history.origins.get(at);
    if (!origins) unknown = true;
    for (const origin of origins ?? []) {
      if (origin === null) created.add(at);
      else if (!seen.has(origin)) {
        seen.add(origin);
        next.push(origin);
      }
    }
  }
  return { created, unknown };
}

/** Whether the version listed before a create began in another create or adoption, not that one. */
const beganElsewhere = (history: KeyHistory, listed: string, created: string): boolean => {
  const roots = rootsOf(history, listed);
  return !roots.unknown && roots.created.size > 0 && !roots.created.has(created);
};

/**
 * Keys created anew after the chain listed them. The ingest creates an object only where none is
 * (create-only) and never deletes one, so a version listed before a create, that began in another
 * create (or the genesis adopted), was removed in between, outside the ingest. Versions that came
 * from the created one are not: runs that overlap list their writes out of order (the loser of a
 * create lists its write over the winner's version before the winner's digest lists the create).
 * Nor is one of unknown origin on the way back (a dead run's write, or a change outside the ingest,
 * already a finding of its own): whether it was there before the create cannot be told.
 */
function judgeCreatedAnew(index: ChainIndex): void {
  for (const created of index.createdAnew) {
    const history = index.keys.get(created.key);
    if (!history) continue;
    // The same bytes created twice (a re-pull that wrote them again) is a removal all the same. Not
    // when one run lists its create twice: a digest that landed but whose answer was lost (the
    // retry's 412 reads as another run having taken its number) is appended again at the next one.
    const earlier = history.createdIn.get(created.sha256);
    const createdBefore =
      earlier !== undefined && earlier.sequence < created.sequence && earlier.runId !== created.runId;
    const removed =
      createdBefore || created.listedBefore.some((listed) => beganElsewhere(history, listed, created.sha256));
    if (!removed) continue;
    const instance = index.report.instance;
    index.problem(
      'removed',
      created.key,
      `listed since ${digestKey(instance, created.firstListed)}, then created anew (sha256 ${created.sha256.slice(0, 12)}…) by ${digestKey(instance, created.sequence)}: the ingest creates an object only where none is and never deletes one, so the version before was removed outside the ingest`,
      created.sha256,
    );
  }
}

/**
 * The public key for signature checks: base64 DER SubjectPublicKeyInfo (what KMS GetPublicKey
 * returns), a P-256 key. Throws a message saying what is wrong with it.
 */
export function digestPublicKey(base64Der: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(base64Der, 'base64'), format: 'der', type: 'spki' });
  } catch (error) {
    throw new Error(`the digest public key is not a DER SubjectPublicKeyInfo: ${errorMessage(error)}`);
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error(
      `the digest public key is a ${key.asymmetricKeyType} key, not an ECC_NIST_P256 one: use the stack's digest signing key`,
    );
  }
  return key;
}

/**
 * Whether `value` (base64) has the shape of a DER ECDSA signature: a SEQUENCE of two INTEGERs.
 * Checked without the key, so garbage in the signature field is found even then.
 */
function looksLikeDerSignature(value: string): boolean {
  const der = Buffer.from(value, 'base64');
  if (der.length < 8 || der[0] !== 0x30 || der[1] !== der.length - 2 || der[2] !== 0x02) return false;
  const second = 4 + (der[3] ?? 0);
  return der[second] === 0x02 && second + 2 + (der[second + 1] ?? 0) === der.length;
}

/**
 * Checks one digest's signature. Its findings carry the digest's sha256: accepted, they hold for
 * those bytes only, not for whatever is later written at the key (a forger's edit of an unsigned
 * head would otherwise pass as the finding accepted before). Returns whether the key given signed it.
 */
function checkSignature(
  index: ChainIndex,
  key: string,
  digest: Digest,
  stored: { body: Uint8Array; sha256: string },
  publicKey?: KeyObject,
): boolean {
  const { body, sha256 } = stored;
  // The bytes named, so that one rewritten after its finding was accepted shows as other bytes.
  const digestBytes = `the digest (sha256 ${sha256.slice(0, 12)}…)`;
  if (!digest.signature) {
    // Signing, once begun, goes on: the command line signs with the key of the chain's last digest.
    // That takes no key to see, so it is checked without one too.
    if (index.report.signedDigests > 0) {
      index.problem(
        'unsigned',
        key,
        `${digestBytes} carries no signature, but a digest before it did`,
        sha256,
      );
    } else if (publicKey !== undefined) index.report.unsignedBeforeSigning++;
    return false;
  }
  index.report.signedDigests++;
  index.signingKeyIds.set(key, digest.signature.key_id);
  if (publicKey === undefined) {
    if (!looksLikeDerSignature(digest.signature.value)) {
      index.problem(
        'bad-signature',
        key,
        `the signature of ${digestBytes} is not a DER ECDSA signature: it cannot be valid`,
        sha256,
      );
    }
    return false;
  }
  let valid = false;
  try {
    valid = verifySignature(
      'sha256',
      storedSignedBytes(body),
      publicKey,
      Buffer.from(digest.signature.value, 'base64'),
    );
  } catch (error) {
    index.problem(
      'bad-signature',
      key,
      `the signature of ${digestBytes} could not be checked: ${errorMessage(error)}`,
      sha256,
    );
    return false;
  }
  if (!valid)
    index.problem(
      'bad-signature',
      key,
      `the signature does not match ${digestBytes} and the public key`,
      sha256,
    );
  return valid;
}

/**
 * Checks one digest's link to the digest before it. A finding names both digests' sha256: accepted
 * (a gap the operator explained), it does not hold once another digest is put in the gap.
 */
function checkLink(
  index: ChainIndex,
  key: string,
  digest: Digest,
  sha256: string,
  previous?: { key: string; sha256: string },
) {
  if (previous === undefined) {
    if (digest.previous !== null || !digest.genesis) {
      index.problem(
        'broken-link',
        key,
        'the first digest of the chain must be a genesis digest with no previous one',
        sha256,
      );
    }
    return;
  }
  const link = digest.previous;
  if (!link || link.key !== previous.key || link.sha256 !== previous.sha256) {
    index.problem(
      'broken-link',
      key,
      `names ${link ? `${link.key} (sha256 ${link.sha256.slice(0, 12)}…)` : 'no previous digest'}, but the digest before it is ${previous.key} (sha256 ${previous.sha256.slice(0, 12)}…)`,
      sha256,
      { previousSha256: previous.sha256 },
    );
  }
}

/**
 * Reports each digest number from `expected` up to `sequence` (the next one listed) as missing,
 * once: the numbers after a gap are not missing too. Returns the number expected after `sequence`.
 * The finding is about no bytes (its sha256 is that of none): a digest put back there is judged
 * on its own, and the next one's link to it is a finding of its own.
 */
function reportMissingNumbers(index: ChainIndex, expected: number, sequence: number): number {
  for (let n = expected; n < sequence; n++) {
    index.problem(
      'broken-link',
      digestKey(index.report.instance, n),
      'this digest number is missing',
      NO_BYTES_SHA256,
    );
  }
  return sequence + 1;
}

/**
 * The chain's digest keys, in order. Any other file in the digest folder is a finding, as the table
 * folders' foreign files are: nothing the chain reads or vouches for, and a copy of a digest kept
 * beside it (`.bak`) or one misnumbered passed unseen (review F-EVID7 L6).
 */
async function digestKeysOf(store: ObjectStore, index: ChainIndex): Promise<string[]> {
  const others: string[] = [];
  const keys = await listDigestKeys(store, index.report.instance, (key) => others.push(key));
  for (const key of others) index.problem('not-a-digest', key, NOT_A_DIGEST);
  return keys;
}

/** The genesis digest as the report names it: when it began, by which run, and whether as a restart. */
const genesisOf = (key: string, sha256: string, digest: Digest): NonNullable<IntegrityReport['genesis']> => ({
  key,
  sha256,
  createdAt: digest.created_at,
  runId: digest.run_id,
  ...(digest.genesis && digest.restarted ? { restarted: true as const } : {}),
});

async function walkChain(
  store: ObjectStore,
  index: ChainIndex,
  publicKey?: KeyObject,
  reads?: VerifyReads,
): Promise<void> {
  const keys = await digestKeysOf(store, index);
  reads?.expect(keys.length);
  let previous: { key: string; sha256: string } | undefined;
  let expected = 0;
  // Read ahead, judged in chain order: one GET at a time, a year of digests took ~13 minutes on S3.
  for await (const { key, stored } of readAhead(keys, async (key) => ({
    key,
    stored: await store.get(key),
  }))) {
    reads?.done();
    expected = reportMissingNumbers(index, expected, digestSequenceFromKey(key) ?? expected);
    if (!stored) continue;
    index.report.digests++;
    const sha256 = sha256Hex(stored.body);
    index.digestSha256.set(key, sha256);
    if (digestSequenceFromKey(key) === 0) index.report.genesis = { key, sha256 };
    let digest: Digest;
    try {
      // A first-version digest (no `sealed`) leaves its run open: it never said the run ended.
      digest = decodeDigest(key, stored.body, 'open');
    } catch (error) {
      index.problem('bad-digest', key, errorMessage(error), sha256);
      previous = { key, sha256 };
      continue;
    }
    // Signed, these two bind a digest to its place: it cannot be copied to another number or instance.
    if (digest.instance !== index.report.instance || digest.sequence !== digestSequenceFromKey(key)) {
      index.problem(
        'bad-digest',
        key,
        `says it is digest ${digest.sequence} of instance "${digest.instance}", not what its key says`,
        sha256,
      );
    }
    checkLink(index, key, digest, sha256, previous);
    if (index.report.genesis?.key === key) index.report.genesis = genesisOf(key, sha256, digest);
    index.digestLinks.set(key, digest.previous);
    const signedByKey = checkSignature(index, key, digest, { body: stored.body, sha256 }, publicKey);
    // Checked against a key, a digest it did not sign says what anyone wrote (review R-EVIDENCE3 L1).
    index.runsNoted.note(key, digest.run_id, digest.runner, publicKey !== undefined && !signedByKey);
    index.addDigest(digest, key);
    index.noteRetention(digest, key);
    previous = { key, sha256 };
    index.noteHead(key, digest);
  }
  index.report.head = previous ?? null;
}

/** Whether the unsealed digests at the end pulled `hour`. */
const pulledByHead = (head: NonNullable<IntegrityReport['unsealedHead']>, hour: number): boolean =>
  (head.fromMs === null || hour >= head.fromMs) && (head.toMs == null || hour < head.toMs);

/** For each version some digest lists, the first key it is listed for: where swapped bytes came from. */
function keysBySha256(index: ChainIndex): Map<string, string> {
  const keys = new Map<string, string>();
  for (const [key, history] of index.keys) {
    for (const sha256 of history.listedAt.keys()) if (!keys.has(sha256)) keys.set(sha256, key);
  }
  return keys;
}

function judgeObject(index: ChainIndex, key: string, sha256: string, listedFor: Map<string, string>): void {
  const history = index.keys.get(key);
  const head = index.report.unsealedHead;
  const hour = windowStartFromKey(key);
  // Writes after an unsealed head are listed by no digest yet: say so, without excusing them, and
  // only of hours that run pulled (from its `from_ms` on, before its `to_ms` when known).
  const mayBeTheRuns = head !== null && (hour === undefined || pulledByHead(head, hour));
  const unsealed = mayBeTheRuns
    ? `; the last digest (${head.key}, run ${head.runId}) is not sealed, so that run may have written it after its last digest`
    : '';
  // Bytes a digest lists for another key: an object swapped or copied there outside the ingest.
  const other = history?.listedAt.has(sha256) ? undefined : listedFor.get(sha256);
  const elsewhere =
    other === undefined
      ? undefined
      : `its bytes (sha256 ${sha256.slice(0, 12)}…) are those a digest lists for ${other}, not for this key: copied or swapped outside the ingest`;
  // The run the text groups such findings by (review R-UPGRADE M1): not bytes copied from elsewhere.
  const headRuns = (): ProblemExtra =>
    head !== null && mayBeTheRuns && elsewhere === undefined ? { runs: index.spansOf([head.runId]) } : {};
  if (!history) {
    index.problem(
      'unlisted',
      key,
      `no digest lists this object${elsewhere ? `; ${elsewhere}` : unsealed}`,
      sha256,
      headRuns(),
    );
    return;
  }
  const recorded = lastRecorded(index.report.instance, history);
  const replacedAt = history.superseded.get(sha256);
  if (replacedAt !== undefined)
    index.problem(
      'rolled-back',
      key,
      `holds a version (sha256 ${sha256.slice(0, 12)}…) that a later write, recorded in ${digestKey(index.report.instance, replacedAt)}, replaced; ${recorded.text}`,
      sha256,
      recorded.fields,
    );
  else if (!history.listedAt.has(sha256))
    index.problem(
      'changed',
      key,
      `${elsewhere ?? `its bytes (sha256 ${sha256.slice(0, 12)}…) are in no digest${unsealed}`}; ${recorded.text}`,
      sha256,
      {
        ...recorded.fields,
        ...headRuns(),
      },
    );
  else if (index.changedOnRead.get(key)?.has(sha256)) {
    // The `changed` finding of these bytes is about the past, and stays once accepted: without a
    // finding of its own, the same forged bytes put back after a repair passed as accepted.
    index.objectFindingKeys.add(key);
    index.holdingChanged.push({
      kind: 'holds-changed',
      key,
      detail: `holds now the bytes (sha256 ${sha256.slice(0, 12)}…) that its \`changed\` finding says were made outside the ingest; ${recorded.text}`,
      sha256,
      ...recorded.fields,
    });
  }
}

/**
 * What the chain last recorded for a key, the version to look for among the object's stored
 * versions: as the report's field, and as words that point to the runbook.
 */
function lastRecorded(instance: string, history: KeyHistory): { fields: ProblemExtra; text: string } {
  const last = history.last;
  if (last === undefined) return { fields: {}, text: `see ${RUNBOOK}` };
  const digest = digestKey(instance, last.sequence);
  return {
    fields: { recorded: { sha256: last.sha256, digest, runId: last.runId } },
    text: `the chain last recorded sha256 ${last.sha256.slice(0, 12)}… for it (${digest}, run ${last.runId}); see ${RUNBOOK}`,
  };
}

/** The keys under each of `prefixes`, one listing after the other. */
async function* listAll(store: ObjectStore, prefixes: readonly string[]): AsyncIterable<string> {
  for (const prefix of prefixes) yield* store.list(prefix);
}

/**
 * The SHA-256 of objects read after the chain was walked, by key: the objects check takes them
 * rather than read them again.
 */
type ObjectsRead = ReadonlyMap<string, string>;

/** Checks every object of the instance's tables against `index`; returns the SHA-256 of each found, by key. */
async function checkObjects(
  store: ObjectStore,
  index: ChainIndex,
  alreadyRead: ObjectsRead,
  source: ObjectSha256Source,
  reads?: VerifyReads,
): Promise<Map<string, string>> {
  const present = new Map<string, string>();
  const listedFor = keysBySha256(index);
  const { compared } = index;
  // About what is left to read: the objects the digests list, less those read already.
  if (reads) reads.expect([...index.keys.keys()].filter((key) => !alreadyRead.has(key)).length);
  const read = async (key: string) => {
    const known = alreadyRead.get(key);
    if (known !== undefined) return { key, sha256: source.readBefore(key, known) };
    const taken = source.taken(key);
    const sha256 = taken ?? (await source.read(key));
    reads?.done();
    return { key, sha256 };
  };
  // Every object held is judged, hours asked for or not: a query reads any of them.
  const keys = listAll(store, digestScopePrefixes(index.report.instance));
  for await (const { key, sha256 } of readAhead(keys, read)) {
    if (sha256 === undefined) continue;
    present.set(key, sha256);
    index.report.objectsChecked++;
    judgeObject(index, key, sha256, listedFor);
  }
  for (const key of index.keys.keys()) {
    if (present.has(key) || !compared.looksFor(key)) continue;
    const sha256 = await readUnlisted(source, index, key, listedFor);
    reads?.done();
    if (sha256 !== undefined) present.set(key, sha256);
  }
  return present;
}

/**
 * Reads a key a digest lists but the listing did not, once more before it is called gone, and
 * judges it if it is there after all; returns its SHA-256 then. A store that cannot hold the
 * object there (a folder at its key on a disk, which a listing walks into, not past) refuses the
 * read, naming it: "missing" alone sent the reader looking for a deleted file.
 */
async function readUnlisted(
  source: ObjectSha256Source,
  index: ChainIndex,
  key: string,
  listedFor: Map<string, string>,
): Promise<string | undefined> {
  const sha256 = await source.read(key);
  if (sha256 === undefined) {
    noteMissing(index, key);
    return undefined;
  }
  index.report.objectsChecked++;
  judgeObject(index, key, sha256, listedFor);
  return sha256;
}

function noteMissing(index: ChainIndex, key: string): void {
  const hourMs = windowStartFromKey(key);
  const beforeMs = index.agedOut?.beforeMs;
  if (beforeMs !== undefined && hourMs !== undefined && hourMs < beforeMs) {
    index.report.agedOut = (index.report.agedOut ?? 0) + 1;
    return;
  }
  index.problem('missing', key, 'a digest lists this object, but it is gone');
}

/** A digest chain walked and judged, whose objects are still to be checked against it. */
interface WalkedChain {
  /**
   * Checks every object of the instance's tables against the chain and returns the report. `read`:
   * objects read since the walk, taken as read rather than read again. Only since: an object read
   * before the walk, that a run then rewrote and recorded in a digest the walk read, would be
   * judged as the version that write replaced (rolled back).
   */
  checkObjects(
    read?: ObjectsRead,
    readVersions?: ReadonlyMap<string, ReadVersion>,
    manifests?: ReadonlyMap<string, AdoptedManifestFacts>,
  ): Promise<IntegrityReport>;
  /** The hours aged out by {@link VerifyIntegrityOptions.agedOut}, as the walk found them (none: undefined). */
  agedOut(): AgedOut | undefined;
  /**
   * The version each object found holds now, with its bytes' SHA-256, where the store named it (a
   * versioned store): what the next routine check takes ({@link VerifyIntegrityOptions.knownVersions}).
   * Empty before {@link checkObjects}.
   */
  versionsSeen(): KnownVersion[];
  /**
   * The `key_id` the signed digests name, each with how many name it, in the chain's order, of the
   * chain {@link checkObjects} judged by (walked again if it grew meanwhile).
   */
  signingKeyIds(): { keyId: string; digests: number }[];
  /** The version the genesis digest adopted at `key` (undefined: it adopted none there). */
  adoptedSha256(key: string): string | undefined;
  /** Who the digests say ran their runs ({@link RunnersNoted}), of the chain {@link checkObjects} judged by. */
  runners(): RunnerSeen[];
  /**
   * Whether the check made a finding on object `key`, accepted or not, listed or past the report's
   * cap, by the chain {@link checkObjects} judged by.
   */
  hasObjectFinding(key: string): boolean;
}

/**
 * The first half of {@link verifyIntegrity}: walks one instance's digest chain (every link, every
 * signature when a public key is given, the digests' stored versions), reading each digest once.
 */
export async function walkDigestChain(
  store: ObjectStore,
  instance: string,
  options: VerifyIntegrityOptions = {},
): Promise<WalkedChain> {
  const index = await walkedIndex(store, instance, options);
  let judged = index;
  let source: ObjectSha256Source | undefined;
  return {
    async checkObjects(read = new Map(), readVersions = new Map(), manifests = new Map()) {
      // Listed after the walk, as objects are read after it: the digests judge what was there since.
      const { known, versionsTaken } = await versionsToTake(instance, options);
      source = new ObjectSha256Source(store, {
        ...known,
        readVersions,
        ...(options.rereadShare && known.known ? { reread: options.rereadShare } : {}),
      });
      const seen = await checkObjects(store, index, read, source, options.reads);
      const final = (await rejudgedOnGrownChain(store, index, seen, source, options)) ?? index;
      judged = final;
      judgeSinceNoted(final, seen);
      if (options.hours !== undefined) noteHours(final, options.hours, seen);
      if (versionsTaken !== undefined) final.report.versionsTaken = { ...versionsTaken, ...source.counts };
      judgeAdopted(final, manifests);
      return finishedReport(final, options.accepted, seen);
    },
    versionsSeen: () => [...(source?.seen.values() ?? [])],
    signingKeyIds() {
      const counts = new Map<string, number>();
      // In chain order: the digests' numbers are zero-padded in their keys.
      for (const key of [...judged.signingKeyIds.keys()].sort()) {
        const keyId = judged.signingKeyIds.get(key) as string;
        counts.set(keyId, (counts.get(keyId) ?? 0) + 1);
      }
      return [...counts].map(([keyId, digests]) => ({ keyId, digests }));
    },
    runners: () => judged.runsNoted.seen(),
    adoptedSha256: (key) => index.adopted.get(key),
    agedOut: () => index.agedOut,
    hasObjectFinding: (key) => judged.objectFindingKeys.has(key) || judged.keysWithFinding.has(key),
  };
}

/**
 * What the routine check may take without reading: the objects' current versions and the versions
 * an earlier check read. Nothing when none were given (the full read); when the current versions
 * cannot be listed, nothing either, and the report says why every object was read.
 */
async function versionsToTake(
  instance: string,
  options: VerifyIntegrityOptions,
): Promise<{
  known: { current?: ReadonlyMap<string, ObjectVersion>; known?: ReadonlyMap<string, KnownVersion> };
  versionsTaken?: { listing: VersionListing };
}> {
  const known = options.knownVersions;
  if (known === undefined) return { known: {} };
  const current = await currentVersions(options.versions, digestScopePrefixes(instance));
  if (current.byKey === undefined) return { known: {}, versionsTaken: { listing: current.listing } };
  return { known: { current: current.byKey, known }, versionsTaken: { listing: current.listing } };
}

/**
 * The index's report with the accepted findings set apart. An object holding bytes whose `changed`
 * finding is accepted is a `holds-changed` finding; while that `changed` finding is a problem it
 * says the same and fails the check already, so `holds-changed` is not made: an incident's report
 * never lists it, and accepting that report does not accept those bytes put back after a repair.
 */
function finishedReport(
  index: ChainIndex,
  accepted: readonly AcceptedFinding[] | undefined,
  seen: ReadonlyMap<string, string>,
): IntegrityReport {
  if (!accepted) return index.report;
  // An object not there, of days not asked for, is not looked for: a finding not made says nothing.
  const notLookedFor = (f: AcceptedFinding) =>
    (OBJECT_FINDINGS.has(f.kind) || SINCE_NOTED_FINDINGS.has(f.kind)) &&
    !seen.has(f.key) &&
    !index.compared.looksFor(f.key);
  const changed = new Set(accepted.filter((f) => f.kind === 'changed').map((f) => `${f.key}\n${f.sha256}`));
  for (const holding of index.holdingChanged) {
    if (!changed.has(`${holding.key}\n${holding.sha256}`)) continue;
    const { kind, key, detail, sha256, ...extra } = holding;
    index.problem(kind, key, detail, sha256, extra);
  }
  index.report.acceptedNotFound = index.accepted.notFound().filter((f) => !notLookedFor(f));
  return index.report;
}

/**
 * Who wrote the adopted objects, of the manifests read (`manifests`, by key); a `restarted-chain`
 * finding about the genesis digest when some were written by a version that records every run.
 */
function judgeAdopted(index: ChainIndex, manifests: ReadonlyMap<string, AdoptedManifestFacts>): void {
  const writers = adoptedWriters(index.adopted, manifests);
  if (writers !== undefined) index.report.adoptedWriters = writers;
  const genesis = index.report.genesis;
  if (genesis === null) return;
  // A restart the genesis records is one whatever the manifests read say now (edited, or unread).
  if (!genesis.restarted && !writers?.byRecordingVersion) return;
  index.problem('restarted-chain', genesis.key, restartedChainDetail(writers, genesis), genesis.sha256);
}

/** Findings of an object against the state at a noted head. */
const SINCE_NOTED_FINDINGS: ReadonlySet<IntegrityProblemKind> = new Set([
  'changed-since-noted',
  'created-since-noted',
]);

/**
 * The hours asked for, and how many objects the chain lists are not there and were not looked for,
 * being of other days (`seen`: the objects the store holds, every one judged, by key).
 */
function noteHours(index: ChainIndex, hours: HourRange, seen: ReadonlyMap<string, string>): void {
  let outsideNotChecked = 0;
  for (const key of index.keys.keys())
    if (!seen.has(key) && !index.compared.looksFor(key)) outsideNotChecked++;
  index.report.hours = { fromMs: hours.fromMs, toMs: hours.toMs, outsideNotChecked };
}

/** Walks the chain into a {@link ChainIndex}, with the findings about the digests themselves. */
async function walkedIndex(
  store: ObjectStore,
  instance: string,
  options: VerifyIntegrityOptions,
): Promise<ChainIndex> {
  const index = new ChainIndex(instance, options.hours, options.accepted);
  const publicKey = options.publicKey === undefined ? undefined : digestPublicKey(options.publicKey);
  index.report.signaturesChecked = publicKey !== undefined;
  const earliest = earliestNoted(instance, options.notedHeads);
  if (earliest !== undefined) index.sinceNoted = new SinceNoted(earliest);
  index.report.lake = store.location;
  await walkChain(store, index, publicKey, options.reads);
  const agedOut = options.agedOut?.(index.retention);
  if (agedOut !== undefined) index.agedOut = agedOut;
  const refused = options.agedOut === undefined ? undefined : refusedStatement(index.retention);
  if (refused?.key !== undefined && refused.maxDays !== null)
    index.report.maxDaysRefused = { digest: refused.key, maxDays: refused.maxDays };
  // Before any finding is taken as accepted: a list of another chain's would take its findings.
  for (const list of options.acceptedFrom ?? []) refuseOtherChain(list, index.report);
  checkNotedHeads(index, options.notedHeads);
  // After the noted heads: a version first read after one held is judged by it.
  index.judgeReadFirst();
  judgeCreatedAnew(index);
  const versions = await checkDigestVersions(options.versions, instance);
  index.report.digestVersions = versions.check;
  // About the digest the key holds now (none: deleted): deleted or written again later is another finding.
  for (const finding of versions.findings) {
    const sha256 = index.digestSha256.get(finding.key) ?? NO_BYTES_SHA256;
    index.problem('digest-deleted', finding.key, finding.detail, sha256);
  }
  if (versions.failure !== undefined) {
    // A full check needs the versions: without them a deleted and re-written head passes unseen.
    index.problem(
      'versions-not-checked',
      digestPrefix(instance),
      `the digests' versions could not be listed, so a digest deleted or written twice goes unseen: ${versions.failure}`,
    );
  }
  const head = index.report.head;
  if (publicKey && head !== null && index.report.signedDigests === 0) {
    // The last digest's sha256: it links to every one before it, so an accepted finding holds for
    // this chain only.
    index.problem(
      'unsigned',
      digestPrefix(instance),
      `no digest is signed, but a public key was given (the chain up to ${head.key}, sha256 ${head.sha256.slice(0, 12)}…)`,
      head.sha256,
    );
  }
  return index;
}

/** The number of the earliest head noted for `instance` (undefined: none). */
function earliestNoted(instance: string, notedHeads: readonly NotedHead[] | undefined): number | undefined {
  const numbers = (notedHeads ?? [])
    .filter((noted) => noted.instance === undefined || noted.instance === instance)
    .map((noted) => noted.sequence);
  return numbers.length === 0 ? undefined : numbers.reduce((a, b) => Math.min(a, b));
}

/**
 * Each noted head the chain still holds goes into the report; one it does not is a finding, about
 * the digest at that number and the bytes it holds now (none: the sha256 of no bytes), listed
 * first. The objects rewritten after the latest head held are then named.
 */
function checkNotedHeads(index: ChainIndex, notedHeads: readonly NotedHead[] | undefined): void {
  if (notedHeads === undefined) return;
  const chain = {
    instance: index.report.instance,
    head: index.report.head,
    sha256Of: index.digestSha256,
    linkOf: index.digestLinks,
  };
  const held: { key: string; sha256: string; sequence: number }[] = [];
  const findings: { key: string; detail: string; sha256: string }[] = [];
  for (const noted of notedHeads) {
    const finding = notedHeadFinding(chain, noted);
    if (finding === undefined)
      held.push({
        key: digestKey(chain.instance, noted.sequence),
        sha256: noted.sha256,
        sequence: noted.sequence,
      });
    else
      findings.push({ key: finding.key, detail: finding.detail, sha256: finding.found ?? NO_BYTES_SHA256 });
  }
  for (const finding of findings.reverse())
    index.problemFirst('noted-head', finding.key, finding.detail, finding.sha256);
  index.report.notedHeads = held.map(({ key, sha256 }) => ({ key, sha256 }));
  const latest = held.reduce<(typeof held)[number] | undefined>(
    (a, b) => (a === undefined || b.sequence > a.sequence ? b : a),
    undefined,
  );
  if (latest === undefined || index.sinceNoted === undefined) return;
  const signed = index.report.signaturesChecked && index.sinceNoted.signedAfter(latest.sequence);
  index.notedHeld = { key: latest.key, sequence: latest.sequence, signed };
}

/**
 * What the store holds (`stored`: each key read, with the sha256 of its bytes) otherwise than the
 * digests up to the latest noted head held left it. Without a checked signature on every digest
 * after it, each is a finding (a forger can append them, listing anything); with them, information.
 */
function judgeSinceNoted(index: ChainIndex, stored: ReadonlyMap<string, string>): void {
  const since = index.sinceNoted;
  const noted = index.notedHeld;
  if (since === undefined || noted === undefined) return;
  const instance = index.report.instance;
  // Of hours not asked for, an object is not looked for: its absence says nothing.
  const changed = since
    .changedAfter(instance, noted.sequence, stored, NO_BYTES_SHA256)
    .filter((object) => object.what !== 'gone' || index.compared.looksFor(object.key));
  index.report.changedSinceNoted = {
    after: noted.key,
    signed: noted.signed,
    count: changed.length,
    objects: changed.slice(0, MAX_PROBLEMS),
  };
  if (noted.signed) return;
  const at = { key: noted.key, createdAt: since.createdAtOf(noted.sequence) };
  for (const object of changed) {
    const kind = object.what === 'created' ? 'created-since-noted' : 'changed-since-noted';
    const claimed =
      object.digest === undefined || object.runId === undefined
        ? {}
        : { recorded: { sha256: object.sha256, digest: object.digest, runId: object.runId } };
    const notedSha = object.notedSha256 === null ? {} : { notedSha256: object.notedSha256 };
    index.problem(kind, object.key, changedSinceNotedDetail(object, at), object.sha256, {
      ...claimed,
      ...notedSha,
    });
  }
}

/** The number of the chain's last digest as `index` walked it (-1: none). */
const headSequenceOf = (index: ChainIndex): number =>
  index.report.head === null ? -1 : (digestSequenceFromKey(index.report.head.key) ?? -1);

/**
 * The objects are read after the walk: a run writing meanwhile (an ingest started just before or
 * during the check) lists its writes in digests the walk did not read, and judged by the walked
 * chain they are `changed` ("its bytes are in no digest"), `unlisted` or `missing`: false tamper
 * findings. So once the objects are checked, the chain's next digest is probed; if it is there, the
 * chain is walked again and the objects whose judgement the new digests can change are read again
 * and judged by it: those with a finding, and those the chain lists that were not found. The
 * others keep their judgement (read after the first walk, by an older part of the same chain). A
 * real change outside the ingest is listed by no digest, so it is still found. Undefined when the
 * head did not move. If it moved again meanwhile (a run writing on), the object findings left say
 * so, and to verify again once the run has ended.
 */
async function rejudgedOnGrownChain(
  store: ObjectStore,
  walked: ChainIndex,
  seen: Map<string, string>,
  source: ObjectSha256Source,
  options: VerifyIntegrityOptions,
): Promise<ChainIndex | undefined> {
  const instance = walked.report.instance;
  if (!(await chainGrew(store, walked, options.reads))) return undefined;
  const index = await walkedIndex(store, instance, options);
  const again = new Set(walked.objectFindingKeys);
  for (const key of index.keys.keys()) if (!seen.has(key) && index.compared.looksFor(key)) again.add(key);
  const listedFor = keysBySha256(index);
  let found = [...seen.keys()].filter((key) => !again.has(key)).length;
  for await (const { key, stored } of readAhead(again, async (key) => ({
    key,
    stored: await store.get(key),
  }))) {
    // `seen` follows what is read again: the noted state is compared with it after.
    const sha256 = source.noteRead(key, stored, true);
    if (sha256 !== undefined) {
      found++;
      seen.set(key, sha256);
      judgeObject(index, key, sha256, listedFor);
    } else {
      seen.delete(key);
      if (index.keys.has(key)) noteMissing(index, key);
    }
  }
  index.report.objectsChecked = found;
  if (await chainGrew(store, index, options.reads)) noteStillGrowing(index.report);
  return index;
}

/**
 * Whether a digest follows the last one `index` walked: runs append at the next number
 * (create-only), so one probe tells whether a run appended since the walk.
 */
async function chainGrew(store: ObjectStore, index: ChainIndex, reads?: VerifyReads): Promise<boolean> {
  const next = digestKey(index.report.instance, headSequenceOf(index) + 1);
  reads?.expect(1);
  const grew = store.exists ? await store.exists(next) : (await store.get(next)) !== undefined;
  reads?.done();
  return grew;
}

/** The chain grew again while the objects were judged again: the findings may be a run's writes. */
function noteStillGrowing(report: IntegrityReport): void {
  for (const problem of report.problems) {
    if (OBJECT_FINDINGS.has(problem.kind))
      problem.detail += `; the digest chain grew while verify read the lake (an ingest run is writing), so that run may have written it: verify again once the run has ended`;
  }
}

/**
 * Walks one instance's digest chain and checks the lake against it: every link, every signature
 * (when a public key is given), and every object of the instance's tables — listed by some digest,
 * with bytes a digest recorded and no later recorded write replaced. Objects a digest lists that
 * are gone are reported too. Reads every digest and every object once.
 */
export async function verifyIntegrity(
  store: ObjectStore,
  instance: string,
  options: VerifyIntegrityOptions = {},
): Promise<IntegrityReport> {
  return (await walkDigestChain(store, instance, options)).checkObjects();
}

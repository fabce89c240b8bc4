/**
 * The digest chain as the integrity check indexes it ({@link ChainIndex}): each key's history, the
 * runs and what they listed as about to be written, the findings made so far (under the report's
 * cap, accepted ones set apart), and the judgement of the versions first recorded on read.
 */
import { type AcceptedFinding, AcceptedFindings } from './accepted-findings.ts';
import type { AgedOut } from './aged-out.ts';
import type { Digest, DigestEntry, DigestLink } from './digest.ts';
import { OpenRuns } from './digest-open-runs.ts';
import { RunIntents } from './digest-run-intents.ts';
import { RunnersNoted } from './digest-runners-seen.ts';
import { type ObjectsCompared, objectsCompared } from './integrity-hours.ts';
import { type CreatedAnew, type KeyHistory, noteOrigin, noteWrite } from './integrity-key-history.ts';
import type { IntegrityProblem, IntegrityProblemKind, OpenRunSpan } from './integrity-problem.ts';
import {
  afterHeadDetail,
  type FirstSeen,
  firstRecorded,
  type ReadFirst,
  unvouchedDetail,
} from './integrity-read-first.ts';
import { emptyIntegrityReport, type IntegrityReport, MAX_PROBLEMS } from './integrity-report.ts';
import { digestKey, windowStartFromKey } from './layout.ts';
import type { RetentionStatement } from './signed-retention.ts';
import type { SinceNoted } from './verify-changed-since-noted.ts';
import type { HourRange } from './verify-range.ts';

/** The fields of a finding beside its kind, key, detail and sha256. */
export type ProblemExtra = Pick<
  IntegrityProblem,
  'previousSha256' | 'recorded' | 'notedSha256' | 'runs' | 'claimedAfterNotedHead'
>;

/** Findings about an object's bytes or presence: what a run's writes after the walk can cause. */
export const OBJECT_FINDINGS: ReadonlySet<IntegrityProblemKind> = new Set([
  'changed',
  'unlisted',
  'rolled-back',
  'holds-changed',
  'missing',
]);

export class ChainIndex {
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

  /**
   * Notes what one digest states of `retention.maxDays`, in chain order. `unvouched`: checked
   * against a public key, the key did not sign it: its statement is anyone's, and says nothing
   * (review F-EVID10 3: whoever can write an unsigned digest would excuse the hours they delete).
   */
  noteRetention(digest: Digest, key: string, unvouched = false): void {
    // A command-line run cannot know the deployment's bound, so its silence is no statement: the
    // scheduled runs' keep their force. Taken as "none", one re-pull from a laptop made every hour
    // the lifecycle expired before it `missing` for good (review AUDITOR89). Dropping it excuses
    // nothing the signed statements around it do not; the writer could state any bound anyway.
    if (!unvouched && digest.max_days === undefined && digest.runner?.caller.kind === 'command-line') return;
    // One that says nothing of it is no bound: it keeps everything (review R-SECOND7 H1).
    const maxDays = unvouched ? null : (digest.max_days ?? null);
    this.retention.push({ atMs: Date.parse(digest.created_at), maxDays, key });
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

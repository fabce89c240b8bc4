import { Deadline } from '../deadline.ts';
import { errorMessage } from '../error-message.ts';
import {
  type Clock,
  type ObjectStore,
  PreconditionFailedError,
  type PutOptions,
  type StoredObject,
} from '../ports.ts';
import { runPool } from '../worker-pool.ts';
import { type CheckpointOfChain, checkpointOfChain, RecordedManifests } from './chain-restart-guard.ts';
import { readCheckpoint } from './checkpoint.ts';
import {
  type Adoption,
  appendDigest,
  type DigestEntry,
  type DigestIntent,
  type DigestLink,
  type DigestRunMode,
  type DigestSigner,
  decodeDigest,
  inDigestScope,
  type ReadHead,
  readDigestHead,
  readDigestHeadPast,
  recordsOf,
  sha256Hex,
} from './digest.ts';
import { type OpenRunSeen, openRunsAt, type PulledHours } from './digest-open-runs.ts';
import type { DigestRunner } from './digest-runner.ts';
import { inHours, sweptKeys } from './digest-sweep-keys.ts';
import { checkpointKey, digestKey, TABLE_PREFIXES } from './layout.ts';
import { ListingOutOfTime } from './listing-out-of-time.ts';
import { READS_IN_FLIGHT } from './read-ahead.ts';

/** What the re-read before the seal leaves of the run's time: the seal's append (and signing). */
const SEAL_RESERVE_MS = 3_000;

/** The re-read before the seal against the opening's sweep of the same hours (see sealReserveMs). */
const SEAL_REREAD_FACTOR = 2;

/**
 * The least time kept for that re-read (see sealReserveMs): an opening that found the other run
 * just begun swept a few objects in milliseconds, and a run stopped at its deadline ends the hours
 * in flight and saves its checkpoint past it (0.2 s seen beside another run on a disk lake).
 */
const SEAL_REREAD_MIN_MS = 1_000;

/**
 * GETs `keys`, {@link READS_IN_FLIGHT} at a time, handing each object found to `take` as it comes
 * (the sweep keys what it takes by object, so no order is needed, and a slow GET holds no other
 * back). The first error stops new GETs and rejects once those in flight have settled. Returns how
 * many were read: fewer than `keys` when `outOfTime` stopped it.
 */
async function readAll(
  store: ObjectStore,
  keys: readonly string[],
  take: (key: string, found: StoredObject) => void,
  outOfTime: () => boolean = () => false,
): Promise<number> {
  let failed = false;
  let read = 0;
  const readOne = async (key: string): Promise<void> => {
    try {
      const found = await store.get(key);
      read++;
      if (found) take(key, found);
    } catch (error) {
      failed = true;
      throw error;
    }
  };
  const size = Math.min(READS_IN_FLIGHT, Math.max(1, keys.length));
  await runPool(keys.values(), size, readOne, () => failed || outOfTime());
  return read;
}

interface DigestRecorderOptions {
  instance: string;
  runId: string;
  clock: Clock;
  signer?: DigestSigner;
  /** Who runs the run and what it reads, written in each of its digests; absent: not recorded. */
  runner?: DigestRunner;
  /** The deployment's `retention.maxDays`, stated in each of its digests; absent: not known. */
  maxDays?: number | null;
  /** Milliseconds the run has left (none: no deadline). */
  remainingTimeMs?: () => number;
  /**
   * What the sweep of a dead run's hours leaves of that time: it stops once less is left. The
   * ingest gives its hard stop (where it aborts hours in flight), not its margin: the sweep runs
   * at the run's first write, which may come late, and the hours it would write are already read.
   */
  reserveMs?: number;
  /**
   * Begin a new chain even over hours a version recording every run wrote (their digests gone):
   * the operator's deliberate restart, which the genesis digest records. Without it such a run
   * fails before its first write (chain-restart-guard.ts).
   */
  restartChain?: boolean;
}

/** The runs open at the head a run's opening found, and their hours merged (what it sweeps). */
type OpenAtHead = { hours: PulledHours[]; runs: OpenRunSeen[] };

/** What a sweep stopped for want of time had done: objects read of all, and the run's time. */
interface SweepStopped {
  read: number;
  total: number;
  /** It stopped while listing the objects (`total`: those listed so far, `read` 0). */
  listing?: boolean;
  /** The run's time left when the sweep began, when it stopped, and what it keeps to stop in. */
  leftAtStartMs: number;
  leftAtStopMs: number;
  reserveMs: number;
}

const seconds = (ms: number): string => `${Math.max(0, Math.round(ms / 1000))} s`;

/** How far a sweep (or the re-read before the seal) got before it stopped for want of time. */
const howFar = (what: string, stopped: SweepStopped): string => {
  const began = `began with ${seconds(stopped.leftAtStartMs)} of this run left and stopped`;
  const done = stopped.listing
    ? `${what} ${began} while listing them, after ${stopped.total} objects listed`
    : `${what} (${stopped.total} objects) ${began} after ${stopped.read} of them`;
  return `${done}, ${seconds(stopped.leftAtStopMs)} before its end (a run stops reading when less than ${seconds(stopped.reserveMs)} is left)`;
};

/** What to do when every run stops for want of time: give one run more. */
const MORE_TIME = 'give a run more time (a longer function timeout, or an ingest from the command line)';

/** The sweep of a dead run's hours would outlast the run: the next run tries again. */
export class SweepOutOfTimeError extends Error {
  constructor(instance: string, stopped: SweepStopped) {
    super(
      `the digest chain of "${instance}" has runs that never sealed (a run died, or still runs): ` +
        `${howFar('reading what they may have left', stopped)}. ` +
        `The chain is left unsealed and the next run reads them again; if every run stops here, ${MORE_TIME}.`,
    );
    this.name = 'SweepOutOfTimeError';
  }
}

/**
 * Why a run's last digest was left unsealed although the run itself went well: the re-read before
 * the seal ({@link DigestRecorder.sweepAgain}) ran out of time or failed. The runs it would have
 * closed stay open, and the next run sweeps their hours again with this run's: should that happen
 * to every run, no run seals, the dead run stays open for good, and a later forgery in those hours
 * reads as what it may have written. So the ingest reports it as a failure.
 */
export interface LeftUnsealed {
  reason: 'out-of-time' | 'read-failed';
  message: string;
}

const leftUnsealed = (instance: string, reason: LeftUnsealed['reason'], how: string): LeftUnsealed => ({
  reason,
  message:
    `the digest chain of "${instance}" was left unsealed: before its seal a run reads again what the runs ` +
    `open when it began (a run died, or still runs) may have written since, and ${how}. Those runs stay ` +
    'open and the next run reads their hours again; while no run seals, a change to those hours made ' +
    'outside the ingest reads as what they may have written',
});

interface Seen {
  sha256: string;
  bytes: number;
  records: number | null;
}

/** The version a conditional put is conditional on (null: none, create-only); undefined: unconditional. */
const conditionOf = (options: PutOptions | undefined): string | null | undefined =>
  options?.ifMatch ?? (options?.ifNoneMatch === undefined ? undefined : null);

/** One intent as a map key: its object's key and the SHA-256 of the bytes. */
const intentId = (intent: DigestIntent): string => `${intent.key}\n${intent.sha256}`;

const seenOf = (key: string, body: Uint8Array): Seen => ({
  sha256: sha256Hex(body),
  bytes: body.byteLength,
  records: recordsOf(key, body),
});

/**
 * An {@link ObjectStore} decorator that records what one ingest run reads and writes in the
 * instance's tables, and appends it to the digest chain:
 * - before every checkpoint write, so the watermark never moves past hours no digest lists (a run
 *   that dies before its digest leaves those hours to be pulled again, and that run's digest then
 *   records their bytes as `read`);
 * - when the run ends ({@link DigestRecorder.seal}).
 * A flush with nothing written since the last one writes no digest.
 */
export class DigestRecorder implements ObjectStore {
  readonly location: string;
  private readonly checkpoint: string;
  /** What this run last saw of each key (read or written). */
  private readonly seen = new Map<string, Seen>();
  /** Keys this run wrote, ever (their reads are not attested separately). */
  private readonly written = new Set<string>();
  /** Keys already listed in one of this run's digests. */
  private readonly recorded = new Set<string>();
  /**
   * The keys of {@link seen} neither written nor recorded: the reads the next digest lists. Kept
   * apart so that a flush walks only those, not all the run has seen (flushes × objects: a third
   * of a 180-day backfill's CPU).
   */
  private readonly unlisted = new Set<string>();
  private pending = new Map<string, DigestEntry>();
  /** Writes about to be made that no digest of this run lists yet, by {@link intentId}. */
  private readonly intents = new Map<string, DigestIntent>();
  /** The writes a digest of this run listed as about to be made, by {@link intentId}. */
  private readonly declared = new Set<string>();
  private head?: { sequence: number; link: DigestLink };
  /** The head {@link openToCloseOpenRuns} found, when it did not open (no run was open there). */
  private found?: number;
  /** Where a check before the run's first write saw the chain end (see {@link chainSeenTo}). */
  private seenHead?: number;
  private flushing: Promise<void> = Promise.resolve();
  private opened?: Promise<void>;
  private appended = false;
  /** This run's first digest landed as digest 0: it began the chain (see {@link beganChain}). */
  private genesis = false;
  /** The number after the head this run's opening swept from (written in each of its digests). */
  private began?: number;
  /** A put answered an error and what it left could not be read back (see {@link noteIfLanded}). */
  private unsure = false;
  /**
   * Keys this run wrote that held other bytes when read again before the seal: another run's
   * later write, listed as read ({@link sweepAgain}; a key's write is never listed as a read).
   */
  private readonly readAfterWrite = new Map<string, Seen>();
  /** The hours of the runs open at this run's opening, which it swept (see {@link sweepAgain}). */
  private swept: PulledHours[] | undefined;
  /** The runs open at that opening, which this run's seal closes. */
  private closing: OpenRunSeen[] = [];
  /** Those runs, once this run's sealed digest is appended ({@link closedRuns}). */
  private closed: OpenRunSeen[] = [];
  /** How long that sweep took, by the run's deadline (0: none, or no deadline). */
  private sweptInMs = 0;
  /**
   * Puts whose outcome the read-back could not tell, by key: what was sent. A later read of the key
   * (the conditional update reads it again after a 412) settles it: this run's write when it holds
   * those bytes.
   */
  private readonly unsureOf = new Map<string, { now: Seen; replaced: string | null }>();
  /**
   * Conditional puts that failed or lost a race and whose read-back found the key still as they were
   * conditional on (`condition`: its ETag, null for create-only), by key: a put of the key may still
   * be in flight (the S3 store gives up once S3 answered 409 on every try, WriteInFlightError; a
   * store may answer it as a lost race), and it may be this very put's first attempt, landing
   * later. A later read finding exactly its bytes records them as this run's write; one
   * finding other bytes ends the wait (the put can no longer land); still waiting at the seal, the
   * run is unsure ({@link seal}). One a key: a later put of the key with other bytes is decided on
   * another version, so this one's condition no longer holds.
   */
  private readonly maybeLanded = new Map<
    string,
    { now: Seen; replaced: string | null; condition: string | null }
  >();
  private fromMs: number | null = null;
  private toMs: number | null = null;
  private mode?: DigestRunMode;
  /** Other runs seen in the chain while this one ran (see {@link otherRuns}). */
  private readonly others = new Set<string>();
  /** The checkpoint the run planned from, when it says a chain existed (see {@link chainExpected}). */
  private checkpointOfChain?: CheckpointOfChain;
  /** The highest digest number {@link keepOpen} has found (or this run's head, if higher). */
  private probedTo = -1;
  /** The probe (and append) in flight, shared by the puts waiting on it. */
  private probing?: Promise<void>;

  constructor(
    private readonly inner: ObjectStore,
    private readonly options: DigestRecorderOptions,
  ) {
    this.location = inner.location;
    this.checkpoint = checkpointKey(options.instance);
  }

  async get(key: string): Promise<StoredObject | undefined> {
    return this.noteRead(key, await this.inner.get(key));
  }

  /** A read of `key` by the run that found `found`: settles a put still unsure, or notes it seen. */
  private noteRead(key: string, found: StoredObject | undefined): StoredObject | undefined {
    if (!found || !inDigestScope(this.options.instance, key)) return found;
    const seen = seenOf(key, found.body);
    if (this.landedSince(key, found, seen)) return found;
    const sent = this.unsureOf.get(key);
    if (sent) {
      this.unsureOf.delete(key);
      if (sent.now.sha256 === seen.sha256) {
        // The put whose answer was an error landed: its bytes are this run's write, not a read.
        this.noteWrite(key, sent.now, sent.replaced);
        return found;
      }
      // Something else is there now; whether the run's bytes were ever stored stays unknown.
      this.unsure = true;
    }
    this.noteSeen(key, seen);
    return found;
  }

  async put(key: string, body: Uint8Array, options?: PutOptions): Promise<{ etag: string }> {
    if (key === this.checkpoint && this.opened) await this.flush();
    if (!inDigestScope(this.options.instance, key)) return this.inner.put(key, body, options);
    const now = seenOf(key, body);
    // Listed before the opening: its digest then carries the run's first write at no extra append.
    const intent = { key, sha256: now.sha256 };
    if (!this.declared.has(intentId(intent))) this.intents.set(intentId(intent), intent);
    await this.open();
    // Not yet listed, its own append lands after any seal there is now, which keeps the run open as
    // the probe would: the probe's GET would only delay the append (one per hour's write on S3).
    if (this.declared.has(intentId(intent))) await this.keepOpen();
    else await this.declare(intent);
    const replaced = options?.ifMatch !== undefined ? (this.seen.get(key)?.sha256 ?? null) : null;
    try {
      const result = await this.inner.put(key, body, options);
      // Landed under its condition: no earlier put of the key in flight can land any more.
      this.maybeLanded.delete(key);
      this.noteWrite(key, now, replaced);
      return result;
    } catch (error) {
      const readBack = await this.noteIfLanded(key, now, replaced, conditionOf(options));
      if (!(error instanceof PreconditionFailedError) || readBack === undefined) throw error;
      // A refusal: the conditional update reads the key next (did the put land? what to decide on?).
      // It is handed this read instead of a second GET, and the read is noted as that GET would be.
      this.noteRead(key, readBack.found);
      throw new PreconditionFailedError(key, readBack);
    }
  }

  /**
   * Lists the write of `body` to `key` in the digest the run appends next, without appending: for a
   * write built before the one ahead of it (an hour's manifest, with its events), which then shares
   * that one's append. A write listed so and never made lists bytes this run would have written.
   */
  listAhead(key: string, body: Uint8Array): void {
    if (!inDigestScope(this.options.instance, key)) return;
    const intent = { key, sha256: sha256Hex(body) };
    if (!this.declared.has(intentId(intent))) this.intents.set(intentId(intent), intent);
  }

  /**
   * Whether a read of `key` found the bytes of a put that was still in flight ({@link maybeLanded}):
   * then recorded as this run's write, not a read. Still at its condition, the put may yet land.
   */
  private landedSince(key: string, found: StoredObject, seen: Seen): boolean {
    const waiting = this.maybeLanded.get(key);
    if (!waiting || found.etag === waiting.condition) return false;
    this.maybeLanded.delete(key);
    if (waiting.now.sha256 !== seen.sha256) return false;
    this.unsureOf.delete(key);
    this.noteWrite(key, waiting.now, waiting.replaced);
    return true;
  }

  /**
   * Before a write: whether a run sealed over this one since its last digest, and if so an unsealed
   * digest first. A run is taken as closed once a run that began after its last digest seals
   * (verify's rule, `OpenRuns` in digest-open-runs.ts); a run that writes on after that and dies
   * leaves versions no digest lists and no later run sweeps, reported as changed outside the
   * ingest. A range re-pull (no checkpoint: an opening digest, then its seal) is so closed by any
   * scheduled run that opens and seals while it pulls. The unsealed digest keeps it open, so the
   * runs after it sweep its hours.
   *
   * Reads the digests past the last one this run looked at, up to the first missing: usually one
   * GET answering nothing. Appends only on a seal, so two long runs writing side by side do not
   * append a digest per write. Puts in flight together share one probe (and one append). What is
   * left is the moment between the probe and the put landing. Only for a put whose bytes a digest
   * of this run lists already: any other waits for the append listing them, which does the same.
   */
  private keepOpen(): Promise<void> {
    this.probing ??= this.probeForSeals().finally(() => {
      this.probing = undefined;
    });
    return this.probing;
  }

  private async probeForSeals(): Promise<void> {
    const last = this.head?.sequence;
    if (last === undefined) return;
    let sealedOver = false;
    let next = Math.max(this.probedTo, last) + 1;
    for (; ; next++) {
      const key = digestKey(this.options.instance, next);
      let stored: StoredObject | undefined;
      try {
        stored = await this.inner.get(key);
      } catch {
        // Not known whether a run sealed over this one: appending costs less than failing the write.
        sealedOver = true;
        break;
      }
      if (!stored) break;
      if (this.closes(key, stored.body, last)) sealedOver = true;
    }
    // Unsealed, it keeps this run open under verify's rule (its last digest is then after the seal).
    if (sealedOver) await this.flush(false, true);
    // Only now: a failed append must find the seal again at the next put.
    this.probedTo = next - 1;
  }

  /**
   * Whether the digest `key` closes this run, whose last digest is `last`: another run's sealed
   * digest, that run begun after `last` (an older digest without `began`: its own number, which is
   * never before it). One that does not decode is taken as closing it: an extra digest costs little.
   */
  private closes(key: string, body: Uint8Array, last: number): boolean {
    let digest: ReturnType<typeof decodeDigest>;
    try {
      digest = decodeDigest(key, body);
    } catch {
      return true;
    }
    return digest.run_id !== this.options.runId && digest.sealed && (digest.began ?? digest.sequence) > last;
  }

  /** What the run last saw of `key`: a read the next digest lists, unless written or listed already. */
  private noteSeen(key: string, seen: Seen): void {
    this.seen.set(key, seen);
    if (!this.written.has(key) && !this.recorded.has(key)) this.unlisted.add(key);
  }

  private noteWrite(key: string, now: Seen, replaced: string | null): void {
    this.seen.set(key, now);
    this.written.add(key);
    this.unlisted.delete(key);
    // Written twice before a flush: keep the version the first write replaced, so the chain still
    // says which recorded version is no longer current.
    const earlier = this.pending.get(key);
    this.pending.set(key, { key, ...now, how: 'write', replaced: earlier ? earlier.replaced : replaced });
  }

  /**
   * After a put that answered an error: it may have landed all the same (its answer lost, then the
   * SDK's retry of a conditional put answered 412, or every retry a 5xx). Bytes this run made must
   * be listed as its write, or `verify --integrity` later takes them for a change made outside the
   * ingest; so the key is read back, and recorded as written when it holds exactly what was sent.
   * When the read-back fails too, the key's next read by this run settles it ({@link get}); until
   * then nobody knows what the key holds, and a run that ends so ends without sealing ({@link seal}):
   * it stays open in the chain and the next run sweeps its hours (recording what it finds as read
   * while this run was open, as for a run that died). Returns what it read back; undefined when
   * that read failed.
   */
  private async noteIfLanded(
    key: string,
    now: Seen,
    replaced: string | null,
    condition: string | null | undefined,
  ): Promise<{ found: StoredObject | undefined } | undefined> {
    let found: StoredObject | undefined;
    try {
      found = await this.inner.get(key);
    } catch {
      this.unsureOf.set(key, { now, replaced });
      return undefined;
    }
    // Its bytes there: they landed. Other bytes (the usual 412 of two runs merging into one hour,
    // the old version after a 5xx that did not land, or a version written in between) are not this
    // put's: listing it then would make its `replaced` supersede a version still current, or
    // attest what the retry merges into. Left alone, the retry decides on a read of the key (this
    // one after a refusal, see put) and its write names what it replaced.
    if (found && sha256Hex(found.body) === now.sha256) {
      this.maybeLanded.delete(key);
      this.noteWrite(key, now, replaced);
      return { found };
    }
    // Still what it was conditional on: no other write landed, but a put of the key may be in
    // flight (maybe this one's first attempt, see maybeLanded); a later read settles it (landedSince).
    if (condition !== undefined && (found?.etag ?? null) === condition) {
      this.maybeLanded.set(key, { now, replaced, condition });
    } else this.maybeLanded.delete(key);
    return { found };
  }

  list(prefix: string): AsyncIterable<string> {
    return this.inner.list(prefix);
  }

  /**
   * Other runs of the instance that appended digests while this one ran: between the head it found
   * at its first write and its last digest (seen when an append lands past the head it believed
   * in). Overlapping runs are safe; this is so a run can say it was not alone. A run that writes
   * nothing appends no digest and sees none; nor does one see a run that appends nothing while it
   * runs (that run sees it instead, at its next digest).
   */
  otherRuns(): string[] {
    return [...this.others];
  }

  /** The chain's head as this run last knew it (its own last digest once it appended); undefined: none read. */
  headSequence(): number | undefined {
    return this.head?.sequence ?? this.found;
  }

  /**
   * The hours this run pulls (from its plan, `[fromMs, toMs)`; no end when not given): recorded so
   * a later run knows where to look for what it left, should it die; and how an ingest run
   * planned them (`mode`), for what `verify` calls them while it runs.
   */
  begin(fromMs: number, toMs?: number, mode?: DigestRunMode): void {
    this.fromMs = fromMs;
    this.toMs = toMs ?? null;
    this.mode = mode;
  }

  /**
   * The checkpoint the run planned from says the chain held a digest once: a genesis is then
   * refused, or under a deliberate restart recorded as one, as over manifests of recording versions.
   */
  chainExpected(checkpoint: CheckpointOfChain | undefined): void {
    this.checkpointOfChain = checkpoint;
  }

  /**
   * The chain's head as the run's chain-cut guard found it, before its first pull (a digest number
   * probed or listed as stored): the opening's search for the head starts there, so the run reads
   * the record and probes the head once. Only where the search starts, as a hint is: the head is
   * the last digest listed after it when the opening comes, read and hashed (readDigestHeadPast).
   */
  chainSeenTo(sequence: number): void {
    if (Number.isSafeInteger(sequence) && sequence >= 0) this.seenHead = sequence;
  }

  /** The chain's head now, searched from where it was seen ({@link chainSeenTo}), else from digest 0. */
  private readHead(): Promise<ReadHead | undefined> {
    const { instance } = this.options;
    return this.seenHead === undefined
      ? readDigestHead(this.inner, instance)
      : readDigestHeadPast(this.inner, instance, this.seenHead);
  }

  /**
   * Waits until a digest of this run lists `intent`: a write may land only once the chain vouches
   * for its bytes, or a run killed after it left bytes nothing tells from a forgery. Puts waiting
   * together share one append (the first takes every intent listed by then).
   */
  private declare(intent: DigestIntent): Promise<void> {
    const id = intentId(intent);
    this.flushing = this.flushing.then(() => (this.declared.has(id) ? undefined : this.flushNow(false)));
    return this.flushing;
  }

  /**
   * Appends what was written since the last digest (with the reads not yet listed); `always`, even
   * with nothing to list.
   */
  flush(sealed = false, always = false): Promise<void> {
    this.flushing = this.flushing.then(() => this.flushNow(sealed, always));
    return this.flushing;
  }

  /**
   * Whether the run tried to open its digest (before its first write to the lake) and failed: such
   * a run wrote nothing to the lake, and must write nothing the chain would have to precede (a
   * checkpoint write flushes the digest first, which needs the opening). False when it never tried.
   */
  async openFailed(): Promise<boolean> {
    if (!this.opened) return false;
    return this.opened.then(
      () => false,
      () => true,
    );
  }

  /**
   * The end of the run: a last, sealed digest (only if the run wrote anything). Unsealed instead
   * when a put's outcome is unknown ({@link noteIfLanded}), or a put that met another of its key in
   * flight may still land ({@link maybeLanded}): the run may have left bytes no digest
   * lists, as a run that died does, and must stay open for the next run to sweep its hours.
   *
   * Nothing at all when the opening failed (say one GET of the sweep of a dead run's hours): a
   * sealed digest would close the dead run without its leftovers recorded, and they would read as
   * changed outside the ingest. The head stays unsealed for the next run to sweep; the error
   * already failed the write that needed the opening.
   *
   * Returns why the digest was left unsealed when the re-read before the seal ran out of time or
   * failed ({@link LeftUnsealed}), for the run to report; undefined otherwise.
   */
  async seal(): Promise<LeftUnsealed | undefined> {
    if (!this.opened) return undefined;
    const openedOk = await this.opened.then(
      () => true,
      () => false,
    );
    if (!openedOk) return undefined;
    const unsure = this.unsure || this.unsureOf.size > 0 || this.maybeLanded.size > 0;
    const unsealed = unsure ? undefined : await this.sweepAgain();
    const sure = !unsure && unsealed === undefined;
    // Unsure, the run appends an unsealed digest even with nothing new to list: a run that began
    // before it (and swept its hours then) must not close it by sealing later.
    this.flushing = this.flushing.then(() => this.flushNow(sure, !sure));
    await this.flushing;
    if (sure) this.closed = this.closing;
    return unsealed;
  }

  /**
   * The runs this run's seal closed: open at the head its opening found (a run that died, ended
   * unsure, or was still running then), their hours read and recorded before the seal. None until
   * the seal is appended, and none when the run ended unsealed. A run whose digest the walk back
   * found missing is not known, and not among them.
   */
  closedRuns(): readonly OpenRunSeen[] {
    return this.closed;
  }

  /** Whether this run wrote the chain's genesis (digest 0): a restart asked of it was made. */
  beganChain(): boolean {
    return this.genesis;
  }

  /**
   * For a run told to restart the chain that wrote nothing (no hour to pull): opens its digest all
   * the same, so the genesis the operator asked for is written now, not by whichever later run
   * first stores an hour, which without the restart is refused. Nothing when the run opened already.
   */
  async openToRestart(): Promise<void> {
    if (this.options.restartChain && !this.opened) await this.open();
  }

  /**
   * For a run that wrote nothing: opens its digest all the same when runs are open at the chain's
   * head (one died before its seal), so its seal closes them, after reading their hours as every
   * opening does. Otherwise a run that died after its last write leaves the chain open until an
   * ingest stores an hour, and running the same work again, finding nothing to write, would not
   * seal it. Nothing when the run opened already or no run is open.
   *
   * The head is searched from where the run's guard saw it ({@link chainSeenTo}): the schedule's
   * runs with nothing to pull, three of four, would otherwise search for it from digest 0.
   */
  async openToCloseOpenRuns(): Promise<void> {
    if (this.opened) return;
    const head = await this.readHead();
    if (!head) return;
    // Read once, within the run's time, for the opening to use: the head and the walk back over
    // the open runs are what it would read again.
    const open = await this.openHours(head);
    // Kept for the run's record: the next run with nothing to pull starts its search there. Only
    // once read: a head that is not a digest (junk put at the next number) is removed by hand
    // (docs/operations.md), and a record naming it made every run after refuse as over a cut chain.
    this.found = head.sequence;
    if (open === undefined) return;
    await this.open({ head, open });
  }

  /**
   * Before the run's first write: an opening digest, after recording (as `read`) what the runs
   * still open at the head (by `verify --integrity`'s rule, {@link openRunsHours}: runs that died,
   * ended unsure of a write, or still run) may have left in the hours they pulled.
   */
  private open(known?: { head: ReadHead; open: OpenAtHead }): Promise<void> {
    this.opened ??= (async () => {
      const head = known ? known.head : await this.readHead();
      // The head is this run's (and its record's) once read: see openToCloseOpenRuns.
      const open = known ? known.open : head ? await this.openHours(head) : undefined;
      this.head = head;
      // Not the number its opening digest lands at: a run that appends in between was not swept.
      this.began = (head?.sequence ?? -1) + 1;
      const hours = open?.hours;
      if (hours !== undefined) this.sweptInMs = await this.sweep(hours);
      this.swept = hours;
      this.closing = open?.runs ?? [];
      await this.flush();
    })();
    return this.opened;
  }

  /**
   * The hours of the runs open at `head` ({@link openRunsHours}), read within the run's time: the
   * walk back over a dead run's digests stops as the sweep does ({@link SweepOutOfTimeError}). The
   * walk decodes the head from the bytes its search read and hashed, rather than GET it again.
   */
  private async openHours(head: ReadHead): Promise<OpenAtHead | undefined> {
    const deadline = new Deadline(this.options.remainingTimeMs);
    const reserveMs = this.options.reserveMs ?? 0;
    const leftAtStartMs = deadline.timeLeftMs();
    const outOfTime = () => !deadline.hasAtLeast(reserveMs);
    try {
      return await openRunsAt(this.inner, this.options.instance, head.sequence, outOfTime, head.body);
    } catch (error) {
      if (!(error instanceof ListingOutOfTime)) throw error;
      const stopped = { read: 0, total: error.listed, listing: true, leftAtStartMs, reserveMs };
      throw new SweepOutOfTimeError(this.options.instance, {
        ...stopped,
        leftAtStopMs: deadline.timeLeftMs(),
      });
    }
  }

  /**
   * Reads every object of the instance's tables of the `hours` (and every one of no one hour in the
   * partitions listed: {@link sweptKeys}).
   * Stops when the run's time runs low: the opening then fails, so the run writes nothing and does
   * not seal ({@link seal}), rather than be killed in the middle of it. Returns how long it took
   * (0 without a deadline).
   */
  private async sweep(hours: PulledHours[]): Promise<number> {
    const deadline = new Deadline(this.options.remainingTimeMs);
    const reserveMs = this.options.reserveMs ?? 0;
    const leftAtStartMs = deadline.timeLeftMs();
    const outOfTime = () => !deadline.hasAtLeast(reserveMs);
    const keys = await this.sweptKeys(
      (key) => !this.seen.has(key) && inHours(key, hours),
      hours,
      outOfTime,
    ).catch((error: unknown) => {
      if (!(error instanceof ListingOutOfTime)) throw error;
      const stopped = { read: 0, total: error.listed, listing: true, leftAtStartMs, reserveMs };
      throw new SweepOutOfTimeError(this.options.instance, {
        ...stopped,
        leftAtStopMs: deadline.timeLeftMs(),
      });
    });
    // Hashed, not counted: what proves the bytes is their SHA-256, and counting the lines of each
    // hour unzips it on the main thread (~7-12 ms a busy hour, near two minutes a year of them).
    const take = (key: string, found: StoredObject) =>
      this.noteSeen(key, { sha256: sha256Hex(found.body), bytes: found.body.byteLength, records: null });
    const read = await readAll(this.inner, keys, take, outOfTime);
    if (read < keys.length) {
      const leftAtStopMs = deadline.timeLeftMs();
      const stopped = { read, total: keys.length, leftAtStartMs, leftAtStopMs, reserveMs };
      throw new SweepOutOfTimeError(this.options.instance, stopped);
    }
    const tookMs = leftAtStartMs - deadline.timeLeftMs();
    return Number.isFinite(tookMs) ? Math.max(0, tookMs) : 0;
  }

  /**
   * The time the run keeps, once opened, for the re-read before its seal ({@link sweepAgain}): it
   * reads again the hours its opening swept, which the runs still open there may have filled as
   * much again since, so twice what that sweep took. Without it a run given a short deadline
   * (`--max-duration`) beside an open run used its time to the end and came to the re-read with
   * none left: its chain stayed unsealed and the run failed. At least {@link SEAL_REREAD_MIN_MS};
   * 0 when it swept nothing (nothing to read again) or has not opened yet.
   */
  sealReserveMs(): number {
    if (this.swept === undefined) return 0;
    return Math.max(SEAL_REREAD_MIN_MS, SEAL_REREAD_FACTOR * this.sweptInMs);
  }

  /**
   * Before sealing: the hours of the runs this seal closes (open at this run's opening) read again.
   * Such a run may still have been alive and written after the opening's sweep; sealed, this run
   * would close it with that write in no digest, and verify would take it for a change made outside
   * the ingest. What changed is listed as read in the sealed digest. When a listing or read fails or
   * time runs low, why (do not seal): the run then stays open, and the next run sweeps again.
   */
  private async sweepAgain(): Promise<LeftUnsealed | undefined> {
    const hours = this.swept;
    if (hours === undefined) return undefined;
    const deadline = new Deadline(this.options.remainingTimeMs);
    // Only what the seal's append needs, not the run's hard stop: a run cut by the hard stop comes
    // here with less than that left, and would fail on a re-read of a few objects.
    const reserveMs = Math.min(this.options.reserveMs ?? 0, SEAL_RESERVE_MS);
    const leftAtStartMs = deadline.timeLeftMs();
    const outOfTime = () => !deadline.hasAtLeast(reserveMs);
    const outOfTimeAfter = (stopped: Omit<SweepStopped, 'leftAtStartMs' | 'leftAtStopMs' | 'reserveMs'>) => {
      const all = { ...stopped, leftAtStartMs, leftAtStopMs: deadline.timeLeftMs(), reserveMs };
      return leftUnsealed(
        this.options.instance,
        'out-of-time',
        `${howFar('that re-read', all)}; if every run stops here, ${MORE_TIME}`,
      );
    };
    const take = (key: string, found: StoredObject) => {
      const sha256 = sha256Hex(found.body);
      if (this.seen.get(key)?.sha256 === sha256) return;
      const seen = { sha256, bytes: found.body.byteLength, records: null };
      // Written by this run, then by the run still open: that run's bytes, listed as read.
      if (this.written.has(key)) this.readAfterWrite.set(key, seen);
      else {
        this.recorded.delete(key);
        this.noteSeen(key, seen);
      }
    };
    try {
      const keys = await this.sweptKeys((key) => inHours(key, hours), hours, outOfTime);
      const read = await readAll(this.inner, keys, take, outOfTime);
      return read === keys.length ? undefined : outOfTimeAfter({ read, total: keys.length });
    } catch (error) {
      if (error instanceof ListingOutOfTime)
        return outOfTimeAfter({ read: 0, total: error.listed, listing: true });
      return leftUnsealed(
        this.options.instance,
        'read-failed',
        `that re-read failed: ${errorMessage(error)}`,
      );
    }
  }

  /** The keys of the instance's tables that `wanted` keeps (of `hours`, when given: see {@link sweptKeys}). */
  private sweptKeys(
    wanted: (key: string) => boolean,
    hours?: readonly PulledHours[],
    outOfTime?: () => boolean,
  ): Promise<string[]> {
    return sweptKeys(this.inner, this.options.instance, wanted, hours, outOfTime);
  }

  private async flushNow(sealed: boolean, always = false): Promise<void> {
    const opening = this.head === undefined || !this.appended;
    if (this.pending.size === 0 && this.intents.size === 0 && !sealed && !opening && !always) return;
    const writes = [...this.pending.values()];
    const intents = [...this.intents.values()];
    const reads: DigestEntry[] = [];
    // In any order: the digest lists its objects sorted by key.
    for (const key of this.unlisted) {
      const seen = this.seen.get(key);
      if (seen) reads.push({ key, ...seen, how: 'read' });
    }
    for (const [key, seen] of this.readAfterWrite) reads.push({ key, ...seen, how: 'read' });
    this.readAfterWrite.clear();
    const objects = [...writes, ...reads].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const believed = this.head;
    this.head = await appendDigest(this.inner, {
      instance: this.options.instance,
      runId: this.options.runId,
      createdAt: new Date(this.options.clock.now()).toISOString(),
      objects,
      intents,
      sealed,
      fromMs: this.fromMs,
      toMs: this.toMs,
      began: this.began,
      ...(this.mode ? { mode: this.mode } : {}),
      ...this.stated(),
      head: this.head,
      signer: this.options.signer,
      adopt: () => this.adoptExisting(),
    });
    this.noteAppended(this.head.sequence);
    for (const intent of intents) {
      this.declared.add(intentId(intent));
      this.intents.delete(intentId(intent));
    }
    // Landed past the head it believed in: other runs appended in between.
    await this.noteOthers((believed?.sequence ?? -1) + 1, this.head.sequence - 1);
    for (const entry of objects) {
      this.recorded.add(entry.key);
      this.unlisted.delete(entry.key);
      if (this.pending.get(entry.key) === entry) this.pending.delete(entry.key);
    }
  }

  /** After an append landing at `sequence`: the run's first digest at 0 began the chain. */
  private noteAppended(sequence: number): void {
    if (!this.appended && sequence === 0) this.genesis = true;
    this.appended = true;
  }

  /** What each digest of the run states of it: who runs it, and the deployment's retention. */
  private stated(): { runner?: DigestRunner; maxDays?: number | null } {
    const { runner, maxDays } = this.options;
    return { ...(runner ? { runner } : {}), ...(maxDays === undefined ? {} : { maxDays }) };
  }

  /** Notes the runs of digests `from` to `to` (inclusive) other than this one. */
  private async noteOthers(from: number, to: number): Promise<void> {
    for (let sequence = from; sequence <= to; sequence++) {
      const key = digestKey(this.options.instance, sequence);
      const stored = await this.inner.get(key);
      if (!stored) continue;
      // Only to say who else ran: a digest that does not decode is the integrity check's business.
      const runId = (() => {
        try {
          return decodeDigest(key, stored.body).run_id;
        } catch {
          return undefined;
        }
      })();
      if (runId !== undefined && runId !== this.options.runId) this.others.add(runId);
    }
  }

  /**
   * For a lake with no chain yet: everything already in the instance's tables this run did not
   * touch. Refused over hours a recording version wrote, unless the restart is deliberate: the
   * objects it read before (a re-pulled hour's manifest) are read again to tell, only here.
   */
  private async adoptExisting(): Promise<Adoption> {
    const entries: DigestEntry[] = [];
    const recorded = new RecordedManifests();
    const keys = await this.sweptKeys((key) => !this.seen.has(key));
    await readAll(this.inner, keys, (key, found) => {
      entries.push({ key, ...seenOf(key, found.body), how: 'adopt' });
      recorded.note(key, found.body);
    });
    const manifestsRead = [...this.seen.keys()].filter((key) =>
      key.startsWith(`${TABLE_PREFIXES.coverage}/`),
    );
    await readAll(this.inner, manifestsRead, (key, found) => recorded.note(key, found.body));
    const expected = this.checkpointOfChain;
    if (this.options.restartChain)
      return { entries, restarted: recorded.found > 0 || expected !== undefined };
    const refusal = recorded.refusal(this.options.instance, expected);
    // A run begun beside this one may have made the genesis (and written those hours) since this
    // run found no chain: then this genesis loses its number, and the run appends after that one.
    if (refusal && !(await this.inner.get(digestKey(this.options.instance, 0)))) throw refusal;
    return { entries };
  }
}

/**
 * Runs `work` (a use case other than the ingest that rewrites table objects, such as enrich) on a
 * store that records its reads and writes in the instance's digest chain, then seals the chain, so
 * `verify --integrity` accepts what it rewrote. What it wrote before failing is recorded too.
 */
export async function withDigests<T>(
  store: ObjectStore,
  options: DigestRecorderOptions & { fromMs: number; toMs?: number },
  work: (recording: ObjectStore) => Promise<T>,
): Promise<T> {
  const recorder = new DigestRecorder(store, options);
  recorder.begin(options.fromMs, options.toMs);
  // Its genesis, should it make one, is refused under a checkpoint saying a chain existed, as the
  // ingest's is. One that cannot be read says nothing: the manifests still do.
  const read = await readCheckpoint(store, options.instance).catch(() => undefined);
  recorder.chainExpected(checkpointOfChain(read?.checkpoint));
  let result: T;
  try {
    result = await work(recorder);
    // A run that died before its seal (this same work, after its last write) left the chain open;
    // with nothing to write, this run would neither open nor seal it.
    await recorder.openToCloseOpenRuns();
  } catch (error) {
    // The work's own error is the one to report; the sweep of the next run covers a failed seal.
    await recorder.seal().catch(() => undefined);
    throw error;
  }
  // Its work is done and stays (recorded in the chain's unsealed digest); the chain left open is
  // an error all the same, or the use case would report success over a chain no run seals.
  const left = await recorder.seal();
  if (left)
    throw new Error(
      `${left.message}; the next ingest run that stores an hour, or this same work run again, seals the chain (this work is kept)`,
    );
  return result;
}

import type { ObjectStore } from '../ports.ts';
import { type Digest, decodeChainDigest } from './digest.ts';
import { digestKey } from './layout.ts';
import { ListingOutOfTime } from './listing-out-of-time.ts';

/**
 * Which runs, at a point of the chain, may have written versions no digest lists yet: the runs
 * whose last digest so far is not sealed. A run lists every write in a digest before its sealed
 * one, so a version read at that point and written by no digest of the whole chain can only be the
 * write of one of those runs that never sealed (it died, or still runs) if its hour is one that
 * run pulled, or was made outside the ingest. Runs overlap (a re-pull beside the schedule): a run open when another read is the usual
 * case, not a sign of a death.
 *
 * A run that never seals stays open until a run that began after its last digest seals (began:
 * where that run's opening swept from, its digests' `began`, or its first digest in older chains): by then
 * it had gone silent for a whole run, and is taken as ended (a run that began after an unsealed
 * head swept the hours it pulled, and recorded what it left). Without that, one run killed long
 * ago would excuse every forgery read after it. A run that goes silent for a whole other run and
 * then writes again first appends an unsealed digest (the recorder looks for such seals before
 * each write), so it is open again; what is left: a write sent before another run's seal landed and
 * landing after that run's last read of the hour, by a run that then dies, is reported as `changed`.
 *
 * The opening sweep of a run follows the same rule ({@link openRunsHours}): it reads the hours of
 * every run this class counts as open at the head it finds, so the run that closes one has
 * recorded what it left. A sweep that stopped at the first sealed digest would miss a run that
 * died while an older overlapping run went on and sealed after it.
 */
export class OpenRuns {
  /** Runs whose last digest so far is unsealed, with that digest's number. */
  private readonly unsealed = new Map<string, number>();
  private readonly firstSequence = new Map<string, number>();
  private readonly sealed = new Set<string>();
  /** Each run's earliest `from_ms` (null: unknown, any hour). */
  private readonly fromMs = new Map<string, number | null>();
  /** Each run's latest `to_ms` (null: unknown, no end). */
  private readonly toMs = new Map<string, number | null>();
  /** Each run's last digest so far. */
  private readonly lastSequence = new Map<string, number>();
  /** The API each run's digests say it read, the last that says. */
  private readonly apiBase = new Map<string, string>();
  /** Each run's digests noted. */
  private readonly digestCount = new Map<string, number>();

  /** The number of the run's first digest (undefined: no digest of it noted yet). */
  firstDigestOf(runId: string): number | undefined {
    return this.firstSequence.get(runId);
  }

  /** The runs other than `runId` open before the digest about to be noted. */
  openBesides(runId: string): string[] {
    return [...this.unsealed.keys()].filter((run) => run !== runId);
  }

  /** Takes one digest, in chain order. */
  note(digest: Digest): void {
    const run = digest.run_id;
    if (!this.firstSequence.has(run)) this.firstSequence.set(run, digest.sequence);
    this.lastSequence.set(run, digest.sequence);
    this.digestCount.set(run, (this.digestCount.get(run) ?? 0) + 1);
    if (digest.runner?.api_base !== undefined) this.apiBase.set(run, digest.runner.api_base);
    const from = this.fromMs.has(run) ? this.fromMs.get(run) : digest.from_ms;
    this.fromMs.set(run, from == null || digest.from_ms === null ? null : Math.min(from, digest.from_ms));
    const to = this.toMs.has(run) ? this.toMs.get(run) : digest.to_ms;
    this.toMs.set(run, to == null || digest.to_ms == null ? null : Math.max(to, digest.to_ms));
    if (!digest.sealed) {
      this.unsealed.set(run, digest.sequence);
      return;
    }
    this.unsealed.delete(run);
    this.sealed.add(run);
    // Where the run's opening swept from, when its digests say (never after its first digest).
    const first = this.firstSequence.get(run) ?? digest.sequence;
    const began = Math.min(digest.began ?? first, first);
    for (const [other, last] of this.unsealed) if (last < began) this.unsealed.delete(other);
  }

  /**
   * The hours the run pulled (from the earliest `from_ms` of its digests on, before their latest
   * `to_ms` when they all give one) and its last digest so far: where one pull over those hours
   * checks every version it may have left; and the API its digests say it read, to pull from.
   */
  spanOf(
    runId: string,
  ): { fromMs: number | null; toMs: number | null; lastSequence: number; apiBase?: string } | undefined {
    const lastSequence = this.lastSequence.get(runId);
    if (lastSequence === undefined) return undefined;
    const apiBase = this.apiBase.get(runId);
    return {
      fromMs: this.fromMs.get(runId) ?? null,
      toMs: this.toMs.get(runId) ?? null,
      lastSequence,
      ...(apiBase === undefined ? {} : { apiBase }),
    };
  }

  /**
   * The hours of the runs open after the digests noted so far: each run's, from the earliest
   * `from_ms` of its digests on, before their latest `to_ms` when they all give one.
   */
  openHours(): PulledHours[] {
    return [...this.unsealed.keys()].map((run) => ({
      fromMs: this.fromMs.get(run) ?? null,
      toMs: this.toMs.get(run) ?? null,
    }));
  }

  /** The runs open after the digests noted so far, each with its hours and its digests. */
  openRuns(): OpenRunSeen[] {
    return [...this.unsealed.keys()].map((runId) => ({
      runId,
      fromMs: this.fromMs.get(runId) ?? null,
      toMs: this.toMs.get(runId) ?? null,
      digests: this.digestCount.get(runId) ?? 0,
    }));
  }

  /** Whether a digest of the run is sealed anywhere in the chain noted so far. */
  everSealed(runId: string): boolean {
    return this.sealed.has(runId);
  }
}

/** The hours a run pulls: `[fromMs, toMs)`, where null means no bound (unknown). */
export interface PulledHours {
  fromMs: number | null;
  toMs: number | null;
}

/** Hours covering both: the earlier start and the later end (null, no bound, wins). */
const spanning = (a: PulledHours, b: PulledHours): PulledHours => ({
  fromMs: a.fromMs === null || b.fromMs === null ? null : Math.min(a.fromMs, b.fromMs),
  toMs: a.toMs === null || b.toMs === null ? null : Math.max(a.toMs, b.toMs),
});

const startOf = (hours: PulledHours): number => hours.fromMs ?? Number.NEGATIVE_INFINITY;
const endOf = (hours: PulledHours): number => hours.toMs ?? Number.POSITIVE_INFINITY;
/** Infinite bounds compared without subtracting them (which gives NaN). */
const compare = (x: number, y: number): number => (x < y ? -1 : x > y ? 1 : 0);

/**
 * The hours of several runs as the fewest ranges covering exactly them, in order: overlapping or
 * adjacent ones merged, a null bound staying unbounded. Not one range from the earliest start to
 * the latest end: a dead re-pull of one day of 2019 beside an open run of today would have the
 * sweep read seven years of hours for 27 pulled.
 */
export function mergeHours(ranges: readonly PulledHours[]): PulledHours[] {
  const sorted = [...ranges].sort((a, b) => compare(startOf(a), startOf(b)) || compare(endOf(a), endOf(b)));
  const merged: PulledHours[] = [];
  for (const range of sorted) {
    const last = merged.at(-1);
    if (last !== undefined && startOf(range) <= endOf(last)) {
      if (endOf(range) > endOf(last)) last.toMs = range.toMs;
    } else merged.push({ ...range });
  }
  return merged;
}

/** Digests read at once while walking the chain back (one after the other, each is a round trip). */
const WALK_BATCH = 16;

/** Walking the chain back from its head: the runs met so far, and where the open ones can end. */
class BackwardWalk {
  /** Runs whose last digest was met (the first one met, walking back). */
  private readonly met = new Set<string>();
  private readonly open = new Set<string>();
  /** Runs whose last digest is below this number are closed: a run that began there sealed. */
  floor = 0;
  /** Each open run's hours, spanning its digests' (as {@link OpenRuns.openHours} gives them). */
  readonly hours = new Map<string, PulledHours>();
  /** Each open run's digests met. */
  readonly digests = new Map<string, number>();
  /** A sealed digest without `began` was met: where its run began is below it, unknown here. */
  metOlderSeal = false;

  /** Takes the digest before the last one taken. */
  take(digest: Digest): void {
    const run = digest.run_id;
    if (!this.met.has(run)) {
      this.met.add(run);
      if (!digest.sealed) this.open.add(run);
    }
    // A digest written before `began` was recorded: taken as its run's first (the walk stops at
    // it, as sweeps did before), since where that run began is not known without reading further.
    if (digest.sealed) {
      this.floor = Math.max(this.floor, Math.min(digest.began ?? digest.sequence, digest.sequence));
      if (digest.began === undefined) this.metOlderSeal = true;
    }
    if (this.open.has(run)) {
      const pulled = { fromMs: digest.from_ms, toMs: digest.to_ms ?? null };
      const before = this.hours.get(run);
      this.hours.set(run, before === undefined ? pulled : spanning(before, pulled));
      this.digests.set(run, (this.digests.get(run) ?? 0) + 1);
    }
  }
}

/**
 * The hours pulled by the runs {@link OpenRuns} counts as open after digest `headSequence` (at
 * least: no bound where a digest is missing), or undefined when there are none: each run's hours
 * (from the earliest start to the latest end of its digests), merged only where they overlap or
 * touch ({@link mergeHours}). Walks the chain
 * back from the head, past sealed digests, down to where the latest-begun run that sealed began
 * (its `began`): every run whose last digest is before that is closed. After a run that ran alone,
 * that is its own few digests.
 */
export async function openRunsHours(
  store: ObjectStore,
  instance: string,
  headSequence: number,
  outOfTime: () => boolean = () => false,
): Promise<PulledHours[] | undefined> {
  return (await openRunsAt(store, instance, headSequence, outOfTime))?.hours;
}

/** A run open at the chain's head: what a seal after it closes. */
export interface OpenRunSeen extends PulledHours {
  runId: string;
  /** Its digests read walking back from the head (those after where the last seal's run began). */
  digests: number;
}

/**
 * {@link openRunsHours}, with the runs open there (none known when a digest is missing: its run
 * is not known, and the hours are unbounded). `headBody`: the head's bytes, when the caller has
 * just read them to find and hash the head (not read again).
 */
export async function openRunsAt(
  store: ObjectStore,
  instance: string,
  headSequence: number,
  outOfTime: () => boolean = () => false,
  headBody?: Uint8Array,
): Promise<{ hours: PulledHours[]; runs: OpenRunSeen[] } | undefined> {
  const walk = new BackwardWalk();
  const read = readingDigests(store, instance, headSequence, headBody);
  let top = headSequence;
  // The head alone first: sealed, as it usually is, it says how far back the walk goes.
  let batch = 1;
  while (top >= walk.floor) {
    // A dead run lists a digest per batch of writes (their intents): a long one leaves many, and
    // the walk must stop as the sweep does, not run the invocation into its timeout.
    if (outOfTime()) throw new ListingOutOfTime(headSequence - top);
    const bottom = Math.max(walk.floor, top - batch + 1);
    batch = WALK_BATCH;
    const numbers = Array.from({ length: top - bottom + 1 }, (_, at) => top - at);
    const stored = await Promise.all(numbers.map(read));
    for (const [at, sequence] of numbers.entries()) {
      if (sequence < walk.floor) break;
      const found = stored[at];
      if (!found) return UNBOUNDED;
      walk.take(decodeChainDigest(digestKey(instance, sequence), found));
    }
    top = bottom - 1;
  }
  // Older code's seal closes only the runs whose last digest is before its run's first digest,
  // which may lie anywhere below: the whole chain is read forward once, as verify reads it (after
  // the upgrade, the first seal with `began` shortens every later walk again). Within the same
  // time: a long chain read whole would otherwise run the invocation into its timeout.
  if (walk.metOlderSeal) return openHoursOfChain(read, instance, headSequence, outOfTime, headSequence - top);
  if (walk.hours.size === 0) return undefined;
  const runs = [...walk.hours].map(([runId, hours]) => ({
    runId,
    ...hours,
    digests: walk.digests.get(runId) ?? 0,
  }));
  return { hours: mergeHours([...walk.hours.values()]), runs };
}

/** Reads digest `sequence`'s bytes (undefined: missing), the head's from `headBody` when given. */
type DigestReader = (sequence: number) => Promise<Uint8Array | undefined>;

const readingDigests =
  (
    store: ObjectStore,
    instance: string,
    headSequence: number,
    headBody: Uint8Array | undefined,
  ): DigestReader =>
  async (sequence) =>
    sequence === headSequence && headBody !== undefined
      ? headBody
      : (await store.get(digestKey(instance, sequence)))?.body;

/** A digest missing below the head: any hour, of runs not known. */
const UNBOUNDED = { hours: [{ fromMs: null, toMs: null }], runs: [] };

/**
 * {@link openRunsHours} by reading every digest up to `headSequence`, in order, by verify's rule;
 * stops as the walk back does when `outOfTime` says so before a batch (`walked`: the digests that
 * walk read, counted in what the stop says was read).
 */
async function openHoursOfChain(
  read: DigestReader,
  instance: string,
  headSequence: number,
  outOfTime: () => boolean,
  walked: number,
): Promise<{ hours: PulledHours[]; runs: OpenRunSeen[] } | undefined> {
  const runs = new OpenRuns();
  for (let from = 0; from <= headSequence; from += WALK_BATCH) {
    if (outOfTime()) throw new ListingOutOfTime(walked + from);
    const numbers = Array.from(
      { length: Math.min(WALK_BATCH, headSequence - from + 1) },
      (_, at) => from + at,
    );
    const stored = await Promise.all(numbers.map(read));
    for (const [at, sequence] of numbers.entries()) {
      const found = stored[at];
      if (!found) return UNBOUNDED;
      runs.note(decodeChainDigest(digestKey(instance, sequence), found));
    }
  }
  const hours = runs.openHours();
  return hours.length === 0 ? undefined : { hours: mergeHours(hours), runs: runs.openRuns() };
}

/** Reads what the alerts run needs from the lake, one UTC hour at a time. */
import { errorMessage } from '../error-message.ts';
import { readCoverage } from '../lake/coverage.ts';
import { decodeDigest, digestStored, lookPast, readDigestHeadSequence, sha256Hex } from '../lake/digest.ts';
import { activityKey, digestKey, tableInstancePrefix, windowStartFromKey } from '../lake/layout.ts';
import type { ObjectStore } from '../ports.ts';
import { HOUR_MS } from '../time-units.ts';
import type { AlertEvent } from './alert-event.ts';
import { forEachGzipLine } from './gzip-lines.ts';
import { alertEventOfLine, DEFAULT_KEPT_READS, type KeptReads } from './kept-events.ts';

/** The version of an hour without an activity object. */
export const NO_OBJECT = 'none';

/**
 * The version the login profile records for an hour whose object did not read (folded as without
 * sign-ins): no object’s version (16 hex digits), so the object that mends it, a re-pull that may be
 * byte for byte what the hour held before the damage, differs from it once the chain names it, and
 * the hour is folded again. Recording the version the chain named would take that object for the
 * one folded, and the hour's sign-ins would stay out of the history.
 */
export const DAMAGED_OBJECT = 'damaged';

/**
 * The version of an activity object as the login profile remembers it: the first 16 hex digits of
 * its SHA-256, the hash the digest chain records for each write (S3 ETags are not comparable).
 */
export const objectVersion = (sha256: string): string => sha256.slice(0, 16);

/**
 * An hour's events the detectors read (kept-events.ts) and the version of the object they were
 * read from ({@link NO_OBJECT} without one).
 */
export interface LakeHour {
  events: AlertEvent[];
  version: string;
}

/** The events of an activity object the detectors read, in file order, its other lines never parsed. */
async function alertEventsOf(body: Uint8Array, key: string, reads: KeptReads): Promise<AlertEvent[]> {
  const events: AlertEvent[] = [];
  await forEachGzipLine(body, key, (line, lineNumber) => {
    const event = alertEventOfLine(line, key, lineNumber, reads);
    if (event !== undefined) events.push(event);
  });
  return events;
}

/**
 * An activity object read whole that is not what the lake stores (not gzip, cut short, not UTF-8,
 * a line not a JSON object): damaged in place, or not written by this tool. Reading it again gives
 * the same; only rewriting the hour (a re-pull) mends it. A failure to fetch it (the network, a
 * 5xx of the store) is not this: it is thrown as it came, and the next read may work.
 */
export class DamagedHourError extends Error {
  constructor(
    readonly key: string,
    readonly hourMs: number,
    cause: unknown,
  ) {
    super(errorMessage(cause), { cause });
    this.name = 'DamagedHourError';
  }
}

/**
 * The events stored for an hour that the detectors read (none when the hour has no object), with
 * the object's version. The object is decompressed a chunk at a time and only those events kept:
 * a busy hour whole is ~150 MB of text and more once parsed (alert-event.ts). Throws a
 * {@link DamagedHourError} when the object fetched does not read.
 */
export async function readHour(
  store: ObjectStore,
  instance: string,
  hourMs: number,
  reads: KeptReads = DEFAULT_KEPT_READS,
): Promise<LakeHour> {
  const key = activityKey(instance, hourMs);
  const object = await store.get(key);
  if (!object) return { events: [], version: NO_OBJECT };
  let events: AlertEvent[];
  try {
    events = await alertEventsOf(object.body, key, reads);
  } catch (error) {
    // A RangeError is the process's (memory, a string too long), not the object's.
    if (error instanceof RangeError) throw error;
    throw new DamagedHourError(key, hourMs, error);
  }
  return { events, version: objectVersion(sha256Hex(object.body)) };
}

/** What identifies an hour's content: its coverage manifest's hash (`none` when not covered). */
export async function hourContentHash(store: ObjectStore, instance: string, hourMs: number): Promise<string> {
  return (await readCoverage(store, instance, hourMs))?.content_hash ?? 'none';
}

/** The first hour stored for the instance (one listing call), or undefined for an empty lake. */
export async function firstLakeHour(store: ObjectStore, instance: string): Promise<number | undefined> {
  for await (const key of store.list(tableInstancePrefix('activity_log', instance))) {
    const hour = windowStartFromKey(key);
    if (hour !== undefined) return hour;
  }
  return undefined;
}

/**
 * Hours kept either side of the one last read: evaluating hour H reads H and H-1, and the next
 * hour evaluated (H+1 walking forward, H-1 or earlier walking back, as the late pass does) reuses
 * one of them.
 */
const CACHE_REACH_MS = 2 * HOUR_MS;

/**
 * Keeps the few hours read around the last one, since evaluating hour H also reads hour H-1. Kept
 * by distance, whichever way the hours are read: evicting only the hours before the one read kept
 * every hour of a walk backwards (the late pass reads its hours newest first), 48 busy hours at
 * once, past the function's memory; a run that died so never wrote its checkpoint, and every later
 * run read the same hours again.
 */
export class HourCache {
  private readonly hours = new Map<number, LakeHour>();
  constructor(
    private readonly store: ObjectStore,
    private readonly instance: string,
    /** What the run reads beyond the detectors' usual events (kept-events.ts): the exports when on. */
    private readonly reads: KeptReads = DEFAULT_KEPT_READS,
  ) {}

  async read(hourMs: number): Promise<LakeHour> {
    const cached = this.hours.get(hourMs);
    if (cached) return cached;
    const hour = await readHour(this.store, this.instance, hourMs, this.reads);
    this.hours.set(hourMs, hour);
    for (const kept of this.hours.keys()) {
      if (Math.abs(kept - hourMs) > CACHE_REACH_MS) this.hours.delete(kept);
    }
    return hour;
  }

  /** How many hours are kept now (what a test pins). */
  get held(): number {
    return this.hours.size;
  }

  async get(hourMs: number): Promise<AlertEvent[]> {
    return (await this.read(hourMs)).events;
  }
}

/**
 * The number the instance's next digest will get (0 for a lake without a chain): the one after the
 * head the ingest appends to, found the same way (a search of HEAD probes confirmed by a listing),
 * so a digest missing in the middle is not taken for the end.
 */
export const digestChainEnd = async (store: ObjectStore, instance: string): Promise<number> =>
  ((await readDigestHeadSequence(store, instance)) ?? -1) + 1;

/** What the digest chain says about the activity objects written (or re-read) since a digest. */
export interface LakeChanges {
  /** Per hour start, the version of its object the latest of those digests lists. */
  versions: Map<number, string>;
  /**
   * The hours of `versions` an ingest run wrote (a digest with a run mode: the lookback, a
   * re-pull), which may hold events never seen; `enrich` (no mode) keeps an hour's events.
   */
  pulled: Set<number>;
  /**
   * The hours of `pulled`, each with the number of the last digest that says an ingest run wrote
   * it: a run that read its object after reading that digest has seen that write.
   */
  pulledIn: Map<number, number>;
  /** The next digest to read. */
  next: number;
  /**
   * Why the digests could not all be read (see {@link lakeChangesSince}), when so: any hour may
   * then have changed.
   */
  incomplete?: string;
  /**
   * Where the reading stopped when more than {@link MAX_DIGESTS_PER_RUN} digests were new (`next`
   * is then the chain's end): what the digests before it say is complete, and a reader that must
   * see every digest (the late pass) carries on from it in the next run.
   */
  readTo?: number;
}

/** Adds the hours a digest lists ({@link listedHours}) to what the chain says changed. */
function addListed(
  digest: { listed: [number, string][]; pulled: boolean; sequence: number },
  changes: Pick<LakeChanges, 'versions' | 'pulled' | 'pulledIn'>,
): void {
  for (const [hour, version] of digest.listed) {
    changes.versions.set(hour, version);
    if (!digest.pulled) continue;
    changes.pulled.add(hour);
    changes.pulledIn.set(hour, digest.sequence);
  }
}

/** Digests read at most in one run; beyond, folding the history again costs less than reading on. */
export const MAX_DIGESTS_PER_RUN = 500;

/** The hour of an activity object of `instance`, or undefined for any other key. */
function activityHour(instance: string, key: string): number | undefined {
  return key.startsWith(tableInstancePrefix('activity_log', instance)) ? windowStartFromKey(key) : undefined;
}

/**
 * The activity objects a digest lists, by hour, with their versions, and whether an ingest run
 * wrote it; throws when it is not a digest.
 */
function listedHours(
  instance: string,
  key: string,
  body: Uint8Array,
): { listed: [number, string][]; pulled: boolean } {
  const listed: [number, string][] = [];
  const digest = decodeDigest(key, body);
  for (const entry of digest.objects) {
    const hour = activityHour(instance, entry.key);
    if (hour !== undefined) listed.push([hour, objectVersion(entry.sha256)]);
  }
  return { listed, pulled: digest.mode !== undefined };
}

/**
 * Why digest `sequence`, found missing, is a gap rather than the chain's end, or undefined at the
 * end: digests follow it (deleted, then, and what it listed is unknown). Taken as the end, every
 * later run would stop there and read nothing after it. One listing after it tells; a digest that
 * is there by then was being written (numbers are taken in order), not deleted.
 */
async function missingBelowHead(
  store: ObjectStore,
  instance: string,
  sequence: number,
): Promise<string | undefined> {
  const { last } = await lookPast(store, instance, sequence);
  if (last === undefined || (await digestStored(store, instance, sequence))) return undefined;
  return `digest ${sequence} is missing from the chain, which goes on to ${digestKey(instance, last)} at least (deleted? the integrity check of verify reports it)`;
}

/**
 * Reads the instance's digest chain from digest `from` to its end. Every write to the lake's tables
 * (the ingest's, `enrich`'s) is listed there with the SHA-256 of the bytes written, after the write
 * and before the ingest moves its watermark; a run that died before its digest has what it left
 * listed (as read) by the next run's. Without `from` (nothing read yet), only finds the end.
 * Incomplete when the digest before `from` is gone (not the chain read last time), one is missing
 * below the head (deleted), one is not a digest, or more than {@link MAX_DIGESTS_PER_RUN} are new
 * (`readTo` then says where the reading stopped); `next` is then the chain's end.
 */
export async function lakeChangesSince(
  store: ObjectStore,
  instance: string,
  from: number | undefined,
): Promise<LakeChanges> {
  const found = {
    versions: new Map<number, string>(),
    pulled: new Set<number>(),
    pulledIn: new Map<number, number>(),
  };
  const restart = async (incomplete?: string): Promise<LakeChanges> => ({
    ...found,
    next: await digestChainEnd(store, instance),
    ...(incomplete === undefined ? {} : { incomplete }),
  });
  if (from === undefined) return restart();
  if (from > 0 && !(await digestStored(store, instance, from - 1))) {
    return restart(`digest ${from - 1}, read last time, is no longer in the chain`);
  }
  for (let n = from; n < from + MAX_DIGESTS_PER_RUN; n++) {
    const key = digestKey(instance, n);
    const stored = await store.get(key);
    if (!stored) {
      const gap = await missingBelowHead(store, instance, n);
      return gap === undefined ? { ...found, next: n } : restart(gap);
    }
    try {
      addListed({ ...listedHours(instance, key, stored.body), sequence: n }, found);
    } catch (error) {
      return restart(errorMessage(error));
    }
  }
  return {
    ...(await restart(`more than ${MAX_DIGESTS_PER_RUN} new digests`)),
    readTo: from + MAX_DIGESTS_PER_RUN,
  };
}

import { errorMessage } from '../error-message.ts';
import type { Digest } from '../lake/digest.ts';
import { readDigests, tailSequences } from '../lake/digest-tail.ts';
import { readLinkedDigest } from '../lake/genesis-link.ts';
import type { RepullAt } from '../lake/hours-repulled.ts';
import { digestKey, tableDayPrefix, windowStartFromKey } from '../lake/layout.ts';
import {
  namedAfterWritten,
  type SkippedHours,
  skippedButCovered,
  skippedSpanOf,
  undatedSpans,
} from '../lake/skipped-hours.ts';
import { hoursStoredOnce, type StoredSearchCut } from '../lake/skipped-hours-stored.ts';
import type { ObjectStore } from '../ports.ts';
import { DAY_MS, floorHour, HOUR_MS } from '../time-units.ts';

/**
 * What status finds wrong with single hours of the lake that a count of manifests cannot show
 * (review F-EVID10 2): a manifest that cannot be read (told for its hour, not a failed status), an
 * hour whose manifest counts events but whose events object is gone, and the lake's oldest hours
 * gone. Each is a deletion or an edit no ingest makes; verify names the objects.
 */
export interface HourFindings {
  /** Hours of the last 7 days whose manifest cannot be read, and why. */
  unreadableManifests: { hourMs: number; reason: string }[];
  /** Hours of the last 7 days whose manifest counts events, with no events object. */
  eventsGone: number[];
  /**
   * The chain's first run pulled from `fromMs` (its first digest's `from_ms`), later than the
   * retention bound the last run recorded, yet the lake's first manifest is of `firstMs`: the hours
   * between are gone. Null when not, or unknown.
   */
  oldestGone: { fromMs: number; firstMs: number } | null;
  /**
   * The chain's first digest, whose `from_ms` {@link oldestGone} and the schedule's start rest on,
   * is gone while digest 1 is there, or is not the one digest 1 names (lake/genesis-link.ts):
   * deleted, edited or replaced, and a start moved on hides the oldest hours deleted. DAMAGED.
   * Absent: linked, or not judged.
   */
  startUnlinked?: true;
  /**
   * The key of the schedule's first digest, found past the ranges a lake began with, when it is
   * not the one the next digest names, or names other bytes than the digest before it (or that one
   * is gone): edited, or the one before edited or removed so the search passed the real first.
   * Where the schedule began, which clears the hours before it, is then not taken, and the lake is
   * DAMAGED. Read only when such hours are found (otherwise its start clears nothing). Absent:
   * linked, or not read.
   */
  scheduleStartUnlinked?: string;
  /**
   * Hours of the last 7 days, from the lake's first and from where the schedule's first run began
   * (hours before it were never the checkpoint's: a range pulled before the lake's first hour), before
   * the end of those the checkpoint says are complete (`completeBeforeMs`: its watermark, or its
   * `retry_from_ms`), with no manifest, readable or not: removed, or never stored under a watermark
   * that moved past them. No scheduled run goes back for them (review ONCALL). None when the end is
   * unknown. Those a run will still pull again are {@link awaitingRepull} instead.
   */
  uncovered: number[];
  /**
   * Hours as {@link uncovered} that a run following the checkpoint still pulls again (its lookback,
   * or their later pull: lake/hours-repulled.ts), which stores them with a manifest (review STATUS2: a
   * watermark moved on by hand, a manifest removed of an hour still due its later pull, read as
   * DAMAGED for hours the schedule was about to store). `lastFromMs`: when the last of them is
   * pulled at the latest, the first run from then on. Null when none (absent: read before it was kept).
   */
  awaitingRepull?: { hours: number[]; lastFromMs: number } | null;
  /**
   * Hours as {@link uncovered} (no run goes back for them) that the operator's note names as
   * skipped on purpose (lake/skipped-hours.ts): a watermark moved on with its `repull_from_ms`.
   * Named, not DAMAGED: the operator did it. `reasons`: the note's words for their spans. Null
   * when none (absent: read before it was kept).
   */
  skipped?: { hours: number[]; reasons: string[] } | null;
  /**
   * Hours of the window with a manifest that the operator's note names as skipped
   * (lake/skipped-hours.ts `skippedButCovered`): the note is stale or too wide, and a later loss in
   * its span would be taken for the skip. Told, not DAMAGED. Absent: none.
   */
  skippedButCovered?: { hourCount: number; fromMs: number; toMs: number };
  /**
   * Hours of {@link uncovered} that a span of the operator's note names but that had not closed
   * when the span says it was written (`written_at`): lost after the note, so not the skip it
   * records, and DAMAGED. Absent: none.
   */
  skippedAfterWritten?: number[];
  /**
   * How many spans of the operator's note do not say when they were written (`written_at`), and so
   * are taken for any later loss of an hour they name. Absent: none, or no note.
   */
  undatedSkipSpans?: number;
  /**
   * Hours of {@link uncovered} that a span of the operator's note names and is honoured for, but
   * whose manifest the digest chain lists (lake/skipped-hours-stored.ts): stored once, so lost by
   * a deletion, not skipped, and DAMAGED. Absent: none.
   */
  skippedButStored?: number[];
  /**
   * Hours of {@link skipped} (excused by the note) that the chain was searched for only back to
   * `oldestKey` (its last `digestsRead` digests, the oldest written `oldestWrittenAt`, '' when it
   * does not decode): the digests before it, which a backfill or a range re-pulled since wrote in
   * numbers, were not read, and one may list an hour stored then and deleted since. Told, not
   * DAMAGED (plain verify reads them all). Absent: the search read back far enough.
   */
  skippedUnsearched?: { hours: number[]; digestsRead: number; oldestKey: string; oldestWrittenAt: string };
}

/** A manifest read as status reads it: its hour, what it counts, or why it cannot be read. */
export type ManifestRead = { hourMs: number; eventCount: number } | { hourMs: number; unreadable: string };

/** {@link ManifestRead} of a parse: an unreadable manifest is a finding of its hour, not a throw. */
export function manifestRead<T extends { event_count: number }>(
  hourMs: number,
  parse: () => T | undefined,
): { manifest?: T; read?: ManifestRead } {
  try {
    const manifest = parse();
    return manifest === undefined ? {} : { manifest, read: { hourMs, eventCount: manifest.event_count } };
  } catch (error) {
    return { read: { hourMs, unreadable: errorMessage(error) } };
  }
}

/**
 * The hours of `[fromMs, toMs)` whose events object is there: a LIST a day partition (8 for status's
 * week, in parallel, keys only; a day holds at most 24 objects, so one page each).
 */
async function eventHours(store: ObjectStore, instance: string, fromMs: number, toMs: number) {
  const days: number[] = [];
  for (let day = Math.floor(fromMs / DAY_MS) * DAY_MS; day < toMs; day += DAY_MS) days.push(day);
  const hours = new Set<number>();
  await Promise.all(
    days.map(async (day) => {
      for await (const key of store.list(tableDayPrefix('activity_log', instance, day))) {
        const hourMs = windowStartFromKey(key);
        if (hourMs !== undefined && key.endsWith('.ndjson.gz')) hours.add(hourMs);
      }
    }),
  );
  return hours;
}

/** A digest of the chain not read, or that cannot be: no start from it, nothing unlinked. */
const CHAIN_NOT_READ: { digest: Digest | undefined; unlinked: boolean } = {
  digest: undefined,
  unlinked: false,
};

/**
 * Digests read at most, newest first, for the hours a skip note excuses that the chain lists as
 * stored once (lake/skipped-hours-stored.ts): about two weeks of the shipped schedule's (a run each
 * 15 minutes writes some 120 a day), 128 batches of GETs. Past it are the digests of a backfill or
 * of ranges re-pulled since those hours (a digest an hour each), which a year of them made 6,622
 * GETs a status.
 */
const STORED_SEARCH_DIGESTS = 2048;

/** Digests read at once while looking for the schedule's first ({@link scheduleFromMs}). */
const SCHEDULE_SEARCH_BATCH = 8;
/**
 * Digests read at most while looking for it in a chain that does not keep `checkpoint_seen`
 * (written before it was kept): past them, where the schedule began is unknown.
 */
const SCHEDULE_SEARCH_LIMIT = 32;

/** Where the schedule's first run began pulling ({@link scheduleFromMs}), when known. */
interface ScheduleStart {
  fromMs: number | undefined;
  /** The key of the schedule's first digest found when it is unlinked (a start not taken). */
  unlinked?: string;
}

const NO_SCHEDULE_START: ScheduleStart = { fromMs: undefined };

/**
 * Where the schedule's first run began pulling: the `from_ms` of the chain's first digest of a run
 * that followed the checkpoint (mode `checkpoint`). Hours before it no checkpoint ever said were
 * complete: a range pulled before the lake's first hour leaves the hours between it and the
 * schedule's first unread, which is no deletion. Digest 0 (`first`) is read already, its link
 * judged; the next ones only when it is a range's, a batch at a time, up to
 * {@link SCHEDULE_SEARCH_LIMIT}, and the one found is read again with the digests beside it
 * ({@link linkedScheduleStart}). Undefined when none says so (digests written before the mode was
 * kept, a chain of ranges only, none at all), or the one found is unlinked.
 */
async function scheduleFromMs(
  store: ObjectStore,
  instance: string,
  first: Digest | undefined,
  nowMs: number,
): Promise<ScheduleStart> {
  if (first === undefined) return NO_SCHEDULE_START;
  if (scheduled(first)) return { fromMs: startOf(first, nowMs) };
  if (first.mode !== 'range') return NO_SCHEDULE_START;
  // A chain that keeps checkpoint_seen says where the schedule began however long its ranges ran.
  const found =
    first.checkpoint_seen === false
      ? await firstScheduledDigest(store, instance).catch(() => undefined)
      : await scheduledAmongFirst(store, instance);
  return scheduled(found?.digest) && found
    ? linkedScheduleStart(store, instance, found.sequence, nowMs)
    : NO_SCHEDULE_START;
}

/**
 * The start the schedule's first digest (number `sequence`, found past a lake's ranges) gives, read
 * with its neighbours (lake/genesis-link.ts): one edited, or the digest before it edited or removed
 * so the search passed the real first, moved the start on and cleared the hours before it of a
 * manifest removed (review CHAIN2: only digest 0's link was judged). Unlinked, no start is taken,
 * and its key is said.
 */
async function linkedScheduleStart(
  store: ObjectStore,
  instance: string,
  sequence: number,
  nowMs: number,
): Promise<ScheduleStart> {
  const { digest, unlinked } = await readLinkedDigest(store, instance, sequence).catch(() => CHAIN_NOT_READ);
  if (unlinked) return { fromMs: undefined, unlinked: digestKey(instance, sequence) };
  return { fromMs: scheduled(digest) ? startOf(digest, nowMs) : undefined };
}

/** A digest of a run that followed the checkpoint, with where it began. */
const scheduled = (d: Digest | undefined): d is Digest & { from_ms: number } =>
  d?.mode === 'checkpoint' && typeof d.from_ms === 'number';

/**
 * Where the scheduled run of `digest` began, if it can have (review STATUS6): a run pulls closed
 * hours only, so a first hour after the digest was written, or after now, is an edit, and taken
 * as not saying. Status then does not know where the schedule began and clears no hour for it: a
 * digest edited so must not hide a manifest removed. (A digest written after now is not refused:
 * this machine's clock may be behind the function's.)
 */
function startOf(digest: Digest & { from_ms: number }, nowMs: number): number | undefined {
  const writtenMs = Date.parse(digest.created_at);
  if (!Number.isFinite(writtenMs)) return undefined;
  return digest.from_ms < Math.min(writtenMs, floorHour(nowMs)) ? digest.from_ms : undefined;
}

/** What a digest says of {@link Digest.checkpoint_seen}: a digest of such a run has seen one. */
const seenOf = (d: Digest | undefined): boolean | undefined =>
  d?.mode === 'checkpoint' ? true : d?.checkpoint_seen;

/** A digest found, with its number (its key's: a digest's own `sequence` field is not checked). */
type Numbered = { digest: Digest | undefined; sequence: number };

/** The first such digest among the first {@link SCHEDULE_SEARCH_LIMIT}, read a batch at a time. */
async function scheduledAmongFirst(store: ObjectStore, instance: string): Promise<Numbered | undefined> {
  for (let at = 1; at < SCHEDULE_SEARCH_LIMIT; at += SCHEDULE_SEARCH_BATCH) {
    const sequences = Array.from({ length: SCHEDULE_SEARCH_BATCH }, (_, i) => at + i);
    const digests = await readDigests(store, instance, sequences).catch(() => []);
    for (const [i, digest] of digests.entries()) {
      if (digest === undefined || scheduled(digest)) return { digest, sequence: at + i };
    }
  }
  return undefined;
}

/**
 * The chain's first digest of a run that followed the checkpoint, found by its `checkpoint_seen`
 * (false before it, true from it on: each digest carries the one before's, digest.ts), a search
 * by halves from digest 1 to the head: about 14 GETs, one after another, for 10,000 digests. A
 * range pulled before the schedule writes a digest for each hour it stores, so the 32 digests
 * read one by one ({@link SCHEDULE_SEARCH_LIMIT}) were passed by a range of two days, and the hours
 * between it and the schedule's first read DAMAGED. Undefined when the head has seen no such run,
 * or a digest on the way does not say (missing, not decoded, of an older version).
 */
async function firstScheduledDigest(store: ObjectStore, instance: string): Promise<Numbered | undefined> {
  const [headSequence] = await tailSequences(store, instance, 1);
  if (headSequence === undefined) return undefined;
  const seenAt = async (sequence: number) => (await readDigests(store, instance, [sequence]))[0];
  let found = await seenAt(headSequence);
  if (seenOf(found) !== true) return undefined;
  // Digest `low` has not seen one (digest 0: a range's), `high` has.
  let low = 0;
  let high = headSequence;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    const digest = await seenAt(middle);
    const seen = seenOf(digest);
    if (seen === undefined) return undefined;
    if (seen) [high, found] = [middle, digest];
    else low = middle;
  }
  return { digest: found, sequence: high };
}

/**
 * The lake's oldest hours gone: those from where the chain's first run began (`chainFromMs`), or
 * the retention's bound if later, to the lake's first manifest (`firstMs`). Only hours the
 * checkpoint says are complete (before `completeBeforeMs`) count: a first run whose first hour
 * failed, or stopped before it while later hours of its plan finished, left hours not pulled yet,
 * which the next run pulls; they were never there, and status said they were deleted (DAMAGED
 * over the run's FAILED). Unknown (no checkpoint, a range-only lake): every hour counts.
 */
function oldestGoneOf(
  firstMs: number | undefined,
  chainFromMs: number | undefined,
  expiredBefore: number,
  completeBeforeMs: number | undefined,
): HourFindings['oldestGone'] {
  if (firstMs === undefined || chainFromMs === undefined) return null;
  const fromMs = Math.max(chainFromMs, expiredBefore);
  const goneTo = Math.min(firstMs, completeBeforeMs ?? firstMs);
  return goneTo > fromMs ? { fromMs, firstMs } : null;
}

/**
 * {@link HourFindings} from the manifests status read (`reads`, of `[fromMs, toMs)`), listed
 * after them, so an hour a run stores meanwhile has its events object before its manifest is read.
 * `firstMs`: the lake's first manifest; `maxDays`: the retention the last run recorded;
 * `completeBeforeMs`: where the hours the checkpoint says are complete end (undefined: unknown);
 * `repullAt`: when a run pulls such an hour again (none: no run does).
 */
export async function hourFindings(
  store: ObjectStore,
  instance: string,
  reads: readonly ManifestRead[],
  window: {
    fromMs: number;
    toMs: number;
    firstMs: number | undefined;
    maxDays: number | null | undefined;
    nowMs: number;
    completeBeforeMs?: number | undefined;
    repullAt?: RepullAt;
    skipped?: SkippedHours | undefined;
  },
): Promise<HourFindings> {
  const unreadableManifests = reads.flatMap((r) =>
    'unreadable' in r ? [{ hourMs: r.hourMs, reason: r.unreadable }] : [],
  );
  const expiredBefore =
    typeof window.maxDays === 'number'
      ? floorHour(window.nowMs - window.maxDays * DAY_MS)
      : Number.NEGATIVE_INFINITY;
  // An events object older than the retention may have expired under a manifest kept.
  const counted = reads
    .filter((r) => 'eventCount' in r && r.eventCount > 0 && r.hourMs >= expiredBefore)
    .map((r) => r.hourMs);
  // Without a manifest, the chain is read only when the checkpoint says some hours are complete.
  const chainNeeded = window.firstMs !== undefined || Number.isFinite(window.completeBeforeMs ?? Number.NaN);
  const [present, { digest: first, unlinked }] = await Promise.all([
    counted.length === 0 ? new Set<number>() : eventHours(store, instance, window.fromMs, window.toMs),
    chainNeeded ? readLinkedDigest(store, instance, 0).catch(() => CHAIN_NOT_READ) : CHAIN_NOT_READ,
  ]);
  const chainFromMs = typeof first?.from_ms === 'number' ? first.from_ms : undefined;
  const uncovered = await uncoveredFindings(store, instance, { reads, window, expiredBefore, first });
  return {
    unreadableManifests,
    eventsGone: counted.filter((h) => !present.has(h)),
    oldestGone: oldestGoneOf(window.firstMs, chainFromMs, expiredBefore, window.completeBeforeMs),
    ...(unlinked ? { startUnlinked: true as const } : {}),
    ...(uncovered.scheduleUnlinked ? { scheduleStartUnlinked: uncovered.scheduleUnlinked } : {}),
    ...(await skippedOf(store, instance, awaitingRepullOf(uncovered.hours, window.repullAt), window.skipped)),
    ...skippedCoveredOf(window.skipped, reads),
  };
}

/** The uncovered hours a span names after it was written, and the spans that say no time. */
function skipBounds(
  uncovered: readonly number[],
  note: SkippedHours | undefined,
): Pick<HourFindings, 'skippedAfterWritten' | 'undatedSkipSpans'> {
  const after = uncovered.filter((hourMs) => namedAfterWritten(note, hourMs));
  const undated = undatedSpans(note);
  return {
    ...(after.length > 0 ? { skippedAfterWritten: after } : {}),
    ...(undated > 0 ? { undatedSkipSpans: undated } : {}),
  };
}

/** The hours with a manifest the operator's note names as skipped, if any. */
function skippedCoveredOf(
  note: SkippedHours | undefined,
  reads: readonly ManifestRead[],
): Pick<HourFindings, 'skippedButCovered'> {
  const covered = skippedButCovered(
    note,
    reads.map((r) => r.hourMs),
  );
  return covered ? { skippedButCovered: covered } : {};
}

/**
 * Moves the uncovered hours the operator's note names as skipped on purpose to their own list, but
 * those the digest chain says were stored once (a deletion, not a skip: skipped-hours-stored.ts).
 */
async function skippedOf(
  store: ObjectStore,
  instance: string,
  found: Pick<HourFindings, 'uncovered' | 'awaitingRepull'>,
  note: SkippedHours | undefined,
): Promise<
  Pick<
    HourFindings,
    | 'uncovered'
    | 'awaitingRepull'
    | 'skipped'
    | 'skippedAfterWritten'
    | 'undatedSkipSpans'
    | 'skippedButStored'
    | 'skippedUnsearched'
  >
> {
  const named = found.uncovered.filter((hourMs) => skippedSpanOf(note, hourMs) !== undefined);
  const { stored, cut } = await hoursStoredOnce(store, instance, named, STORED_SEARCH_DIGESTS);
  const uncovered: number[] = [];
  const hours: number[] = [];
  const reasons = new Set<string>();
  for (const hourMs of found.uncovered) {
    const span = stored.has(hourMs) ? undefined : skippedSpanOf(note, hourMs);
    if (span === undefined) uncovered.push(hourMs);
    else {
      hours.push(hourMs);
      if (span.reason !== '') reasons.add(span.reason);
    }
  }
  return {
    ...found,
    uncovered,
    skipped: hours.length === 0 ? null : { hours, reasons: [...reasons] },
    ...skipBounds(uncovered, note),
    ...(stored.size > 0 ? { skippedButStored: named.filter((hourMs) => stored.has(hourMs)) } : {}),
    ...(cut ? { skippedUnsearched: unsearchedOf(instance, hours, cut) } : {}),
  };
}

/** {@link HourFindings.skippedUnsearched} of the hours excused and where the search stopped. */
const unsearchedOf = (
  instance: string,
  hours: number[],
  { digestsRead, oldestSequence, oldestWrittenAt }: StoredSearchCut,
): NonNullable<HourFindings['skippedUnsearched']> => ({
  hours,
  digestsRead,
  oldestKey: digestKey(instance, oldestSequence),
  oldestWrittenAt,
});

/** The uncovered hours no run goes back for, and those a run still pulls again ({@link RepullAt}). */
function awaitingRepullOf(
  hours: readonly number[],
  repullAt: RepullAt = () => undefined,
): Pick<HourFindings, 'uncovered' | 'awaitingRepull'> {
  const uncovered: number[] = [];
  const awaiting: number[] = [];
  let lastFromMs = Number.NEGATIVE_INFINITY;
  for (const hourMs of hours) {
    const at = repullAt(hourMs);
    if (at === undefined) uncovered.push(hourMs);
    else {
      awaiting.push(hourMs);
      lastFromMs = Math.max(lastFromMs, at);
    }
  }
  return { uncovered, awaitingRepull: awaiting.length === 0 ? null : { hours: awaiting, lastFromMs } };
}

/**
 * {@link HourFindings.uncovered}: the hours no manifest was read of, from the lake's first and the
 * schedule's. A lake with no manifest at all under a checkpoint that says hours are complete
 * (`coverage/` deleted, or a restore that left it out) is checked from the schedule's first hour:
 * from the lake's first, none was, and status said `ok`.
 */
async function uncoveredFindings(
  store: ObjectStore,
  instance: string,
  found: {
    reads: readonly ManifestRead[];
    window: {
      fromMs: number;
      firstMs: number | undefined;
      completeBeforeMs?: number | undefined;
      nowMs: number;
    };
    expiredBefore: number;
    first: Digest | undefined;
  },
): Promise<{ hours: number[]; scheduleUnlinked?: string }> {
  const { reads, window, expiredBefore, first } = found;
  if (window.firstMs === undefined) {
    const start = await scheduleFromMs(store, instance, first, window.nowMs);
    const hours =
      start.fromMs === undefined
        ? []
        : uncoveredHours(reads, { ...window, firstMs: start.fromMs }, expiredBefore);
    return { hours, ...scheduleUnlinkedOf(start) };
  }
  const uncovered = uncoveredHours(reads, window, expiredBefore);
  // Read only when there is something to clear: the schedule's first digest may lie further on.
  const start =
    uncovered.length === 0 ? NO_SCHEDULE_START : await scheduleFromMs(store, instance, first, window.nowMs);
  const fromMs = start.fromMs ?? Number.NEGATIVE_INFINITY;
  return { hours: uncovered.filter((hourMs) => hourMs >= fromMs), ...scheduleUnlinkedOf(start) };
}

/** The schedule's first digest when unlinked, as {@link uncoveredFindings} returns it. */
const scheduleUnlinkedOf = ({ unlinked }: ScheduleStart) =>
  unlinked === undefined ? {} : { scheduleUnlinked: unlinked };

/** {@link HourFindings.uncovered}: the hours of the window's complete span no manifest was read of. */
function uncoveredHours(
  reads: readonly ManifestRead[],
  window: { fromMs: number; firstMs: number | undefined; completeBeforeMs?: number | undefined },
  expiredBefore: number,
): number[] {
  if (window.firstMs === undefined || window.completeBeforeMs === undefined) return [];
  const read = new Set(reads.map((r) => r.hourMs));
  const uncovered: number[] = [];
  const fromMs = Math.max(window.fromMs, window.firstMs, expiredBefore);
  for (let hourMs = fromMs; hourMs < window.completeBeforeMs; hourMs += HOUR_MS)
    if (!read.has(hourMs)) uncovered.push(hourMs);
  return uncovered;
}

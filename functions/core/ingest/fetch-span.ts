import { type AuditSource, MAX_PAGE_SIZE } from '../domo/audit-source.ts';
import { parseDomoTime } from '../domo/domo-time.ts';
import type { Clock } from '../ports.ts';
import { HOUR_MS } from '../time-units.ts';
import {
  askedBounds,
  type FetchRangeOptions,
  fetchRange,
  RangeFullError,
  RangeTooHeavyError,
} from './fetch-range.ts';
import { leaveEndEdgeToNextHour } from './hour-end-edge.ts';
import { PRECISION_SLACK_MS, precisionSlackMs } from './normalise-window.ts';
import type { LargestPage } from './page-end.ts';
import { settleRepeatedHourEdges } from './repeated-hour-edge.ts';
import type { ServedEntry } from './served-entry.ts';
import { type Span, spanHours } from './span-plan.ts';
import { checkZonelessNeighbours } from './zoneless-neighbours.ts';

/** The entries of one hour of a span: those whose time falls in it, plus those no hour can place. */
export interface HourEntries {
  startMs: number;
  entries: ServedEntry[];
  /**
   * The hours of the request that returned them (the span, a half of it, or this hour alone):
   * Domo only returns what it holds for those, so an entry whose time reads outside is an anomaly.
   */
  requested: Span;
  /**
   * Entries a zone-less time string places in a neighbouring hour that Domo did not confirm there
   * (zoneless-neighbours.ts): their reading is wrong, and they are quarantined in this hour.
   */
  unconfirmed?: ReadonlySet<ServedEntry>;
}

interface FetchedSpan {
  /** Every hour of the span, in order (empty hours included). */
  hours: HourEntries[];
  /** Pages and requests the span took, pages read again after a split included. */
  pages: number;
  requests: number;
  /** Whether a time was a string without a zone of its own (read in `docTimeZone`). */
  zoneless: boolean;
}

interface FetchSpanOptions {
  docTimeZone: string;
  /** Pages one hour may take before it is split at a whole second (as `maxPagesPerRange`). */
  maxPagesPerHour: number;
  /** Pages a span of several hours may take before it is split into two spans. */
  maxPagesPerSpan: number;
  /**
   * Entries an hour is expected to hold (the busiest hour seen): an hour read alone that would
   * take more than `maxPagesPerHour` pages for them is split at once (see `fetchRange`).
   */
  expectedPerHour?: number;
  largestPage?: LargestPage;
  /** Characters of entries' JSON one read (an hour, or a span) may hold (see `fetchRange`). */
  maxHeldChars?: number;
  /** A wider ceiling a read past `maxHeldChars` may go on to (see `fetchRange`). */
  widen?: () => number | undefined;
  /** Times each read against its ceiling (see `fetchRange`'s `maxReadMs`). */
  clock?: Clock;
  /** Each read's ceiling on `clock` (see `fetchRange`). */
  maxReadMs?: number;
  /**
   * Whether no hour of the run before `fromMs` is left unfinished: a span that proved too full
   * then reads its hours left oldest first (see `readBackFrom`). Absent: newest first.
   */
  oldestFirst?: (fromMs: number) => boolean;
  signal?: AbortSignal;
}

/**
 * When an entry says it happened, and whether that reading is ambiguous (a repeated local hour).
 * Only the time is read: an entry refused for another field is quarantined by its hour's
 * normalisation, which is the hour its time names either way.
 */
function readTime(
  value: unknown,
  docTimeZone: string,
): { ms?: number; ambiguous: boolean; zoneless: boolean; raw?: unknown } {
  const unread = { ambiguous: false, zoneless: false };
  if (value === null || typeof value !== 'object' || !('time' in value)) return unread;
  const raw = (value as { time: unknown }).time;
  const time = parseDomoTime(raw, docTimeZone);
  if (!time.ok) return unread;
  return {
    ms: time.ms,
    ambiguous: time.laterMs !== undefined,
    zoneless: time.zoneless === true,
    // Its precision is read only where it matters, for a time outside the span (placeableInSpan):
    // this runs for every entry of every page.
    raw,
  };
}

/**
 * Whether an entry's time is a string of whole seconds (or tenths, hundredths): one that may read
 * off the instant Domo filed it at ({@link precisionSlackMs}).
 */
function coarseTime(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || !('time' in value)) return false;
  return precisionSlackMs((value as { time: unknown }).time) > 0;
}

/**
 * Reads a span of whole hours with one paging sequence and sorts its entries into the hours they
 * belong to, so each hour is stored exactly as if it had been fetched alone: a neighbour's entry
 * just before or after the span goes with the first or last hour (whose normalisation leaves it to
 * its own hour, as for a single hour), an entry without a usable time with its neighbours' hour.
 *
 * A span that needs more than `maxPagesPerSpan` pages is split in two and each half read again; an
 * hour alone splits at whole seconds as before. A span holding a time string of a repeated local
 * hour (daylight saving time ends), an entry without a usable time between two hours, a time
 * outside the span or a time string without a zone, is read again hour by hour: which hour such an
 * entry belongs to is only known from the request that returns it. An entry at an edge of the
 * repeated hour, which both neighbouring hours' requests may return, is settled by one more request
 * of its second (repeated-hour-edge.ts).
 */
export async function fetchSpan(
  source: AuditSource,
  span: Span,
  options: FetchSpanOptions,
): Promise<FetchedSpan> {
  const fetched: FetchedSpan = { hours: [], pages: 0, requests: 0, zoneless: false };
  await fetchSpanInParts(source, span, options, async (part) => {
    fetched.hours.push(...part.hours);
    fetched.pages += part.pages;
    fetched.requests += part.requests;
    fetched.zoneless ||= part.zoneless;
  });
  // Parts of a span that proved too full come newest first (see fetchSpanInParts).
  fetched.hours.sort((a, b) => a.startMs - b.startMs);
  return fetched;
}

/**
 * {@link fetchSpan}, handing over the span's hours part by part as they are read: the whole span,
 * or the parts it had to be read in. Each part's hours are in order, the parts not: a span too full
 * for its page budget hands over the hours its pages completed, its newest, before it reads on
 * (Domo serves newest first), and each part read on is older than the one before; a span read in
 * halves or hour by hour hands them over in order. `onPart` is awaited before the
 * next part is read, so a caller that stores each part holds one part's entries at a time: a span
 * that proved much busier than planned is otherwise held whole until its last half is read. Each
 * part carries the pages and requests taken since the previous one (a failed full read included).
 * A part's last hour leaves the timeless entries it shares with the next hour to that hour
 * (hour-end-edge.ts).
 */
export async function fetchSpanInParts(
  source: AuditSource,
  span: Span,
  options: FetchSpanOptions,
  onPart: (part: FetchedSpan) => Promise<void>,
): Promise<void> {
  const counters = { pages: 0, requests: 0 };
  await readSpan(source, span, options, counters, async (hours, zoneless) => {
    const last = hours[hours.length - 1];
    if (last) {
      const rangeOptions = { ...commonRangeOptions(options), maxPagesPerRange: options.maxPagesPerHour };
      const edge = await leaveEndEdgeToNextHour(source, last, options.docTimeZone, rangeOptions);
      counters.pages += edge.pages;
      counters.requests += edge.requests;
    }
    const part = { hours, ...counters, zoneless };
    counters.pages = 0;
    counters.requests = 0;
    await onPart(part);
  });
}

type Counters = { pages: number; requests: number };
/** Hands over a part read; `zoneless`: whether a time in it was a string without a zone. */
type PartSink = (hours: HourEntries[], zoneless: boolean) => Promise<void>;

async function readSpan(
  source: AuditSource,
  span: Span,
  options: FetchSpanOptions,
  counters: Counters,
  emit: PartSink,
): Promise<void> {
  const hours = spanHours(span);
  const common = commonRangeOptions(options);
  if (hours === 1) {
    // Handed over as read: the list is the one the caller empties hour by hour as it stores them.
    const alone = await readHourAlone(
      source,
      span,
      options,
      { ...common, maxPagesPerRange: options.maxPagesPerHour },
      counters,
    );
    await emit(alone.hours, alone.zoneless);
    return;
  }
  const spanOptions = { ...common, maxPagesPerRange: options.maxPagesPerSpan };
  const placed = await readWhole(source, span, spanOptions, options.docTimeZone, counters);
  if (Array.isArray(placed)) {
    // Placed, no time was a zone-less string: one would have sent the span hour by hour.
    await emit(placed, false);
    return;
  }
  if (placed === undefined) return readHourByHour(source, span, options, counters, emit);
  await readOnFromFull(source, span, options, counters, emit, placed);
}

/** The options every range of a span is read with, besides its page ceiling. */
function commonRangeOptions(options: FetchSpanOptions) {
  return {
    timeOf: (entry: unknown) => readTime(entry, options.docTimeZone).ms,
    ...(options.largestPage ? { largestPage: options.largestPage } : {}),
    ...(options.maxHeldChars ? { maxHeldChars: options.maxHeldChars } : {}),
    ...(options.widen ? { widen: options.widen } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.maxReadMs ? { maxReadMs: options.maxReadMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
}

/**
 * Goes on with a span that proved too full for its page budget. Domo serves entries newest first,
 * so the pages read hold every entry of the hours after the last one's: those hours are handed
 * over as they are, and the hours before are read on, in pieces sized from the hours just read,
 * newest piece first. Only the last hour the pages reached is read again (review R-PACE F2:
 * reading the span again in halves threw away every page read, once per level of halving: 48 % of
 * a realistic week's requests). Pages that cannot be kept (a refused or doubtful deep offset, too
 * many entries held, times that do not place, or no hour complete: the newest one alone fills the
 * budget) and the span is read as two halves, each its own span, as before; with no hour complete
 * the newest hour is read alone, then the rest.
 */
async function readOnFromFull(
  source: AuditSource,
  span: Span,
  options: FetchSpanOptions,
  counters: Counters,
  emit: PartSink,
  full: FullRead,
): Promise<void> {
  const kept = completeHoursTaken(full, span, options.docTimeZone);
  if (kept === undefined) {
    for (const half of halves(span)) await readSpan(source, half, options, counters, emit);
    return;
  }
  let restEndMs = kept.cutMs;
  if (kept.hours.length === 0) {
    // The newest hour alone filled the budget: it is read alone (and split at seconds if it must).
    restEndMs = span.endMs - HOUR_MS;
    await readSpan(source, { startMs: restEndMs, endMs: span.endMs }, options, counters, emit);
  } else {
    await emit(kept.hours, false);
  }
  const rest = { startMs: span.startMs, endMs: restEndMs };
  await readBackFrom(source, rest, options, counters, emit, kept.perHour);
}

/**
 * The entries a read stopped by its page count kept (see {@link RangeFullError.read}), until they
 * are sorted into the hours they complete: {@link completeHoursTaken} takes them out, once.
 */
interface FullRead {
  read: readonly ServedEntry[] | undefined;
}

/**
 * {@link completeHours} of a full read's entries, taking them out of `full`. V8 keeps an async
 * function's variables alive across its awaits even once they are used no more, so a list of them
 * held by a caller or a parameter kept every entry of a full span's pages (its page budget, with
 * the page texts their slices hold) until its last piece was read and stored, at each level of
 * pieces: the 1M-event ingest peaked at up to 199 MB instead of ~155. Handed on, the complete
 * hours are emptied hour by hour as they are stored; the rest is let go here.
 */
function completeHoursTaken(
  full: FullRead,
  span: Span,
  docTimeZone: string,
): ReturnType<typeof completeHours> {
  const read = full.read;
  full.read = undefined;
  return read ? completeHours(read, span, docTimeZone) : undefined;
}

/**
 * How many entries, from the first, have a time at or after `cutMs` or none, ending on a timed one:
 * the entries of the hours a read completed.
 */
function keptBefore(times: readonly (number | undefined)[], cutMs: number): number {
  let keep = 0;
  while (keep < times.length && (times[keep] === undefined || (times[keep] as number) >= cutMs)) keep++;
  while (keep > 0 && times[keep - 1] === undefined) keep--;
  return keep;
}

/**
 * Whether the times read come newest first, second by second, as the hours a full read completes
 * are told by: Domo's order is known from third-party code and samples only, not documented for
 * /v1/audit, and pages served in another order (oldest first) made the hours after the last one
 * read pass for complete and empty, their entries lost. Within one second any order passes (a
 * source sorting by the second, or a zone string read as .000 beside a time in milliseconds, was
 * refused at a cost in requests, review R-MINE5 F2): an hour starts on a whole second, so entries of
 * one second are of one hour. Entries without a time say nothing of it. Only the entries read are
 * checked: an order that is newest first for them and not for those after (sorted by user first,
 * say) is not seen.
 */
function servedNewestFirst(times: readonly (number | undefined)[]): boolean {
  let previous = Number.POSITIVE_INFINITY;
  for (const ms of times) {
    if (ms === undefined) continue;
    const second = Math.floor(ms / 1000);
    if (second > previous) return false;
    previous = Math.min(previous, second);
  }
  return true;
}

/** The two halves of a span of several hours, at a whole hour. */
function halves(span: Span): Span[] {
  const midMs = span.startMs + Math.floor(spanHours(span) / 2) * HOUR_MS;
  return [
    { startMs: span.startMs, endMs: midMs },
    { startMs: midMs, endMs: span.endMs },
  ];
}

/**
 * Share of a span's page budget a piece read on from a full span is sized to: room for the hours
 * before it to be a little busier than the hour after them without filling the budget again.
 */
const PIECE_SHARE = 0.75;

/**
 * Reads `rest` (the hours before those a full span completed) newest piece first, each piece as
 * many hours as fit {@link PIECE_SHARE} of the page budget at the entries of the hour beside it
 * (the last hour read next to it): activity changes from hour to hour, and the hour next to a piece
 * tells more of it than the busiest hour of the run. A piece that proves too full keeps its
 * complete hours as a span does ({@link readOnFromFull}).
 *
 * While `rest` holds the oldest hours the run has left (`oldestFirst`), it is read oldest piece
 * first instead: the watermark moves only over the oldest hours, and a run out of time that stored
 * the newer pieces of the span holding it stored nothing the next run does not plan again (review
 * R-ONCALL H1: run after run re-read a day past the watermark and never moved it).
 */
async function readBackFrom(
  source: AuditSource,
  rest: Span,
  options: FetchSpanOptions,
  counters: Counters,
  emit: PartSink,
  perHourAfter: number,
): Promise<void> {
  const left = { startMs: rest.startMs, endMs: rest.endMs, perHourBefore: perHourAfter, perHourAfter };
  const fits = PIECE_SHARE * options.maxPagesPerSpan * (MAX_PAGE_SIZE - 2);
  // Read oldest first, a piece is at most twice as long as the one before, the first one hour: one
  // sized from the quiet hour before it alone ran into the day's busy hours, proved full on its
  // newest ones, which move no watermark, and read on from one hour again. Three requests an hour
  // of a quiet night, and a run of 8 that had the watermark's hour and the two of its lookback to
  // read never moved the watermark.
  let oldestHours = 1;
  while (left.endMs > left.startMs) {
    const fromOldest = options.oldestFirst?.(left.startMs) === true;
    const perHour = fromOldest ? left.perHourBefore : left.perHourAfter;
    const fitting = Math.max(1, Math.floor(fits / Math.max(1, perHour)));
    const hours = Math.min(
      (left.endMs - left.startMs) / HOUR_MS,
      fromOldest ? Math.min(fitting, oldestHours) : fitting,
    );
    const piece = fromOldest
      ? { startMs: left.startMs, endMs: left.startMs + hours * HOUR_MS }
      : { startMs: left.endMs - hours * HOUR_MS, endMs: left.endMs };
    // The hour of the piece next to the hours still left: it sizes the next piece.
    const edgeMs = fromOldest ? piece.endMs - HOUR_MS : piece.startMs;
    let edge = 0;
    await readSpan(source, piece, options, counters, async (part, zoneless) => {
      for (const hour of part) if (hour.startMs === edgeMs) edge = hour.entries.length;
      await emit(part, zoneless);
    });
    if (fromOldest) {
      left.perHourBefore = edge;
      left.startMs = piece.endMs;
      oldestHours = 2 * hours;
    } else {
      left.perHourAfter = edge;
      left.endMs = piece.startMs;
    }
  }
}

/**
 * The hours of a span that the entries of a read stopped by its page count hold completely: those
 * after the hour of the last entry with a time (Domo serves newest first, so an entry of a later
 * hour cannot come after it), placed as {@link placeInHours} places a span's, with the request's
 * bounds the span's. Entries without a usable time past the last kept one cannot be told from the
 * next hour's, so the cut moves up to before the hour of the entry above them. `perHour`: the
 * entries of the hour next to the cut (at least those read of the cut hour), for sizing the read
 * on. Undefined when no time could be read, the times are not newest first, or the entries do not
 * place (the span is then read in halves, as before).
 */
function completeHours(
  read: readonly ServedEntry[],
  span: Span,
  docTimeZone: string,
): { hours: HourEntries[]; cutMs: number; perHour: number } | undefined {
  const times = read.map((entry) => readTime(entry.value, docTimeZone).ms);
  if (!servedNewestFirst(times)) return undefined;
  const hourIndex = (ms: number) =>
    Math.min(spanHours(span) - 1, Math.max(0, Math.floor((ms - span.startMs) / HOUR_MS)));
  let last = times.length - 1;
  while (last >= 0 && times[last] === undefined) last--;
  if (last < 0) return undefined;
  // Entries without a time after the last timed one come after it: the hours before hold them.
  let cutMs = span.startMs + (hourIndex(times[last] as number) + 1) * HOUR_MS;
  let keep = keptBefore(times, cutMs);
  // Entries without a time between the last kept one and the cut hour's may be either hour's:
  // the hour above them is read again too, whose request returns them.
  while (cutMs < span.endMs && keep > 0 && keep < times.length && times[keep] === undefined) {
    cutMs = span.startMs + (hourIndex(times[keep - 1] as number) + 1) * HOUR_MS;
    keep = keptBefore(times, cutMs);
  }
  const cutCount = times.length - keep;
  const upper = { startMs: cutMs, endMs: span.endMs };
  if (upper.startMs >= upper.endMs) return { hours: [], cutMs: span.endMs, perHour: cutCount };
  const placed = placeInHours(read.slice(0, keep), upper, docTimeZone, span);
  if (placed === undefined) return undefined;
  return { hours: placed, cutMs, perHour: Math.max(cutCount, placed[0]?.entries.length ?? 0) };
}

/**
 * Reads a span in one paging sequence and sorts its entries into hours (undefined: they cannot be,
 * see {@link placeInHours}), or, too full, the entries its pages held when they can be kept (see
 * {@link RangeFullError.read}). Only the hours are handed back: the list of the span's entries is
 * let go before they are stored, so an hour stored lets its entries go at once.
 */
async function readWhole(
  source: AuditSource,
  span: Span,
  spanOptions: FetchRangeOptions,
  docTimeZone: string,
  counters: Counters,
): Promise<HourEntries[] | undefined | FullRead> {
  try {
    const fetched = await fetchRange(source, span.startMs, span.endMs, { ...spanOptions, whenFull: 'throw' });
    counters.pages += fetched.pages;
    counters.requests += fetched.requests;
    return placeInHours(fetched.entries, span, docTimeZone);
  } catch (error) {
    // Too many pages, or more entries than one read may hold: each half may fit (an hour alone
    // that does not fails with the reason).
    if (!(error instanceof RangeFullError || error instanceof RangeTooHeavyError)) throw error;
    counters.pages += error.pages;
    counters.requests += error.requests;
    return { read: error instanceof RangeFullError ? error.read : undefined };
  }
}

/**
 * Reads one hour alone: its entries, with those at an edge of a repeated local hour settled and
 * those a zone-less time places just outside it checked (each by a request of their second).
 */
async function readHourAlone(
  source: AuditSource,
  span: Span,
  options: FetchSpanOptions,
  hourOptions: FetchRangeOptions,
  counters: Counters,
): Promise<{ hours: HourEntries[]; zoneless: boolean }> {
  const fetched = await fetchRange(source, span.startMs, span.endMs, {
    ...hourOptions,
    ...(options.expectedPerHour === undefined ? {} : { expectedEntries: options.expectedPerHour }),
  });
  // Both checks judge what the request could return by the bounds it asked, as normalisation does.
  const hour = { ...span, asked: askedBounds(span.startMs, span.endMs) };
  // An entry at an edge of the repeated hour (clocks going back) comes back from both hours' requests.
  const settled = await settleRepeatedHourEdges(
    source,
    fetched.entries,
    hour,
    options.docTimeZone,
    hourOptions,
  );
  const zoneless = settled.entries.some((entry) => readTime(entry.value, options.docTimeZone).zoneless);
  // A zone-less time read just outside the hour is the neighbour's only if Domo says so, and so is a
  // whole-second one with its zone (it may be rounded); an hour of epoch-ms times has none to check.
  const checked =
    zoneless || settled.entries.some((entry) => coarseTime(entry.value))
      ? await checkZonelessNeighbours(source, settled.entries, hour, options.docTimeZone, hourOptions)
      : { unconfirmed: new Set<ServedEntry>(), pages: 0, requests: 0 };
  counters.pages += fetched.pages + settled.pages + checked.pages;
  counters.requests += fetched.requests + settled.requests + checked.requests;
  const read: HourEntries = { startMs: span.startMs, entries: settled.entries, requested: span };
  if (checked.unconfirmed.size > 0) read.unconfirmed = checked.unconfirmed;
  return { hours: [read], zoneless };
}

/**
 * Sorts a span's entries into its hours by their time. Entries with no time to go by (unreadable)
 * go where their neighbours in Domo's newest-first order are, when both lie in the same hour: the
 * hour whose request alone would have returned them, so a later pull of that hour, in a span or
 * alone, quarantines them in the same object and never twice. Undefined, and the caller reads the
 * span hour by hour, when that cannot be told (neighbours in different hours), when a time reads
 * outside the span Domo was asked for, or when a time is a string without a zone.
 *
 * A zone-less string is only as right as `docTimeZone`, and a wrong setting moves every one by
 * hours. Only a request for one hour shows it: each entry then reads outside the hour and is
 * quarantined with the reason. Sorted by those readings, a span would store most of them in the
 * wrong hours, and the re-pull with the right zone would store them a second time in the right
 * ones. (The planner reads such instances hour by hour from then on: see SpanPlanner.)
 */
function placeInHours(
  entries: readonly ServedEntry[],
  span: Span,
  docTimeZone: string,
  /** The hours the request that returned them asked for, when more than `span`. */
  requested: Span = span,
): HourEntries[] | undefined {
  const hours = spanHours(span);
  const hourOf = (ms: number) => Math.min(hours - 1, Math.max(0, Math.floor((ms - span.startMs) / HOUR_MS)));
  const slots: (number | undefined)[] = [];
  for (const entry of entries) {
    const time = readTime(entry.value, docTimeZone);
    if (time.ambiguous || time.zoneless) return undefined;
    if (time.ms === undefined) {
      slots.push(undefined);
      continue;
    }
    if (!placeableInSpan(time.ms, time.raw, span)) return undefined;
    slots.push(hourOf(time.ms));
  }
  const buckets = Array.from({ length: hours }, (_, i) => ({
    startMs: span.startMs + i * HOUR_MS,
    entries: [] as ServedEntry[],
    requested,
  }));
  for (const [i, entry] of entries.entries()) {
    const slot = slots[i] ?? neighboursSlot(slots, i, hours);
    if (slot === undefined) return undefined;
    buckets[slot]?.entries.push(entry);
  }
  return buckets;
}

/**
 * Whether a span can place a time: not if it reads outside the span beyond the precision slack,
 * nor a whole-second time just outside it, a neighbour's only if Domo confirms it, which only the
 * hour read alone checks (zoneless-neighbours.ts).
 */
function placeableInSpan(ms: number, raw: unknown, span: Span): boolean {
  if (ms >= span.startMs && ms < span.endMs) return true;
  if (ms < span.startMs - PRECISION_SLACK_MS || ms > span.endMs + PRECISION_SLACK_MS) return false;
  return precisionSlackMs(raw) === 0;
}

/** The hour of the nearest placed entries on both sides, when they agree (the span's ends count). */
function neighboursSlot(
  slots: readonly (number | undefined)[],
  i: number,
  hours: number,
): number | undefined {
  let newer: number | undefined;
  for (let j = i - 1; j >= 0 && newer === undefined; j--) newer = slots[j];
  let older: number | undefined;
  for (let j = i + 1; j < slots.length && older === undefined; j++) older = slots[j];
  const upper = newer ?? hours - 1;
  const lower = older ?? 0;
  return upper === lower ? upper : undefined;
}

async function readHourByHour(
  source: AuditSource,
  span: Span,
  options: FetchSpanOptions,
  counters: Counters,
  emit: PartSink,
): Promise<void> {
  for (let start = span.startMs; start < span.endMs; start += HOUR_MS) {
    await readSpan(source, { startMs: start, endMs: start + HOUR_MS }, options, counters, emit);
  }
}
